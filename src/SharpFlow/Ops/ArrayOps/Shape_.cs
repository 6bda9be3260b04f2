using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// Shape: a tensor's dimensions as an int32 (or int64) vector. When the static shape is fully known, the value
/// is known at build time and folds into shape rules.
/// </summary>
/// <remarks>The file and class are named <c>Shape_</c> so they do not hide the <see cref="SharpFlow.Shape"/> type.</remarks>
internal sealed class Shape_ : OpDef
{
    public static readonly Shape_ Def = new();

    internal static readonly OpAttr<DType> OutType = new("out_type", DType.int32);
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "Shape";

    public override bool AcceptsStrings => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var s = ctx.InputShape(0);
        var outType = OutType.Of(ctx);
        if (outType != DType.int32 && outType != DType.int64)
            throw ctx.TypeError($"Value for attr 'out_type' of {outType.name} is not in the list of allowed values: int32, int64");
        ctx.AddOutput(outType, s.IsKnownRank ? new Shape(s.ndims) : Shape.UnknownDims(1));
    }

    private static readonly Shape[] Vectors = [.. Enumerable.Range(0, 9).Select(n => new Shape(n))];

    public override OpKernel CreateKernel(Operation op)
    {
        var outType = OutType.Of(op);
        return OpKernel.From(ctx =>
        {
            // Every training step reads shapes (the gradients of broadcasting ops): fill a pooled output in place.
            var shape = ctx.Input(0).shape;
            var rank = shape.ndims;
            var value = ctx.AllocateUninitializedOutput(0, outType, rank < Vectors.Length ? Vectors[rank] : new Shape(rank));
            if (outType == DType.int32)
            {
                var to = value.AsSpan<int>();
                for (var i = 0; i < rank; i++) to[i] = shape[i];
            }
            else
            {
                var to = value.AsSpan<long>();
                for (var i = 0; i < rank; i++) to[i] = shape[i];
            }
        });
    }

    public override Shape? PartialShapeValue(Operation op, int index) =>
        op.inputs[0].shape.IsKnownRank ? op.inputs[0].shape : null;

    public override NDArray? ConstantValue(Operation op, int index)
    {
        var s = op.inputs[0].shape;
        if (!s.IsFullyDefined) return null;
        var value = NDArray.FromFlat(s.Dims, new Shape(s.ndims));
        var outType = OutType.Of(op);
        return outType == DType.int32 ? value : value.Cast(outType);
    }

    /// <summary><c>tf.shape(input, out_type)</c>.</summary>
    public static Tensor Build(TensorLike input, DType? outType = null, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "Shape", input);
        var x = b.Convert(input, "input");
        return b.Create(Def, [x], new() { { T, x.dtype }, { OutType, outType ?? DType.int32 } }).outputs[0];
    }
}
