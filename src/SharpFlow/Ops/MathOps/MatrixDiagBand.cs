using SharpFlow.Framework;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// What MatrixDiagV2/V3, MatrixDiagPartV2/V3 and MatrixSetDiagV2/V3 share (matrix_diag_op.cc, array_ops.cc): the
/// diagonal range <c>k</c> (one index or <c>[lower, upper]</c>), its bounds, and the <c>align</c> attribute (V2 packs
/// LEFT_LEFT; V3's default is RIGHT_LEFT).
/// </summary>
internal static class MatrixDiagBand
{
    internal static readonly string[] Alignments = ["LEFT_RIGHT", "RIGHT_LEFT", "LEFT_LEFT", "RIGHT_RIGHT"];

    /// <summary>Whether superdiagonals and subdiagonals are left-aligned; <paramref name="align"/> null is V2's LEFT_LEFT.</summary>
    public static (bool LeftSuper, bool LeftSub) Alignment(string? align, Func<string, Exception> error)
    {
        if (align is null) return (true, true);
        if (Array.IndexOf(Alignments, align) < 0)
            throw error($"Value for attr 'align' of \"{align}\" is not in the list of allowed values: {string.Join(", ", Alignments.Select(a => $"\"{a}\""))}");
        return (align.StartsWith("LEFT", StringComparison.Ordinal), align.EndsWith("LEFT", StringComparison.Ordinal));
    }

    /// <summary>The kernel's reading of <c>k</c>: a scalar or a vector of one or two int32 entries.</summary>
    public static (int Lower, int Upper) ReadK(NDArray k, Func<string, Exception> error)
    {
        if (k.ndim > 1) throw error($"diag_index must be a scalar or vector, received shape: {k.shape.ToListString()}");
        if (k.size == 0) throw error("Expected diag_index to have at least 1 element");
        if (k.ndim == 1 && k.shape[0] > 2) throw error($"diag_index must have only one or two elements, received {k.shape[0]} elements.");
        var values = k.ToArray<int>();
        return (values[0], values.Length > 1 ? values[1] : values[0]);
    }

    /// <summary>The diagonal range of a matrix with <paramref name="rows"/> and <paramref name="cols"/> (either may be unknown, -1) as TensorFlow checks it.</summary>
    public static void CheckBounds(int lower, int upper, int rows, int cols, Func<string, Exception> error)
    {
        if (rows >= 0 && cols >= 0)
            foreach (var (what, d) in new[] { ("lower_diag_index", lower), ("upper_diag_index", upper) })
                if (!((-rows < d && d < cols) || d == 0))
                    throw error($"{what} is out of bound: {d}. It must be between {-rows} and {cols}");
        if (lower > upper) throw error($"lower_diag_index must not be larger than upper_diag_index: {lower} > {upper}");
    }

    /// <summary>The length of the longest diagonal in <c>lower..upper</c> of a rows×cols matrix (-1 when unknown).</summary>
    public static int MaxDiagLen(int lower, int upper, int rows, int cols) =>
        rows < 0 || cols < 0 ? -1 : Math.Min(rows + Math.Min(upper, 0), cols - Math.Max(lower, 0));

    /// <summary>The constant <c>k</c> of a shape rule, or null when it is only known at run time.</summary>
    public static (int Lower, int Upper)? ConstantK(InferenceContext ctx, int index)
    {
        var s = ctx.InputShape(index);
        if (s.IsKnownRank && s.ndims > 1) throw ctx.Error($"Shape must be at most rank 1 but is rank {s.ndims} for k");
        return ctx.ConstantInput(index) is { } k ? ReadK(k, m => ctx.Error(m)) : null;
    }

    /// <summary>Input <paramref name="index"/> of a shape rule must be a scalar.</summary>
    public static void CheckScalar(InferenceContext ctx, int index, string what)
    {
        var s = ctx.InputShape(index);
        if (s.IsKnownRank && s.ndims != 0) throw ctx.Error($"Shape must be rank 0 but is rank {s.ndims} for {what}");
    }

    /// <summary>The product of the dimensions before the last <paramref name="inner"/> ones.</summary>
    public static int Batch(Shape s, int inner)
    {
        var n = 1;
        for (var i = 0; i < s.ndims - inner; i++) n *= s[i];
        return n;
    }
}
