using System.Numerics;
using SharpFlow.Framework;
using SharpFlow.Kernels;
using SharpFlow.Kernels.Rnn;

namespace SharpFlow.Ops.Rnn;

/// <summary>
/// LSTMBlockCell (tf.contrib.rnn): one LSTM step in one op, TensorFlow's kernel. Inputs x [batch, input],
/// cs_prev and h_prev [batch, cell], w [input + cell, 4·cell] (gates i, ci, f, o), the peephole weights wci, wcf,
/// wco [cell] and b [4·cell]; attributes <c>forget_bias</c> (1.0), <c>cell_clip</c> (3.0; ≤ 0 turns clipping off)
/// and <c>use_peephole</c>. Outputs i, cs, f, o, ci, co, h, each [batch, cell] (see <see cref="LstmBlock"/>).
/// </summary>
internal sealed class LSTMBlockCell : OpDef
{
    public static readonly LSTMBlockCell Def = new();

    private static readonly OpAttr<float> ForgetBias = new("forget_bias", 1f);
    private static readonly OpAttr<float> CellClip = new("cell_clip", 3f);
    private static readonly OpAttr<bool> UsePeephole = new("use_peephole", false);
    internal static readonly OpAttr<DType> TAttr = new("T");

    public override string Type => "LSTMBlockCell";

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = FusedLstm.CheckTypes(ctx, 0);
        var x = FusedLstm.WithRank(ctx, 0, 2, "x");
        var csPrev = FusedLstm.WithRank(ctx, 1, 2, "cs_prev");
        var shape = new Shape(FusedLstm.Dim(x, 0), FusedLstm.Dim(csPrev, 1));
        for (var k = 0; k < 7; k++) ctx.AddOutput(dtype, shape);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var forgetBias = ForgetBias.Of(op);
        var cellClip = CellClip.Of(op);
        var usePeephole = UsePeephole.Of(op);
        return OpKernel.From(ctx =>
        {
            if (ctx.Input(0).dtype == DType.float32) Compute<float>(ctx, forgetBias, cellClip, usePeephole);
            else Compute<double>(ctx, forgetBias, cellClip, usePeephole);
        });
    }

    private static void Compute<T>(OpKernelContext ctx, float forgetBias, float cellClip, bool usePeephole) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (x, csPrev, hPrev, w, wci, wcf, wco, b) = (ctx.Input(0), ctx.Input(1), ctx.Input(2), ctx.Input(3), ctx.Input(4), ctx.Input(5), ctx.Input(6), ctx.Input(7));
        if (x.ndim != 2) throw ctx.InvalidArgument("x must be 2D");
        var (batch, input) = (x.shape[0], x.shape[1]);
        var cell = FusedLstm.CheckCsPrev(ctx, csPrev, batch);
        FusedLstm.CheckWeights(ctx, hPrev, w, wci, wcf, wco, b, batch, input, cell);
        var shape = new Shape(batch, cell);
        var outs = new NDArray[7];
        for (var k = 0; k < 7; k++) outs[k] = ctx.AllocateUninitializedOutput(k, x.dtype, shape);
        // xh = [x, h_prev]; icfo = xh·w: the one GEMM of the step.
        var depth = input + cell;
        var xh = new T[batch * depth];
        var xs = x.AsReadOnlySpan<T>();
        var hs = hPrev.AsReadOnlySpan<T>();
        for (var r = 0; r < batch; r++)
        {
            xs.Slice(r * input, input).CopyTo(xh.AsSpan(r * depth, input));
            hs.Slice(r * cell, cell).CopyTo(xh.AsSpan(r * depth + input, cell));
        }
        var icfo = new T[batch * 4 * cell];
        Gemm.Multiply<T>(xh, w.AsReadOnlySpan<T>(), icfo, batch, depth, 4 * cell);
        LstmBlock.ForwardGates<T>(icfo, b.AsReadOnlySpan<T>(), csPrev.AsReadOnlySpan<T>(), wci.AsReadOnlySpan<T>(), wcf.AsReadOnlySpan<T>(),
            wco.AsReadOnlySpan<T>(), FusedLstm.Value<T>(forgetBias), FusedLstm.Value<T>(cellClip), usePeephole, batch, cell,
            outs[0].AsSpan<T>(), outs[1].AsSpan<T>(), outs[2].AsSpan<T>(), outs[3].AsSpan<T>(), outs[4].AsSpan<T>(), outs[5].AsSpan<T>(), outs[6].AsSpan<T>());
    }

    /// <summary>
    /// TensorFlow's <c>_LSTMBlockCellGrad</c>: LSTMBlockCellGrad gives cs_prev's gradient, the gate gradients
    /// dicfo and the peepholes'; <c>dicfo·wᵀ</c> splits into x's and h_prev's, <c>[x, h_prev]ᵀ·dicfo</c> is w's and
    /// BiasAddGrad(dicfo) is b's. Only the gradients of cs and h flow back, as in TensorFlow.
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var inputs = op.inputs;
        var (x, csPrev, hPrev, w, wci, wcf, wco, b) = (inputs[0], inputs[1], inputs[2], inputs[3], inputs[4], inputs[5], inputs[6], inputs[7]);
        var outs = op.outputs;
        var csGrad = grads[1] ?? ArrayOps.ZerosLike.Def.Apply(outs[1], null, true, null);
        var hGrad = grads[6] ?? ArrayOps.ZerosLike.Def.Apply(outs[6], null, true, null);
        var usePeephole = UsePeephole.Of(op);
        var (csPrevGrad, dicfo, wciGrad, wcfGrad, wcoGrad) = LSTMBlockCellGrad.Build(x, csPrev, hPrev, w, wci, wcf, wco, b,
            outs[0], outs[1], outs[2], outs[3], outs[4], outs[5], csGrad, hGrad, usePeephole);
        var batch = MathOps.Cast.Build(SliceOf(ArrayOps.Shape_.Build(x), 0), DType.int32);
        var inputSize = x.shape.IsKnownRank && x.shape[1] >= 0 ? (TensorLike)x.shape[1] : SliceOf(ArrayOps.Shape_.Build(x), 1);
        var cellSize = csPrev.shape.IsKnownRank && csPrev.shape[1] >= 0 ? (TensorLike)csPrev.shape[1] : SliceOf(ArrayOps.Shape_.Build(csPrev), 1);
        var xhGrad = MathOps.MatMul.Build(dicfo, w, transposeB: true);
        var xGrad = ArrayOps.Slice.Build(xhGrad, ArrayOps.Pack.Build([0, 0]), ArrayOps.Pack.Build([batch, inputSize]));
        xGrad.SetShape(x.shape);
        var hPrevGrad = ArrayOps.Slice.Build(xhGrad, ArrayOps.Pack.Build([0, inputSize]), ArrayOps.Pack.Build([batch, cellSize]));
        hPrevGrad.SetShape(hPrev.shape);
        var wGrad = MathOps.MatMul.Build(ArrayOps.ConcatV2.Build([x, hPrev], 1), dicfo, transposeA: true);
        var bGrad = NN.BiasAddGrad.Build(dicfo);
        return [xGrad, csPrevGrad, hPrevGrad, wGrad, wciGrad, wcfGrad, wcoGrad, bGrad];
    }

    private static Tensor SliceOf(Tensor shape, int i) => ArrayOps.Reshape.Build(ArrayOps.Slice.Build(shape, new[] { i }, new[] { 1 }), System.Array.Empty<int>());

    /// <summary>The raw op (<c>gen_lstm_ops.lstm_block_cell</c>): i, cs, f, o, ci, co, h.</summary>
    public static Tensor[] Build(TensorLike x, TensorLike csPrev, TensorLike hPrev, TensorLike w, TensorLike wci, TensorLike wcf, TensorLike wco,
        TensorLike b, double forgetBias = 1.0, double cellClip = 3.0, bool usePeephole = false, string? name = null)
    {
        using var builder = OpBuilder.Begin(name, "LSTMBlockCell", x, csPrev, hPrev, w, wci, wcf, wco, b);
        var inputs = builder.SameType("LSTMBlockCell", [x, csPrev, hPrev, w, wci, wcf, wco, b], ["x", "cs_prev", "h_prev", "w", "wci", "wcf", "wco", "b"]);
        return [.. builder.Create(Def, inputs, new()
        {
            { TAttr, inputs[0].dtype }, { ForgetBias, (float)forgetBias }, { CellClip, (float)cellClip }, { UsePeephole, usePeephole },
        }).outputs];
    }
}
