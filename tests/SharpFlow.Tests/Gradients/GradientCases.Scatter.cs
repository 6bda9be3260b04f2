namespace SharpFlow.Tests.Gradients;

/// <summary>Gradient checks of the segment reductions (the variable scatters are not differentiable).</summary>
public static partial class GradientCases
{
    private static IEnumerable<GradientCase> ScatterCases()
    {
        // Our own seeds, restored afterwards: these cases come first in the table and must not shift the random
        // inputs of the cases after them.
        var saved = _seed;
        _seed = 50_000;
        try
        {
            var ids = new[] { 0, 0, 1, 3, 3, 3 };
            var s63 = new Shape(6, 3);
            // Sorted segments, with a gap (segment 2).
            yield return C("segments", "segment_sum", x => tf.segment_sum(x[0], ids), U(s63));
            yield return C("segments", "segment_mean", x => tf.segment_mean(x[0], ids), U(s63));
            yield return C("segments", "segment_mean run-time shapes", x => tf.segment_mean(x[0], ids), U(new Shape(6, 2))) with { Dynamic = true };
            yield return C("segments", "segment_max", x => tf.segment_max(x[0], ids), Distinct(s63));
            yield return C("segments", "segment_min of a vector", x => tf.segment_min(x[0], ids), Distinct(new Shape(6)));
            yield return C("segments", "d²/dx² of segment_sum(x)³", x => tf.gradients(tf.reduce_sum(tf.pow(tf.segment_sum(x[0], ids), 3.0)), x[0])[0]!, U(new Shape(6, 2))) with { Tolerance = 1e-5 };
            // Unsorted segments: ids in any order, negative ids dropped, ids of rank 2.
            var unsorted = new[,] { { 2, -1, 0 }, { 2, 0, 3 } };
            yield return C("segments", "unsorted_segment_max", x => tf.unsorted_segment_max(x[0], unsorted, 4), Distinct(new Shape(2, 3, 2)));
            yield return C("segments", "unsorted_segment_min", x => tf.unsorted_segment_min(x[0], new[] { 1, 0, -1, 1, 0 }, 3), Distinct(new Shape(5, 2)));
            yield return C("segments", "unsorted_segment_max run-time shapes", x => tf.unsorted_segment_max(x[0], new[] { 1, 0, 1 }, 2), Distinct(new Shape(3, 2))) with { Dynamic = true };
            yield return C("segments", "unsorted_segment_prod", x => tf.unsorted_segment_prod(x[0], unsorted, 4), Away(new Shape(2, 3, 2)));
            // A product is linear in each factor, so exact zeros (one or two in a segment) are fine for central differences.
            var withZeros = NDArray.FromFlat(new[] { 0.0, 0.5, 1.5, -0.7, 0.0, 0.0, 0.3, 1.2 }, new Shape(8));
            yield return C("segments", "unsorted_segment_prod with zeros", x => tf.unsorted_segment_prod(x[0], new[] { 0, 0, 0, 1, 2, 2, 1, -1 }, 3), withZeros);
            // Sparse segments: repeated and skipped rows.
            var indices = new[] { 3, 0, 3, 4, 1 };
            var sparseIds = new[] { 0, 0, 1, 3, 3 };
            yield return C("segments", "sparse_segment_sum", x => tf.sparse_segment_sum(x[0], indices, sparseIds), U(new Shape(5, 2)));
            yield return C("segments", "sparse_segment_mean", x => tf.sparse_segment_mean(x[0], indices, sparseIds), U(new Shape(5, 2)));
            yield return C("segments", "sparse_segment_sqrt_n", x => tf.sparse_segment_sqrt_n(x[0], indices, sparseIds), U(new Shape(5, 3)));
            yield return C("segments", "sparse_segment_sqrt_n run-time shapes", x => tf.sparse_segment_sqrt_n(x[0], indices, sparseIds), U(new Shape(5))) with { Dynamic = true };
        }
        finally
        {
            _seed = saved;
        }
    }
}
