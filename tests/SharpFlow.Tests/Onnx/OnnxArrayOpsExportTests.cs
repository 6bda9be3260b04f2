using SharpFlow.Onnx;
using SharpFlow.Ops.MathOps;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// Split, SplitV, Unpack, BatchMatMul/BatchMatMulV2, NotEqual, FloorDiv, FloorMod, ZerosLike, OnesLike, Size and Rank
/// exported to ONNX: each graph runs in ONNX Runtime and, re-imported, in SharpFlow with SharpFlow's own values, at
/// opsets 13 and 17; the integer and floating forms of the floor ops keep TensorFlow's signs; what cannot be exported
/// is refused naming the op and the reason.
/// </summary>
public sealed class OnnxArrayOpsExportTests
{
    /// <summary>Exports the outputs, runs them in ONNX Runtime and re-imported, each compared with SharpFlow's run.</summary>
    private static NDArray[] Agrees(Session sess, Dictionary<string, Tensor> inputs, Tensor[] outputs, (string Name, NDArray Value)[] feed, int opset, double tolerance = 1e-6)
    {
        var named = outputs.Select((t, i) => (Name: $"y{i}", t)).ToDictionary(p => p.Name, p => p.t);
        var exported = OnnxModel.Export(sess, inputs, named, opset);
        Assert.Equal(opset, exported.Opset);
        var dict = new FeedDict();
        foreach (var (name, value) in feed) dict[inputs[name]] = value;
        var ours = sess.run(outputs, dict);
        var bytes = exported.ToByteArray();
        var names = named.Keys.ToArray();
        var ort = RunOnnxRuntime(bytes, feed, names);
        var back = RunSharpFlow(bytes, feed, names);
        for (var i = 0; i < ours.Length; i++)
        {
            Same(ours[i], ort[i], $"ONNX Runtime, {outputs[i].op.type} {outputs[i].name} (opset {opset})", tolerance);
            Same(ours[i], back[i], $"re-imported, {outputs[i].op.type} {outputs[i].name} (opset {opset})", tolerance);
        }
        return ours;
    }

