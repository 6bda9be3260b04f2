using System.Numerics;
using SharpFlow.Framework;
using SharpFlow.Kernels.Rnn;

namespace SharpFlow.Ops.Rnn;

/// <summary>
/// BlockLSTM (tf.contrib.rnn's LSTMBlockFusedCell): the LSTMBlockCell step applied over a whole time-major
/// sequence in one op. Inputs seq_len_max (int64 scalar: the steps actually run), x [time, batch, input],
/// cs_prev and h_prev [batch, cell], w, wci, wcf, wco, b as LSTMBlockCell's; the same attributes. Outputs i, cs,
/// f, o, ci, co, h, each [time, batch, cell], zero past seq_len_max.
/// </summary>
internal sealed class BlockLSTM : OpDef
{
    public static readonly BlockLSTM Def = new();

    private static readonly OpAttr<float> ForgetBias = new("forget_bias", 1f);
    private static readonly OpAttr<float> CellClip = new("cell_clip", 3f);
    private static readonly OpAttr<bool> UsePeephole = new("use_peephole", false);
    internal static readonly OpAttr<DType> TAttr = new("T");

    public override string Type => "BlockLSTM";

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.int64) throw ctx.TypeError($"seq_len_max must be int64, got {ctx.InputDType(0).name}");
        var dtype = FusedLstm.CheckTypes(ctx, 1);
        var x = FusedLstm.WithRank(ctx, 1, 3, "x");
        var b = FusedLstm.WithRank(ctx, 8, 1, "b");
        var b0 = FusedLstm.Dim(b, 0);
        if (b0 >= 0 && b0 % 4 != 0) throw ctx.Error($"Dimension size must be evenly divisible by 4 but is {b0} (the size of b)");
        var shape = new Shape(FusedLstm.Dim(x, 0), FusedLstm.Dim(x, 1), b0 < 0 ? -1 : b0 / 4);
        for (var k = 0; k < 7; k++) ctx.AddOutput(dtype, shape);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var forgetBias = ForgetBias.Of(op);
        var cellClip = CellClip.Of(op);
        var usePeephole = UsePeephole.Of(op);
        return OpKernel.From(ctx =>
        {
            if (ctx.Input(1).dtype == DType.float32) Compute<float>(ctx, forgetBias, cellClip, usePeephole);
            else Compute<double>(ctx, forgetBias, cellClip, usePeephole);
        });
    }

    /// <summary>The run-time checks of BlockLSTM and BlockLSTMGrad: (steps, time, batch, input, cell).</summary>
    internal static (int Steps, int Time, int Batch, int Input, int Cell) Check(OpKernelContext ctx)
    {
        var seqLenMax = ctx.Input(0);
        if (seqLenMax.ndim != 0) throw ctx.InvalidArgument($"seq_len_max must be a scalar, got shape {seqLenMax.shape.ToListString()}");
        var x = ctx.Input(1);
        if (x.ndim != 3) throw ctx.InvalidArgument("x must be 3D");
        var (time, batch, input) = (x.shape[0], x.shape[1], x.shape[2]);
        var steps = seqLenMax.AsReadOnlySpan<long>()[0];
        if (steps < 0 || steps > time) throw ctx.InvalidArgument($"seq_len_max must be in [0, timelen = {time}], got {steps}");
        var cell = FusedLstm.CheckCsPrev(ctx, ctx.Input(2), batch);
        FusedLstm.CheckWeights(ctx, ctx.Input(3), ctx.Input(4), ctx.Input(5), ctx.Input(6), ctx.Input(7), ctx.Input(8), batch, input, cell);
        return ((int)steps, time, batch, input, cell);
    }

    private static void Compute<T>(OpKernelContext ctx, float forgetBias, float cellClip, bool usePeephole) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (steps, time, batch, input, cell) = Check(ctx);
        var dtype = ctx.Input(1).dtype;
        var outs = new NDArray[7];
        // Zeroed: TensorFlow zeroes the outputs past seq_len_max.
        for (var k = 0; k < 7; k++) outs[k] = ctx.AllocateOutput(k, dtype, new Shape(time, batch, cell));
        LstmBlock.SequenceForward<T>(ctx.Input(1).AsReadOnlySpan<T>(), ctx.Input(2).AsReadOnlySpan<T>(), ctx.Input(3).AsReadOnlySpan<T>(),
            ctx.Input(4).AsReadOnlySpan<T>(), ctx.Input(5).AsReadOnlySpan<T>(), ctx.Input(6).AsReadOnlySpan<T>(), ctx.Input(7).AsReadOnlySpan<T>(),
            ctx.Input(8).AsReadOnlySpan<T>(), FusedLstm.Value<T>(forgetBias), FusedLstm.Value<T>(cellClip), usePeephole, steps, batch, input, cell,
            outs[0].AsSpan<T>(), outs[1].AsSpan<T>(), outs[2].AsSpan<T>(), outs[3].AsSpan<T>(), outs[4].AsSpan<T>(), outs[5].AsSpan<T>(), outs[6].AsSpan<T>());
    }

    /// <summary>TensorFlow's <c>_BlockLSTMGrad</c>: one BlockLSTMGrad from the gradients of cs and h (the other outputs' are ignored, as there).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var inputs = op.inputs;
        var outs = op.outputs;
        var csGrad = grads[1] ?? ArrayOps.ZerosLike.Def.Apply(outs[1], null, true, null);
        var hGrad = grads[6] ?? ArrayOps.ZerosLike.Def.Apply(outs[6], null, true, null);
        var g = BlockLSTMGrad.Build([.. inputs], [.. outs], csGrad, hGrad, UsePeephole.Of(op));
        return [null, .. g];
    }

    /// <summary>The raw op (<c>gen_lstm_ops.block_lstm</c>): i, cs, f, o, ci, co, h.</summary>
    public static Tensor[] Build(TensorLike seqLenMax, TensorLike x, TensorLike csPrev, TensorLike hPrev, TensorLike w, TensorLike wci, TensorLike wcf,
        TensorLike wco, TensorLike b, double forgetBias = 1.0, double cellClip = 3.0, bool usePeephole = false, string? name = null)
    {
        using var builder = OpBuilder.Begin(name, "BlockLSTM", seqLenMax, x, csPrev, hPrev, w, wci, wcf, wco, b);
        var seq = builder.Convert(seqLenMax, "seq_len_max", DType.int64);
        var inputs = builder.SameType("BlockLSTM", [x, csPrev, hPrev, w, wci, wcf, wco, b], ["x", "cs_prev", "h_prev", "w", "wci", "wcf", "wco", "b"]);
        return [.. builder.Create(Def, [seq, .. inputs], new()
        {
            { TAttr, inputs[0].dtype }, { ForgetBias, (float)forgetBias }, { CellClip, (float)cellClip }, { UsePeephole, usePeephole },
        }).outputs];
    }
}
