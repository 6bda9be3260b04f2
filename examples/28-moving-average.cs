#:project ../src/SharpFlow/SharpFlow.csproj
// Seed §28: tf.train.ExponentialMovingAverage. The shadow variable follows v1 with decay
// min(0.99, (1 + step) / (10 + step)): early on it moves fast, later slowly.
using SharpFlow;
using static SharpFlow.Binding;

var v1 = tf.Variable(0, dtype: tf.float32, name: "v1");
var step = tf.Variable(0, trainable: false, name: "step");
var ema = tf.train.ExponentialMovingAverage(0.99, step);
var maintain_averages_op = ema.apply([v1]);

using var sess = tf.Session();
sess.run(tf.global_variables_initializer());
Console.WriteLine($"shadow variable: {ema.average(v1)!.name}");
Console.WriteLine($"[v1, average] = [{sess.run(v1)}, {sess.run(ema.average(v1)!)}]");

// v1 becomes 5; step 0 gives decay min(0.99, 1/10) = 0.1, so the average jumps to 0.1*0 + 0.9*5 = 4.5.
sess.run(tf.assign(v1, 5.0f));
sess.run(maintain_averages_op);
Console.WriteLine($"[v1, average] = [{sess.run(v1)}, {sess.run(ema.average(v1)!)}]");

// step 10000 gives decay 0.99: 0.99*4.5 + 0.01*10 = 4.555, then 4.60945.
sess.run(tf.assign(step, 10000));
sess.run(tf.assign(v1, 10.0f));
sess.run(maintain_averages_op);
Console.WriteLine($"[v1, average] = [{sess.run(v1)}, {sess.run(ema.average(v1)!)}]");
sess.run(maintain_averages_op);
Console.WriteLine($"[v1, average] = [{sess.run(v1)}, {sess.run(ema.average(v1)!)}]");
Console.WriteLine($"variables_to_restore: {string.Join(", ", ema.variables_to_restore().Select(kv => $"{kv.Key} -> {kv.Value.op.name}").Order())}");
