using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.State;

/// <summary>
/// What the ref-variable scatters share (Scatter* and ScatterNd*): input 0 names the variable they update in place,
/// the output is that variable, they run every time and have no gradient, and their updates have the variable's
/// dtype and int32/int64 indices.
/// </summary>
internal abstract class VariableScatterOp : OpDef
{
    /// <summary>How updates combine with the variable.</summary>
    protected abstract ScatterMode Mode { get; }

    public override bool NotDifferentiable => true;

    public override bool IsStateful => true;

    public override bool IsRefInput(int index) => index == 0;

    public override bool IsRefOutput(int index) => true;

    /// <summary>The checks every scatter's shape rule starts with: a variable, matching dtypes, integer indices.</summary>
    protected void CheckInputs(InferenceContext ctx)
    {
        VariableV2.Of(ctx.Inputs[0], $"{Type} \"{ctx.OpName}\"");
        var dtype = ctx.InputDType(0);
        if (ctx.InputDType(2) != dtype)
            throw ctx.TypeError($"updates must have the variable's dtype {dtype.name}, got {ctx.InputDType(2).name}");
        if (Mode != ScatterMode.Update && !dtype.IsNumeric) throw ctx.TypeError($"dtype {dtype.name} is not supported");
        if (ctx.InputDType(1) != DType.int32 && ctx.InputDType(1) != DType.int64)
            throw ctx.TypeError($"indices must be int32 or int64, got {ctx.InputDType(1).name}");
    }
}
