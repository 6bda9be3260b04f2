using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>IteratorFromStringHandleV2: the iterator a string handle names (feedable iterators, <c>Iterator.from_string_handle</c>).</summary>
internal sealed class IteratorFromStringHandleV2 : OpDef
{
    public static readonly IteratorFromStringHandleV2 Def = new();

    private static readonly OpAttr<DType[]> OutputTypes = new("output_types", []);
    private static readonly OpAttr<Shape[]> OutputShapes = new("output_shapes", []);

    public override string Type => "IteratorFromStringHandleV2";

    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    public override bool AcceptsStrings => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.@string) throw ctx.TypeError($"string_handle must be string, got {ctx.InputDType(0).name}");
        if (ctx.InputShape(0) is { IsKnownRank: true, ndims: not 0 } s) throw ctx.Error($"Shape must be rank 0 but is rank {s.ndims} for 'string_handle'");
        ctx.AddOutput(DType.resource, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var types = OutputTypes.Of(op);
        return OpKernel.From(ctx =>
        {
            var handle = System.Text.Encoding.UTF8.GetString(ctx.Input(0).StringBytes());
            var it = IteratorResource.FromStringHandle(handle)
                ?? throw ctx.InvalidArgument($"Could not find an iterator for the string handle \"{handle}\" (its session may be closed).");
            if (it.Types.Length != types.Length)
                throw ctx.InvalidArgument($"Number of components does not match: expected {types.Length} types but got {it.Types.Length}.");
            for (var i = 0; i < types.Length; i++)
                if (it.Types[i] != types[i])
                    throw ctx.InvalidArgument($"Data type mismatch at component {i}: expected {types[i].name} but got {it.Types[i].name}.");
            ctx.ForwardOutput(0, it.ToHandle());
        });
    }

    /// <summary>The iterator of a string handle.</summary>
    public static Tensor Build(Tensor stringHandle, DType[] types, Shape[] shapes, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "IteratorFromStringHandleV2", stringHandle);
        return b.Create(Def, [b.Convert(stringHandle, "string_handle", DType.@string)], new() { { OutputTypes, types }, { OutputShapes, shapes } }).outputs[0];
    }
}
