using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>Where (one-argument <c>tf.where</c>): the coordinates of the true elements, as an int64 <c>[count, rank]</c> matrix.</summary>
internal sealed class Where : OpDef
{
    public static readonly Where Def = new();
    internal static readonly OpAttr<DType> T = new("T", DType.@bool);

    public override string Type => "Where";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.@bool) throw ctx.TypeError($"input must be bool, got {ctx.InputDType(0).name}");
        var s = ctx.InputShape(0);
        ctx.AddOutput(DType.int64, new Shape(-1, s.IsKnownRank ? s.ndims : -1));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        var values = x.AsReadOnlySpan<bool>();
        var dims = x.shape.AsSpan();
        var count = 0;
        foreach (var v in values) if (v) count++;
        var output = ctx.AllocateOutput(0, DType.int64, new Shape(count, dims.Length));
        var o = output.AsSpan<long>();
        var row = 0;
        for (var flat = 0; flat < values.Length; flat++)
        {
            if (!values[flat]) continue;
            var rest = flat;
            for (var d = dims.Length - 1; d >= 0; d--)
            {
                o[row * dims.Length + d] = rest % dims[d];
                rest /= dims[d];
            }
            row++;
        }
    });

    /// <summary><c>tf.where(condition)</c>.</summary>
    public static Tensor Build(TensorLike condition, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "Where", condition);
        var c = b.Convert(condition, "input", condition.Value is Tensor ? null : DType.@bool);
        return b.Create(Def, [c], new() { { T, c.dtype } }).outputs[0];
    }
}
