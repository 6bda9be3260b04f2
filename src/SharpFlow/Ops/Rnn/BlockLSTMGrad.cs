using System.Numerics;
using SharpFlow.Framework;
using SharpFlow.Kernels.Rnn;

namespace SharpFlow.Ops.Rnn;

/// <summary>
/// BlockLSTMGrad: the backward pass of <see cref="BlockLSTM"/> over the whole sequence (TensorFlow's kernel: from
/// step seq_len_max − 1 down to 0, each step's cs and h gradients plus those carried back from the next step).
/// Inputs: BlockLSTM's nine inputs, its seven outputs, and the gradients of cs and h. Outputs the gradients of x,
/// cs_prev, h_prev, w, wci, wcf, wco and b, each of its input's shape. Like TensorFlow, it has no gradient itself.
/// </summary>
internal sealed class BlockLSTMGrad : OpDef
{
    public static readonly BlockLSTMGrad Def = new();

    private static readonly OpAttr<bool> UsePeephole = new("use_peephole");
    internal static readonly OpAttr<DType> TAttr = new("T");

    public override string Type => "BlockLSTMGrad";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.int64) throw ctx.TypeError($"seq_len_max must be int64, got {ctx.InputDType(0).name}");
        var dtype = FusedLstm.CheckTypes(ctx, 1);
        FusedLstm.WithRank(ctx, 1, 3, "x");
        for (var k = 1; k <= 8; k++) ctx.AddOutput(dtype, ctx.InputShape(k));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var usePeephole = UsePeephole.Of(op);
        return OpKernel.From(ctx =>
        {
            if (ctx.Input(1).dtype == DType.float32) Compute<float>(ctx, usePeephole);
            else Compute<double>(ctx, usePeephole);
        });
    }

    private static void Compute<T>(OpKernelContext ctx, bool usePeephole) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (steps, time, batch, input, cell) = BlockLSTM.Check(ctx);
        string[] names = ["i", "cs", "f", "o", "ci", "co", "h", "cs_grad", "h_grad"];
        for (var k = 0; k < names.Length; k++)
        {
            var v = ctx.Input(9 + k);
            if (v.ndim != 3 || v.shape[0] != time || v.shape[1] != batch || v.shape[2] != cell)
                throw ctx.InvalidArgument($"{names[k]} must be [timelen, batch_size, cell_size] = [{time}, {batch}, {cell}], got {v.shape.ToListString()}");
        }
        var grads = new NDArray[8];
        for (var k = 0; k < 8; k++) grads[k] = ctx.AllocateOutput(k, ctx.Input(1).dtype, ctx.Input(1 + k).shape);
        ReadOnlySpan<T> In(int k) => ctx.Input(k).AsReadOnlySpan<T>();
        LstmBlock.SequenceBackward<T>(In(1), In(2), In(3), In(4), In(5), In(6), In(7),
            In(9), In(10), In(11), In(12), In(13), In(14), In(15), In(16), In(17), usePeephole, steps, batch, input, cell,
            grads[0].AsSpan<T>(), grads[1].AsSpan<T>(), grads[2].AsSpan<T>(), grads[3].AsSpan<T>(), grads[4].AsSpan<T>(), grads[5].AsSpan<T>(),
            grads[6].AsSpan<T>(), grads[7].AsSpan<T>());
    }

    /// <summary>The raw op: the gradients of x, cs_prev, h_prev, w, wci, wcf, wco, b.</summary>
    public static Tensor[] Build(Tensor[] forwardInputs, Tensor[] forwardOutputs, Tensor csGrad, Tensor hGrad, bool usePeephole, string? name = null)
    {
        Tensor[] all = [.. forwardInputs, .. forwardOutputs, csGrad, hGrad];
        using var builder = OpBuilder.Begin(name, "BlockLSTMGrad", [.. all.Select(t => (TensorLike)t)]);
        return [.. builder.Create(Def, all, new() { { TAttr, forwardInputs[1].dtype }, { UsePeephole, usePeephole } }).outputs];
    }
}
