namespace SharpFlow.Tests.Data.Pipeline;

/// <summary>Nested element structures, the <c>apply</c> helpers, and random ops inside traced functions.</summary>
public class DatasetStructureTests
{
    [Fact]
    public void FeaturesDictionaryAndLabelPairsMapAndBatch()
    {
        using var g = TestGraph.Enter();
        var features = new Dictionary<string, object> { ["x"] = new[] { 1f, 2f, 3f, 4f }, ["id"] = new[] { 7, 8, 9, 10 } };
        var ds = tf.data.Dataset.from_tensor_slices((features, new[] { 0, 1, 0, 1 }))
            .map((Dictionary<string, Tensor> f, Tensor label) => (new Dictionary<string, Tensor> { ["x"] = f["x"] * 10f, ["id"] = f["id"] }, label))
            .batch(3);
        Assert.Equal("<BatchDataset shapes: ({id: (?,), x: (?,)}, (?,)), types: ({id: tf.int32, x: tf.float32}, tf.int32)>", ds.ToString());
        var e = ds.make_one_shot_iterator().get_next();
        var f = e.element(0);
        using var sess = tf.Session();
        var r = sess.run([f["x"], f["id"], e[1]]);
        Assert.Equal([10f, 20f, 30f], r[0].ToArray<float>());
        Assert.Equal([7, 8, 9], r[1].ToArray<int>());
        Assert.Equal([0, 1, 0], r[2].ToArray<int>());
        Assert.Equal(new Shape(1), sess.run(e[1]).shape);
    }

    [Fact]
    public void ZipOfADictionaryOfDatasets()
    {
        using var g = TestGraph.Enter();
        var ds = tf.data.Dataset.zip(new Dictionary<string, tf.data.Dataset> { ["b"] = tf.data.Dataset.range(3), ["a"] = tf.data.Dataset.range(10, 13) });
        var e = ds.make_one_shot_iterator().get_next();
        using var sess = tf.Session();
        var r = sess.run([e["a"], e["b"]]);
        Assert.Equal(10L, r[0].ToArray<long>()[0]);
        Assert.Equal(0L, r[1].ToArray<long>()[0]);
    }

    [Fact]
    public void ExperimentalHelpersApply()
    {
        using var g = TestGraph.Enter();
        var batches = tf.data.Dataset.range(10).apply(tf.data.experimental.batch_and_drop_remainder(4));
        Assert.Equal(new Shape(4), batches.output_shapes[0]);
        var mb = tf.data.Dataset.range(5).apply(tf.data.experimental.map_and_batch(x => x * 2L, 2, num_parallel_calls: 2));
        var next = mb.make_one_shot_iterator().get_next();
        var sr = tf.data.Dataset.range(4).apply(tf.data.experimental.shuffle_and_repeat(4, count: 3, seed: 1));
        var srNext = sr.make_one_shot_iterator().get_next();
        using var sess = tf.Session();
        var all = DatasetTests.All(sess, next).Select(v => v.ToArray<long>()).ToList();
        Assert.Equal([[0L, 2], [4L, 6], [8L]], all);
        var shuffled = DatasetTests.Longs(sess, srNext);
        Assert.Equal(12, shuffled.Count);
        for (var epoch = 0; epoch < 3; epoch++) Assert.Equal([0L, 1, 2, 3], shuffled.Skip(4 * epoch).Take(4).Order());
    }

    [Fact]
    public void RandomOpsInAMapFunctionDrawPerElementAndRepeatForASeed()
    {
        using var g = TestGraph.Enter();
        List<double> Draw()
        {
            var ds = tf.data.Dataset.range(6).map(x => tf.cast(x, tf.float64) + tf.random_uniform(Shape.Scalar, dtype: tf.float64, seed: 3));
            var next = ds.make_one_shot_iterator().get_next();
            using var sess = tf.Session();
            return DatasetTests.All(sess, next).Select(v => v.ToArray<double>()[0]).ToList();
        }
        var a = Draw();
        var noise = a.Select((v, i) => v - i).ToList();
        Assert.All(noise, n => Assert.InRange(n, 0.0, 1.0));
        Assert.True(noise.Distinct().Count() > 1, "every element got the same random number");
        Assert.Equal(a, Draw());
    }

    [Fact]
    public void GetNextKeepsTheStaticShapesAndNames()
    {
        using var g = TestGraph.Enter();
        var ds = tf.data.Dataset.from_tensor_slices(new float[4, 28, 28]).map(x => tf.reshape(x, new[] { 784 })).batch(2, drop_remainder: true);
        Tensor next = ds.make_one_shot_iterator().get_next(name: "next_images");
        Assert.Equal(new Shape(2, 784), next.shape);
        Assert.Equal("next_images:0", next.name);
        Assert.Equal("IteratorGetNext", next.op.type);
    }
}
