using SharpFlow.Framework;

using SharpFlow.Framework.Dispatch;
namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// TensorFlow's <c>ValidateStridedSliceOp</c> (core/util/strided_slice_op.cc): turns the sparse slice spec
/// (<c>begin</c>, <c>end</c>, <c>strides</c> and the five masks, one entry per Python index such as
/// <c>x[3:5, ..., tf.newaxis, -1]</c>) into one dense range per input dimension, and computes the processing shape
/// (one extent per input dimension) and the final shape (with new axes added and shrunk axes removed). Shape rules
/// call it with unknown dimensions (-1) and without begin or end when they are not constants; kernels with
/// everything known.
/// </summary>
internal sealed class StridedSliceSpec
{
    private const int ShrinkAxis = -1, NewAxis = -2;

    /// <summary>One extent per input dimension (-1 unknown): the block the kernel walks.</summary>
    public required long[] ProcessingShape { get; init; }

    /// <summary>The output's dimensions (-1 unknown).</summary>
    public required long[] FinalShape { get; init; }

    /// <summary>Canonical first index per input dimension (valid when begin and end were given and the dimension known).</summary>
    public required long[] Begin { get; init; }

    /// <summary>Canonical end per input dimension.</summary>
    public required long[] End { get; init; }

    /// <summary>Stride per input dimension.</summary>
    public required long[] Strides { get; init; }

    /// <summary>True when the slice takes every element in order (the output equals the input, up to its shape).</summary>
    public required bool IsIdentity { get; init; }

    /// <summary>The attributes of a StridedSlice (or StridedSliceGrad) op.</summary>
    public readonly record struct Masks(int Begin, int End, int Ellipsis, int NewAxis, int ShrinkAxis)
    {
        private static readonly OpAttr<long> BeginMask = new("begin_mask");
        private static readonly OpAttr<long> EndMask = new("end_mask");
        private static readonly OpAttr<long> EllipsisMask = new("ellipsis_mask");
        private static readonly OpAttr<long> NewAxisMask = new("new_axis_mask");
        private static readonly OpAttr<long> ShrinkAxisMask = new("shrink_axis_mask");

        public static Masks Of(Operation op) => new(
            (int)BeginMask.Of(op), (int)EndMask.Of(op), (int)EllipsisMask.Of(op),
            (int)NewAxisMask.Of(op), (int)ShrinkAxisMask.Of(op));

        public static Masks Of(Framework.InferenceContext ctx) => new(
            (int)BeginMask.Of(ctx), (int)EndMask.Of(ctx), (int)EllipsisMask.Of(ctx),
            (int)NewAxisMask.Of(ctx), (int)ShrinkAxisMask.Of(ctx));
    }

