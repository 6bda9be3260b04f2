using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// BroadcastGradientArgs: for two shapes <c>s0</c> and <c>s1</c> that broadcast together, the axes along which
/// a gradient of the broadcast shape must be summed to get back each shape (<c>r0</c>, <c>r1</c>). Used by the
/// gradient pass when shapes are known only at run time.
/// </summary>
internal sealed class BroadcastGradientArgs : OpDef
{
    public static readonly BroadcastGradientArgs Def = new();
    internal static readonly OpAttr<DType> T = new("T", DType.int32);

    public override string Type => "BroadcastGradientArgs";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.int32 || ctx.InputDType(1) != DType.int32)
            throw ctx.TypeError("shapes must be int32 vectors");
        ctx.AddOutput(DType.int32, Shape.UnknownDims(1));
        ctx.AddOutput(DType.int32, Shape.UnknownDims(1));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        // The previous run's shapes and results: a training step asks the same question each time. The results are
        // read-only vectors (not pooled buffers, so no kernel writes into them in place), shared like a Const's value.
        Memo? last = null;
        return OpKernel.From(ctx =>
        {
            var (x0, x1) = (ctx.Input(0), ctx.Input(1));
            var memo = last;
            if (memo is null || !memo.Matches(x0, x1))
            {
                var (s0, s1) = (x0.ToArray<int>(), x1.ToArray<int>());
                if (Broadcast.Shape(s0, s1) is null)
                    throw ctx.InvalidArgument($"Incompatible shapes: [{string.Join(",", s0)}] vs. [{string.Join(",", s1)}]");
                last = memo = new Memo(s0, s1, Shapes.Vector(Axes(s0, s1)), Shapes.Vector(Axes(s1, s0)));
            }
            ctx.ForwardOutput(0, memo.R0);
            ctx.ForwardOutput(1, memo.R1);
        });
    }

    private sealed record Memo(int[] S0, int[] S1, NDArray R0, NDArray R1)
    {
        public bool Matches(NDArray x0, NDArray x1) => x0.dtype == DType.int32 && x1.dtype == DType.int32
            && x0.AsReadOnlySpan<int>().SequenceEqual(S0) && x1.AsReadOnlySpan<int>().SequenceEqual(S1);
    }

    /// <summary>
    /// The axes of the broadcast shape of <paramref name="self"/> and <paramref name="other"/> that <paramref name="self"/>
    /// lacks or has as 1 — also where both have 1, as TensorFlow's BCast lists them (grad_reduce_idx: a dimension of 1
    /// is reduced on every side that has it).
    /// </summary>
    internal static int[] Axes(ReadOnlySpan<int> self, ReadOnlySpan<int> other)
    {
        var rank = System.Math.Max(self.Length, other.Length);
        var axes = new List<int>();
        for (var i = 0; i < rank; i++)
        {
            var si = i - (rank - self.Length);
            if (si < 0 || self[si] == 1) axes.Add(i);
        }
        return [.. axes];
    }

    /// <summary>Builds the op; output 0 reduces to <paramref name="s0"/>, output 1 to <paramref name="s1"/>.</summary>
    public static (Tensor R0, Tensor R1) Build(Tensor s0, Tensor s1, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "BroadcastGradientArgs", s0, s1);
        var op = b.Create(Def, [b.Convert(s0, "s0"), b.Convert(s1, "s1")], new() { { T, DType.int32 } });
        return (op.outputs[0], op.outputs[1]);
    }
}
