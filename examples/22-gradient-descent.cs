#:project ../src/SharpFlow/SharpFlow.csproj
// Seed §22: gradient descent on J(x) = x² from x0 = 5 with learning rate 0.3.
// Each step is x -= 0.3 * 2x = 0.4x, so x goes 5, 2, 0.8, 0.32, 0.128, ...
using static SharpFlow.Binding;

var x = tf.Variable(5.0, name: "x");
var J = tf.square(x, name: "J");
var train = tf.train.GradientDescentOptimizer(0.3).minimize(J);

// The gradient is an op of the graph: dJ/dx = 2x.
var dx = tf.gradients(J, x)[0]!;

using var sess = tf.Session();
sess.run(tf.global_variables_initializer());
Console.WriteLine($"dJ/dx at x0: {sess.run(dx)}");
for (var step = 0; step <= 5; step++)
{
    Console.WriteLine($"step {step}: x = {sess.run(x)}");
    sess.run(train);
}
