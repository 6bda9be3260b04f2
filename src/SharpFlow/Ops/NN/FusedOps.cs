using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.NN;

/// <summary>What a fused op's <c>fused_ops</c> asks for after the product: the activation and whether a residual is added.</summary>
/// <param name="Activation">The activation (None: bias only).</param>
/// <param name="Residual">Whether input 3 is added after the bias (<c>["BiasAdd", "Add", ...]</c>, <c>num_args = 2</c>).</param>
internal readonly record struct Fusion(FusedActivation Activation, bool Residual);

/// <summary>The product a fused op computes into <c>y</c>, with the epilogue act((y + bias) + residual) applied as it goes.</summary>
internal delegate void FusedProduct(NDArray y, NDArray bias, NDArray? residual, FusedActivation activation);

/// <summary>What the fused ops share: reading <c>fused_ops</c>, checking the bias and residual, and the epilogue.</summary>
internal static class FusedOps
{
    internal static readonly OpAttr<string[]> FusedOpsAttr = new("fused_ops", []);
    internal static readonly OpAttr<int> NumArgs = new("num_args", 1);
    internal static readonly OpAttr<float> Epsilon = new("epsilon", 0.0001f);

    /// <summary>
    /// The fusion named by <c>fused_ops</c>: <c>["BiasAdd"]</c>, <c>["BiasAdd", act]</c>, <c>["BiasAdd", "Add"]</c>
    /// or <c>["BiasAdd", "Add", act]</c> (TensorFlow's remapper's patterns), act one of Relu, Relu6, Elu, Tanh, Sigmoid.
    /// </summary>
    public static Fusion FusionOf(Operation op)
    {
        var fused = FusedOpsAttr.Of(op);
        var residual = fused.Length >= 2 && fused[1] == "Add";
        var activations = fused.Length - (residual ? 2 : 1);
        if (fused.Length == 0 || fused[0] != "BiasAdd" || activations > 1)
            throw new UnimplementedError($"{op.type} \"{op.name}\": unsupported fusion [{string.Join(", ", fused)}]; BiasAdd, optionally Add, and one of Relu, Relu6, Elu, Tanh, Sigmoid are supported");
        var numArgs = NumArgs.Of(op);
        if (numArgs != (residual ? 2 : 1) || op.inputs.Count != 2 + numArgs)
            throw new UnimplementedError($"{op.type} \"{op.name}\": fused_ops [{string.Join(", ", fused)}] with num_args {numArgs} and {op.inputs.Count} inputs");
        if (activations == 0) return new Fusion(FusedActivation.None, residual);
        var name = fused[^1];
        return new Fusion(name switch
        {
            "Relu" => FusedActivation.Relu,
            "Relu6" => FusedActivation.Relu6,
            "Elu" => FusedActivation.Elu,
            "Tanh" => FusedActivation.Tanh,
            "Sigmoid" => FusedActivation.Sigmoid,
            _ => throw new UnimplementedError($"{op.type} \"{op.name}\": unsupported fused activation {name}"),
        }, residual);
    }

    /// <summary>The activation named by <c>fused_ops</c>.</summary>
    public static FusedActivation ActivationOf(Operation op) => FusionOf(op).Activation;

    /// <summary>
    /// The shape rule shared by the fused ops: <paramref name="product"/> (the unfused op's shape rule) declares the
    /// product's output on a context of its own; the bias is a vector of its channel count; with a residual
    /// (<c>num_args = 2</c>, input 3) the output is the broadcast of the product and the residual, as Add's.
    /// </summary>
    public static void InferShapes(InferenceContext ctx, OpDef product)
    {
        var inner = new InferenceContext(ctx.OpType, ctx.OpName, ctx.Inputs, ctx.Attrs, ctx.Def);
        product.InferShapes(inner);
        var (dtype, output) = inner.Outputs[0];
        CheckBias(ctx, output);
        var numArgs = NumArgs.Of(ctx);
        if (numArgs is < 1 or > 2 || ctx.Inputs.Count != 2 + numArgs)
            throw ctx.Error($"expects num_args (1 or 2) extra inputs after the two operands, got num_args {numArgs} and {ctx.Inputs.Count} inputs");
        if (numArgs == 2)
        {
            if (ctx.InputDType(3) != ctx.InputDType(0)) throw ctx.TypeError($"the residual has dtype {ctx.InputDType(3).name}, not {ctx.InputDType(0).name}");
            output = Shape.TryBroadcast(output, ctx.InputShape(3))
                     ?? throw ctx.Error($"incompatible shapes for broadcasting: {output.ToListString()} and {ctx.InputShape(3).ToListString()}");
        }
        ctx.AddOutput(dtype, output);
    }

