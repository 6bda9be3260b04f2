namespace SharpFlow.Tests.Gradients;

/// <summary>Gradient checks of the slicing and array ops (StridedSlice, Pack, Unpack, ...).</summary>
public static partial class GradientCases
{
    private static IEnumerable<GradientCase> ArrayCases()
    {
        var s345 = new Shape(3, 4, 5);
        // StridedSlice through the indexer: ranges, single elements, negative strides, new axes and ellipses.
        yield return C("slicing", "x[1..3, ^1]", x => x[0][1..3, ^1], U(s345));
        yield return C("slicing", "x[::-2, 1:, newaxis, ...]", x => x[0][new SliceSpec(step: -2), 1.., tf.newaxis, tf.ellipsis], U(s345));
        yield return C("slicing", "x[..., 3:0:-2]", x => x[0][tf.ellipsis, new SliceSpec(3, 0, -2)], U(s345));
        yield return C("slicing", "x[0] run-time shapes", x => x[0][0], U(s345)) with { Dynamic = true };
        yield return C("slicing", "x[:, ::-1] run-time shapes", x => x[0][.., new SliceSpec(step: -1)], U(new Shape(2, 3))) with { Dynamic = true };
        yield return C("slicing", "strided_slice with masks", x => tf.strided_slice(x[0], new[] { 1, 0, 1 }, new[] { 0, -1, 5 }, new[] { 1, 2, 2 }, begin_mask: 2, end_mask: 1), U(s345));
        yield return C("slicing", "strided_slice with begin known only at run time", x => tf.strided_slice(x[0], tf.placeholder_with_default(new[] { 1, -1 }, new[] { -1 }), new[] { 3, 0 }, new[] { 1, -2 }), U(s345));
        yield return C("slicing", "x[i] with a tensor index", x => x[0][tf.constant(2), .., tf.newaxis], U(s345));
        // StridedSliceGrad, and the second derivative through it (its gradient is a StridedSlice).
        yield return C("slicing", "d²/dx² of x[1:, ::2]³", x => tf.gradients(tf.reduce_sum(tf.pow(x[0][1.., new SliceSpec(step: 2)], 3.0)), x[0])[0]!, U(new Shape(3, 4))) with { Tolerance = 1e-5 };
        yield return C("slicing", "StridedSliceGrad", x => tf.gradients(x[1][.., new SliceSpec(step: -2)], x[1], grad_ys: x[0])[0]!, U(new Shape(3, 2)), U(new Shape(3, 4)));

        // Pack and Unpack.
        yield return C("stacking", "stack axis 0", x => tf.stack(new[] { x[0], x[1], x[0] }), U(new Shape(2, 3)), U(new Shape(2, 3)));
        yield return C("stacking", "stack axis -1", x => tf.stack(new[] { x[0], x[1] }, axis: -1), U(new Shape(2, 3)), U(new Shape(2, 3)));
        yield return C("stacking", "unstack axis 1, one output unused", x => tf.unstack(x[0], axis: 1)[0] * 2.0 + tf.unstack(x[0], axis: 1)[2], U(s345));
        yield return C("stacking", "unstack run-time shapes", x => tf.stack(tf.unstack(x[0], num: 3, axis: 0).Reverse()), U(new Shape(3, 2))) with { Dynamic = true };
        // Split, SplitV, Tile, ReverseV2, GatherNd, ScatterNd.
        yield return C("array ops", "split in 3, one piece unused", x => tf.split(x[0], 3, 1)[0] * 2.0 + tf.split(x[0], 3, 1)[2], U(new Shape(2, 6)));
        yield return C("array ops", "split sizes [1, -1, 2]", x => tf.split(x[0], new[] { 1, -1, 2 }, -1)[1] * 3.0, U(new Shape(2, 6)));
        yield return C("array ops", "tile", x => tf.tile(x[0], new[] { 2, 1, 3 }), U(new Shape(2, 3, 2)));
        yield return C("array ops", "tile run-time shapes", x => tf.tile(x[0], new[] { 3, 2 }), U(new Shape(2, 3))) with { Dynamic = true };
        yield return C("array ops", "d²/dx² of tile(x)³", x => tf.gradients(tf.reduce_sum(tf.pow(tf.tile(x[0], new[] { 2, 3 }), 3.0)), x[0])[0]!, U(new Shape(2, 2))) with { Tolerance = 1e-5 };
        yield return C("array ops", "reverse axes [0, 2]", x => tf.reverse(x[0], new[] { 0, -1 }), U(s345));
        yield return C("array ops", "gather_nd, repeated rows", x => tf.gather_nd(x[0], new[,] { { 1, 2 }, { 0, 0 }, { 1, 2 } }), U(s345));
        yield return C("array ops", "gather_nd run-time shapes", x => tf.gather_nd(x[0], new[,] { { 2 }, { 0 } }), U(new Shape(3, 2))) with { Dynamic = true };
        yield return C("array ops", "scatter_nd", x => tf.scatter_nd(new[,] { { 3 }, { 1 }, { 3 } }, x[0], new[] { 5, 2 }), U(new Shape(3, 2)));
        // ReverseSequence, SpaceToDepth, DepthToSpace, SpaceToBatchND, BatchToSpaceND, and the composites.
        yield return C("array ops", "reverse_sequence", x => tf.reverse_sequence(x[0], new[] { 3, 0, 2, 1 }, seq_axis: 1, batch_axis: 0), U(new Shape(4, 3, 2)));
        yield return C("array ops", "space_to_depth", x => tf.space_to_depth(x[0], 2), U(new Shape(2, 4, 2, 3)));
        yield return C("array ops", "depth_to_space", x => tf.depth_to_space(x[0], 2), U(new Shape(1, 2, 3, 8)));
        yield return C("array ops", "space_to_batch_nd with padding", x => tf.space_to_batch_nd(x[0], new[] { 2, 3 }, new[,] { { 1, 1 }, { 0, 2 } }), U(new Shape(2, 2, 4, 2)));
        yield return C("array ops", "batch_to_space_nd with crops", x => tf.batch_to_space_nd(x[0], new[] { 2, 2 }, new[,] { { 1, 0 }, { 0, 1 } }), U(new Shape(8, 2, 2, 1)));
        yield return C("array ops", "boolean_mask", x => tf.boolean_mask(x[0], new[,] { { true, false, true }, { false, true, true } }), U(new Shape(2, 3, 2)));
        yield return C("array ops", "meshgrid", x => tf.meshgrid(x[0], x[1])[0] * tf.meshgrid(x[0], x[1])[1], U(new Shape(3)), U(new Shape(2)));
    }
}
