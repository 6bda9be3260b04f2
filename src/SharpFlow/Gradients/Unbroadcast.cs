using SharpFlow.Ops;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;

namespace SharpFlow.Gradients;

/// <summary>
/// Sums a gradient of a broadcast result back to the shape of one input: over the leading axes the input lacks
/// and the axes where it has size 1. Static shapes give constant axes; otherwise the axes come from
/// <see cref="BroadcastGradientArgs"/> at run time.
/// </summary>
internal static class Unbroadcast
{
    public static Tensor SumToShapeOf(Tensor grad, Tensor input)
    {
        var (gs, xs) = (grad.shape, input.shape);
        if (gs.IsFullyDefined && xs.IsFullyDefined)
        {
            if (gs == xs) return grad;
            var axes = BroadcastGradientArgs.Axes(xs.AsSpan(), gs.AsSpan());
            var summed = axes.Length == 0 ? grad : Sum.Build(grad, Shapes.Const(grad.graph, axes, "reduction_indices"));
            return summed.shape == xs ? summed : Reshape.Build(summed, Shapes.Of(input));
        }
        var inputShape = Shape_.Build(input);
        var (rx, _) = BroadcastGradientArgs.Build(inputShape, Shape_.Build(grad));
        return Reshape.Build(Sum.Build(grad, rx), inputShape);
    }
}
