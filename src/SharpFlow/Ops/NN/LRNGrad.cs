using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.NN;

/// <summary>
/// LRNGrad(input_grads, input_image, output_image): the gradient of LRN, with LRN's attributes. TensorFlow registers
/// no gradient for it; here it is marked not differentiable.
/// </summary>
internal sealed class LRNGrad : OpDef
{
    public static readonly LRNGrad Def = new();

    public override string Type => "LRNGrad";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var d = LRN.CheckFloat(ctx, 0, 1, 2);
        var s = LRN.CheckRank4(ctx, ctx.InputShape(0));
        foreach (var i in new[] { 1, 2 })
        {
            var other = LRN.CheckRank4(ctx, ctx.InputShape(i));
            if (!s.IsCompatibleWith(other))
                throw ctx.Error($"input_grads, input_image and output_image must have one shape, got {ctx.InputShape(0).ToListString()}, {ctx.InputShape(1).ToListString()}, {ctx.InputShape(2).ToListString()}");
            s = s.MergeWith(other);
        }
        ctx.AddOutput(d, s);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (dy, x, y) = (ctx.Input(0), ctx.Input(1), ctx.Input(2));
        if (x.ndim != 4 || dy.shape != x.shape || y.shape != x.shape)
            throw ctx.InvalidArgument($"input_grads, input_image, and output_image must be 4-dimensional and of one shape, got {dy.shape.ToListString()}, {x.shape.ToListString()}, {y.shape.ToListString()}");
        var (r, bias, alpha, beta) = LRN.Params(ctx.op);
        var dx = ctx.AllocateUninitializedOutput(0, x.dtype, x.shape);
        var depth = x.shape[3];
        if (x.dtype == DType.float32)
            LocalResponseNormalization.Backward(dy.AsReadOnlySpan<float>(), x.AsReadOnlySpan<float>(), y.AsReadOnlySpan<float>(), dx.AsSpan<float>(), depth, r, bias, alpha, beta);
        else
            LocalResponseNormalization.Backward(dy.AsReadOnlySpan<double>(), x.AsReadOnlySpan<double>(), y.AsReadOnlySpan<double>(), dx.AsSpan<double>(), depth, r, bias, alpha, beta);
    });

    internal static Tensor Build(Tensor grad, Tensor input, Tensor output, int depthRadius, float bias, float alpha, float beta, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "LRNGrad", grad, input, output);
        var inputs = b.SameType("LRNGrad", [grad, input, output], ["input_grads", "input_image", "output_image"]);
        return b.Create(Def, inputs, LRN.AttrMap(inputs[0].dtype, depthRadius, bias, alpha, beta)).outputs[0];
    }
}
