using SharpFlow.Framework;

namespace SharpFlow.Ops.NN;

/// <summary>LogSoftmax: <c>x - log(sum(exp(x)))</c> over the last axis, computed stably (<c>tf.nn.log_softmax</c>).</summary>
internal sealed class LogSoftmax : OpDef
{
    public static readonly LogSoftmax Def = new();

    public override string Type => "LogSoftmax";

    public override void InferShapes(InferenceContext ctx)
    {
        var d = ctx.InputDType(0);
        if (!d.is_floating) throw ctx.TypeError($"dtype {d.name} is not supported (float32 or float64)");
        var s = ctx.InputShape(0);
        if (s.IsKnownRank && s.ndims < 1) throw ctx.Error($"logits must have at least one dimension, got shape {s.ToListString()}");
        ctx.AddOutput(d, s);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        if (x.ndim < 1) throw ctx.InvalidArgument($"logits must have >= 1 dimension, got {x.shape.ToListString()}");
        var y = ctx.AllocateOutput(0, x.dtype, x.shape);
        var classes = x.shape[x.ndim - 1];
        if (x.dtype == DType.float32) Kernels.Softmax.Forward(x.AsReadOnlySpan<float>(), y.AsSpan<float>(), classes, log: true);
        else Kernels.Softmax.Forward(x.AsReadOnlySpan<double>(), y.AsSpan<double>(), classes, log: true);
    });

    /// <summary>TensorFlow's <c>_LogSoftmaxGrad</c>: <c>g - sum(g, -1) * exp(y)</c> from the output y.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, y) = (grads[0]!, op.outputs[0]);
        return [Math.Sub.Build(g, Math.Mul.Build(Math.Sum.Build(g, -1, keepDims: true), Math.Exp.Build(y)))];
    }

    /// <summary><c>tf.nn.log_softmax(logits)</c>.</summary>
    public static Tensor Build(TensorLike logits, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "LogSoftmax", logits);
        var x = b.Convert(logits, "logits");
        return b.Create(Def, [x], new() { ["T"] = x.dtype }).outputs[0];
    }
}
