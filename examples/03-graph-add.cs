#:project ../src/SharpFlow/SharpFlow.csproj
// Seed §3: a graph that adds two constants; printing the symbolic tensor, then its value.
using static SharpFlow.Binding;

var a = tf.constant(new[] { 1, 2 }, name: "a");
var b = tf.constant(new[] { 2, 3 }, name: "b");
var result = a + b;
Console.WriteLine(result);

using (var sess = tf.Session())
    Console.WriteLine(sess.run(result));
