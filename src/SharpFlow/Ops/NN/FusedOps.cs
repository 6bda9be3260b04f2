using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.NN;

/// <summary>What the fused ops share: reading <c>fused_ops</c>, checking the bias, and the epilogue.</summary>
internal static class FusedOps
{
    /// <summary>The activation named by <c>fused_ops</c> (<c>["BiasAdd"]</c> or <c>["BiasAdd", "Relu"]</c>).</summary>
    public static FusedActivation ActivationOf(Operation op)
    {
        var fused = op.attrs.TryGetValue("fused_ops", out var f) && f is string[] names ? names : [];
        if (fused.Length == 0 || fused[0] != "BiasAdd" || fused.Length > 2)
            throw new UnimplementedError($"{op.type} \"{op.name}\": unsupported fusion [{string.Join(", ", fused)}]; BiasAdd and one of Relu, Relu6, Elu, Tanh, Sigmoid are supported");
        if (fused.Length == 1) return FusedActivation.None;
        return fused[1] switch
        {
            "Relu" => FusedActivation.Relu,
            "Relu6" => FusedActivation.Relu6,
            "Elu" => FusedActivation.Elu,
            "Tanh" => FusedActivation.Tanh,
            "Sigmoid" => FusedActivation.Sigmoid,
            _ => throw new UnimplementedError($"{op.type} \"{op.name}\": unsupported fused activation {fused[1]}"),
        };
    }

    /// <summary>The shape rule shared by both ops: the product's output, a vector bias of its channel count.</summary>
    public static void CheckBias(InferenceContext ctx, Shape output)
    {
        var bias = ctx.InputShape(2);
        if (ctx.InputDType(2) != ctx.InputDType(0)) throw ctx.TypeError($"bias has dtype {ctx.InputDType(2).name}, not {ctx.InputDType(0).name}");
        if (bias.IsKnownRank && bias.ndims != 1) throw ctx.Error($"bias must be a vector, got shape {bias.ToListString()}");
        if (output.IsKnownRank && bias.IsKnownRank && output[output.ndims - 1] >= 0 && bias[0] >= 0 && output[output.ndims - 1] != bias[0])
            throw ctx.Error($"Dimensions must be equal, but are {output[output.ndims - 1]} and {bias[0]}");
    }

    /// <summary>Adds the bias and applies the activation in place on <paramref name="y"/>, as BiasAdd and the activation would.</summary>
    public static void Epilogue(OpKernelContext ctx, NDArray y, NDArray bias, FusedActivation activation)
    {
        if (bias.ndim != 1 || bias.shape[0] != y.shape[y.ndim - 1])
            throw ctx.InvalidArgument($"Must provide as many biases as the last dimension of the input tensor: {bias.shape.ToListString()} vs. {y.shape.ToListString()}");
        if (y.dtype == DType.float32) BiasActivation.Apply(y.AsSpan<float>(), bias.AsReadOnlySpan<float>(), activation);
        else BiasActivation.Apply(y.AsSpan<double>(), bias.AsReadOnlySpan<double>(), activation);
        // Tanh and Sigmoid: the activation's own kernel over the whole tensor, so every element rounds as it would unfused.
        if (activation == FusedActivation.Tanh) ElementwiseKernels.FloatUnary<TanhOperator>(y, y);
        else if (activation == FusedActivation.Sigmoid) ElementwiseKernels.FloatUnary<SigmoidOperator>(y, y);
    }
}
