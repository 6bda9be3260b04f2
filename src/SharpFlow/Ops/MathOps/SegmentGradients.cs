using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow.Ops.MathOps;

/// <summary>The gradient rules of math_grad.py that the segment reductions share, built from ordinary ops.</summary>
internal static class SegmentGradients
{
    /// <summary>
    /// <c>_SegmentMinOrMaxGrad</c>: the incoming row, divided by the number of rows that attain the segment's
    /// extreme, goes to each of them; the other rows get 0.
    /// </summary>
    public static Tensor MinOrMax(Operation op, Tensor grad)
    {
        var (data, ids) = (op.inputs[0], op.inputs[1]);
        var zeros = ZerosLike.Def.Apply(data, null, false, null);
        var gatheredOutputs = GatherV2.Build(op.outputs[0], ids);
        var isSelected = Equal.Build(data, gatheredOutputs);
        var numSelected = SegmentSum.Build(Cast.Build(isSelected, grad.dtype), ids);
        var weighted = RealDiv.Build(grad, numSelected);
        var gatheredGrads = GatherV2.Build(weighted, ids);
        return Select.Build(isSelected, gatheredGrads, zeros);
    }

    /// <summary>
    /// <c>_GatherDropNegatives</c>: <c>params</c> gathered at <c>max(ids, 0)</c>, rows of negative ids zeroed; also
    /// returns the clipped ids and the (broadcast) mask of kept rows for reuse.
    /// </summary>
    public static (Tensor Gathered, Tensor ClippedIds, Tensor IsPositive) GatherDropNegatives(Tensor parameters, Tensor? ids, Tensor? clippedIds = null, Tensor? isPositive = null)
    {
        clippedIds ??= Maximum.Build(ids!, ZerosLike.Def.Apply(ids!, null, false, null));
        var gathered = GatherV2.Build(parameters, clippedIds);
        if (isPositive is null)
        {
            var positive = GreaterEqual.Build(ids!, 0);
            var positiveShape = Shapes.Of(positive);
            var trailing = Sub.Build(Rank.Build(gathered), Rank.Build(positive));
            var broadcastable = ConcatV2.Build([positiveShape, Fill.Build(ExpandDims.Build(trailing, 0), 1)], 0);
            isPositive = LogicalAnd.Build(Reshape.Build(positive, broadcastable), OnesLike.Def.Apply(gathered, DType.@bool, false, null));
        }
        var zeroSlice = ZerosLike.Def.Apply(gathered, null, false, null);
        return (Select.Build(isPositive, gathered, zeroSlice), clippedIds, isPositive);
    }

    /// <summary><c>_UnsortedSegmentMinOrMaxGrad</c>.</summary>
    public static Tensor UnsortedMinOrMax(Operation op, Tensor grad)
    {
        var (data, ids, n) = (op.inputs[0], op.inputs[1], op.inputs[2]);
        var (gatheredOutputs, clipped, isPositive) = GatherDropNegatives(op.outputs[0], ids);
        var isSelected = LogicalAnd.Build(Equal.Build(data, gatheredOutputs), isPositive);
        var numSelected = UnsortedSegmentSum.Build(Cast.Build(isSelected, grad.dtype), ids, n);
        var weighted = RealDiv.Build(grad, numSelected);
        var (gatheredGrads, _, _) = GatherDropNegatives(weighted, null, clipped, isPositive);
        return Select.Build(isSelected, gatheredGrads, ZerosLike.Def.Apply(gatheredGrads, null, false, null));
    }

    /// <summary>
    /// <c>_UnsortedSegmentProdGrad</c>: the product of the segment's other elements, computed without dividing
    /// by a zero element (segments with two zeros pass no gradient).
    /// </summary>
    public static Tensor UnsortedProd(Operation op, Tensor grad)
    {
        var (data, ids, n) = (op.inputs[0], op.inputs[1], op.inputs[2]);
        var isZero = Equal.Build(data, Cast.Build(0, data.dtype));
        var numZeros = UnsortedSegmentSum.Build(Cast.Build(isZero, DType.int32), ids, n);
        grad = Select.Build(Greater.Build(numZeros, 1), ZerosLike.Def.Apply(grad, null, false, null), grad);
        var nonZeroData = Select.Build(isZero, OnesLike.Def.Apply(data, null, false, null), data);
        var nonZeroProd = UnsortedSegmentProd.Build(nonZeroData, ids, n);
        var clipped = Maximum.Build(ids, ZerosLike.Def.Apply(ids, null, false, null));
        var gatheredProd = GatherV2.Build(op.outputs[0], clipped);
        var gatheredNonZeroProd = GatherV2.Build(nonZeroProd, clipped);
        var prodDividedByEl = RealDiv.Build(gatheredProd, data); // may hold NaN or Inf, replaced below
        var partial = Select.Build(isZero, gatheredNonZeroProd, prodDividedByEl);
        var (gatheredGrad, _, _) = GatherDropNegatives(grad, ids, clipped);
        return Mul.Build(gatheredGrad, partial);
    }
}
