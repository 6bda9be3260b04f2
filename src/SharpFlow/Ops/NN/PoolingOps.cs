using SharpFlow.Framework;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>
/// What the pooling ops (MaxPool, AvgPool and their gradient ops) share: the pooled shape from the
/// <c>ksize</c>/<c>strides</c>/<c>padding</c> attributes at build time, and the window geometry at run time.
/// </summary>
internal static class Pooling
{
    /// <summary>The pooled shape of an input of static shape <paramref name="input"/>, after checking the attributes.</summary>
    public static Shape OutputShape(InferenceContext ctx, Shape input)
    {
        var attrs = WindowAttrs.Of(ctx);
        attrs.Validate(m => ctx.Error(m));
        var (kh, kw) = attrs.Window(Shape.Unknown);
        return attrs.OutputShape(input, kh, kw, input.IsKnownRank && input.ndims == 4 ? input[3] : -1, m => ctx.Error(m));
    }

    /// <summary>The run-time pooling geometry for an input shape.</summary>
    public static Window2D Geometry(OpKernelContext ctx, Shape input)
    {
        var attrs = WindowAttrs.Cached(ctx.op);
        var (kh, kw) = attrs.Window(Shape.Unknown);
        return attrs.Geometry(input, kh, kw, ctx.InvalidArgumentOf);
    }

    /// <summary>The pooled output shape of a geometry.</summary>
    public static Shape Output(Window2D g) => Shape.Interned([g.Batch, g.OutHeight, g.OutWidth, g.Channels]);
}
