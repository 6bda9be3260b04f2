namespace SharpFlow.Tests.Gradients;

/// <summary>Gradient checks of the sparse ops of issue 17's records work (SparseToDense).</summary>
public static partial class GradientCases
{
    private static IEnumerable<GradientCase> RecordsCases()
    {
        // Our own seeds, restored afterwards, so the cases after these keep their inputs.
        var saved = _seed;
        _seed = 60_000;
        try
        {
            var indices = new long[,] { { 0, 1 }, { 1, 0 }, { 1, 2 } };
            var shape = new long[] { 2, 3 };
            yield return C("sparse", "sparse_to_dense values", x => tf.sparse_to_dense(indices, shape, x[0], 0.5), U(new Shape(3)));
            yield return C("sparse", "sparse_to_dense default value", x => tf.sparse_to_dense(indices, shape, tf.constant(new[] { 1.0, 2.0, 3.0 }, dtype: tf.float64), x[0]), U(Shape.Scalar));
            yield return C("sparse", "sparse_to_dense scalar value", x => tf.sparse_to_dense(indices, shape, x[0], x[1]), U(Shape.Scalar), U(Shape.Scalar));
            yield return C("sparse", "sparse_tensor_to_dense", x => tf.sparse_tensor_to_dense(tf.SparseTensor(indices, x[0], shape)) * 2.0, U(new Shape(3)));
        }
        finally
        {
            _seed = saved;
        }
    }
}
