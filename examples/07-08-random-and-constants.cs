#:project ../src/SharpFlow/SharpFlow.csproj
// Seed §7 and §8: random number generators and constant generators.
// With seeds, the values are TensorFlow's own: tf.random_normal([2, 2], seed=1) prints the same numbers in TensorFlow.
using SharpFlow;
using static SharpFlow.Binding;

var normal = tf.random_normal((2, 2), seed: 1);
var truncated = tf.truncated_normal((2, 3), stddev: 2.0, seed: 1);
var uniform = tf.random_uniform((2, 3), minval: 0, maxval: 10, seed: 1);
var dice = tf.random_uniform(new[] { 8 }, minval: 1, maxval: 7, dtype: tf.int32, seed: 1);
var gamma = tf.random_gamma(new[] { 4 }, alpha: 2.0, beta: 1.0, seed: 1);
var shuffled = tf.random_shuffle(tf.range(8), seed: 1);

using var sess = tf.Session();
Console.WriteLine($"random_normal((2, 2), seed=1):\n{sess.run(normal)}");
Console.WriteLine($"run it again (a stateful op draws new numbers):\n{sess.run(normal)}");
Console.WriteLine($"truncated_normal((2, 3), stddev=2, seed=1):\n{sess.run(truncated)}");
Console.WriteLine($"random_uniform((2, 3), 0, 10, seed=1):\n{sess.run(uniform)}");
Console.WriteLine($"random_uniform([8], 1, 7, int32, seed=1): {sess.run(dice)}");
Console.WriteLine($"random_gamma([4], alpha=2, beta=1, seed=1): {sess.run(gamma)}");
Console.WriteLine($"random_shuffle(range(8), seed=1): {sess.run(shuffled)}");

Console.WriteLine($"zeros((2, 3), int32):\n{sess.run(tf.zeros((2, 3), tf.int32))}");
Console.WriteLine($"ones((2, 3)):\n{sess.run(tf.ones((2, 3)))}");
Console.WriteLine($"fill([2, 3], 9):\n{sess.run(tf.fill(new[] { 2, 3 }, 9))}");
Console.WriteLine($"constant([1, 2, 3]): {sess.run(tf.constant(new[] { 1, 2, 3 }))}");
Console.WriteLine($"constant(-1.0, shape=(2, 3)):\n{sess.run(tf.constant(-1.0, shape: (2, 3)))}");
Console.WriteLine($"range(3, 18, 3): {sess.run(tf.range(3, 18, 3))}");
Console.WriteLine($"lin_space(10.0, 12.0, 3): {sess.run(tf.lin_space(10.0, 12.0, 3))}");
Console.WriteLine($"zeros_like / ones_like: {sess.run(tf.zeros_like(tf.constant(new[] { 1, 2 })))} {sess.run(tf.ones_like(tf.constant(new[] { 1, 2 })))}");
