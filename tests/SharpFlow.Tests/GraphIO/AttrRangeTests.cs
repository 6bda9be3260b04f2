using Tf = Tensorflow;

namespace SharpFlow.Tests.GraphIO;

/// <summary>
/// An integer attribute SharpFlow stores as int32 (strides, explicit_paddings) that holds a larger int64 is a
/// ValueError naming the node and the attribute, not an OverflowException (found by the graphdef-text fuzz target).
/// </summary>
public class AttrRangeTests
{
    private static Tf.GraphDef ConvWithStrides(Tf.AttrValue strides)
    {
        Tf.GraphDef def;
        using (var g = TestGraph.Enter())
        {
            var x = tf.placeholder(tf.float32, new Shape(1, 4, 4, 1), name: "x");
            tf.nn.conv2d(x, tf.constant(new float[1, 1, 1, 1]), [1, 1, 1, 1], "VALID", name: "conv");
            def = g.Graph.as_graph_def();
        }
        def.Node.Single(n => n.Name == "conv").Attr["strides"] = strides;
        return def;
    }

    [Fact]
    public void AListOfInt32AttrsBeyondInt32IsAValueErrorNamingTheNode()
    {
        var list = new Tf.AttrValue.Types.ListValue();
        list.I.AddRange([1, -8595092322268, 1, 1]);
        using var g = TestGraph.Enter();
        var e = Assert.Throws<ValueError>(() => tf.import_graph_def(ConvWithStrides(new Tf.AttrValue { List = list }), name: ""));
        Assert.Contains("Node 'conv' (Conv2D), attr 'strides': -8595092322268 is out of the int32 range", e.Message, StringComparison.Ordinal);
    }
}
