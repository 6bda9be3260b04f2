#:project ../src/SharpFlow/SharpFlow.csproj
// Seed §25: tf.train.exponential_decay. The rate is lr * decay_rate^(global_step / decay_steps); with
// staircase=True the exponent is floored, so the rate drops in steps. The other schedules are shown beside it.
using SharpFlow;
using static SharpFlow.Binding;

var global_step = tf.Variable(0, trainable: false, name: "global_step");
var smooth = tf.train.exponential_decay(0.1, global_step, 100, 0.96);
var stairs = tf.train.exponential_decay(0.1, global_step, 100, 0.96, staircase: true);
var polynomial = tf.train.polynomial_decay(0.1, global_step, 300, end_learning_rate: 0.01);
var natural = tf.train.natural_exp_decay(0.1, global_step, 100, 0.5);
var inverse = tf.train.inverse_time_decay(0.1, global_step, 100, 0.5);
var piecewise = tf.train.piecewise_constant(global_step, [100, 200], [0.1, 0.05, 0.01]);

using var sess = tf.Session();
sess.run(tf.global_variables_initializer());
Console.WriteLine("step  exponential  staircase  polynomial  natural_exp  inverse_time  piecewise");
foreach (var step in new[] { 0, 50, 100, 150, 200, 250, 300, 400 })
{
    sess.run(global_step.assign(step));
    var (a, b, c) = sess.run((smooth, stairs, polynomial));
    var (d, e, f) = sess.run((natural, inverse, piecewise));
    Console.WriteLine($"{step,4}  {(float)a,11:F6}  {(float)b,9:F6}  {(float)c,10:F6}  {(float)d,11:F6}  {(float)e,12:F6}  {(float)f,9:F6}");
}

// In training the optimizer reads the decayed rate and minimize() advances the global step.
var w = tf.Variable(5.0f, name: "w");
var step_var = tf.train.get_or_create_global_step();
var lr = tf.train.exponential_decay(0.1, step_var, 1, 0.5, staircase: true);
var train = tf.train.GradientDescentOptimizer(lr).minimize(tf.square(w), global_step: step_var);
sess.run(tf.global_variables_initializer());
for (var i = 0; i < 4; i++)
{
    var rate = (float)sess.run(lr);
    sess.run(train);
    Console.WriteLine($"step {i}: learning rate {rate}, w = {(float)sess.run(w)}");
}