    /// <summary>The bias rule: a vector of the product's channel count, of its dtype.</summary>
    public static void CheckBias(InferenceContext ctx, Shape output)
    {
        var bias = ctx.InputShape(2);
        if (ctx.InputDType(2) != ctx.InputDType(0)) throw ctx.TypeError($"bias has dtype {ctx.InputDType(2).name}, not {ctx.InputDType(0).name}");
        if (bias.IsKnownRank && bias.ndims != 1) throw ctx.Error($"bias must be a vector, got shape {bias.ToListString()}");
        if (output.IsKnownRank && bias.IsKnownRank && output[output.ndims - 1] >= 0 && bias[0] >= 0 && output[output.ndims - 1] != bias[0])
            throw ctx.Error($"Dimensions must be equal, but are {output[output.ndims - 1]} and {bias[0]}");
    }

    /// <summary>
    /// Runs a fused op's kernel: allocates the output of the product's shape and lets <paramref name="product"/>
    /// compute it with the bias, residual and activation applied per tile (Tanh and Sigmoid then over the whole
    /// tensor, by their own kernel, so every element rounds as unfused). A residual whose run-time shape is not the
    /// product's (a broadcast the static shapes did not rule out) is added as Add would, after the bias.
    /// </summary>
    public static void Run(OpKernelContext ctx, Fusion fusion, Shape productShape, FusedProduct product)
    {
        var x = ctx.Input(0);
        var bias = ctx.Input(2);
        var channels = productShape[productShape.ndims - 1];
        if (bias.ndim != 1 || bias.shape[0] != channels)
            throw ctx.InvalidArgument($"Must provide as many biases as the last dimension of the input tensor: {bias.shape.ToListString()} vs. {productShape.ToListString()}");
        var residual = fusion.Residual ? ctx.Input(3) : null;
        if (residual is null || residual.shape.Equals(productShape))
        {
            var y = ctx.AllocateUninitializedOutput(0, x.dtype, productShape);
            product(y, bias, residual, fusion.Activation);
            // Tanh and Sigmoid: the activation's own kernel over the whole tensor.
            if (fusion.Activation == FusedActivation.Tanh) ElementwiseKernels.FloatUnary<TanhOperator>(y, y);
            else if (fusion.Activation == FusedActivation.Sigmoid) ElementwiseKernels.FloatUnary<SigmoidOperator>(y, y);
            return;
        }
        var shape = Broadcast.Shape(productShape.AsSpan(), residual.shape.AsSpan())
                    ?? throw ctx.InvalidArgument($"Incompatible shapes: {productShape.ToListString()} vs. {residual.shape.ToListString()}");
        var sum = NDArray.Zeros(x.dtype, productShape);
        product(sum, bias, null, FusedActivation.None);
        var z = ctx.AllocateUninitializedOutput(0, x.dtype, Shape.Own(shape));
        ElementwiseKernels.Binary<AddOperator>(sum, residual, z);
        switch (fusion.Activation)
        {
            case FusedActivation.Relu: ElementwiseKernels.FloatUnary<ReluOperator>(z, z); break;
            case FusedActivation.Relu6: ElementwiseKernels.FloatUnary<Relu6Operator>(z, z); break;
            case FusedActivation.Elu: ElementwiseKernels.FloatUnary<EluOperator>(z, z); break;
            case FusedActivation.Tanh: ElementwiseKernels.FloatUnary<TanhOperator>(z, z); break;
            case FusedActivation.Sigmoid: ElementwiseKernels.FloatUnary<SigmoidOperator>(z, z); break;
        }
    }

    /// <summary>The epilogue over float32 arrays.</summary>
    public static GemmEpilogue<float> Float(NDArray bias, NDArray? residual, FusedActivation activation) =>
        new(bias.AsReadOnlySpan<float>(), residual is null ? default : residual.AsReadOnlySpan<float>(), activation);

    /// <summary>The epilogue over float64 arrays.</summary>
    public static GemmEpilogue<double> Double(NDArray bias, NDArray? residual, FusedActivation activation) =>
        new(bias.AsReadOnlySpan<double>(), residual is null ? default : residual.AsReadOnlySpan<double>(), activation);
}
