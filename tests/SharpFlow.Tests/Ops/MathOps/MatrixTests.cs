namespace SharpFlow.Tests.Ops.MathOps;

/// <summary>
/// BatchMatMulV2 (through tf.matmul), MatrixBandPart, MatrixDiag, MatrixDiagPart and the composites trace,
/// tensordot and einsum: forward against a plain einsum loop in float64, and the errors.
/// </summary>
public class MatrixTests
{
    private static NDArray Rand(int seed, params int[] shape)
    {
        var r = new System.Random(seed);
        var s = new Shape(shape);
        return NDArray.FromFlat(Enumerable.Range(0, (int)s.NumElements).Select(_ => r.NextDouble() * 2 - 1).ToArray(), s);
    }

    /// <summary>Einstein summation by enumerating every letter's index (explicit "->" output, broadcasting size-1 dims).</summary>
    private static NDArray Reference(string equation, params NDArray[] inputs)
    {
        var parts = equation.Split("->");
        var subs = parts[0].Split(',');
        var output = parts[1];
        var size = new Dictionary<char, int>();
        for (var i = 0; i < inputs.Length; i++)
            for (var j = 0; j < subs[i].Length; j++)
                size[subs[i][j]] = Math.Max(size.GetValueOrDefault(subs[i][j], 1), inputs[i].shape[j]);
        var letters = size.Keys.ToArray();
        var outShape = new Shape(output.Select(c => size[c]).ToArray());
        var result = new double[outShape.NumElements];
        var values = inputs.Select(a => a.ToArray<double>()).ToArray();
        var index = new Dictionary<char, int>();
        void Loop(int depth)
        {
            if (depth == letters.Length)
            {
                var product = 1.0;
                for (var i = 0; i < inputs.Length; i++)
                {
                    var flat = 0;
                    for (var j = 0; j < subs[i].Length; j++) flat = flat * inputs[i].shape[j] + (inputs[i].shape[j] == 1 ? 0 : index[subs[i][j]]);
                    product *= values[i][flat];
                }
                var o = 0;
                foreach (var c in output) o = o * size[c] + index[c];
                result[o] += product;
                return;
            }
            for (var v = 0; v < size[letters[depth]]; v++)
            {
                index[letters[depth]] = v;
                Loop(depth + 1);
            }
        }
        Loop(0);
        return NDArray.FromFlat(result, outShape);
    }

    [Fact]
    public void BatchMatMulBroadcastsBatchDimensionsAndHonoursAdjoints()
    {
        using var g = TestGraph.Enter();
        foreach (var (adjA, adjB) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            var a = adjA ? Rand(1, 2, 1, 4, 3) : Rand(1, 2, 1, 3, 4);
            var b = adjB ? Rand(2, 3, 5, 4) : Rand(2, 3, 4, 5);
            var y = tf.matmul(a, b, adjoint_a: adjA, transpose_b: adjB);
            Assert.Equal("BatchMatMulV2", y.op.type);
            Assert.Equal("MatMul", y.op.name[..6]);
            Assert.Equal(new Shape(2, 3, 3, 5), y.shape);
            var expected = Reference($"ab{(adjA ? "ji" : "ij")},b{(adjB ? "kj" : "jk")}->abik", a, b);
            AssertArray.Close(expected, g.Eval(y), 1e-13);
        }
        // Rank 2 keeps MatMul; float32 and int32 batches work too.
        Assert.Equal("MatMul", tf.matmul(Rand(1, 2, 3), Rand(2, 3, 2)).op.type);
        var ints = tf.matmul(tf.constant(new[] { 1, 2, 3, 4, 5, 6, 7, 8 }, shape: new Shape(2, 2, 2)), tf.constant(new[,] { { 1, 0 }, { 1, 1 } }));
        AssertArray.Equal(new[] { 3, 2, 7, 4, 11, 6, 15, 8 }, g.Eval(tf.reshape(ints, new[] { -1 })));
        var f32 = tf.matmul(tf.ones(new Shape(3, 2, 5)), tf.ones(new Shape(3, 5, 1)));
        AssertArray.Equal(Enumerable.Repeat(5f, 6).ToArray(), g.Eval(tf.reshape(f32, new[] { -1 })));
    }

