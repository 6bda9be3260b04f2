using System.Numerics;
using SharpFlow.Framework;
using SharpFlow.Kernels.Rnn;

namespace SharpFlow.Ops.Rnn;

/// <summary>
/// LSTMBlockCellGrad: the backward step of <see cref="LSTMBlockCell"/> (TensorFlow's <c>LSTMBlockCellBprop</c>).
/// Inputs: the forward op's eight inputs, its outputs i, cs, f, o, ci, co, and the gradients of cs and h. Outputs
/// cs_prev_grad [batch, cell], dicfo [batch, 4·cell] (the gate pre-activations' gradient) and wci_grad, wcf_grad,
/// wco_grad [cell] (zero without peepholes). Like TensorFlow, it has no gradient of its own.
/// </summary>
internal sealed class LSTMBlockCellGrad : OpDef
{
    public static readonly LSTMBlockCellGrad Def = new();

    private static readonly OpAttr<bool> UsePeephole = new("use_peephole");
    internal static readonly OpAttr<DType> TAttr = new("T");

    public override string Type => "LSTMBlockCellGrad";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = FusedLstm.CheckTypes(ctx, 0);
        var x = FusedLstm.WithRank(ctx, 0, 2, "x");
        var csPrev = FusedLstm.WithRank(ctx, 1, 2, "cs_prev");
        var cell = FusedLstm.Dim(csPrev, 1);
        ctx.AddOutput(dtype, new Shape(FusedLstm.Dim(x, 0), cell));
        ctx.AddOutput(dtype, new Shape(FusedLstm.Dim(x, 0), cell < 0 ? -1 : 4 * cell));
        for (var k = 0; k < 3; k++) ctx.AddOutput(dtype, new Shape(cell));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var usePeephole = UsePeephole.Of(op);
        return OpKernel.From(ctx =>
        {
            if (ctx.Input(0).dtype == DType.float32) Compute<float>(ctx, usePeephole);
            else Compute<double>(ctx, usePeephole);
        });
    }

    private static void Compute<T>(OpKernelContext ctx, bool usePeephole) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = ctx.Input(0);
        if (x.ndim != 2) throw ctx.InvalidArgument("x must be 2D");
        var (batch, input) = (x.shape[0], x.shape[1]);
        var csPrev = ctx.Input(1);
        var cell = FusedLstm.CheckCsPrev(ctx, csPrev, batch);
        FusedLstm.CheckWeights(ctx, ctx.Input(2), ctx.Input(3), ctx.Input(4), ctx.Input(5), ctx.Input(6), ctx.Input(7), batch, input, cell);
        string[] names = ["i", "cs", "f", "o", "ci", "co", "cs_grad", "h_grad"];
        for (var k = 0; k < names.Length; k++)
        {
            var v = ctx.Input(8 + k);
            if (v.ndim != 2 || v.shape[0] != batch || v.shape[1] != cell)
                throw ctx.InvalidArgument($"{names[k]} must be [batch_size, cell_size] = [{batch}, {cell}], got {v.shape.ToListString()}");
        }
        var csPrevGrad = ctx.AllocateUninitializedOutput(0, x.dtype, new Shape(batch, cell));
        var dicfo = ctx.AllocateUninitializedOutput(1, x.dtype, new Shape(batch, 4 * cell));
        var wciGrad = ctx.AllocateOutput(2, x.dtype, new Shape(cell));
        var wcfGrad = ctx.AllocateOutput(3, x.dtype, new Shape(cell));
        var wcoGrad = ctx.AllocateOutput(4, x.dtype, new Shape(cell));
        LstmBlock.BackwardGates<T>(csPrev.AsReadOnlySpan<T>(), ctx.Input(4).AsReadOnlySpan<T>(), ctx.Input(5).AsReadOnlySpan<T>(), ctx.Input(6).AsReadOnlySpan<T>(),
            ctx.Input(8).AsReadOnlySpan<T>(), ctx.Input(9).AsReadOnlySpan<T>(), ctx.Input(10).AsReadOnlySpan<T>(), ctx.Input(11).AsReadOnlySpan<T>(),
            ctx.Input(12).AsReadOnlySpan<T>(), ctx.Input(13).AsReadOnlySpan<T>(), ctx.Input(14).AsReadOnlySpan<T>(), ctx.Input(15).AsReadOnlySpan<T>(),
            usePeephole, batch, cell, dicfo.AsSpan<T>(), csPrevGrad.AsSpan<T>(), wciGrad.AsSpan<T>(), wcfGrad.AsSpan<T>(), wcoGrad.AsSpan<T>());
    }

    /// <summary>The raw op: cs_prev_grad, dicfo, wci_grad, wcf_grad, wco_grad.</summary>
    public static (Tensor CsPrevGrad, Tensor Dicfo, Tensor WciGrad, Tensor WcfGrad, Tensor WcoGrad) Build(Tensor x, Tensor csPrev, Tensor hPrev, Tensor w,
        Tensor wci, Tensor wcf, Tensor wco, Tensor b, Tensor i, Tensor cs, Tensor f, Tensor o, Tensor ci, Tensor co, Tensor csGrad, Tensor hGrad,
        bool usePeephole, string? name = null)
    {
        using var builder = OpBuilder.Begin(name, "LSTMBlockCellGrad", x, csPrev, hPrev, w, wci, wcf, wco, b, i, cs, f, o, ci, co, csGrad, hGrad);
        var inputs = builder.SameType("LSTMBlockCellGrad", [x, csPrev, hPrev, w, wci, wcf, wco, b, i, cs, f, o, ci, co, csGrad, hGrad],
            ["x", "cs_prev", "h_prev", "w", "wci", "wcf", "wco", "b", "i", "cs", "f", "o", "ci", "co", "cs_grad", "h_grad"]);
        var outs = builder.Create(Def, inputs, new() { { TAttr, inputs[0].dtype }, { UsePeephole, usePeephole } }).outputs;
        return (outs[0], outs[1], outs[2], outs[3], outs[4]);
    }
}
