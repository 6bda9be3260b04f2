using Tf = Tensorflow;

namespace SharpFlow.Tests.Framework;

/// <summary>
/// tf.uint16 (DT_UINT16 = 17), added for 16-bit PNG images: its name, size and kind, values in NDArrays, casts, the
/// element-wise kernels convert_image_dtype uses, and GraphDef round trips of its constants.
/// </summary>
public class UInt16DTypeTests
{
    [Fact]
    public void NamesSizesAndKindsMatchTensorFlow()
    {
        Assert.Equal("uint16", tf.uint16.name);
        Assert.Equal(2, tf.uint16.size);
        Assert.Equal(17, (int)tf.uint16.Id);
        Assert.True(tf.uint16.is_integer);
        Assert.False(tf.uint16.is_floating);
        Assert.Equal(typeof(ushort), tf.uint16.ClrType);
        Assert.Equal(tf.uint16, DType.Of<ushort>());
        Assert.Equal(tf.uint16, DType.Parse("uint16"));
        Assert.Contains(tf.uint16, DType.All);
        Assert.Equal("<dtype: 'uint16'>", tf.uint16.Repr);
    }

    [Fact]
    public void ValuesPrintCastAndComputeAsIntegers()
    {
        using var g = TestGraph.Enter();
        var a = NDArray.FromFlat(new ushort[] { 0, 1, 65535 }, new Shape(3));
        Assert.Equal("[    0     1 65535]", a.ToString());
        var x = tf.constant(a);
        Assert.Equal(tf.uint16, x.dtype);
        Assert.Equal(new[] { 0, 1, 65535 }, g.Eval(tf.cast(x, tf.int32)).ToArray<int>());
        // Floats truncate, and out-of-range ones saturate (SharpFlow defines what C++ leaves undefined).
        Assert.Equal(new ushort[] { 2, 3, 65535, 0 }, g.Eval(tf.cast(tf.constant(new[] { 2.9f, 3f, 65537f, -4f }), tf.uint16)).ToArray<ushort>());
        Assert.Equal(new ushort[] { 0, 2, 65534 }, g.Eval(x * tf.constant((ushort)2)).ToArray<ushort>()); // wraps, as C++
        Assert.Equal(new ushort[] { 0, 0, 255 }, g.Eval(tf.floordiv(x, tf.constant((ushort)257))).ToArray<ushort>());
        Assert.Equal(new[] { false, false, true }, g.Eval(tf.greater(x, tf.constant((ushort)1))).ToArray<bool>());
        Assert.Throws<ValueError>(() => tf.constant(70000, tf.uint16));
    }

    [Fact]
    public void ConstantsRoundTripThroughAGraphDef()
    {
        Tf.GraphDef def;
        using (var g = TestGraph.Enter())
        {
            tf.constant(NDArray.FromFlat(new ushort[] { 7, 65535 }, new Shape(2)), name: "many");
            tf.constant((ushort)300, name: "one");
            def = g.Graph.as_graph_def();
            Assert.Equal(Tf.DataType.DtUint16, def.Node.Single(n => n.Name == "many").Attr["dtype"].Type);
        }
        using (var g = TestGraph.Enter())
        {
            var r = tf.import_graph_def(def, return_elements: ["many:0", "one:0"], name: "")!;
            Assert.Equal(new ushort[] { 7, 65535 }, g.Eval((Tensor)r[0]).ToArray<ushort>());
            Assert.Equal(new ushort[] { 300 }, g.Eval((Tensor)r[1]).ToArray<ushort>());
        }
    }
}