    [Fact]
    public void BatchMatMulErrors()
    {
        using var g = TestGraph.Enter();
        var inner = Assert.Throws<ValueError>(() => tf.matmul(tf.zeros(new Shape(2, 2, 3)), tf.zeros(new Shape(2, 4, 5))));
        Assert.Contains("BatchMatMulV2", inner.Message, StringComparison.Ordinal);
        Assert.Contains("Dimensions must be equal, but are 3 and 4", inner.Message, StringComparison.Ordinal);
        var batch = Assert.Throws<ValueError>(() => tf.matmul(tf.zeros(new Shape(2, 2, 3)), tf.zeros(new Shape(3, 3, 5))));
        Assert.Contains("BatchMatMulV2", batch.Message, StringComparison.Ordinal);
        Assert.Contains("Only one of transpose_a and adjoint_a can be True.", Assert.Throws<ValueError>(() => tf.matmul(tf.zeros(new Shape(2, 2, 2)), tf.zeros(new Shape(2, 2, 2)), transpose_a: true, adjoint_a: true)).Message, StringComparison.Ordinal);
        var p = tf.placeholder(tf.float32);
        var q = tf.placeholder(tf.float32);
        var y = tf.matmul(p, q, name: "bmm");
        Assert.Equal("BatchMatMulV2", y.op.type);
        var run = Assert.Throws<InvalidArgumentError>(() => g.Eval(y, new FeedDict { [p] = NDArray.Zeros(DType.float32, new Shape(2, 2, 3)), [q] = NDArray.Zeros(DType.float32, new Shape(2, 4, 5)) }));
        Assert.Contains("Matrix size-incompatible: In[0]: [2,2,3], In[1]: [2,4,5]", run.Message, StringComparison.Ordinal);
        Assert.Contains("bmm", run.Message, StringComparison.Ordinal);
        var rank = Assert.Throws<InvalidArgumentError>(() => g.Eval(y, new FeedDict { [p] = NDArray.Zeros(DType.float32, new Shape(3)), [q] = NDArray.Zeros(DType.float32, new Shape(2, 3, 5)) }));
        Assert.Contains("In[0] ndims must be >= 2: 1", rank.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BandPartKeepsTheBand()
    {
        using var g = TestGraph.Enter();
        var x = Rand(3, 2, 4, 5);
        var values = x.ToArray<double>();
        foreach (var (lower, upper) in new[] { (0, 0), (1, 0), (0, -1), (-1, 0), (2, 1), (-1, -1), (4, 5) })
        {
            var y = g.Eval(tf.matrix_band_part(x, lower, upper)).ToArray<double>();
            for (var b = 0; b < 2; b++)
                for (var i = 0; i < 4; i++)
                    for (var j = 0; j < 5; j++)
                    {
                        var k = (b * 4 + i) * 5 + j;
                        var keep = (lower < 0 || i - j <= lower) && (upper < 0 || j - i <= upper);
                        Assert.Equal(keep ? values[k] : 0, y[k]);
                    }
        }
        Assert.Equal("MatrixBandPart", tf.linalg.band_part(x, 0, -1).op.type);
        Assert.Contains("MatrixBandPart", Assert.Throws<ValueError>(() => tf.matrix_band_part(tf.zeros(new Shape(3)), 0, 0)).Message, StringComparison.Ordinal);
        var n = tf.placeholder(tf.int64);
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.matrix_band_part(x, n, 0), new FeedDict { [n] = 5L }));
        Assert.Contains("num_lower must be negative or less or equal to number of rows (4) got: 5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DiagDiagPartAndTrace()
    {
        using var g = TestGraph.Enter();
        var d = tf.matrix_diag(tf.constant(new[,] { { 1, 2, 3 }, { 4, 5, 6 } }));
        Assert.Equal(new Shape(2, 3, 3), d.shape);
        AssertArray.Equal(new[] { 1, 0, 0, 0, 2, 0, 0, 0, 3, 4, 0, 0, 0, 5, 0, 0, 0, 6 }, g.Eval(tf.reshape(d, new[] { -1 })));
        var part = tf.matrix_diag_part(tf.constant(new[,] { { 1f, 2f, 3f }, { 4f, 5f, 6f } }));
        Assert.Equal(new Shape(2), part.shape);
        AssertArray.Equal(new[] { 1f, 5f }, g.Eval(part));
        var tall = tf.linalg.diag_part(tf.constant(new[] { 1, 2, 3, 4, 5, 6 }, shape: new Shape(3, 2)));
        AssertArray.Equal(new[] { 1, 4 }, g.Eval(tall));
        var t = tf.trace(tf.constant(new[,] { { 1f, 2f }, { 3f, 4f } }));
        Assert.Equal("Trace", t.op.name);
        Assert.Equal(5f, g.Eval(t).ToArray<float>()[0]);
        AssertArray.Equal(new[] { 6, 15 }, g.Eval(tf.trace(d)));
        Assert.Contains("MatrixDiagPart", Assert.Throws<ValueError>(() => tf.matrix_diag_part(tf.zeros(new Shape(3)))).Message, StringComparison.Ordinal);
        Assert.Contains("MatrixDiag", Assert.Throws<ValueError>(() => tf.matrix_diag(tf.zeros(Shape.Scalar))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TensordotAgainstTheReference()
    {
        using var g = TestGraph.Enter();
        var a = Rand(4, 2, 3, 4);
        var b = Rand(5, 4, 3, 5);
        AssertArray.Close(Reference("ijk,kjl->il", a, b), g.Eval(tf.tensordot(a, b, new[] { new[] { 1, 2 }, new[] { 1, 0 } })), 1e-13);
        var c = Rand(6, 4, 5);
        var y = tf.tensordot(a, c, 1);
        Assert.StartsWith("Tensordot", y.op.name, StringComparison.Ordinal);
        AssertArray.Close(Reference("ijk,kl->ijl", a, c), g.Eval(y), 1e-13);
        AssertArray.Close(Reference("ijk,l->ijkl", a, Rand(7, 3)), g.Eval(tf.tensordot(a, Rand(7, 3), 0)), 1e-13);
        // A partly known shape: the free dimensions come from tf.shape at run time.
        var p = tf.placeholder(tf.float64, new Shape(-1, 3, 4));
        var dyn = tf.tensordot(p, c, 1);
        Assert.Equal(new Shape(-1, 3, 5), dyn.shape);
        AssertArray.Close(Reference("ijk,kl->ijl", a, c), g.Eval(dyn, new FeedDict { [p] = a }), 1e-13);
        Assert.Contains("Different number of contraction axes 'a' and 'b', 2 != 1.", Assert.Throws<ValueError>(() => tf.tensordot(a, b, new[] { new[] { 1, 2 }, new[] { 1 } })).Message, StringComparison.Ordinal);
        Assert.Contains("'axes' must not be larger", Assert.Throws<ValueError>(() => tf.tensordot(a, b, 4)).Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, int[][]> EinsumCases() => new()
    {
        { "ij,jk->ik", [[2, 3], [3, 4]] },
        { "bij,bjk->bik", [[2, 3, 4], [2, 4, 5]] },
        { "ij->ji", [[2, 3]] },
        { "ij->", [[2, 3]] },
        { "ij->j", [[2, 3]] },
        { "i,j->ij", [[3], [4]] },
        { "i,i->", [[5], [5]] },
        { "ij,ij->i", [[3, 4], [3, 4]] },
        { "bik,bjk->bij", [[2, 3, 4], [2, 5, 4]] },
        { "ijk,jl->lki", [[2, 3, 4], [3, 2]] },
        { "ij,jk,kl->il", [[2, 3], [3, 4], [4, 2]] },
        { "abc,cd->abd", [[2, 3, 4], [4, 5]] },
    };

    [Theory, MemberData(nameof(EinsumCases))]
    public void EinsumAgainstTheReference(string equation, int[][] shapes)
    {
        using var g = TestGraph.Enter();
        var inputs = shapes.Select((s, i) => Rand(10 + i, s)).ToArray();
        var y = tf.einsum(equation, inputs.Select(a => (TensorLike)a).ToArray());
        var expected = Reference(equation, inputs);
        Assert.Equal(expected.shape, y.shape);
        AssertArray.Close(expected, g.Eval(y), 1e-13);
    }

    [Fact]
    public void EinsumImplicitOutputAndErrors()
    {
        using var g = TestGraph.Enter();
        var a = Rand(1, 2, 3);
        var b = Rand(2, 3, 4);
        AssertArray.Close(Reference("ij,jk->ik", a, b), g.Eval(tf.einsum("ij,jk", a, b)), 1e-13);
        AssertArray.Close(Reference("ij->ji", a), g.Eval(tf.einsum("ji", a)), 1e-13);
        Assert.Contains("Expected 2 inputs but got 1", Assert.Throws<ValueError>(() => tf.einsum("ij,jk->ik", a)).Message, StringComparison.Ordinal);
        Assert.Contains("not supported", Assert.Throws<ValueError>(() => tf.einsum("ii->i", Rand(3, 3, 3))).Message, StringComparison.Ordinal);
        Assert.Contains("dimension j is 3 in input 0 and 4 in input 1", Assert.Throws<ValueError>(() => tf.einsum("ij,jk->ik", a, Rand(4, 4, 2))).Message, StringComparison.Ordinal);
        Assert.Contains("output subscript z", Assert.Throws<ValueError>(() => tf.einsum("ij->z", a)).Message, StringComparison.Ordinal);
    }
}
