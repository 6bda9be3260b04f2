using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace SharpFlow.Kernels.Rnn;

/// <summary>
/// TensorFlow's fused LSTM (contrib/rnn/kernels/lstm_ops.h) on row-major spans. The gate pre-activations of a
/// step sit in one <c>[batch, 4·cell]</c> matrix in TensorFlow's order i, ci, f, o (the layout of
/// <c>BasicLSTMCell</c>'s i, j, f, o, so the same kernel gives the same cell):
/// <c>i = σ(xh·w_i + b_i [+ cs_prev·wci])</c>, <c>ci = tanh(xh·w_c + b_c)</c>,
/// <c>f = σ(xh·w_f + b_f + forget_bias [+ cs_prev·wcf])</c>, <c>cs = clip(i·ci + f·cs_prev, ±cell_clip)</c> (when
/// cell_clip &gt; 0), <c>co = tanh(cs)</c>, <c>o = σ(xh·w_o + b_o [+ cs·wco])</c>, <c>h = o·co</c>. The backward
/// step is TensorFlow's: it ignores the clip, as TensorFlow does.
/// </summary>
public static class LstmBlock
{
    /// <summary>
    /// The element-wise part of one forward step. <paramref name="icfo"/> holds <c>[x, h_prev]·w</c> for the batch
    /// and is overwritten (bias and peepholes added). Every output span is <c>[batch, cell]</c>.
    /// </summary>
    public static void ForwardGates<T>(Span<T> icfo, ReadOnlySpan<T> b, ReadOnlySpan<T> csPrev,
        ReadOnlySpan<T> wci, ReadOnlySpan<T> wcf, ReadOnlySpan<T> wco, T forgetBias, T cellClip, bool usePeephole, int batch, int cell,
        Span<T> i, Span<T> cs, Span<T> f, Span<T> o, Span<T> ci, Span<T> co, Span<T> h) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var width = 4 * cell;
        for (var r = 0; r < batch; r++)
        {
            var row = icfo.Slice(r * width, width);
            TensorPrimitives.Add(row, b, row);
            var gi = row[..cell];
            var gc = row.Slice(cell, cell);
            var gf = row.Slice(2 * cell, cell);
            var go = row.Slice(3 * cell, cell);
            var at = r * cell;
            var cp = csPrev.Slice(at, cell);
            var ir = i.Slice(at, cell);
            var csr = cs.Slice(at, cell);
            var fr = f.Slice(at, cell);
            var or = o.Slice(at, cell);
            var cir = ci.Slice(at, cell);
            var cor = co.Slice(at, cell);
            var hr = h.Slice(at, cell);
            if (usePeephole) TensorPrimitives.MultiplyAdd(cp, wci, gi, gi);
            TensorPrimitives.Sigmoid(gi, ir);
            TensorPrimitives.Tanh(gc, cir);
            TensorPrimitives.Add(gf, forgetBias, gf);
            if (usePeephole) TensorPrimitives.MultiplyAdd(cp, wcf, gf, gf);
            TensorPrimitives.Sigmoid(gf, fr);
            // cs = i·ci + f·cs_prev, each product rounded as TensorFlow's expression rounds it.
            TensorPrimitives.Multiply(fr, cp, csr);
            TensorPrimitives.MultiplyAdd(ir, cir, csr, csr);
            if (cellClip > T.Zero)
            {
                TensorPrimitives.Max(csr, -cellClip, csr);
                TensorPrimitives.Min(csr, cellClip, csr);
            }
            TensorPrimitives.Tanh(csr, cor);
            if (usePeephole) TensorPrimitives.MultiplyAdd(csr, wco, go, go);
            TensorPrimitives.Sigmoid(go, or);
            TensorPrimitives.Multiply(or, cor, hr);
        }
    }

    /// <summary>
    /// One backward step (TensorFlow's <c>LSTMBlockCellBprop</c>): from the step's gates and the gradients of its
    /// <c>cs</c> and <c>h</c>, the gradient of the gate pre-activations <paramref name="dicfo"/> [batch, 4·cell] and
    /// of <c>cs_prev</c>; the peephole gradients are added to <paramref name="wciGrad"/>, <paramref name="wcfGrad"/>,
    /// <paramref name="wcoGrad"/> (summed over the batch) when <paramref name="usePeephole"/>.
    /// </summary>
    public static void BackwardGates<T>(ReadOnlySpan<T> csPrev, ReadOnlySpan<T> wci, ReadOnlySpan<T> wcf, ReadOnlySpan<T> wco,
        ReadOnlySpan<T> i, ReadOnlySpan<T> cs, ReadOnlySpan<T> f, ReadOnlySpan<T> o, ReadOnlySpan<T> ci, ReadOnlySpan<T> co,
        ReadOnlySpan<T> csGrad, ReadOnlySpan<T> hGrad, bool usePeephole, int batch, int cell,
        Span<T> dicfo, Span<T> csPrevGrad, Span<T> wciGrad, Span<T> wcfGrad, Span<T> wcoGrad) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var one = T.One;
        var width = 4 * cell;
        for (var r = 0; r < batch; r++)
        {
            var row = dicfo.Slice(r * width, width);
            var at = r * cell;
            for (var k = 0; k < cell; k++)
            {
                var e = at + k;
                var (ie, fe, oe, cie, coe, cpe) = (i[e], f[e], o[e], ci[e], co[e], csPrev[e]);
                var hg = hGrad[e];
                var dO = oe * (one - oe) * hg * coe;
                var dcs = (one - coe * coe) * hg * oe + csGrad[e];
                if (usePeephole) dcs += dO * wco[k];
                var dci = (one - cie * cie) * dcs * ie;
                var df = fe * (one - fe) * dcs * cpe;
                var di = ie * (one - ie) * dcs * cie;
                row[k] = di;
                row[cell + k] = dci;
                row[2 * cell + k] = df;
                row[3 * cell + k] = dO;
                var cpg = dcs * fe;
                if (usePeephole)
                {
                    cpg = cpg + di * wci[k] + df * wcf[k];
                    wciGrad[k] += di * cpe;
                    wcfGrad[k] += df * cpe;
                    wcoGrad[k] += dO * cs[e];
                }
                csPrevGrad[e] = cpg;
            }
        }
    }

    /// <summary>
    /// The whole sequence forward (TensorFlow's <c>BlockLSTM</c>) for the first <paramref name="steps"/> of
    /// the time steps; the outputs past them are left as they are (the caller zeroes them).
    /// x is [time, batch, input], w [input + cell, 4·cell]; outputs [time, batch, cell]. The input part of every
    /// step's product is one GEMM over all steps (<c>x·w_x</c>); each step then adds <c>h_prev·w_h</c>.
    /// </summary>
    public static void SequenceForward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> csPrev, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> w,
        ReadOnlySpan<T> wci, ReadOnlySpan<T> wcf, ReadOnlySpan<T> wco, ReadOnlySpan<T> b, T forgetBias, T cellClip, bool usePeephole,
        int steps, int batch, int input, int cell,
        Span<T> i, Span<T> cs, Span<T> f, Span<T> o, Span<T> ci, Span<T> co, Span<T> h) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (steps <= 0 || batch == 0 || cell == 0) return;
        var width = 4 * cell;
        // Scratch from the shared pool: a training loop allocates nothing per step.
        var gatesArray = ArrayPool<T>.Shared.Rent(steps * batch * width);
        var recurrentArray = ArrayPool<T>.Shared.Rent(batch * width);
        try
        {
            SequenceForward(x, csPrev, hPrev, w, wci, wcf, wco, b, forgetBias, cellClip, usePeephole, steps, batch, input, cell,
                i, cs, f, o, ci, co, h, gatesArray.AsSpan(0, steps * batch * width), recurrentArray.AsSpan(0, batch * width));
        }
        finally
        {
            ArrayPool<T>.Shared.Return(gatesArray);
            ArrayPool<T>.Shared.Return(recurrentArray);
        }
    }

    private static void SequenceForward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> csPrev, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> w,
        ReadOnlySpan<T> wci, ReadOnlySpan<T> wcf, ReadOnlySpan<T> wco, ReadOnlySpan<T> b, T forgetBias, T cellClip, bool usePeephole,
        int steps, int batch, int input, int cell,
        Span<T> i, Span<T> cs, Span<T> f, Span<T> o, Span<T> ci, Span<T> co, Span<T> h, Span<T> gates, Span<T> recurrent) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var width = 4 * cell;
        var stepCells = batch * cell;
        Gemm.Multiply(x[..(steps * batch * input)], w[..(input * width)], gates, steps * batch, input, width);
        var wh = w.Slice(input * width, cell * width);
        for (var t = 0; t < steps; t++)
        {
            var at = t * stepCells;
            var hp = t == 0 ? hPrev : h.Slice(at - stepCells, stepCells);
            var cp = t == 0 ? csPrev : cs.Slice(at - stepCells, stepCells);
            var icfo = gates.Slice(t * batch * width, batch * width);
            Gemm.Multiply(hp, wh, recurrent, batch, cell, width);
            TensorPrimitives.Add(icfo, recurrent, icfo);
            ForwardGates<T>(icfo, b, cp, wci, wcf, wco, forgetBias, cellClip, usePeephole, batch, cell,
                i.Slice(at, stepCells), cs.Slice(at, stepCells), f.Slice(at, stepCells), o.Slice(at, stepCells),
                ci.Slice(at, stepCells), co.Slice(at, stepCells), h.Slice(at, stepCells));
        }
    }

    /// <summary>
    /// The whole sequence backward (TensorFlow's <c>BlockLSTMGrad</c>) over the first <paramref name="steps"/> time
    /// steps, last to first: each step's cs and h gradients plus those carried from the step after it. Every
    /// gradient output must arrive zeroed. The step-wise work is the element-wise rule and <c>dicfo·w_hᵀ</c>; the
    /// input and weight gradients are one GEMM each over all steps.
    /// </summary>
    public static void SequenceBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> csPrev, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> w,
        ReadOnlySpan<T> wci, ReadOnlySpan<T> wcf, ReadOnlySpan<T> wco,
        ReadOnlySpan<T> i, ReadOnlySpan<T> cs, ReadOnlySpan<T> f, ReadOnlySpan<T> o, ReadOnlySpan<T> ci, ReadOnlySpan<T> co, ReadOnlySpan<T> h,
        ReadOnlySpan<T> csGrad, ReadOnlySpan<T> hGrad, bool usePeephole, int steps, int batch, int input, int cell,
        Span<T> xGrad, Span<T> csPrevGrad, Span<T> hPrevGrad, Span<T> wGrad, Span<T> wciGrad, Span<T> wcfGrad, Span<T> wcoGrad, Span<T> bGrad)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (steps <= 0 || batch == 0 || cell == 0) return;
        var width = 4 * cell;
        var stepCells = batch * cell;
        var rows = steps * batch;
        var depth = input + cell;
        var scratchLength = rows * width + 2 * stepCells + rows * depth;
        var scratch = ArrayPool<T>.Shared.Rent(scratchLength);
        try
        {
            var all = scratch.AsSpan(0, scratchLength);
            SequenceBackward(x, csPrev, hPrev, w, wci, wcf, wco, i, cs, f, o, ci, co, h, csGrad, hGrad, usePeephole, steps, batch, input, cell,
                xGrad, csPrevGrad, hPrevGrad, wGrad, wciGrad, wcfGrad, wcoGrad, bGrad,
                all[..(rows * width)], all.Slice(rows * width, stepCells), all.Slice(rows * width + stepCells, stepCells), all[(rows * width + 2 * stepCells)..]);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    private static void SequenceBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> csPrev, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> w,
        ReadOnlySpan<T> wci, ReadOnlySpan<T> wcf, ReadOnlySpan<T> wco,
        ReadOnlySpan<T> i, ReadOnlySpan<T> cs, ReadOnlySpan<T> f, ReadOnlySpan<T> o, ReadOnlySpan<T> ci, ReadOnlySpan<T> co, ReadOnlySpan<T> h,
        ReadOnlySpan<T> csGrad, ReadOnlySpan<T> hGrad, bool usePeephole, int steps, int batch, int input, int cell,
        Span<T> xGrad, Span<T> csPrevGrad, Span<T> hPrevGrad, Span<T> wGrad, Span<T> wciGrad, Span<T> wcfGrad, Span<T> wcoGrad, Span<T> bGrad,
        Span<T> dicfo, Span<T> csG, Span<T> hG, Span<T> xh)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var width = 4 * cell;
        var stepCells = batch * cell;
        var rows = steps * batch;
        var wh = w.Slice(input * width, cell * width);
        for (var t = steps - 1; t >= 0; t--)
        {
            var at = t * stepCells;
            // The gradients reaching step t: its own outputs' plus what step t+1 sent back (zero at the last step).
            TensorPrimitives.Add(csGrad.Slice(at, stepCells), csPrevGrad[..stepCells], csG);
            TensorPrimitives.Add(hGrad.Slice(at, stepCells), hPrevGrad[..stepCells], hG);
            var cp = t == 0 ? csPrev : cs.Slice(at - stepCells, stepCells);
            var d = dicfo.Slice(t * batch * width, batch * width);
            BackwardGates<T>(cp, wci, wcf, wco, i.Slice(at, stepCells), cs.Slice(at, stepCells), f.Slice(at, stepCells), o.Slice(at, stepCells),
                ci.Slice(at, stepCells), co.Slice(at, stepCells), csG, hG, usePeephole, batch, cell, d, csPrevGrad, wciGrad, wcfGrad, wcoGrad);
            Gemm.Multiply<T>(d, wh, hPrevGrad, batch, width, cell, transposeB: true);
        }
        // x_grad = dicfo·w_xᵀ for all steps at once.
        if (input > 0) Gemm.Multiply<T>(dicfo, w[..(input * width)], xGrad[..(rows * input)], rows, width, input, transposeB: true);
        // w_grad = [x, h_prev]ᵀ·dicfo summed over the steps: one GEMM over the stacked [steps·batch, input + cell] rows.
        var depth = input + cell;
        for (var t = 0; t < steps; t++)
            for (var r = 0; r < batch; r++)
            {
                var dst = xh.Slice((t * batch + r) * depth, depth);
                x.Slice((t * batch + r) * input, input).CopyTo(dst);
                (t == 0 ? hPrev.Slice(r * cell, cell) : h.Slice((t - 1) * stepCells + r * cell, cell)).CopyTo(dst[input..]);
            }
        Gemm.Multiply<T>(xh, dicfo, wGrad, depth, rows, width, transposeA: true);
        for (var r = 0; r < rows; r++) TensorPrimitives.Add(bGrad, dicfo.Slice(r * width, width), bGrad);
    }
}
