using SharpFlow.Framework;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>
/// MaxPoolWithArgmax: max pooling of NHWC images that also outputs, for each maximum, its flattened index
/// <c>(y * width + x) * channels + c</c> (with include_batch_in_index, <c>((b * height + y) * width + x) * channels + c</c>)
/// as Targmax (int64 by default) (<c>tf.nn.max_pool_with_argmax</c>).
/// </summary>
internal sealed class MaxPoolWithArgmax : OpDef
{
    public static readonly MaxPoolWithArgmax Def = new();

    private static readonly OpAttr<DType> TargmaxAttr = new("Targmax", DType.int64);
    internal static readonly OpAttr<bool> IncludeBatchInIndex = new("include_batch_in_index", false);

    public override string Type => "MaxPoolWithArgmax";

    public override void InferShapes(InferenceContext ctx)
    {
        var d = WindowAttrs.CheckFloat(ctx, 0);
        var targmax = TargmaxAttr.Of(ctx);
        if (targmax != DType.int64 && targmax != DType.int32) throw ctx.TypeError($"Targmax must be int32 or int64, got {targmax.name}");
        var shape = Pooling.OutputShape(ctx, ctx.InputShape(0));
        ctx.AddOutput(d, shape);
        ctx.AddOutput(targmax, shape);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        var g = Pooling.Geometry(ctx, x.shape);
        var include = IncludeBatchInIndex.Of(ctx);
        var y = ctx.AllocateUninitializedOutput(0, x.dtype, Pooling.Output(g));
        var targmax = TargmaxAttr.Of(ctx);
        var indexes = new long[y.shape.NumElements];
        if (x.dtype == DType.float32) ArgmaxPoolingKernels.MaxPool(x.AsReadOnlySpan<float>(), y.AsSpan<float>(), indexes, g, include);
        else ArgmaxPoolingKernels.MaxPool(x.AsReadOnlySpan<double>(), y.AsSpan<double>(), indexes, g, include);
        var argmax = ctx.AllocateUninitializedOutput(1, targmax, y.shape);
        if (targmax == DType.int64) indexes.CopyTo(argmax.AsSpan<long>());
        else
        {
            var dst = argmax.AsSpan<int>();
            for (var i = 0; i < indexes.Length; i++) dst[i] = (int)indexes[i];
        }
    });

    /// <summary>TensorFlow's <c>_MaxPoolGradWithArgmax</c>: MaxPoolGradWithArgmax(input, grad, argmax); none for argmax.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        [MaxPoolGradWithArgmax.Build(op.inputs[0], grads[0]!, op.outputs[1], WindowAttrs.Of(op), IncludeBatchInIndex.Of(op))];

    /// <summary><c>tf.nn.max_pool_with_argmax(input, ksize, strides, padding, Targmax, include_batch_in_index)</c>.</summary>
    public static (Tensor Output, Tensor Argmax) Build(TensorLike input, int[] ksize, int[] strides, string padding, DType? targmax = null,
        bool includeBatchInIndex = false, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "MaxPoolWithArgmax", input);
        var x = b.Convert(input, "input");
        var attrs = WindowAttrs.ForPool(ksize, strides, padding).ToAttrs(x.dtype);
        attrs.Remove("data_format");
        attrs.Add(TargmaxAttr, targmax ?? DType.int64);
        attrs.Add(IncludeBatchInIndex, includeBatchInIndex);
        var op = b.Create(Def, [x], attrs);
        return (op.outputs[0], op.outputs[1]);
    }
}
