using SharpFlow.GraphIO;
using SharpFlow.Tests.Support;
using Tf = Tensorflow;
using static SharpFlow.Binding;

namespace SharpFlow.Tests.Ops.MathOps;

/// <summary>
/// MatrixDiagV2/V3, MatrixDiagPartV2/V3 and MatrixSetDiagV2/V3 (tf.linalg.diag / diag_part / set_diag with k,
/// num_rows, num_cols, padding_value, align): TensorFlow's own square, tall and fat band cases (diag_op_test.py,
/// packed LEFT_LEFT, repacked for RIGHT_LEFT and LEFT_RIGHT as TensorFlow's repack_diagonals does), padding, the
/// V1 ops for k = 0, a GraphDef import, and the shape and run-time errors. Gradients: GradientCases.Math.
/// </summary>
public sealed class MatrixDiagBandTests
{
    // (matrix [2, rows, cols], (k lower, k upper, packed LEFT_LEFT diagonals, band matrix)) from diag_op_test.py.
    private sealed record Case(int Lower, int Upper, int[] PackedShape, int[] Packed, int[] Banded);

    private static readonly (int Rows, int Cols, int[] Mat, Case[] Cases)[] AllCases =
    [
        (5, 5, [1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4, 5, 6],
        [
            new(-1, -1, [2, 4], [6, 4, 1, 7, 5, 2, 8, 5],
                [0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 5, 0]),
            new(-4, -3, [2, 2, 2], [8, 5, 4, 0, 6, 3, 2, 0],
                [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 4, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 2, 3, 0, 0, 0]),
            new(-2, 1, [2, 4, 5], [2, 8, 6, 3, 0, 1, 7, 5, 2, 8, 6, 4, 1, 7, 0, 3, 9, 6, 0, 0, 1, 7, 4, 1, 0, 9, 6, 3, 9, 6, 5, 2, 8, 5, 0, 1, 7, 4, 0, 0],
                [1, 2, 0, 0, 0, 6, 7, 8, 0, 0, 3, 4, 5, 6, 0, 0, 9, 1, 2, 3, 0, 0, 6, 7, 8, 9, 1, 0, 0, 0, 5, 6, 7, 0, 0, 1, 2, 3, 4, 0, 0, 7, 8, 9, 1, 0, 0, 4, 5, 6]),
            new(2, 4, [2, 3, 3], [5, 0, 0, 4, 1, 0, 3, 9, 7, 4, 0, 0, 3, 9, 0, 2, 8, 5],
                [0, 0, 3, 4, 5, 0, 0, 0, 9, 1, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 4, 0, 0, 0, 8, 9, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        ]),
        (5, 3, [1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 8, 7],
        [
            new(0, 0, [2, 3], [1, 5, 9, 3, 2, 6], [1, 0, 0, 0, 5, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0]),
            new(-4, -3, [2, 2, 2], [9, 5, 6, 0, 7, 8, 9, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 6, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 9, 8, 0]),
            new(-2, -1, [2, 2, 3], [4, 8, 7, 7, 8, 4, 1, 5, 9, 4, 8, 7], [0, 0, 0, 4, 0, 0, 7, 8, 0, 0, 8, 7, 0, 0, 4, 0, 0, 0, 1, 0, 0, 4, 5, 0, 0, 8, 9, 0, 0, 7]),
            new(-2, 1, [2, 4, 3], [2, 6, 0, 1, 5, 9, 4, 8, 7, 7, 8, 4, 2, 3, 0, 3, 2, 6, 1, 5, 9, 4, 8, 7],
                [1, 2, 0, 4, 5, 6, 7, 8, 9, 0, 8, 7, 0, 0, 4, 3, 2, 0, 1, 2, 3, 4, 5, 6, 0, 8, 9, 0, 0, 7]),
            new(1, 2, [2, 2, 2], [3, 0, 2, 6, 1, 0, 2, 3], [0, 2, 3, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        ]),
        (3, 4, [1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4, 5, 6],
        [
            new(0, 0, [2, 3], [1, 6, 2, 4, 9, 5], [1, 0, 0, 0, 0, 6, 0, 0, 0, 0, 2, 0, 4, 0, 0, 0, 0, 9, 0, 0, 0, 0, 5, 0]),
            new(2, 2, [2, 2], [3, 8, 6, 2], [0, 0, 3, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 2, 0, 0, 0, 0]),
            new(-2, 0, [2, 3, 3], [1, 6, 2, 5, 1, 0, 9, 0, 0, 4, 9, 5, 8, 4, 0, 3, 0, 0], [1, 0, 0, 0, 5, 6, 0, 0, 9, 1, 2, 0, 4, 0, 0, 0, 8, 9, 0, 0, 3, 4, 5, 0]),
            new(-1, 1, [2, 3, 3], [2, 7, 3, 1, 6, 2, 5, 1, 0, 5, 1, 6, 4, 9, 5, 8, 4, 0], [1, 2, 0, 0, 5, 6, 7, 0, 0, 1, 2, 3, 4, 5, 0, 0, 8, 9, 1, 0, 0, 4, 5, 6]),
            new(0, 3, [2, 4, 3], [4, 0, 0, 3, 8, 0, 2, 7, 3, 1, 6, 2, 7, 0, 0, 6, 2, 0, 5, 1, 6, 4, 9, 5],
                [1, 2, 3, 4, 0, 6, 7, 8, 0, 0, 2, 3, 4, 5, 6, 7, 0, 9, 1, 2, 0, 0, 5, 6]),
        ]),
    ];

    /// <summary>TensorFlow's repack_diagonals: moves the LEFT_LEFT test diagonals to where <paramref name="align"/> puts them.</summary>
    private static int[] Repack(Case c, int rows, int cols, string? align)
    {
        if (align is null or "LEFT_LEFT") return c.Packed;
        var maxDiagLen = c.PackedShape[^1];
        var numDiags = c.Upper - c.Lower + 1;
        var result = new int[c.Packed.Length];
        for (var b = 0; b < 2; b++)
            for (var d = c.Lower; d <= c.Upper; d++)
            {
                var length = Math.Min(rows + Math.Min(0, d), cols - Math.Max(0, d));
                var left = (d >= 0 && align.StartsWith("LEFT")) || (d <= 0 && align.EndsWith("LEFT"));
                var row = (b * numDiags + c.Upper - d) * maxDiagLen;
                for (var p = 0; p < length; p++) result[row + p + (left ? 0 : maxDiagLen - length)] = c.Packed[row + p];
            }
        return result;
    }

    private static IEnumerable<(int Rows, int Cols, int[] Mat, Case Case, string? Align)> Cases() =>
        from all in AllCases from c in all.Cases from align in new[] { null, "RIGHT_LEFT", "LEFT_RIGHT", "LEFT_LEFT", "RIGHT_RIGHT" }
        select (all.Rows, all.Cols, all.Mat, c, align);

    private static int[] K(Case c) => c.Lower == c.Upper ? [c.Lower] : [c.Lower, c.Upper];

    [Fact]
    public void DiagPartMatchesTensorFlowsBandCasesInEveryAlignment()
    {
        using var g = TestGraph.Enter();
        var count = 0;
        foreach (var (rows, cols, mat, c, align) in Cases())
        {
            var x = tf.constant(NDArray.FromFlat(mat, new Shape(2, rows, cols)));
            var y = tf.linalg.diag_part(x, k: K(c), align: align);
            Assert.Equal(align is null ? "MatrixDiagPartV2" : "MatrixDiagPartV3", y.op.type);
            Assert.Equal(new Shape(c.PackedShape), y.shape);
            Assert.Equal(Repack(c, rows, cols, align), g.Eval(y).ToArray<int>());
            // The band matrix gives the same diagonals.
            var fromBand = tf.matrix_diag_part(tf.constant(NDArray.FromFlat(c.Banded, new Shape(2, rows, cols))), k: K(c), align: align);
            Assert.Equal(Repack(c, rows, cols, align), g.Eval(fromBand).ToArray<int>());
            count++;
        }
        Assert.Equal(70, count);
    }

    [Fact]
    public void DiagMatchesTensorFlowsBandCasesInEveryAlignment()
    {
        using var g = TestGraph.Enter();
        foreach (var (rows, cols, _, c, align) in Cases())
        {
            var packed = tf.constant(NDArray.FromFlat(Repack(c, rows, cols, align), new Shape(c.PackedShape)));
            var y = tf.linalg.diag(packed, k: K(c), num_rows: rows, num_cols: cols, align: align);
            Assert.Equal(align is null ? "MatrixDiagV2" : "MatrixDiagV3", y.op.type);
            Assert.Equal(new Shape(2, rows, cols), y.shape);
            Assert.Equal(c.Banded, g.Eval(y).ToArray<int>());
        }
    }

    [Fact]
    public void SetDiagMatchesTensorFlowsBandCasesInEveryAlignment()
    {
        using var g = TestGraph.Enter();
        var r = new Random(3);
        foreach (var (rows, cols, _, c, align) in Cases())
        {
            // As TensorFlow's test: random input, the band replaced by the band matrix's values.
            var input = Enumerable.Range(0, c.Banded.Length).Select(_ => r.Next(1, 10)).ToArray();
            var expected = input.Select((v, i) => c.Banded[i] != 0 ? c.Banded[i] : InBand(i, rows, cols, c) ? 0 : v).ToArray();
            var packed = tf.constant(NDArray.FromFlat(Repack(c, rows, cols, align), new Shape(c.PackedShape)));
            var y = tf.linalg.set_diag(tf.constant(NDArray.FromFlat(input, new Shape(2, rows, cols))), packed, k: K(c), align: align);
            Assert.Equal(align is null ? "MatrixSetDiagV2" : "MatrixSetDiagV3", y.op.type);
            Assert.Equal(new Shape(2, rows, cols), y.shape);
            Assert.Equal(expected, g.Eval(y).ToArray<int>());
        }
    }

    private static bool InBand(int flat, int rows, int cols, Case c)
    {
        var (i, j) = (flat / cols % rows, flat % cols);
        return j - i >= c.Lower && j - i <= c.Upper;
    }

    [Fact]
    public void PaddingSmallestSizesAndTheV1OpsForKZero()
    {
        using var g = TestGraph.Enter();
        // The padding value outside the band and in the packed rows (RIGHT_LEFT: the subdiagonal at the left).
        var x = tf.constant(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var part = tf.linalg.diag_part(x, k: new[] { -1, 1 }, padding_value: 9f, align: "RIGHT_LEFT");
        Assert.Equal(new[] { 2f, 6f, 1f, 5f, 4f, 9f }, g.Eval(part).ToArray<float>());
        var diag = tf.linalg.diag(new[] { 1f, 2f }, k: 1, padding_value: -1f);
        Assert.Equal(new Shape(3, 3), diag.shape); // square when num_rows and num_cols are -1
        Assert.Equal(new[] { -1f, 1f, -1f, -1f, -1f, 2f, -1f, -1f, -1f }, g.Eval(diag).ToArray<float>());
        var wide = tf.linalg.diag(new[] { 1f, 2f }, k: 1, num_rows: 2);
        Assert.Equal(new Shape(2, 3), wide.shape);
        Assert.Equal(new[] { 0f, 1f, 0f, 0f, 0f, 2f }, g.Eval(wide).ToArray<float>());
        // Without k and the rest TensorFlow 1.15 builds the V1 ops.
        Assert.Equal("MatrixDiag", tf.linalg.diag(new[] { 1f, 2f }).op.type);
        Assert.Equal("MatrixDiagPart", tf.linalg.diag_part(x).op.type);
        Assert.Equal("MatrixSetDiag", tf.linalg.set_diag(x, new[] { 0f, 0f }).op.type);
        // Run-time k: the shape is known only when it runs.
        var k = tf.placeholder(tf.int32);
        var dyn = tf.linalg.diag_part(x, k: k, align: "LEFT_LEFT");
        Assert.False(dyn.shape.IsKnownRank);
        Assert.Equal(new[] { 2f, 6f }, g.Eval(dyn, new FeedDict { [k] = new[] { 1, 1 } }).ToArray<float>());
    }

    private const string GraphText = """
        node { name: "input" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
        node { name: "k" op: "Const" attr { key: "dtype" value { type: DT_INT32 } } attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { dim { size: 2 } } int_val: -1 int_val: 0 } } } }
        node { name: "pad" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { } float_val: 7 } } } }
        node { name: "part" op: "MatrixDiagPartV3" input: "input" input: "k" input: "pad" attr { key: "T" value { type: DT_FLOAT } } attr { key: "align" value { s: "LEFT_RIGHT" } } }
        node { name: "part2" op: "MatrixDiagPartV2" input: "input" input: "k" input: "pad" attr { key: "T" value { type: DT_FLOAT } } }
        versions { producer: 27 }
        """;

    [Fact]
    public void ImportsFromAGraphDefAndRuns()
    {
        using var g = TestGraph.Enter();
        tf.import_graph_def(TextFormat.Parse<Tf.GraphDef>(GraphText), name: "");
        var feed = new FeedDict { [g.Graph.get_tensor_by_name("input:0")] = new float[,] { { 1f, 2f }, { 3f, 4f } } };
        // LEFT_RIGHT: the main diagonal (a superdiagonal for alignment) at the left, the subdiagonal at the right.
        Assert.Equal(new[] { 1f, 4f, 7f, 3f }, g.Eval(g.Graph.get_tensor_by_name("part:0"), feed).ToArray<float>());
        Assert.Equal(new[] { 1f, 4f, 3f, 7f }, g.Eval(g.Graph.get_tensor_by_name("part2:0"), feed).ToArray<float>());
    }

    [Fact]
    public void BandsOutOfRangeAndSizesThatDoNotFitAreErrorsNamingTheOp()
    {
        using var g = TestGraph.Enter();
        var x = tf.zeros(new Shape(3, 4));
        var e = Assert.Throws<ValueError>(() => tf.linalg.diag_part(x, k: 4));
        Assert.Contains("MatrixDiagPartV2", e.Message);
        Assert.Contains("lower_diag_index is out of bound: 4. It must be between -3 and 4", e.Message);
        e = Assert.Throws<ValueError>(() => tf.linalg.set_diag(x, tf.zeros(new Shape(3)), k: new[] { 1, -1 }, align: "RIGHT_LEFT"));
        Assert.Contains("MatrixSetDiagV3", e.Message);
        Assert.Contains("lower_diag_index must not be larger than upper_diag_index: 1 > -1", e.Message);
        e = Assert.Throws<ValueError>(() => tf.linalg.diag_part(x, k: 0, align: "UP_DOWN"));
        Assert.Contains("Value for attr 'align' of \"UP_DOWN\" is not in the list of allowed values", e.Message);
        e = Assert.Throws<ValueError>(() => tf.linalg.diag(tf.zeros(new Shape(2, 3)), k: new[] { -1, 1 }));
        Assert.Contains("The number of rows of `diagonal` doesn't match the number of diagonals", e.Message);
        e = Assert.Throws<ValueError>(() => tf.linalg.diag(new[] { 1f, 2f }, k: 1, num_rows: 1));
        Assert.Contains("The number of rows is too small.", e.Message);
        e = Assert.Throws<ValueError>(() => tf.linalg.diag(new[] { 1f, 2f }, num_rows: 4, num_cols: 5));
        Assert.Contains("The number of rows or columns is not consistent with the specified d_lower, d_upper, and diagonal.", e.Message);
        e = Assert.Throws<ValueError>(() => tf.linalg.set_diag(x, tf.zeros(new Shape(2, 4)), k: new[] { 0, 1 }));
        Assert.Contains("Dimensions must be equal, but are 3 and 4", e.Message);
        // Run-time k reaches the kernel's checks, whose errors name the node.
        var k = tf.placeholder(tf.int32);
        var part = tf.linalg.diag_part(x, k: k, name: "band");
        var r = Assert.Throws<InvalidArgumentError>(() => g.Eval(part, new FeedDict { [k] = new[] { -3, 0 } }));
        Assert.Contains("band", r.Message);
        Assert.Contains("lower_diag_index is out of bound: -3. It must be between -3 and 4", r.Message);
        r = Assert.Throws<InvalidArgumentError>(() => g.Eval(part, new FeedDict { [k] = new[] { 0, 1, 2 } }));
        Assert.Contains("diag_index must have only one or two elements, received 3 elements.", r.Message);
        var set = tf.linalg.set_diag(x, tf.zeros(new Shape(3)), k: k, name: "setband");
        r = Assert.Throws<InvalidArgumentError>(() => g.Eval(set, new FeedDict { [k] = new[] { 2 } }));
        Assert.Contains("setband", r.Message);
        Assert.Contains("Expected diagonal shape: [2]. Got: [3]", r.Message);
        var rows = tf.placeholder(tf.int32);
        var diag = tf.linalg.diag(new[] { 1f, 2f }, k: -1, num_rows: rows, name: "tall");
        r = Assert.Throws<InvalidArgumentError>(() => g.Eval(diag, new FeedDict { [rows] = 2 }));
        Assert.Contains("tall", r.Message);
        Assert.Contains("The number of rows is too small.", r.Message);
    }
}
