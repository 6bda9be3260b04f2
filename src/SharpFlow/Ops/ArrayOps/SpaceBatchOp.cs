using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// The shared rule of SpaceToBatchND and BatchToSpaceND. SpaceToBatchND zero-pads the M spatial dimensions after
/// the batch (by <c>paddings</c>, <c>[M, 2]</c>), cuts them into blocks of <c>block_shape</c> and moves the
/// position within the block into the batch: output batch <c>(offset · batch + n)</c> with the offsets row-major
/// over the block. BatchToSpaceND undoes it and then removes <c>crops</c>.
/// </summary>
internal abstract class SpaceBatchOp : OpDef
{
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> TblockShape = new("Tblock_shape", DType.int32);

    private readonly bool _toBatch;

    protected SpaceBatchOp(bool toBatch) => _toBatch = toBatch;

    private string PadName => _toBatch ? "paddings" : "crops";

    public override void InferShapes(InferenceContext ctx)
    {
        foreach (var i in new[] { 1, 2 })
            if (ctx.InputDType(i) != DType.int32 && ctx.InputDType(i) != DType.int64)
                throw ctx.TypeError($"{(i == 1 ? "block_shape" : PadName)} must be int32 or int64, got {ctx.InputDType(i).name}");
        var input = ctx.InputShape(0);
        var blockShape = ctx.InputShape(1);
        var padShape = ctx.InputShape(2);
        if (blockShape.IsKnownRank && blockShape.ndims != 1) throw ctx.Error($"Shape must be rank 1 but is rank {blockShape.ndims} for block_shape");
        if (padShape.IsKnownRank && padShape.ndims != 2) throw ctx.Error($"Shape must be rank 2 but is rank {padShape.ndims} for {PadName}");
        var m = blockShape.IsKnownRank && blockShape[0] >= 0 ? blockShape[0] : padShape.IsKnownRank && padShape[0] >= 0 ? padShape[0] : -1;
        if (m >= 0 && padShape.IsKnownRank && ((padShape[0] >= 0 && padShape[0] != m) || (padShape[1] >= 0 && padShape[1] != 2)))
            throw ctx.Error($"{PadName} should have shape [{m}, 2] instead of {padShape.ToListString()}");
        if (!input.IsKnownRank || m < 0)
        {
            ctx.AddOutput(ctx.InputDType(0), input.IsKnownRank ? Shape.UnknownDims(input.ndims) : Shape.Unknown);
            return;
        }
        if (input.ndims < m + 1) throw ctx.Error($"input rank should be >= {m + 1} instead of {input.ndims}");
        var block = ctx.ConstantInput(1)?.ToArray<long>();
        var pads = ctx.ConstantInput(2)?.ToArray<long>();
        var dims = input.Dims;
        if (block is null || pads is null)
        {
            for (var k = 0; k <= m; k++) dims[k] = -1;
            ctx.AddOutput(ctx.InputDType(0), Shape.Own(dims));
            return;
        }
        var output = Output(input.Dims, block, pads, m2 => ctx.Error(m2));
        ctx.AddOutput(ctx.InputDType(0), Shape.Own(output));
    }

    /// <summary>The output's dimensions (-1 where the input's are unknown), with TensorFlow's checks.</summary>
    private int[] Output(int[] input, long[] block, long[] pads, Func<string, Exception> error)
    {
        var m = block.Length;
        long product = 1;
        for (var k = 0; k < m; k++)
        {
            if (block[k] < 1) throw error($"All values in block_shape must be positive, got value, {block[k]} at index {k}.");
            product *= block[k];
            if (pads[2 * k] < 0 || pads[2 * k + 1] < 0) throw error(_toBatch ? "Paddings must be non-negative" : "Crops must be non-negative");
        }
        var dims = (int[])input.Clone();
        if (_toBatch) dims[0] = input[0] < 0 ? -1 : checked((int)(input[0] * product));
        else if (input[0] >= 0)
        {
            if (input[0] % product != 0) throw error($"Input batch dimension ({input[0]}) is not divisible by product of block sizes ({product})");
            dims[0] = (int)(input[0] / product);
        }
        for (var k = 0; k < m; k++)
        {
            var d = input[k + 1];
            if (d < 0) continue;
            if (_toBatch)
            {
                var padded = d + pads[2 * k] + pads[2 * k + 1];
                if (padded % block[k] != 0) throw error($"padded_shape[{k}]={padded} is not divisible by block_shape[{k}]={block[k]}");
                dims[k + 1] = checked((int)(padded / block[k]));
            }
            else
            {
                var full = d * block[k];
                var cropped = full - pads[2 * k] - pads[2 * k + 1];
                if (cropped < 0) throw error($"Cropped size must be non-negative: start: {pads[2 * k]} end: {pads[2 * k + 1]} size {full}");
                dims[k + 1] = checked((int)cropped);
            }
        }
        return dims;
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (x, blockValue, padValue) = (ctx.Input(0), ctx.Input(1), ctx.Input(2));
        if (blockValue.ndim != 1) throw ctx.InvalidArgument($"block_shape rank should be 1 instead of {blockValue.ndim}");
        var m = blockValue.size;
        if (padValue.ndim != 2 || padValue.shape[0] != m || padValue.shape[1] != 2)
            throw ctx.InvalidArgument($"{PadName} should have shape [{m}, 2] instead of {padValue.shape.ToListString()}");
        if (x.ndim < m + 1) throw ctx.InvalidArgument($"input rank should be >= {m + 1} instead of {x.ndim}");
        var block = blockValue.ToArray<long>();
        var pads = padValue.ToArray<long>();
        var outDims = Output(x.shape.Dims, block, pads, e => ctx.InvalidArgument(e));
        var y = ctx.AllocateOutput(0, x.dtype, Shape.Own(outDims));
        var starts = new long[m];
        for (var k = 0; k < m; k++) starts[k] = pads[2 * k];
        if (_toBatch) ArrayKernels.SpaceToBatch(x, y, block, starts);
        else ArrayKernels.BatchToSpace(x, y, block, starts);
    });

    /// <summary>
    /// TensorFlow's <c>_SpaceToBatchNDGrad</c>/<c>_BatchToSpaceNDGrad</c>: the inverse op on the gradient, with the
    /// same block shape and the paddings as crops (or the crops as paddings).
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        [(_toBatch ? (SpaceBatchOp)BatchToSpaceND.Def : SpaceToBatchND.Def).Apply(grads[0]!, op.inputs[1], op.inputs[2], null), null, null];

    /// <summary><c>tf.space_to_batch_nd(input, block_shape, paddings)</c> or <c>tf.batch_to_space_nd(input, block_shape, crops)</c>.</summary>
    public Tensor Apply(TensorLike input, TensorLike blockShape, TensorLike padsOrCrops, string? name)
    {
        using var b = OpBuilder.Begin(name, Type, input, blockShape, padsOrCrops);
        var x = b.Convert(input, "input");
        var bs = b.Convert(blockShape, "block_shape");
        var p = b.Convert(padsOrCrops, PadName);
        return b.Create(this, [x, bs, p], new()
        {
            { T, x.dtype }, { TblockShape, bs.dtype }, { _toBatch ? SpaceToBatchND.Tpaddings : BatchToSpaceND.Tcrops, p.dtype },
        }).outputs[0];
    }
}
