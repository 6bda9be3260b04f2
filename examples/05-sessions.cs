#:project ../src/SharpFlow/SharpFlow.csproj
// Seed §5: sessions release their resources when closed explicitly, or at the end of a using block.
using SharpFlow;
using static SharpFlow.Binding;

var a = tf.constant(new[] { 1, 2 }, name: "a");
var b = tf.constant(new[] { 2, 3 }, name: "b");
var add = a + b;

// Closed explicitly.
var sess = tf.Session();
var result = sess.run(new[] { add });
Console.WriteLine(result[0]);
sess.close();

// Released by a using block (Python's `with tf.Session() as ss`).
using (var ss = tf.Session())
{
    Console.WriteLine(ss.run(add));
}

// A closed session cannot run anything.
try
{
    sess.run(add);
}
catch (FailedPreconditionError e)
{
    Console.WriteLine($"FailedPreconditionError: {e.Message}");
}