    private static Dictionary<string, Tensor> In(Tensor x) => new() { ["x"] = x };

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void SplitAndSplitVGiveEveryPiece(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 6, 5), name: "x");
        var equal = tf.split(x, 3, axis: 1);
        var sized = tf.split(x, new[] { 1, -1, 2 }, axis: -1);
        Assert.Equal("Split", equal[0].op.type);
        Assert.Equal("SplitV", sized[0].op.type);
        using var sess = tf.Session();
        var ours = Agrees(sess, In(x), [.. equal, .. sized], [("x", F(1, 2, 6, 5))], opset);
        Assert.Equal(new[] { 2, 2, 5 }, ours[0].shape.Dims);
        Assert.Equal(new[] { 2, 6, 2 }, ours[4].shape.Dims); // the -1 takes the rest: 5 - 1 - 2
    }

    [Theory]
    [InlineData(13, 1)]
    [InlineData(17, -1)]
    [InlineData(13, 0)]
    public void UnpackGivesEverySliceWithoutTheAxis(int opset, int axis)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.int32, new Shape(3, 4, 2), name: "x");
        var parts = tf.unstack(x, axis: axis);
        Assert.Equal("Unpack", parts[0].op.type);
        using var sess = tf.Session();
        var value = NDArray.FromFlat(Enumerable.Range(0, 24).ToArray(), new Shape(3, 4, 2));
        var ours = Agrees(sess, In(x), parts, [("x", value)], opset);
        Assert.Equal(axis switch { 0 => 3, 1 => 4, _ => 2 }, ours.Length);
        if (axis == -1) Assert.Equal(new[] { 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23 }, ours[1].ToArray<int>());
    }

    [Theory]
    [InlineData(13, false, false)]
    [InlineData(13, true, false)]
    [InlineData(17, false, true)]
    [InlineData(17, true, true)]
    public void BatchMatMulIsMatMulWithItsAdjointsTransposed(int opset, bool adjX, bool adjY)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, adjX ? new Shape(-1, 1, 4, 3) : new Shape(-1, 1, 3, 4), name: "x");
        var w = tf.constant(F(2, adjY ? new[] { 3, 5, 4 } : new[] { 3, 4, 5 }));
        var v2 = tf.matmul(x, w, adjoint_a: adjX, adjoint_b: adjY); // the batch dimensions broadcast: [2, 3]
        Assert.Equal("BatchMatMulV2", v2.op.type);
        var a = tf.placeholder(tf.float64, adjX ? new Shape(2, 4, 3) : new Shape(2, 3, 4), name: "a");
        var v1 = BatchMatMul.Build(a, tf.constant(Uniform(3, -1, 1, adjY ? new[] { 2, 3, 4 } : new[] { 2, 4, 3 }).Cast(DType.float64)), adjX, adjY);
        Assert.Equal("BatchMatMul", v1.op.type);
        using var sess = tf.Session();
        var ours = Agrees(sess, new() { ["x"] = x, ["a"] = a }, [v2, v1],
            [("x", F(4, adjX ? new[] { 2, 1, 4, 3 } : new[] { 2, 1, 3, 4 })), ("a", Uniform(5, -1, 1, adjX ? new[] { 2, 4, 3 } : new[] { 2, 3, 4 }).Cast(DType.float64))], opset, 1e-5);
        Assert.Equal(new[] { 2, 3, 3, 5 }, ours[0].shape.Dims);
        Assert.Equal(new[] { 2, 3, 3 }, ours[1].shape.Dims);
    }

    [Theory]
    [InlineData(13, "float32")]
    [InlineData(17, "float32")]
    [InlineData(13, "float64")]
    [InlineData(13, "int32")]
    [InlineData(17, "int64")]
    public void FloorDivFloorModAndNotEqualKeepTensorFlowsSigns(int opset, string type)
    {
        var dtype = DType.Parse(type);
        using var g = TestGraph.Enter();
        var x = tf.placeholder(dtype, new Shape(-1), name: "x");
        var y = tf.placeholder(dtype, new Shape(-1), name: "y");
        var outputs = new[] { tf.floordiv(x, y), tf.floormod(x, y), tf.not_equal(x, y) };
        Assert.Equal(new[] { "FloorDiv", "FloorMod", "NotEqual" }, outputs.Select(t => t.op.type));
        // Every sign pair, exact multiples, and a zero dividend.
        double[] xs = [7, -7, 7, -7, 6, -6, 0, 5, 3], ys = [2, 2, -2, -2, 3, 3, 4, 5, -4];
        using var sess = tf.Session();
        var ours = Agrees(sess, new() { ["x"] = x, ["y"] = y },
            outputs, [("x", NDArray.FromFlat(xs, new Shape(xs.Length)).Cast(dtype)), ("y", NDArray.FromFlat(ys, new Shape(ys.Length)).Cast(dtype))], opset);
        // Python's // and %: the quotient rounds down, the remainder takes the divisor's sign.
        Assert.Equal(new double[] { 3, -4, -4, 3, 2, -2, 0, 1, -1 }, ours[0].Cast(DType.float64).ToArray<double>());
        Assert.Equal(new double[] { 1, 1, -1, -1, 0, 0, 0, 0, -1 }, ours[1].Cast(DType.float64).ToArray<double>());
        Assert.Equal(new[] { true, true, true, true, true, true, true, false, true }, ours[2].ToArray<bool>());
    }

    [Fact]
    public void FloatingFloorModOfFractionsIsTensorFlows()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3), name: "x");
        var divisor = tf.constant(NDArray.FromFlat(new[] { 0.75f, -1.5f, 2.25f }, new Shape(3)));
        using var sess = tf.Session();
        foreach (var opset in new[] { 13, 17 })
            Agrees(sess, In(x), [tf.floormod(x, divisor), tf.floordiv(x, divisor)], [("x", Uniform(6, -5, 5, 4, 3))], opset);
    }

    [Theory]
    [InlineData(13, "float32")]
    [InlineData(17, "int32")]
    [InlineData(13, "bool")]
    [InlineData(17, "float64")]
    public void ZerosLikeAndOnesLikeTakeTheInputsShapeAndDType(int opset, string type)
    {
        var dtype = DType.Parse(type);
        using var g = TestGraph.Enter();
        var x = tf.placeholder(dtype, new Shape(-1, 3), name: "x");
        var zeros = tf.zeros_like(x);
        var ones = tf.ones_like(x);
        Assert.Equal("ZerosLike", zeros.op.type);
        Assert.Equal("OnesLike", ones.op.type);
        using var sess = tf.Session();
        var value = Uniform(7, -3, 3, 2, 3).Cast(dtype);
        var ours = Agrees(sess, In(x), [zeros, ones], [("x", value)], opset);
        Assert.Equal(dtype, ours[1].dtype);
        Assert.Equal(dtype, ours[0].dtype);
        Assert.Equal(new[] { 2, 3 }, ours[1].shape.Dims);
        Assert.All(ours[0].Cast(DType.float64).ToArray<double>(), v => Assert.Equal(0.0, v));
        Assert.All(ours[1].Cast(DType.float64).ToArray<double>(), v => Assert.Equal(1.0, v));
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void SizeAndRankCountTheFedValue(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4, 3), name: "x");
        var size32 = tf.size(x);
        var size64 = tf.size(x, out_type: tf.int64);
        var rank = tf.rank(x);
        Assert.Equal(new[] { "Size", "Size", "Rank" }, new[] { size32, size64, rank }.Select(t => t.op.type));
        using var sess = tf.Session();
        var ours = Agrees(sess, In(x), [size32, size64, rank], [("x", F(8, 5, 4, 3))], opset);
        Assert.Equal(60, ours[0].ToArray<int>()[0]);
        Assert.Equal(60L, ours[1].ToArray<long>()[0]);
        Assert.Equal(3, ours[2].ToArray<int>()[0]);
    }

    [Fact]
    public void ASplitVWhoseRestIsUnknownIsRefusedNamingIt()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4), name: "x");
        var parts = tf.split(x, new[] { 1, -1 }, axis: 0, name: "halves");
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(x), new Dictionary<string, Tensor> { ["y"] = parts[0] }));
        Assert.Contains("SplitV \"halves\"", e.Message);
        Assert.Contains("size_splits has a -1 and dimension 0", e.Message);
        Assert.Contains("unknown", e.Message);
    }

    [Fact]
    public void AnAdjointOfUnknownRankIsRefusedNamingIt()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, Shape.Unknown, name: "x");
        var product = BatchMatMulV2.Build(x, tf.constant(F(9, 2, 3, 3)), adjX: true, name: "bmm");
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(x), new Dictionary<string, Tensor> { ["y"] = product }));
        Assert.Contains("BatchMatMulV2 \"bmm\"", e.Message);
        Assert.Contains("adj_x of an input of unknown rank", e.Message);
    }
}
