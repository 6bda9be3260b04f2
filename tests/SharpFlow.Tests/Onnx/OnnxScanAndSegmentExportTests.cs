using SharpFlow.Onnx;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// Opset 18's forms of the reductions and Split, run in ONNX Runtime against SharpFlow's own run.
/// </summary>
public sealed class OnnxScanAndSegmentExportTests
{
    private static Dictionary<string, Tensor> In(params Tensor[] xs) => xs.ToDictionary(x => x.op.name, x => x);

    private static NDArray Floats(float[] values, params int[] shape) => NDArray.FromFlat(values, new Shape(shape));

    private static NDArray Ints(int[] values, params int[] shape) => NDArray.FromFlat(values, new Shape(shape));

    [Fact]
    public void Opset18TakesTheReductionsAxesAsAnInputAndSplitsByCount()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, -1, 4), name: "x");
        var b = tf.placeholder(tf.@bool, new Shape(-1, 2), name: "b");
        Tensor[] ys =
        [
            tf.reduce_max(x, 1), tf.reduce_min(x, new[] { 0, 2 }, keepdims: true), tf.reduce_mean(x, -1), tf.reduce_prod(x, 2),
            tf.reduce_sum(x, 1), tf.reduce_all(b, 1), tf.reduce_any(b, 0, keepdims: true),
        ];
        Assert.Equal(new[] { "Max", "Min", "Mean", "Prod", "Sum", "All", "Any" }, ys.Select(y => y.op.type));
        var halves = tf.split(x, 2, axis: 1);
        using var sess = tf.Session();
        var flags = NDArray.FromFlat(new[] { true, false, true, true, false, false }, new Shape(3, 2));
        var ours = ExportAgrees(sess, In(x, b), ys, [("x", F(7, 2, 4, 4)), ("b", flags)], 18);
        Assert.Equal(new[] { false, true, false }, ours[5].ToArray<bool>());
        Assert.Equal(new[] { true, true }, ours[6].ToArray<bool>());
        // An even split of an axis of unknown size (num_outputs): the importer refuses it, ONNX Runtime runs it.
        ours = ExportAgrees(sess, In(x), halves, [("x", F(7, 2, 4, 4))], 18, reimport: false);
        Assert.Equal(new Shape(2, 2, 4), ours[1].shape);
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(x), new Dictionary<string, Tensor> { ["y"] = ys[0] }, 19));
        Assert.Equal("SharpFlow.Onnx exports at opsets 13 to 18, not opset 19.", e.RawMessage);
    }
}
