using SharpFlow.GraphIO;
using SharpFlow.Tests.Support;
using Tf = Tensorflow;
using static SharpFlow.Binding;

namespace SharpFlow.Tests.Ops.MathOps;

/// <summary>
/// MatrixSetDiag (tf.linalg.set_diag): TensorFlow's MatrixSetDiagTest values (square, wide and tall), a batch
/// against a plain loop, the gradients (GradientCases.Math), a GraphDef import and the shape and run-time errors.
/// </summary>
public sealed class MatrixSetDiagTests
{
    [Fact]
    public void SquareWideAndTallMatchTensorFlowsTests()
    {
        using var g = TestGraph.Enter();
        var square = tf.linalg.set_diag(new[,] { { 0.0, 1.0, 0.0 }, { 1.0, 0.0, 1.0 }, { 1.0, 1.0, 1.0 } }, new[] { 1.0, 2.0, 3.0 });
        Assert.Equal(("MatrixSetDiag", "set_diag"), (square.op.type, square.op.name));
        Assert.Equal(new Shape(3, 3), square.shape);
        Assert.Equal(new[] { 1.0, 1.0, 0.0, 1.0, 2.0, 1.0, 1.0, 1.0, 3.0 }, g.Eval(square).ToArray<double>());
        var wide = tf.matrix_set_diag(new[,] { { 0f, 1f, 0f }, { 1f, 0f, 1f } }, new[] { 3f, 4f });
        Assert.Equal(new[] { 3f, 1f, 0f, 1f, 4f, 1f }, g.Eval(wide).ToArray<float>());
        var tall = tf.matrix_set_diag(new[,] { { 0f, 1f }, { 1f, 0f }, { 1f, 1f } }, new[] { 3f, 4f });
        Assert.Equal(new[] { 3f, 1f, 1f, 4f, 1f, 1f }, g.Eval(tall).ToArray<float>());
    }

    [Fact]
    public void BatchesOfAnyDtypeMatchAPlainLoop()
    {
        using var g = TestGraph.Enter();
        var r = new Random(5);
        var x = Enumerable.Range(0, 2 * 3 * 4 * 5).Select(_ => r.Next(-50, 50)).ToArray();
        var d = Enumerable.Range(0, 2 * 3 * 4).Select(_ => r.Next(100, 200)).ToArray();
        var expected = (int[])x.Clone();
        for (var b = 0; b < 6; b++)
            for (var i = 0; i < 4; i++) expected[(b * 4 + i) * 5 + i] = d[b * 4 + i];
        var y = tf.linalg.set_diag(tf.constant(NDArray.FromFlat(x, new Shape(2, 3, 4, 5))), tf.constant(NDArray.FromFlat(d, new Shape(2, 3, 4))));
        Assert.Equal(expected, g.Eval(y).ToArray<int>());
        // Unknown batch dimensions of the input are taken from the diagonal's.
        var p = tf.placeholder(tf.float32, new Shape(-1, 4, 3));
        Assert.Equal(new Shape(7, 4, 3), tf.linalg.set_diag(p, tf.zeros(new Shape(7, 3))).shape);
    }

    private const string GraphText = """
        node { name: "input" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
        node { name: "diagonal" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
        node { name: "set_diag" op: "MatrixSetDiag" input: "input" input: "diagonal" attr { key: "T" value { type: DT_FLOAT } } }
        versions { producer: 27 }
        """;

    [Fact]
    public void ImportsFromAGraphDefAndRuns()
    {
        using var g = TestGraph.Enter();
        tf.import_graph_def(TextFormat.Parse<Tf.GraphDef>(GraphText), name: "");
        var feed = new FeedDict { [g.Graph.get_tensor_by_name("input:0")] = new float[,] { { 1f, 2f }, { 3f, 4f } }, [g.Graph.get_tensor_by_name("diagonal:0")] = new[] { 9f, 8f } };
        Assert.Equal(new[] { 9f, 2f, 3f, 8f }, g.Eval(g.Graph.get_tensor_by_name("set_diag:0"), feed).ToArray<float>());
    }

    [Fact]
    public void ShapesAndRunTimeShapesAreCheckedAndTheErrorsNameTheOp()
    {
        using var g = TestGraph.Enter();
        // MatrixSetDiagTest.testInvalidShape.
        var e = Assert.Throws<ValueError>(() => tf.matrix_set_diag(0f, new[] { 0f }));
        Assert.Contains("MatrixSetDiag", e.Message);
        Assert.Contains("must be at least rank 2", e.Message);
        e = Assert.Throws<ValueError>(() => tf.matrix_set_diag(new[,] { { 0f } }, 0f));
        Assert.Contains("must be at least rank 1", e.Message);
        e = Assert.Throws<ValueError>(() => tf.matrix_set_diag(tf.zeros(new Shape(2, 3, 4)), tf.zeros(new Shape(2, 4))));
        Assert.Contains("Dimensions must be equal, but are 3 and 4", e.Message);
        var t = Assert.Throws<TypeError>(() => MathOpsSetDiag(tf.zeros(new Shape(2, 2)), tf.zeros(new Shape(2), tf.int32)));
        Assert.Contains("MatrixSetDiag", t.Message);
        // MatrixSetDiagTest.testInvalidShapeAtEval.
        var v = tf.placeholder(tf.float32);
        var r = Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.matrix_set_diag(v, tf.reshape(v, new[] { 1 })), new FeedDict { [v] = 0f }));
        Assert.Contains("set_diag", r.Message); // the node's name
        Assert.Contains("input must be at least 2-dim", r.Message);
        r = Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.matrix_set_diag(tf.reshape(v, new[] { 1, 1 }), v), new FeedDict { [v] = 0f }));
        Assert.Contains("but received input shape: [1,1] and diagonal shape: []", r.Message);
    }

    private static Tensor MathOpsSetDiag(Tensor input, Tensor diagonal)
    {
        // Built directly, past the facade's conversion, to reach the op's own dtype check.
        var graph = input.graph;
        return graph.CreateOp(SharpFlow.Ops.MathOps.MatrixSetDiag.Def, "set_diag", [input, diagonal], new Dictionary<string, object> { ["T"] = input.dtype }).outputs[0];
    }
}
