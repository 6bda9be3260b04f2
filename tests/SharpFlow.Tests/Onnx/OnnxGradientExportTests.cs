using SharpFlow.GraphIO;
using SharpFlow.Onnx;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using static SharpFlow.Tests.Onnx.OnnxCheck;
using Tf = Tensorflow;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// The gradient ops of training graphs exported as their kernels' formulas: ReluGrad, Relu6Grad, LeakyReluGrad,
/// EluGrad, SeluGrad, SoftplusGrad, SoftsignGrad, SigmoidGrad, TanhGrad, RsqrtGrad and ReciprocalGrad in Where, Mul,
/// Div and the comparisons (the boundary values 0 and 6 and a NaN feature included), BiasAddGrad as ReduceSum (NHWC,
/// and NCHW from an imported graph). Each runs in ONNX Runtime against SharpFlow's own run, itself checked against
/// plain values, at opsets 13 and 17; the refusal names the op and the reason.
/// </summary>
public sealed class OnnxGradientExportTests
{
    private static Dictionary<string, Tensor> In(params Tensor[] xs) => xs.ToDictionary(x => x.op.name, x => x);

    private const double Scale = 1.0507009873554804934193349852946, ScaleAlpha = 1.7580993408473768599402175208123;

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void ElementwiseGradientsComputeAsTheKernels(int opset)
    {
        using var g = TestGraph.Enter();
        var a = tf.placeholder(tf.float32, new Shape(-1, 6), name: "a");
        var b = tf.placeholder(tf.float32, new Shape(-1, 6), name: "b");
        var wa = tf.placeholder(tf.float64, new Shape(-1, 6), name: "wa");
        var wb = tf.placeholder(tf.float64, new Shape(-1, 6), name: "wb");
        Tensor[] ys =
        [
            ReluGrad.Def.Apply(a, b), Relu6Grad.Def.Apply(a, b), LeakyReluGrad.Build(a, b, 0.3f), EluGrad.Def.Apply(a, b),
            SeluGrad.Def.Apply(a, b), SoftplusGrad.Def.Apply(a, b), SoftsignGrad.Def.Apply(a, b), SigmoidGrad.Def.Apply(a, b),
            TanhGrad.Def.Apply(a, b), RsqrtGrad.Def.Apply(a, b), ReciprocalGrad.Def.Apply(a, b),
            ReluGrad.Def.Apply(wa, wb), SeluGrad.Def.Apply(wa, wb), TanhGrad.Def.Apply(wa, wb), RsqrtGrad.Def.Apply(wa, wb),
        ];
        string[] types = ["ReluGrad", "Relu6Grad", "LeakyReluGrad", "EluGrad", "SeluGrad", "SoftplusGrad", "SoftsignGrad", "SigmoidGrad", "TanhGrad", "RsqrtGrad", "ReciprocalGrad"];
        Assert.Equal([.. types, "ReluGrad", "SeluGrad", "TanhGrad", "RsqrtGrad"], ys.Select(y => y.op.type));
        using var sess = tf.Session();
        // The second input holds the comparisons' edges (0, 6), values either side, and a NaN.
        var av = new[] { 1.5f, -2f, 0.5f, 3f, -0.25f, 2f, 0.75f, -1f, 4f, 1f, -3f, 0.125f };
        var bv = new[] { 0f, 6f, -0.5f, 5.99f, 7f, float.NaN, 0.3f, -1.2f, 1e-3f, 2.5f, -6f, 0.9f };
        var feed = new (string, NDArray)[]
        {
            ("a", NDArray.FromFlat(av, new Shape(2, 6))), ("b", NDArray.FromFlat(bv, new Shape(2, 6))),
            ("wa", F(3, 4, 6).Cast(DType.float64)), ("wb", Uniform(4, -7, 7, 4, 6).Cast(DType.float64)),
        };
        var ours = ExportAgrees(sess, In(a, b, wa, wb), ys, feed, opset, tolerance: 1e-6);
        Func<double, double, double>[] formulas =
        [
            (g, x) => x > 0 ? g : 0, (g, x) => x > 0 && x < 6 ? g : 0, (g, x) => x > 0 ? g : g * 0.3, (g, y) => y > 0 ? g : g * (y + 1),
            (g, y) => y > 0 ? g * Scale : g * (y + ScaleAlpha), (g, x) => g / (1 + System.Math.Exp(-x)),
            (g, x) => g / ((1 + System.Math.Abs(x)) * (1 + System.Math.Abs(x))), (y, dy) => dy * y * (1 - y), (y, dy) => dy * (1 - y * y),
            (y, dy) => -0.5 * y * y * y * dy, (y, dy) => -dy * y * y,
        ];
        for (var k = 0; k < formulas.Length; k++)
        {
            var expected = av.Zip(bv, (p, q) => (float)formulas[k](p, q)).ToArray();
            Same(NDArray.FromFlat(expected, new Shape(2, 6)), ours[k], types[k], 1e-6);
        }
        // ReluGrad and Relu6Grad give 0 at a NaN feature, as at 0 and 6.
        Assert.Equal(new[] { 0f, 0f, 0f, 3f, 0f, 0f }, ours[1].ToArray<float>()[..6]);
        Assert.Equal(0f, ours[0].ToArray<float>()[5]);
        var (wav, wbv) = (feed[2].Item2.ToArray<double>(), feed[3].Item2.ToArray<double>());
        Same(NDArray.FromFlat(wav.Zip(wbv, (p, q) => q > 0 ? p * Scale : p * (q + ScaleAlpha)).ToArray(), new Shape(4, 6)), ours[12], "SeluGrad float64", 1e-12);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void BiasAddGradSumsEveryAxisButTheChannels(int opset)
    {
        using var g = TestGraph.Enter();
        var image = tf.placeholder(tf.float32, new Shape(-1, 3, 2, 4), name: "image");
        var rows = tf.placeholder(tf.float64, new Shape(-1, 5), name: "rows");
        Tensor[] ys = [BiasAddGrad.Build(image), BiasAddGrad.Build(rows)];
        using var sess = tf.Session();
        var (x, r) = (F(5, 2, 3, 2, 4), F(6, 3, 5).Cast(DType.float64));
        var ours = ExportAgrees(sess, In(image, rows), ys, [("image", x), ("rows", r)], opset);
        var xv = x.ToArray<float>();
        Same(NDArray.FromFlat(Enumerable.Range(0, 4).Select(c => Enumerable.Range(0, 12).Sum(i => xv[i * 4 + c])).ToArray(), new Shape(4)), ours[0], "NHWC", 1e-6);
        var rv = r.ToArray<double>();
        Same(NDArray.FromFlat(Enumerable.Range(0, 5).Select(c => Enumerable.Range(0, 3).Sum(i => rv[i * 5 + c])).ToArray(), new Shape(5)), ours[1], "rank 2", 1e-12);
    }

    [Fact]
    public void BiasAddGradOfAnNchwGraphSumsAroundAxisOne()
    {
        // A graph TensorFlow wrote with data_format NCHW: the channels are axis 1, as TensorFlow's kernel reads them.
        var graphDef = TextFormat.Parse<Tf.GraphDef>("""
            node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "shape" value { shape { dim { size: -1 } dim { size: 3 } dim { size: -1 } dim { size: -1 } } } } }
            node { name: "grad" op: "BiasAddGrad" input: "x" attr { key: "T" value { type: DT_FLOAT } } attr { key: "data_format" value { s: "NCHW" } } }
            versions { producer: 134 min_consumer: 12 }
            """);
        using var g = TestGraph.Enter();
        tf.import_graph_def(graphDef, name: "");
        var graph = tf.get_default_graph();
        var (x, y) = (graph.get_tensor_by_name("x:0"), graph.get_tensor_by_name("grad:0"));
        using var sess = tf.Session();
        var model = OnnxModel.Export(sess, In(x), new Dictionary<string, Tensor> { ["y"] = y }, 13).ToByteArray();
        var v = F(8, 2, 3, 2, 5);
        var ort = RunOnnxRuntime(model, [("x", v)], ["y"]);
        var xv = v.ToArray<float>();
        var expected = Enumerable.Range(0, 3).Select(c => Enumerable.Range(0, 2).Sum(n => Enumerable.Range(0, 10).Sum(i => xv[(n * 3 + c) * 10 + i]))).ToArray();
        Same(NDArray.FromFlat(expected, new Shape(3)), ort[0], "NCHW", 1e-6);
        // SharpFlow's own kernel reads the channels at axis 1 too.
        Same(NDArray.FromFlat(expected, new Shape(3)), sess.run(y, new FeedDict { [x] = v }), "SharpFlow NCHW", 1e-5);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void BiasAddOfNchwAddsAlongAxisOne(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3, 2, 5), name: "x");
        var rows = tf.placeholder(tf.float32, new Shape(-1, 3), name: "rows");
        var bias = tf.constant(new[] { 10f, -20f, 30f });
        var y = tf.nn.bias_add(x, bias, data_format: "NCHW");
        var yRows = tf.nn.bias_add(rows, bias, data_format: "NCHW");
        using var sess = tf.Session();
        var model = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x, ["rows"] = rows },
            new Dictionary<string, Tensor> { ["y"] = y, ["y_rows"] = yRows }, opset).ToByteArray();
        var (v, r) = (F(9, 2, 3, 2, 5), F(10, 4, 3));
        var ort = RunOnnxRuntime(model, [("x", v), ("rows", r)], ["y", "y_rows"]);
        var (xv, rv, b) = (v.ToArray<float>(), r.ToArray<float>(), new[] { 10f, -20f, 30f });
        var expected = NDArray.FromFlat(xv.Select((e, i) => e + b[i / 10 % 3]).ToArray(), new Shape(2, 3, 2, 5));
        var expectedRows = NDArray.FromFlat(rv.Select((e, i) => e + b[i % 3]).ToArray(), new Shape(4, 3));
        var ours = sess.run([y, yRows], new FeedDict { [x] = v, [rows] = r });
        Same(expected, ours[0], "SharpFlow NCHW", 0);
        Same(expectedRows, ours[1], "SharpFlow rank 2", 0);
        Same(expected, ort[0], "ONNX Runtime NCHW", 1e-6);
        Same(expectedRows, ort[1], "ONNX Runtime rank 2", 1e-6);
    }

    [Fact]
    public void BiasAddGradOfUnknownRankIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, name: "x");
        var y = BiasAddGrad.Build(x, "bgrad");
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(x), new Dictionary<string, Tensor> { ["y"] = y }, 13));
        Assert.Equal("Cannot export BiasAddGrad \"bgrad\" to ONNX: the rank of its out_backprop is unknown.", e.RawMessage);
    }

    [Fact]
    public void NchwBiasAddOfUnknownRankIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, name: "x");
        var y = tf.nn.bias_add(x, tf.constant(new[] { 1f, 2f, 3f }), name: "nchw_bias", data_format: "NCHW");
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(x), new Dictionary<string, Tensor> { ["y"] = y }, 13));
        Assert.Equal("Cannot export BiasAdd \"nchw_bias\" to ONNX: data_format NCHW with a value of unknown rank.", e.RawMessage);
    }
}
