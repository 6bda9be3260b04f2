#:project ../src/SharpFlow/SharpFlow.csproj
// Seed §11: a placeholder reserves a place in the graph; its value is given when the graph runs.
using SharpFlow;
using static SharpFlow.Binding;

var x = tf.placeholder(tf.float32, shape: new[] { -1, 2 }, name: "input");
var w = tf.Variable(tf.constant(new[,] { { 1.0, 2.0, 3.0 }, { 4.0, 5.0, 6.0 } }), name: "w");
var y = tf.matmul(x, w);
Console.WriteLine(x);
Console.WriteLine(y);

using var sess = tf.Session();
sess.run(tf.global_variables_initializer());
Console.WriteLine(sess.run(y, new FeedDict { [x] = new[,] { { 0.7f, 0.9f } } }));
Console.WriteLine(sess.run(y, new FeedDict { [x] = new[,] { { 0.1f, 0.4f }, { 0.5f, 0.8f }, { 1.0f, 0.0f } } }));

try
{
    sess.run(y);
}
catch (InvalidArgumentError e)
{
    Console.WriteLine($"InvalidArgumentError: {e.RawMessage}");
}
try
{
    sess.run(y, new FeedDict { [x] = new[] { 1f, 2f, 3f } });
}
catch (InvalidArgumentError e)
{
    Console.WriteLine($"InvalidArgumentError: {e.RawMessage}");
}
