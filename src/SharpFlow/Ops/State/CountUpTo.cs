using SharpFlow.Framework;

namespace SharpFlow.Ops.State;

/// <summary>
/// CountUpTo: increments an int32 or int64 variable and outputs its value from before; once it has reached
/// <c>limit</c> it raises OutOfRangeError ("Reached limit of N") and leaves the variable alone. What
/// <c>tf.train.limit_epochs</c> counts epochs with.
/// </summary>
internal sealed class CountUpTo : OpDef
{
    public static readonly CountUpTo Def = new();

    private static readonly OpAttr<long> Limit = new("limit");
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "CountUpTo";

    public override bool NotDifferentiable => true;

    public override bool IsStateful => true;

    public override bool IsRefInput(int index) => true;

    public override void InferShapes(InferenceContext ctx)
    {
        VariableV2.Of(ctx.Inputs[0], $"CountUpTo \"{ctx.OpName}\"");
        var dtype = ctx.InputDType(0);
        if (dtype != DType.int32 && dtype != DType.int64)
            throw ctx.TypeError($"Value for attr 'T' of {dtype.name} is not in the list of allowed values: int32, int64");
        var shape = ctx.InputShape(0);
        if (shape.ndims > 0) throw ctx.Error($"Shape must be rank 0 but is rank {shape.ndims}");
        ctx.AddOutput(dtype, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var variable = VariableV2.Of(op.inputs[0], op.name);
        var limit = Limit.Of(op);
        return OpKernel.From(ctx =>
        {
            using var _ = ctx.Variables.Lock(variable);
            var value = ctx.Variables.Read(variable)
                ?? throw new FailedPreconditionError(VariableV2.UninitializedMessage(variable));
            var before = value.dtype == DType.int32 ? value.AsSpan<int>()[0] : value.AsSpan<long>()[0];
            if (before >= limit) throw new OutOfRangeError($"Reached limit of {limit}");
            ctx.Variables.Write(variable, value.dtype == DType.int32 ? NDArray.Scalar((int)(before + 1)) : NDArray.Scalar(before + 1));
            ctx.ForwardOutput(0, value.dtype == DType.int32 ? NDArray.Scalar((int)before) : NDArray.Scalar(before));
        });
    }

    /// <summary><c>tf.count_up_to(ref, limit)</c> (<c>variable.count_up_to(limit)</c>).</summary>
    public static Tensor Build(Variable variable, long limit, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(variable);
        using var b = OpBuilder.Begin(name, "CountUpTo", variable);
        return b.Create(Def, [variable.op.outputs[variable.value_index]], new() { { T, variable.dtype }, { Limit, limit } }).outputs[0];
    }
}
