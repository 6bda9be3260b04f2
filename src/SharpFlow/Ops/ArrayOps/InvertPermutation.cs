using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>InvertPermutation: <c>y[x[i]] = i</c> for a permutation <c>x</c> of 0..n-1.</summary>
internal sealed class InvertPermutation : OpDef
{
    public static readonly InvertPermutation Def = new();
    internal static readonly OpAttr<DType> T = new("T", DType.int32);

    public override string Type => "InvertPermutation";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (!ctx.InputDType(0).is_integer) throw ctx.TypeError($"x must be int32 or int64, got {ctx.InputDType(0).name}");
        var s = ctx.InputShape(0);
        if (s.IsKnownRank && s.ndims != 1) throw ctx.Error($"x must be a vector, got shape {s.ToListString()}");
        ctx.AddOutput(ctx.InputDType(0), s.IsKnownRank ? s : Shape.UnknownDims(1));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        if (x.ndim != 1) throw ctx.InvalidArgument($"invert_permutation expects a 1D vector, got {x.shape.ToListString()}");
        var p = x.ToArray<long>();
        var inverse = new long[p.Length];
        var seen = new bool[p.Length];
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] < 0 || p[i] >= p.Length) throw ctx.InvalidArgument($"{p[i]} is not between 0 and {p.Length}");
            if (seen[p[i]]) throw ctx.InvalidArgument($"{p[i]} is duplicated in the input.");
            seen[p[i]] = true;
            inverse[p[i]] = i;
        }
        ctx.ForwardOutput(0, NDArray.FromFlat(inverse, x.shape).Cast(x.dtype));
    });

    /// <summary>The inverse of a permutation known at build time (gradient rules of Transpose and Prod use it).</summary>
    internal static int[] Of(ReadOnlySpan<int> permutation)
    {
        var inverse = new int[permutation.Length];
        for (var i = 0; i < permutation.Length; i++) inverse[permutation[i]] = i;
        return inverse;
    }

    /// <summary><c>tf.invert_permutation(x)</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "InvertPermutation", x);
        var input = b.Convert(x, "x");
        return b.Create(Def, [input], new() { { T, input.dtype } }).outputs[0];
    }
}
