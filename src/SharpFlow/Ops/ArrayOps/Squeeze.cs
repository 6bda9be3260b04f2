using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>Squeeze: removes dimensions of size 1 (all of them, or those listed in <c>squeeze_dims</c>).</summary>
internal sealed class Squeeze : OpDef
{
    public static readonly Squeeze Def = new();

    private static readonly OpAttr<int[]> SqueezeDims = new("squeeze_dims", []);
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "Squeeze";

    public override void InferShapes(InferenceContext ctx)
    {
        var input = ctx.InputShape(0);
        if (!input.IsKnownRank)
        {
            ctx.AddOutput(ctx.InputDType(0), Shape.Unknown);
            return;
        }
        var axes = SqueezeDims.Of(ctx);
        ctx.AddOutput(ctx.InputDType(0), Squeezed(input.Dims, axes, m => ctx.Error(m), staticShape: true));
    }

    private static Shape Squeezed(int[] dims, int[] axes, Func<string, Exception> error, bool staticShape)
    {
        var rank = dims.Length;
        var remove = new bool[rank];
        if (axes.Length == 0)
        {
            for (var i = 0; i < rank; i++)
            {
                if (dims[i] == 1) remove[i] = true;
                else if (dims[i] < 0 && staticShape) return Shape.Unknown;
            }
        }
        foreach (var a in axes)
        {
            if (a < -rank || a >= rank) throw error($"Tried to squeeze dim index {a} for tensor with {rank} dimensions.");
            var i = a < 0 ? a + rank : a;
            if (dims[i] >= 0 && dims[i] != 1) throw error($"Can not squeeze dim[{i}], expected a dimension of 1, got {dims[i]}");
            remove[i] = true;
        }
        return Shape.Own(dims.Where((_, i) => !remove[i]).ToArray());
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var axes = SqueezeDims.Of(op);
        return OpKernel.From(ctx =>
        {
            var x = ctx.Input(0);
            ctx.ForwardOutput(0, x.Reshape(Squeezed(x.shape.Dims, axes, ctx.InvalidArgumentOf, staticShape: false)));
        });
    }

    /// <summary><c>tf.squeeze(input, axis)</c>.</summary>
    public static Tensor Build(TensorLike input, int[]? axis = null, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "Squeeze", input);
        var x = b.Convert(input, "input");
        return b.Create(Def, [x], new() { { T, x.dtype }, { SqueezeDims, axis ?? [] } }).outputs[0];
    }

    /// <summary>The gradient is reshaped back to the input's shape.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [Reshape.Build(grads[0]!, Shapes.Of(op.inputs[0]))];
}
