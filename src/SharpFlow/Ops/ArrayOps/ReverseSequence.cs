using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// ReverseSequence (<c>tf.reverse_sequence</c>): for each index b along <c>batch_dim</c>, the first
/// <c>seq_lengths[b]</c> elements along <c>seq_dim</c> reversed; the rest copied unchanged.
/// </summary>
internal sealed class ReverseSequence : OpDef
{
    public static readonly ReverseSequence Def = new();

    private static readonly OpAttr<long> SeqDim = new("seq_dim");
    private static readonly OpAttr<long> BatchDim = new("batch_dim", 0);
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Tlen = new("Tlen", DType.int64);

    public override string Type => "ReverseSequence";

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(1) != DType.int32 && ctx.InputDType(1) != DType.int64) throw ctx.TypeError($"seq_lengths must be int32 or int64, got {ctx.InputDType(1).name}");
        var input = ctx.InputShape(0);
        var lengths = ctx.InputShape(1);
        if (lengths.IsKnownRank && lengths.ndims != 1) throw ctx.Error($"Shape must be rank 1 but is rank {lengths.ndims} for seq_lengths");
        var (seqDim, batchDim) = (SeqDim.Of(ctx), BatchDim.Of(ctx));
        if (input.IsKnownRank)
        {
            Check(input.ndims, seqDim, batchDim, m => ctx.Error(m));
            if (lengths.IsKnownRank && lengths[0] >= 0 && input[(int)batchDim] >= 0 && lengths[0] != input[(int)batchDim])
                throw ctx.Error($"Dimensions must be equal, but are {input[(int)batchDim]} and {lengths[0]}: seq_lengths must have the size of the batch dimension");
        }
        ctx.AddOutput(ctx.InputDType(0), input);
    }

    private static void Check(int rank, long seqDim, long batchDim, Func<string, Exception> error)
    {
        if (seqDim == batchDim) throw error($"seq_dim must not equal batch_dim: {seqDim}");
        if (seqDim < 0 || seqDim >= rank) throw error($"seq_dim must be < input rank: {seqDim} vs. {rank}");
        if (batchDim < 0 || batchDim >= rank) throw error($"batch_dim must be < input rank: {batchDim} vs. {rank}");
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var (seqDim, batchDim) = ((int)SeqDim.Of(op), (int)BatchDim.Of(op));
        return OpKernel.From(ctx =>
        {
            var (x, lengthsValue) = (ctx.Input(0), ctx.Input(1));
            Check(x.ndim, seqDim, batchDim, ctx.InvalidArgumentOf);
            if (lengthsValue.ndim != 1) throw ctx.InvalidArgument($"seq_lens input must be 1-dim, not {lengthsValue.ndim}");
            var lengths = lengthsValue.ToArray<long>();
            if (lengths.Length != x.shape[batchDim])
                throw ctx.InvalidArgument($"Length of seq_lens != input.dims({batchDim}), ({lengths.Length} vs. {x.shape[batchDim]})");
            for (var i = 0; i < lengths.Length; i++)
            {
                if (lengths[i] < 0) throw ctx.InvalidArgument($"seq_lens({i}) < 0");
                if (lengths[i] > x.shape[seqDim]) throw ctx.InvalidArgument($"seq_lens({i}) > input.dims({seqDim})");
            }
            var y = ctx.AllocateUninitializedOutput(0, x.dtype, x.shape);
            // Copy everything, then write each reversed run: a strided copy per batch index over the other dimensions.
            var dims = x.shape.AsSpan();
            var strides = DataMovement.Strides(dims);
            DataMovement.StridedCopy(x, 0, strides, y, 0, strides, dims);
            for (var b = 0; b < lengths.Length; b++)
            {
                var n = (int)lengths[b];
                if (n <= 1) continue;
                var block = dims.ToArray();
                block[batchDim] = 1;
                block[seqDim] = n;
                var src = (int[])strides.Clone();
                src[seqDim] = -strides[seqDim];
                var offset = b * strides[batchDim];
                DataMovement.StridedCopy(x, offset + (n - 1) * strides[seqDim], src, y, offset, strides, block);
            }
        });
    }

    /// <summary>TensorFlow's <c>_ReverseSequenceGrad</c>: the gradient reversed the same way.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        [Build(grads[0]!, op.inputs[1], SeqDim.Of(op), BatchDim.Of(op)), null];

    /// <summary><c>tf.reverse_sequence(input, seq_lengths, seq_axis, batch_axis)</c>.</summary>
    public static Tensor Build(TensorLike input, TensorLike seqLengths, long seqAxis, long batchAxis = 0, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "ReverseSequence", input, seqLengths);
        var x = b.Convert(input, "input");
        var l = b.Convert(seqLengths, "seq_lengths", seqLengths.Value is Tensor ? null : DType.int64);
        return b.Create(Def, [x, l], new() { { T, x.dtype }, { Tlen, l.dtype }, { SeqDim, seqAxis }, { BatchDim, batchAxis } }).outputs[0];
    }
}
