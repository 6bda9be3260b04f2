using SharpFlow.Framework;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>
/// MaxPoolGradWithArgmax(input, grad, argmax): the gradient of MaxPoolWithArgmax, each output's gradient added at
/// its argmax. Its own gradient (TensorFlow's MaxPoolGradGradWithArgmax) is not implemented: marked not
/// differentiable.
/// </summary>
internal sealed class MaxPoolGradWithArgmax : OpDef
{
    public static readonly MaxPoolGradWithArgmax Def = new();

    private static readonly OpAttr<DType> TAttr = new("T");
    private static readonly OpAttr<DType> TargmaxAttr = new("Targmax");

    public override string Type => "MaxPoolGradWithArgmax";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var d = WindowAttrs.CheckFloat(ctx, 0, 1);
        var pooled = Pooling.OutputShape(ctx, ctx.InputShape(0));
        if (!pooled.IsCompatibleWith(ctx.InputShape(1)))
            throw ctx.Error($"grad has shape {ctx.InputShape(1).ToListString()}, but pooling gives {pooled.ToListString()}");
        if (!pooled.IsCompatibleWith(ctx.InputShape(2)))
            throw ctx.Error($"argmax has shape {ctx.InputShape(2).ToListString()}, but pooling gives {pooled.ToListString()}");
        if (ctx.InputDType(2) != DType.int64 && ctx.InputDType(2) != DType.int32)
            throw ctx.TypeError($"argmax must be int32 or int64, got {ctx.InputDType(2).name}");
        ctx.AddOutput(d, ctx.InputShape(0));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (x, dy, argmax) = (ctx.Input(0), ctx.Input(1), ctx.Input(2));
        var g = Pooling.Geometry(ctx, x.shape);
        WindowAttrs.CheckOutput(Pooling.Output(g), dy.shape, ctx, "grad");
        WindowAttrs.CheckOutput(Pooling.Output(g), argmax.shape, ctx, "argmax");
        var include = MaxPoolWithArgmax.IncludeBatchInIndex.Of(ctx);
        var indexes = argmax.dtype == DType.int64 ? argmax.AsReadOnlySpan<long>().ToArray() : argmax.AsReadOnlySpan<int>().ToArray().Select(i => (long)i).ToArray();
        var dx = ctx.AllocateOutput(0, x.dtype, x.shape);
        var bad = x.dtype == DType.float32
            ? ArgmaxPoolingKernels.Grad(dy.AsReadOnlySpan<float>(), indexes, dx.AsSpan<float>(), g, include)
            : ArgmaxPoolingKernels.Grad(dy.AsReadOnlySpan<double>(), indexes, dx.AsSpan<double>(), g, include);
        if (bad >= 0)
            throw ctx.InvalidArgument($"Invalid argmax {indexes[bad]} at position {bad}: outside the input of shape {x.shape.ToListString()}");
    });

    internal static Tensor Build(Tensor input, Tensor grad, Tensor argmax, WindowAttrs pool, bool includeBatchInIndex, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "MaxPoolGradWithArgmax", input, grad, argmax);
        var inputs = b.SameType("MaxPoolGradWithArgmax", [input, grad], ["input", "grad"]);
        var attrs = new Dictionary<string, object>
        {
            { TAttr, inputs[0].dtype }, { TargmaxAttr, argmax.dtype }, { WindowAttrs.KsizeAttr, pool.Ksize! }, { WindowAttrs.StridesAttr, pool.Strides },
            { WindowAttrs.PaddingAttr, pool.Padding }, { MaxPoolWithArgmax.IncludeBatchInIndex, includeBatchInIndex },
        };
        return b.Create(Def, [inputs[0], inputs[1], argmax], attrs).outputs[0];
    }
}
