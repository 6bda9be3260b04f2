using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// ConcatOffset: where each input of a concatenation starts in its result, as begin vectors for Slice. Used by
/// ConcatV2's gradient when the shapes are known only at run time.
/// </summary>
internal sealed class ConcatOffset : OpDef
{
    public static readonly ConcatOffset Def = new();
    internal static readonly OpAttr<int> N = new("N");

    public override string Type => "ConcatOffset";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        for (var i = 1; i < ctx.Inputs.Count; i++) ctx.AddOutput(DType.int32, ctx.InputShape(i));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var n = ctx.InputCount - 1;
        var first = ctx.Input(1).ToArray<int>();
        var axis = OpValues.Axis(ctx.Input(0), first.Length, "concat_dim", ctx.InvalidArgumentOf);
        var offset = 0;
        for (var i = 0; i < n; i++)
        {
            var shape = ctx.Input(1 + i).ToArray<int>();
            if (shape.Length != first.Length)
                throw ctx.InvalidArgument($"input {i} should contain {first.Length} elements, but got {shape.Length}");
            var begin = new int[shape.Length];
            begin[axis] = offset;
            offset += shape[axis];
            ctx.ForwardOutput(i, Shapes.Vector(begin));
        }
    });

    /// <summary>Builds the op from the concatenation axis and the int32 shapes of its inputs.</summary>
    public static Tensor[] Build(Tensor axis, IReadOnlyList<Tensor> shapes)
    {
        using var b = OpBuilder.Begin(null, "ConcatOffset", [axis, .. shapes.Select(s => (TensorLike)s)]);
        return [.. b.Create(Def, [axis, .. shapes], new() { { N, shapes.Count } }).outputs];
    }
}
