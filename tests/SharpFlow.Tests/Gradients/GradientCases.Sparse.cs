namespace SharpFlow.Tests.Gradients;

public static partial class GradientCases
{
    /// <summary>
    /// Sparse gradients: gathers whose gradients are IndexedSlices (repeated rows, two gathers concatenated, mixed
    /// with a dense use), dynamic_partition / dynamic_stitch, and sharded embedding lookups (mod, div, max_norm).
    /// </summary>
    private static IEnumerable<GradientCase> SparseCases()
    {
        var s32 = new Shape(3, 2);
        yield return C("sparse", "gather repeated rows", x => tf.gather(x[0], tf.constant(new[] { 0, 2, 0 })) * tf.constant(new[,] { { 1.0, 2.0 }, { 3.0, 4.0 }, { 5.0, 6.0 } }, tf.float64), U(s32));
        yield return C("sparse", "two gathers (slices concatenated)", x => tf.square(tf.gather(x[0], tf.constant(new[] { 0, 1 }))) + tf.gather(x[0], tf.constant(new[] { 2, 1 })), U(s32));
        yield return C("sparse", "gather and a dense use", x => tf.reduce_sum(tf.gather(x[0], tf.constant(new[] { 1 }))) + tf.reduce_sum(tf.square(x[0])), U(s32));
        yield return C("sparse", "gather int64 indices", x => tf.gather(x[0], tf.constant(new long[] { 2, 2 })), U(s32));
        yield return C("sparse", "dynamic_partition", x =>
        {
            var parts = tf.dynamic_partition(x[0], tf.constant(new[] { 1, 0, 1 }), 2);
            return tf.reduce_sum(tf.square(parts[0])) + tf.reduce_sum(parts[1] * 3.0);
        }, U(s32));
        yield return C("sparse", "dynamic_stitch", x => tf.dynamic_stitch([tf.constant(new[] { 0, 2 }), tf.constant(new[] { 1 })], [x[0], x[1]]), U(new Shape(2, 3)), U(new Shape(1, 3)));
        yield return C("sparse", "parallel_dynamic_stitch", x => tf.parallel_dynamic_stitch([tf.constant(new[] { 1 }), tf.constant(new[] { 0, 2 })], [x[0], x[1]]), U(new Shape(1, 2)), U(new Shape(2, 2)));
        yield return C("sparse", "embedding_lookup", x => tf.nn.embedding_lookup(x[0], tf.constant(new[,] { { 0, 2 }, { 2, 1 } })), U(s32));
        yield return C("sparse", "embedding_lookup mod, 2 shards", x => tf.nn.embedding_lookup([x[0], x[1]], tf.constant(new[,] { { 0, 3 }, { 2, 1 } })), U(new Shape(2, 3)), U(new Shape(2, 3)));
        yield return C("sparse", "embedding_lookup div, 3 uneven shards", x => tf.nn.embedding_lookup([x[0], x[1], x[2]], tf.constant(new[] { 4, 0, 2, 3, 2 }), partition_strategy: "div"), U(new Shape(2, 2)), U(new Shape(2, 2)), U(new Shape(1, 2)));
        // The sampled losses with fixed samples: gradients to the inputs and (through IndexedSlices) the class weights.
        (Tensor, Tensor, Tensor) Fixed() => (tf.constant(new long[] { 2, 0 }), tf.constant(new[,] { { 0.4f }, { 0.3f } }), tf.constant(new[] { 0.5f, 0.25f }));
        var labels = new long[,] { { 1 }, { 3 } };
        yield return C("sparse", "nce_loss inputs and weights", x => tf.nn.nce_loss(x[0], x[1], tf.constant(labels), x[2], 2, 4, sampled_values: Fixed()), U(new Shape(4, 3)), U(new Shape(4)), U(new Shape(2, 3)));
        yield return C("sparse", "sampled_softmax_loss inputs and weights", x => tf.nn.sampled_softmax_loss(x[0], x[1], tf.constant(labels), x[2], 2, 4, sampled_values: Fixed()), U(new Shape(4, 3)), U(new Shape(4)), U(new Shape(2, 3)));
        yield return C("sparse", "embedding_lookup max_norm", x => tf.nn.embedding_lookup(x[0], tf.constant(new[] { 1, 0 }), max_norm: 0.5), Away(s32));
    }
}
