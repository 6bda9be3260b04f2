using SharpFlow.Onnx;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// ResizeBilinearGrad and ResizeNearestNeighborGrad from tf.gradients of tf.image.resize_bilinear and
/// resize_nearest_neighbor exported to ONNX (MatMuls by the resize's row and column matrices): up and down, with
/// align_corners and half_pixel_centers, float32 and float64 images. Each runs in ONNX Runtime against SharpFlow's
/// own run at opsets 13 and 17, and against the adjoint's defining sum: ⟨resize(x), dy⟩ = ⟨x, grad(dy)⟩.
/// </summary>
public sealed class OnnxResizeGradientExportTests
{
    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void ResizeGradientsAreTheResizesAdjoints(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 5, 7, 2), name: "x");
        var wide = tf.placeholder(tf.float64, new Shape(-1, 4, 3, 2), name: "wide");
        var inputs = new Dictionary<string, Tensor> { ["x"] = x, ["wide"] = wide };
        var (xv, wv) = (F(1, 2, 5, 7, 2), F(2, 2, 4, 3, 2).Cast(DType.float64));
        var feed = new List<(string, NDArray)> { ("x", xv), ("wide", wv) };
        var outputs = new List<Tensor>();
        var resizes = new List<(Tensor Resized, Tensor Image)>();
        var k = 0;
        foreach (var (image, size) in new[] { (x, new[] { 8, 4 }), (x, new[] { 3, 10 }), (wide, new[] { 6, 5 }) })
            foreach (var (align, half) in new[] { (false, false), (true, false), (false, true) })
                foreach (var bilinear in new[] { true, false })
                {
                    var resized = bilinear ? tf.image.resize_bilinear(image, size, align_corners: align, half_pixel_centers: half)
                        : tf.image.resize_nearest_neighbor(image, size, align_corners: align, half_pixel_centers: half);
                    var dy = tf.placeholder(resized.dtype, resized.shape, name: $"dy_{k}");
                    var dx = tf.gradients(resized, image, grad_ys: dy)[0]!;
                    Assert.Equal(bilinear ? "ResizeBilinearGrad" : "ResizeNearestNeighborGrad", dx.op.type);
                    inputs[dy.op.name] = dy;
                    feed.Add((dy.op.name, F(10 + k, [2, size[0], size[1], 2]).Cast(resized.dtype)));
                    outputs.Add(dx);
                    resizes.Add((resized, image));
                    k++;
                }
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, inputs, [.. outputs], [.. feed], opset, tolerance: 1e-5);
        var forward = sess.run([.. resizes.Select(r => r.Resized)], new FeedDict { [x] = xv, [wide] = wv });
        for (var i = 0; i < outputs.Count; i++)
        {
            var image = (ReferenceEquals(resizes[i].Image, x) ? xv : wv).Cast(DType.float64).ToArray<double>();
            var dyv = feed[2 + i].Item2.Cast(DType.float64).ToArray<double>();
            var lhs = forward[i].Cast(DType.float64).ToArray<double>().Zip(dyv, (a, b) => a * b).Sum();
            var rhs = image.Zip(ours[i].Cast(DType.float64).ToArray<double>(), (a, b) => a * b).Sum();
            Assert.True(System.Math.Abs(lhs - rhs) < 1e-4, $"{outputs[i].op.type} {i}: <resize(x), dy> = {lhs}, <x, grad> = {rhs}");
        }
    }

    [Fact]
    public void ResizeBilinearGradOfUnknownSizesIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, -1, -1, 2), name: "x");
        var dy = tf.placeholder(tf.float32, new Shape(-1, 4, 4, 2), name: "dy");
        var dx = tf.gradients(tf.image.resize_bilinear(x, new[] { 4, 4 }), x, grad_ys: dy)[0]!;
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x, ["dy"] = dy }, new Dictionary<string, Tensor> { ["y"] = dx }, 13));
        Assert.Equal($"Cannot export ResizeBilinearGrad \"{dx.op.name}\" to ONNX: the spatial sizes of its original_image are unknown ((?, ?, ?, 2)); its matrices need them.", e.RawMessage);
    }
}
