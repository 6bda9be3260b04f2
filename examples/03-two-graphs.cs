#:project ../src/SharpFlow/SharpFlow.csproj
// Seed §3: two graphs; tensors and operations of one graph are not shared with the other.
using SharpFlow;
using static SharpFlow.Binding;

var g1 = tf.Graph();
Tensor add1;
using (g1.as_default())
{
    var a = tf.constant(new[] { 1, 2 }, name: "a");
    var b = tf.constant(new[] { 2, 3 }, name: "b");
    add1 = tf.add(a, b, name: "add");
}

var g2 = tf.Graph();
Tensor add;
using (g2.as_default())
{
    var a = tf.constant(new[] { 2, 2 }, name: "a");
    var b = tf.constant(new[] { 3, 3 }, name: "b");
    add = tf.add(a, b, name: "add");
}

using (var ss = tf.Session(graph: g1))
{
    var result = ss.run(new[] { add1 });
    Console.WriteLine(result[0]);
}
using (var ss = tf.Session(graph: g2))
{
    var result = ss.run(new[] { add });
    Console.WriteLine(result[0]);
}

// Mixing the graphs is an error, at graph-building time and at run time.
try
{
    tf.add(add1, add);
}
catch (ValueError e)
{
    Console.WriteLine($"ValueError: {e.Message}");
}
using (var ss = tf.Session(graph: g1))
{
    try { ss.run(add); }
    catch (ValueError e) { Console.WriteLine($"ValueError: {e.Message}"); }
}
