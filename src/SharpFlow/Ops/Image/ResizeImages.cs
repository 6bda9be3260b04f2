namespace SharpFlow.Ops.Image;

/// <summary>Helpers of <c>tf.image.resize_images</c>.</summary>
internal static class ResizeImages
{
    /// <summary>The [height, width] of a size tensor when it is known at graph-building time (TensorFlow's constant_value), else null.</summary>
    public static int[]? ConstantSize(Tensor size) =>
        size.op.Def.ConstantValue(size.op, size.value_index) is { size: 2 } a ? a.ToArray<int>() : null;
}
