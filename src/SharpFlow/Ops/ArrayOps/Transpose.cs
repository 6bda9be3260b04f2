using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>Transpose: permutes dimensions; output dimension i is input dimension <c>perm[i]</c> (default: reversed).</summary>
internal sealed class Transpose : OpDef
{
    public static readonly Transpose Def = new();
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Tperm = new("Tperm", DType.int32);

    public override string Type => "Transpose";

    public override void InferShapes(InferenceContext ctx)
    {
        var input = ctx.InputShape(0);
        var perm = ctx.ConstantInput(1);
        if (perm is null || !input.IsKnownRank)
        {
            var permShape = ctx.InputShape(1);
            var rank = input.IsKnownRank ? input.ndims : permShape.IsFullyDefined && permShape.ndims == 1 ? permShape[0] : -1;
            ctx.AddOutput(ctx.InputDType(0), rank >= 0 ? Shape.UnknownDims(rank) : Shape.Unknown);
            return;
        }
        var p = Check(perm, input.ndims, m => ctx.Error(m));
        var dims = input.Dims;
        ctx.AddOutput(ctx.InputDType(0), Shape.Own(p.Select(i => dims[i]).ToArray()));
    }

    private static int[] Check(NDArray perm, int rank, Func<string, Exception> error)
    {
        if (perm.ndim != 1 || perm.size != rank)
            throw error($"transpose expects a vector of size {rank}. But input(1) is a vector of size {perm.size}");
        var p = Shape.DimsFromValue(perm, "perm", error);
        var seen = new bool[rank];
        foreach (var d in p)
        {
            if (d < 0 || d >= rank) throw error($"{d} is out of range [0 .. {rank})");
            if (seen[d]) throw error($"{d} is duplicated in the permutation");
            seen[d] = true;
        }
        return p;
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        var perm = Check(ctx.Input(1), x.ndim, ctx.InvalidArgumentOf);
        var dims = x.shape.Dims;
        var y = ctx.AllocateUninitializedOutput(0, x.dtype, Shape.Own(perm.Select(i => dims[i]).ToArray()));
        DataMovement.Transpose(x, perm, y);
    });

    /// <summary><c>tf.transpose(a, perm)</c>; without <paramref name="perm"/> the dimensions are reversed.</summary>
    public static Tensor Build(TensorLike a, TensorLike? perm = null, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "transpose", a, perm ?? default);
        var x = b.Convert(a, "a");
        Tensor p;
        if (perm is { } given) p = b.Convert(given, "perm");
        else if (x.shape.IsKnownRank)
            p = Const.Create(b.Graph, NDArray.FromFlat(Enumerable.Range(0, x.shape.ndims).Reverse().ToArray(), new Shape(x.shape.ndims)), "Rank_perm");
        else
            p = MathOps.Sub.Build(MathOps.Sub.Build(Rank.Build(x), 1), Range.Build(0, Rank.Build(x), 1));
        return b.Create(Def, [x, p], new() { { T, x.dtype }, { Tperm, p.dtype } }).outputs[0];
    }

    /// <summary>The gradient is transposed by the inverse permutation.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var perm = op.inputs[1];
        var inverse = perm.op.Def.ConstantValue(perm.op, perm.value_index) is { } p
            ? Shapes.Const(op.graph, InvertPermutation.Of(p.ToArray<int>()), "InvertPermutation")
            : InvertPermutation.Build(perm);
        return [Build(grads[0]!, inverse), null];
    }
}
