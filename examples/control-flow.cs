#:project ../src/SharpFlow/SharpFlow.csproj
// Control flow as TensorFlow 1.x builds it: tf.while_loop, tf.cond, tf.map_fn and gradients through them.
using SharpFlow;
using static SharpFlow.Binding;

// 1. The Fibonacci numbers with tf.while_loop: (a, b) -> (b, a + b) until a reaches 1000.
var (fib, _) = tf.while_loop((a, b) => tf.less(a, 1000), (a, b) => (b, a + b), (tf.constant(0), tf.constant(1)));

// 2. exp(x) by its power series, summed until the next term is below 1e-12, and d/dx of the sum (exp(x) again):
//    the gradient runs the loop backwards over the terms the forward loop saved.
var x = tf.placeholder(tf.float64, Shape.Scalar, name: "x");
var series = tf.while_loop(
    v => tf.greater(tf.abs(v[1]), 1e-12),
    v => [v[0] + 1.0, v[1] * x / (v[0] + 1.0), v[2] + v[1]],
    [tf.constant(0.0, tf.float64), tf.constant(1.0, tf.float64), tf.constant(0.0, tf.float64)]);
var terms = series[0];
var exp = series[2];
var dexp = tf.gradients(exp, x)[0]!;

// 3. tf.map_fn over a batch: each row scaled to unit length.
var batch = tf.constant(new[,] { { 3.0, 4.0 }, { 1.0, 0.0 }, { 6.0, 8.0 } }, tf.float64);
var unit = tf.map_fn(row => row / tf.sqrt(tf.reduce_sum(tf.square(row))), batch);

// 4. tf.cond while training: dropout is a cond on the training flag, so evaluation runs no random op and gives
//    the same numbers every time, while training draws a new mask each step.
tf.set_random_seed(1);
var training = tf.placeholder_with_default(false, Shape.Scalar, name: "training");
var inputs = tf.ones(new Shape(1, 8));
var dropped = tf.layers.dropout(inputs, rate: 0.5, training: training);

using var sess = tf.Session();
Console.WriteLine($"first Fibonacci number >= 1000: {sess.run(fib)}");
var (e, t, d) = (sess.run(exp, new FeedDict { [x] = NDArray.Scalar(1.5) }), sess.run(terms, new FeedDict { [x] = NDArray.Scalar(1.5) }),
    sess.run(dexp, new FeedDict { [x] = NDArray.Scalar(1.5) }));
Console.WriteLine($"exp(1.5) = {e.ToArray<double>()[0]:F12} after {t.ToArray<double>()[0]} terms (Math.Exp: {Math.Exp(1.5):F12})");
Console.WriteLine($"d/dx exp(x) at 1.5 = {d.ToArray<double>()[0]:F12}");
Console.WriteLine($"rows scaled to unit length:\n{sess.run(unit)}");
Console.WriteLine($"evaluation: {sess.run(dropped)}");
Console.WriteLine($"evaluation: {sess.run(dropped)}");
var train = new FeedDict { [training] = NDArray.Scalar(true) };
Console.WriteLine($"training:   {sess.run(dropped, train)}");
Console.WriteLine($"training:   {sess.run(dropped, train)}");
Console.WriteLine($"ops of the cond: {string.Join(", ", dropped.graph.get_operations().Where(o => o.name.StartsWith("dropout/cond/", StringComparison.Ordinal) && o.type is "Switch" or "Merge").Select(o => $"{o.name} ({o.type})"))}");
