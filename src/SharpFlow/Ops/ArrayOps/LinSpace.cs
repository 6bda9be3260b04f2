using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>LinSpace: <c>num</c> evenly spaced values from <c>start</c> to <c>stop</c> inclusive.</summary>
internal sealed class LinSpace : OpDef
{
    public static readonly LinSpace Def = new();
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Tidx = new("Tidx", DType.int32);

    public override string Type => "LinSpace";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (!ctx.InputDType(0).is_floating) throw ctx.TypeError($"start and stop must be float32 or float64, got {ctx.InputDType(0).name}");
        var num = ctx.ConstantInput(2) is { } n ? OpValues.Scalar(n, "num", m => ctx.Error(m)) : -1;
        if (num == 0 || num < -1 || num > int.MaxValue) throw ctx.Error($"Requires num > 0: {num}");
        ctx.AddOutput(ctx.InputDType(0), new Shape((int)num));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var start = OpValues.ScalarDouble(ctx.Input(0), "start", ctx.InvalidArgumentOf);
        var stop = OpValues.ScalarDouble(ctx.Input(1), "stop", ctx.InvalidArgumentOf);
        var num = OpValues.Scalar(ctx.Input(2), "num", ctx.InvalidArgumentOf);
        if (num <= 0 || num > int.MaxValue) throw ctx.InvalidArgument($"Requires num > 0: {num}");
        var output = ctx.AllocateOutput(0, ctx.Input(0).dtype, new Shape((int)num));
        // As TensorFlow's kernel: the step and every value are computed in the output's precision.
        if (output.dtype == DType.float32)
        {
            var o = output.AsSpan<float>();
            var (s, e) = ((float)start, (float)stop);
            var step = num == 1 ? 0f : (e - s) / (num - 1);
            for (var i = 0; i < num - 1; i++) o[i] = s + step * i;
            o[(int)num - 1] = num == 1 ? s : e;
        }
        else
        {
            var o = output.AsSpan<double>();
            var step = num == 1 ? 0 : (stop - start) / (num - 1);
            for (var i = 0; i < num - 1; i++) o[i] = start + step * i;
            o[(int)num - 1] = num == 1 ? start : stop;
        }
    });

    /// <summary><c>tf.lin_space(start, stop, num)</c> (also <c>tf.linspace</c>).</summary>
    public static Tensor Build(TensorLike start, TensorLike stop, TensorLike num, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "LinSpace", start, stop, num);
        var values = b.SameType("LinSpace", [start, stop], ["start", "stop"], DType.float32);
        var n = b.Convert(num, "num");
        return b.Create(Def, [values[0], values[1], n], new() { { T, values[0].dtype }, { Tidx, n.dtype } }).outputs[0];
    }
}
