using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Tests.Framework;

/// <summary>
/// An op defined outside SharpFlow's op folders, with only what the public API offers (<see cref="OpDef"/>,
/// <see cref="OpBuilder"/>, <see cref="OpKernel"/>, <see cref="InferenceContext"/>): its shape rule, kernel and
/// gradient, checked like SharpFlow's own ops, and its registration for the importers.
/// </summary>
public class CustomOpTests
{
    /// <summary>Cube: x³, elementwise, float32 or float64; gradient 3x²·dy, built from ordinary ops.</summary>
    private sealed class Cube : OpDef
    {
        public static readonly Cube Def = new();

        public override string Type => "SharpFlowTestCube";

        public override void InferShapes(InferenceContext ctx)
        {
            if (ctx.InputDType(0) != DType.float32 && ctx.InputDType(0) != DType.float64)
                throw ctx.TypeError($"x must be float32 or float64, got {ctx.InputDType(0).name}");
            ctx.AddOutput(ctx.InputDType(0), ctx.InputShape(0));
        }

        public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
        {
            var x = ctx.Input(0);
            var y = ctx.AllocateUninitializedOutput(0, x.dtype, x.shape);
            if (x.dtype == DType.float32)
            {
                var s = x.AsReadOnlySpan<float>();
                var d = y.AsSpan<float>();
                for (var i = 0; i < s.Length; i++) d[i] = s[i] * s[i] * s[i];
            }
            else
            {
                var s = x.AsReadOnlySpan<double>();
                var d = y.AsSpan<double>();
                for (var i = 0; i < s.Length; i++) d[i] = s[i] * s[i] * s[i];
            }
        });

        public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
            [grads[0]! * 3.0 * tf.square(op.inputs[0])];

        public static Tensor Build(TensorLike x, string? name = null)
        {
            using var b = OpBuilder.Begin(name, "Cube", x);
            var input = b.Convert(x, "x");
            return b.Create(Def, [input], new() { ["T"] = input.dtype }).outputs[0];
        }
    }

    [Fact]
    public void ACustomOpRunsInfersItsShapeAndRefusesABadDType()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, shape: new[] { -1, 2 });
        var y = Cube.Build(x, name: "cube");
        Assert.Equal("cube", y.op.name);
        Assert.Equal(new Shape(-1, 2), y.shape);
        var result = g.Eval(y, new FeedDict { [x] = new[,] { { 1f, -2f }, { 0.5f, 3f } } });
        Assert.Equal(new[] { 1f, -8f, 0.125f, 27f }, result.ToArray<float>());
        var e = Assert.Throws<TypeError>(() => Cube.Build(tf.constant(new[] { 1, 2 }), name: "ints"));
        Assert.Equal("SharpFlowTestCube \"ints\": x must be float32 or float64, got int32", e.Message);
    }

    [Fact]
    public void ACustomOpsGradientMatchesCentralDifferences()
    {
        var x = NDArray.FromFlat(new[] { 0.3, -1.2, 2.0, 0.7, -0.4, 1.5 }, new Shape(2, 3));
        Assert.InRange(GradientChecker.MaxError(v => Cube.Build(v[0]), [x]), 0, 1e-5); // central differences of x³ err by δ² = 1e-6
        // Chained: d(x⁶)/dx reaches 192 at x = 2, where central differences err by about f'''·δ²/6 = 1.6e-4.
        Assert.InRange(GradientChecker.MaxError(v => tf.reduce_sum(Cube.Build(v[0] * v[0])), [x]), 0, 1e-3);
    }

    [Fact]
    public void ARegisteredCustomOpImportsBackAndSharpFlowsOwnTypesCannotBeRedefined()
    {
        Assert.Equal(["SharpFlowTestCube"], tf.RegisterOps("tests", [Cube.Def]));
        Tensorflow.GraphDef graphDef;
        using (var g = TestGraph.Enter())
        {
            var x = tf.placeholder(tf.float64, shape: new[] { 3 }, name: "x");
            Cube.Build(x, name: "cube");
            graphDef = g.Graph.as_graph_def();
        }
        using (var g = TestGraph.Enter())
        {
            var imported = tf.import_graph_def(graphDef, return_elements: ["x:0", "cube:0"], name: "")!;
            var result = g.Eval((Tensor)imported[1], new FeedDict { [(Tensor)imported[0]] = new[] { 1.0, 2.0, -3.0 } });
            Assert.Equal(new[] { 1.0, 8.0, -27.0 }, result.ToArray<double>());
        }
        var e = Assert.Throws<AlreadyExistsError>(() => tf.RegisterOps("tests", [new Impostor()]));
        Assert.Contains("op type 'MatMul' is already defined by SharpFlow", e.Message);
    }

    private sealed class Impostor : OpDef
    {
        public override string Type => "MatMul";
        public override void InferShapes(InferenceContext ctx) => throw new NotSupportedException();
        public override OpKernel CreateKernel(Operation op) => throw new NotSupportedException();
    }
}