    /// <summary>
    /// Validates the spec against <paramref name="inputDims"/> (-1 for an unknown dimension). <paramref name="begin"/>
    /// and <paramref name="end"/> may be null (not known at build time); <paramref name="beginShape"/>,
    /// <paramref name="endShape"/> and <paramref name="stridesShape"/> are the shapes of the three vectors, checked
    /// as TensorFlow's kernel checks them.
    /// </summary>
    public static StridedSliceSpec Validate(long[]? begin, Shape? beginShape, long[]? end, Shape? endShape,
        long[] strides, Shape stridesShape, long[] inputDims, Masks masks, Func<string, Exception> error)
    {
        var n = strides.Length;
        var beginIsWrong = begin is not null && !(beginShape!.ndims == 1 && begin.Length == n && begin.Length < 32);
        var endIsWrong = end is not null && !(endShape!.ndims == 1 && end.Length == n);
        if (beginIsWrong || endIsWrong || stridesShape.ndims != 1)
        {
            if (begin is not null && end is not null)
                throw error($"Expected begin, end, and strides to be 1D equal size tensors, but got shapes {beginShape!.ToListString()}, {endShape!.ToListString()}, and {stridesShape.ToListString()} instead.");
            throw error($"Expected begin, end, and strides to be 1D equal size tensors, but got shape {stridesShape.ToListString()} for strides.");
        }
        var ellipsisMask = masks.Ellipsis;
        if (ellipsisMask != 0 && (ellipsisMask & (ellipsisMask - 1)) != 0)
            throw error("Multiple ellipses in slice spec not allowed");

        // Step 1: count the new axes after the ellipsis; without an ellipsis, one is implied at the end.
        var sparseDims = n;
        var newAxesAfterEllipsis = 0;
        var ellipsisSeen = false;
        for (var i = 0; i < sparseDims; i++)
        {
            if (ellipsisSeen && ((1 << i) & masks.NewAxis) != 0) newAxesAfterEllipsis++;
            if (((1 << i) & ellipsisMask) != 0) ellipsisSeen = true;
        }
        if (!ellipsisSeen)
        {
            ellipsisMask |= 1 << sparseDims;
            sparseDims++;
        }

        // Step 2: the dense spec, one entry per input dimension.
        var dims = inputDims.Length;
        var denseBegin = new long[dims];
        var denseEnd = new long[dims];
        var denseStrides = new long[dims];
        int beginMask = 0, endMask = 0, shrinkMask = 0;
        var gather = new List<int>();
        var full = 0;
        for (var i = 0; i < sparseDims; i++)
        {
            if (((1 << i) & ellipsisMask) != 0)
            {
                var next = System.Math.Min(dims - (sparseDims - i) + 1 + newAxesAfterEllipsis, dims);
                for (; full < next; full++)
                {
                    denseBegin[full] = denseEnd[full] = 0;
                    denseStrides[full] = 1;
                    beginMask |= 1 << full;
                    endMask |= 1 << full;
                    gather.Add(full);
                }
            }
            else if (((1 << i) & masks.NewAxis) != 0) gather.Add(NewAxis);
            else
            {
                if (full == dims) throw error($"Index out of range using input dim {full}; input has only {dims} dims");
                if (begin is not null) denseBegin[full] = begin[i];
                if (end is not null) denseEnd[full] = end[i];
                denseStrides[full] = strides[i];
                if ((masks.Begin & (1 << i)) != 0) beginMask |= 1 << full;
                if ((masks.End & (1 << i)) != 0) endMask |= 1 << full;
                if ((masks.ShrinkAxis & (1 << i)) != 0)
                {
                    gather.Add(ShrinkAxis);
                    shrinkMask |= 1 << full;
                }
                else gather.Add(full);
                full++;
            }
        }

        // Step 3: make the masked ranges explicit, clamp, and bounds-check.
        var known = begin is not null && end is not null;
        var processing = new long[dims];
        var isIdentity = true;
        for (var i = 0; i < dims; i++)
        {
            var stride = denseStrides[i];
            var dim = inputDims[i];
            if (stride == 0) throw error($"strides[{i}] must be non-zero");
            var shrink = (shrinkMask & (1 << i)) != 0;
            if (dim == -1)
            {
                processing[i] = shrink ? 1 : -1;
                isIdentity = false;
                continue;
            }
            var beginMasked = (beginMask & (1 << i)) != 0;
            var endMasked = (endMask & (1 << i)) != 0;
            long lo = stride > 0 ? 0 : -1, hi = stride > 0 ? dim : dim - 1;
            long Canonical(long x, bool masked, bool isEnd)
            {
                if (masked) return stride > 0 ? (isEnd ? hi : lo) : (isEnd ? lo : hi);
                var forward = x < 0 ? dim + x : x;
                return forward < lo ? lo : forward > hi ? hi : forward;
            }
            if (shrink && stride <= 0) throw error("only stride 1 allowed on non-range indexing.");
            var bothMasked = beginMasked && endMasked;
            if (known)
            {
                if (shrink)
                {
                    var forward = denseBegin[i] < 0 ? dim + denseBegin[i] : denseBegin[i];
                    denseBegin[i] = forward;
                    denseEnd[i] = forward + 1;
                    if (forward < 0 || forward >= dim) throw error($"slice index {forward} of dimension {i} out of bounds.");
                }
                else
                {
                    denseBegin[i] = Canonical(denseBegin[i], beginMasked, isEnd: false);
                    denseEnd[i] = Canonical(denseEnd[i], endMasked, isEnd: true);
                }
                isIdentity &= stride == 1 && denseBegin[i] == 0 && denseEnd[i] == dim;
            }
            else isIdentity &= stride == 1 && bothMasked;

            long interval = 0;
            var knownInterval = false;
            if (known) { interval = denseEnd[i] - denseBegin[i]; knownInterval = true; }
            else if (shrink) { interval = 1; knownInterval = true; }
            else if (bothMasked && dim >= 0) { interval = stride < 0 ? -dim : dim; knownInterval = true; }
            if (knownInterval)
                processing[i] = interval == 0 || (interval < 0) != (stride < 0) ? 0 : interval / stride + (interval % stride != 0 ? 1 : 0);
            else processing[i] = -1;
        }

        // Step 4: the final shape.
        var final = new List<long>();
        foreach (var g in gather)
        {
            if (g >= 0) final.Add(processing[g]);
            else if (g == NewAxis) final.Add(1);
        }
        return new StridedSliceSpec
        {
            ProcessingShape = processing, FinalShape = [.. final], Begin = denseBegin, End = denseEnd,
            Strides = denseStrides, IsIdentity = isIdentity,
        };
    }

    /// <summary>The element offset of the block's first element and the input strides walked by each dimension.</summary>
    public (int Offset, int[] Strides) Walk(ReadOnlySpan<int> inputDims)
    {
        var inputStrides = SharpFlow.Framework.Dispatch.DataMovement.Strides(inputDims);
        var walk = new int[inputDims.Length];
        long offset = 0;
        for (var i = 0; i < inputDims.Length; i++)
        {
            walk[i] = checked((int)(Strides[i] * inputStrides[i]));
            if (ProcessingShape[i] > 0) offset += Begin[i] * inputStrides[i];
        }
        return (checked((int)offset), walk);
    }

    /// <summary>Dimensions as ints for a known shape.</summary>
    public static int[] ToInts(long[] dims) => System.Array.ConvertAll(dims, d => checked((int)d));
}
