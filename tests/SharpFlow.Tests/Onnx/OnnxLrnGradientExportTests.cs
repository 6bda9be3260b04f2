using SharpFlow.Onnx;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// LRNGrad from tf.gradients of tf.nn.lrn exported to ONNX (windowed depth sums by Pad and shifted Slices): depth
/// radii below, near and above the depth, TensorFlow's default and other bias, alpha and beta. It runs in ONNX
/// Runtime against SharpFlow's own run at opsets 13 and 17, and against the kernel's formula in plain arithmetic.
/// </summary>
public sealed class OnnxLrnGradientExportTests
{
    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void LrnGradComputesAsTheKernel(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3, 2, 7), name: "x");
        (int Radius, double Bias, double Alpha, double Beta)[] cases = [(2, 1.5, 0.3, 0.75), (5, 1, 1, 0.5), (0, 2, 0.5, 1), (9, 0.5, 0.1, 0.25)];
        var inputs = new Dictionary<string, Tensor> { ["x"] = x };
        var xv = F(1, 2, 3, 2, 7);
        var feed = new List<(string, NDArray)> { ("x", xv) };
        var outputs = new List<Tensor>();
        for (var k = 0; k < cases.Length; k++)
        {
            var (r, bias, alpha, beta) = cases[k];
            var y = tf.nn.lrn(x, r, bias, alpha, beta);
            var dy = tf.placeholder(tf.float32, y.shape, name: $"dy_{k}");
            var dx = tf.gradients(y, x, grad_ys: dy)[0]!;
            Assert.Equal("LRNGrad", dx.op.type);
            inputs[dy.op.name] = dy;
            feed.Add((dy.op.name, F(10 + k, 2, 3, 2, 7)));
            outputs.Add(dx);
        }
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, inputs, [.. outputs], [.. feed], opset, tolerance: 1e-5);
        var xs = xv.ToArray<float>();
        for (var k = 0; k < cases.Length; k++)
        {
            var (r, bias, alpha, beta) = cases[k];
            var ds = feed[1 + k].Item2.ToArray<float>();
            var expected = new float[xs.Length];
            for (var row = 0; row < xs.Length / 7; row++)
            {
                double Norm(int d) => bias + alpha * Enumerable.Range(System.Math.Max(0, d - r), System.Math.Min(7, d + r + 1) - System.Math.Max(0, d - r)).Sum(j => (double)xs[row * 7 + j] * xs[row * 7 + j]);
                for (var d = 0; d < 7; d++)
                {
                    var value = ds[row * 7 + d] * System.Math.Pow(Norm(d), -beta);
                    for (var j = System.Math.Max(0, d - r); j < System.Math.Min(7, d + r + 1); j++)
                    {
                        var yj = xs[row * 7 + j] / System.Math.Pow(Norm(j), beta);
                        value -= 2 * alpha * beta * xs[row * 7 + d] * ds[row * 7 + j] * yj / Norm(j);
                    }
                    expected[row * 7 + d] = (float)value;
                }
            }
            Same(NDArray.FromFlat(expected, new Shape(2, 3, 2, 7)), ours[k], $"LRNGrad {cases[k]}", 1e-4);
        }
    }
}
