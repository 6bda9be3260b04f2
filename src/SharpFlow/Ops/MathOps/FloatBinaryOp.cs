using SharpFlow.Framework;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// The shared rule of the fused activation-gradient ops (ReluGrad, SigmoidGrad, ...): two float inputs of one
/// dtype and one shape, an output like them.
/// </summary>
internal abstract class FloatBinaryOp : OpDef
{
    internal static readonly OpAttr<DType> T = new("T", DType.float32);

    /// <summary>The TensorFlow names of the two inputs, for messages.</summary>
    protected abstract (string A, string B) InputNames { get; }

    /// <summary>Computes <paramref name="d"/> (already allocated).</summary>
    protected abstract void Compute(NDArray a, NDArray b, NDArray d);

    public override void InferShapes(InferenceContext ctx)
    {
        var (da, db) = (ctx.InputDType(0), ctx.InputDType(1));
        if (da != db) throw ctx.TypeError($"inputs have different dtypes: {da.name} and {db.name}");
        if (!da.is_floating) throw ctx.TypeError($"dtype {da.name} is not supported (float32 or float64)");
        var (sa, sb) = (ctx.InputShape(0), ctx.InputShape(1));
        if (!sa.IsCompatibleWith(sb))
            throw ctx.Error($"{InputNames.A} and {InputNames.B} must have the same shape, got {sa.ToListString()} and {sb.ToListString()}");
        ctx.AddOutput(da, sa.IsFullyDefined ? sa : sb);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (a, b) = (ctx.Input(0), ctx.Input(1));
        if (a.shape != b.shape)
            throw ctx.InvalidArgument($"{InputNames.A} and {InputNames.B} must be the same size: {a.shape.ToListString()} vs. {b.shape.ToListString()}");
        Compute(a, b, ctx.AllocateUninitializedOutput(0, a.dtype, a.shape));
    });

    /// <summary>Builds the op.</summary>
    public Tensor Apply(Tensor a, Tensor b, string? name = null)
    {
        using var builder = OpBuilder.Begin(name, Type, a, b);
        var inputs = builder.SameType(Type, [a, b], [InputNames.A, InputNames.B]);
        return builder.Create(this, inputs, new() { { T, inputs[0].dtype } }).outputs[0];
    }
}
