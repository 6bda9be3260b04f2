using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// The shared rule of SpaceToDepth (<c>tf.space_to_depth</c>, NHWC) and its inverse DepthToSpace: each
/// <c>block_size × block_size</c> block of pixels becomes one pixel with <c>block_size² × C</c> channels, in the order
/// (block row, block column, channel).
/// </summary>
internal abstract class SpaceDepthOp : OpDef
{
    private static readonly OpAttr<long> BlockSize = new("block_size");
    private static readonly OpAttr<string> DataFormat = new("data_format");
    internal static readonly OpAttr<DType> T = new("T");

    private readonly bool _toDepth;

    protected SpaceDepthOp(bool toDepth) => _toDepth = toDepth;

    public override string Type => _toDepth ? "SpaceToDepth" : "DepthToSpace";

    public override void InferShapes(InferenceContext ctx)
    {
        var bs = (int)BlockSize.Of(ctx);
        if (bs < 2) throw ctx.Error($"Value for attr 'block_size' of {bs} must be at least minimum 2");
        var x = ctx.InputShape(0);
        if (!x.IsKnownRank) { ctx.AddOutput(ctx.InputDType(0), Shape.UnknownDims(4)); return; }
        if (x.ndims != 4) throw ctx.Error($"Shape must be rank 4 but is rank {x.ndims} for input ({x.ToListString()})");
        int Divide(int d, int by) => d < 0 ? -1 : d % by == 0 ? d / by : throw ctx.Error($"Dimension size must be evenly divisible by {by} but is {d}");
        int Times(int d, int by) => d < 0 ? -1 : checked(d * by);
        var dims = _toDepth
            ? new[] { x[0], Divide(x[1], bs), Divide(x[2], bs), Times(x[3], bs * bs) }
            : new[] { x[0], Times(x[1], bs), Times(x[2], bs), Divide(x[3], bs * bs) };
        ctx.AddOutput(ctx.InputDType(0), Shape.Own(dims));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var bs = (int)BlockSize.Of(op);
        var format = DataFormat.Of(op);
        return OpKernel.From(ctx =>
        {
            if (format != "NHWC") throw ctx.InvalidArgument($"Only NHWC data_format supported on CPU. Got {format}");
            var x = ctx.Input(0);
            if (x.ndim != 4) throw ctx.InvalidArgument($"Input rank should be: 4 instead of: {x.ndim}");
            var (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
            if (_toDepth && (h % bs != 0 || w % bs != 0))
                throw ctx.InvalidArgument($"Image width {w} and height {h} should be divisible by block_size: {bs}");
            if (!_toDepth && c % (bs * bs) != 0)
                throw ctx.InvalidArgument($"Input depth dimension {c} should be divisible by: {bs * bs}");
            // The pixel-space side seen as [n, h/bs, bs, w/bs, bs, c] walked in the depth side's order
            // [n, h/bs, w/bs, bs, bs, c].
            var (H, W, C) = _toDepth ? (h, w, c) : (h * bs, w * bs, c / (bs * bs));
            int[] walk = [n, H / bs, W / bs, bs, bs, C];
            int[] space = [H * W * C, bs * W * C, bs * C, W * C, C, 1];
            var depth = DataMovement.Strides(walk);
            var y = ctx.AllocateUninitializedOutput(0, x.dtype, _toDepth ? new Shape(n, H / bs, W / bs, C * bs * bs) : new Shape(n, H, W, C));
            if (_toDepth) DataMovement.StridedCopy(x, 0, space, y, 0, depth, walk);
            else DataMovement.StridedCopy(x, 0, depth, y, 0, space, walk);
        });
    }

    /// <summary>TensorFlow's <c>_SpaceToDepthGrad</c>/<c>_DepthToSpaceGrad</c>: the inverse rearrangement of the gradient.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        [(_toDepth ? (SpaceDepthOp)DepthToSpace.Def : SpaceToDepth.Def).Apply(grads[0]!, (int)BlockSize.Of(op), DataFormat.Of(op), null)];

    /// <summary><c>tf.space_to_depth(input, block_size)</c> or <c>tf.depth_to_space</c>.</summary>
    public Tensor Apply(TensorLike input, int blockSize, string dataFormat = "NHWC", string? name = null)
    {
        using var b = OpBuilder.Begin(name, Type, input);
        var x = b.Convert(input, "input");
        return b.Create(this, [x], new() { { T, x.dtype }, { BlockSize, (long)blockSize }, { DataFormat, dataFormat } }).outputs[0];
    }
}

