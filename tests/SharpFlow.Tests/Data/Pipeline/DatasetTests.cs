namespace SharpFlow.Tests.Data.Pipeline;

/// <summary>
/// Element sequences of every dataset transformation, with expected values from TensorFlow's
/// tensorflow/python/data/kernel_tests/*_test.py and the dataset docstrings, and the end of sequence as
/// TensorFlow's OutOfRangeError.
/// </summary>
public class DatasetTests
{
    internal static List<long> Longs(Session sess, Tensor next)
    {
        var result = new List<long>();
        while (true)
        {
            try { result.Add(sess.run(next).ToArray<long>()[0]); }
            catch (OutOfRangeError) { return result; }
        }
    }

    internal static List<NDArray> All(Session sess, Tensor next)
    {
        var result = new List<NDArray>();
        while (true)
        {
            try { result.Add(sess.run(next)); }
            catch (OutOfRangeError) { return result; }
        }
    }

    private static List<long> Elements(tf.data.Dataset ds)
    {
        var next = ds.make_one_shot_iterator().get_next();
        using var sess = tf.Session();
        return Longs(sess, next);
    }

    [Fact]
    public void RangeFollowsPythonAndEndsWithOutOfRange()
    {
        using var g = TestGraph.Enter();
        Assert.Equal([0L, 1, 2, 3, 4], Elements(tf.data.Dataset.range(5)));
        Assert.Equal([2L, 5, 8], Elements(tf.data.Dataset.range(2, 10, 3)));
        Assert.Equal([10L, 7, 4, 1], Elements(tf.data.Dataset.range(10, 0, -3)));
        Assert.Empty(Elements(tf.data.Dataset.range(5, 2)));
        var ds = tf.data.Dataset.range(1);
        Assert.Equal("RangeDataset", ds._variant_tensor.op.type);
        Assert.Equal(DType.int64, ds.output_types[0]);
        var next = ds.make_one_shot_iterator().get_next();
        using var sess = tf.Session();
        Assert.Equal(0L, sess.run(next).ToArray<long>()[0]);
        var e = Assert.Throws<OutOfRangeError>(() => sess.run(next));
        Assert.Equal("End of sequence", e.RawMessage);
        Assert.StartsWith("IteratorGetNext", e.NodeName);
        // It stays at the end.
        Assert.Throws<OutOfRangeError>(() => sess.run(next));
    }

    [Fact]
    public void FromTensorsIsOneElementInItsStructure()
    {
        using var g = TestGraph.Enter();
        // dataset_constructor_op_test.testFromTensors: a scalar, a vector and a matrix.
        var ds = tf.data.Dataset.from_tensors((NDArray.Scalar(1), new[] { 1, 2, 3 }, new double[,] { { 37.0, 38.0 }, { 39.0, 40.0 } }));
        Assert.Equal([Shape.Scalar, new Shape(3), new Shape(2, 2)], ds.output_shapes);
        var (a, b, c) = ds.make_one_shot_iterator().get_next();
        using var sess = tf.Session();
        var r = sess.run([a, b, c]);
        Assert.Equal(1, r[0].ToArray<int>()[0]);
        Assert.Equal([1, 2, 3], r[1].ToArray<int>());
        Assert.Equal([37.0, 38.0, 39.0, 40.0], r[2].ToArray<double>());
        Assert.Throws<OutOfRangeError>(() => sess.run(a));
    }

    [Fact]
    public void FromTensorSlicesSlicesTuplesAndDictionaries()
    {
        using var g = TestGraph.Enter();
        var x = new[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } };
        var ds = tf.data.Dataset.from_tensor_slices((x, new[] { 10L, 20L, 30L }));
        Assert.Equal([new Shape(2), Shape.Scalar], ds.output_shapes);
        Assert.Equal("TensorSliceDataset", ds._variant_tensor.op.type);
        var (xs, ys) = ds.make_one_shot_iterator().get_next();
        using (var sess = tf.Session())
        {
            for (var i = 0; i < 3; i++)
            {
                var (xv, yv) = sess.run((xs, ys));
                Assert.Equal([x[i, 0], x[i, 1]], xv.ToArray<int>());
                Assert.Equal(10L * (i + 1), yv.ToArray<long>()[0]);
            }
            Assert.Throws<OutOfRangeError>(() => sess.run(xs));
        }

        var dict = tf.data.Dataset.from_tensor_slices(new Dictionary<string, object> { ["b"] = new[] { 1.5f, 2.5f }, ["a"] = new[] { "x", "y" } });
        Assert.Equal([DType.@string, DType.float32], dict.output_types); // keys sorted, as nest.flatten
        var e = dict.make_one_shot_iterator().get_next();
        Assert.Equal(["a", "b"], e.keys);
        using (var sess = tf.Session())
        {
            var r = sess.run([e["a"], e["b"]]);
            Assert.Equal("x", System.Text.Encoding.UTF8.GetString(r[0].StringBytes()));
            Assert.Equal(1.5f, r[1].ToArray<float>()[0]);
        }
    }

    [Fact]
    public void FromTensorSlicesRefusesComponentsOfDifferentLengths()
    {
        using var g = TestGraph.Enter();
        var e = Assert.Throws<ValueError>(() => tf.data.Dataset.from_tensor_slices((new[] { 1, 2 }, new[] { 1, 2, 3 })));
        Assert.Contains("TensorSliceDataset", e.Message);
        Assert.Contains("Dimensions 2 and 3 are not compatible", e.Message);
        var p = tf.placeholder(tf.int32, new Shape(-1));
        var it = tf.data.Dataset.from_tensor_slices((p, new[] { 1, 2, 3 })).make_initializable_iterator();
        using var sess = tf.Session();
        var err = Assert.Throws<InvalidArgumentError>(() => sess.run(it.initializer, new FeedDict { [p] = new[] { 1, 2 } }));
        Assert.Contains("All components must have the same size in the 0th dimension", err.Message);
        Assert.StartsWith("TensorSliceDataset", err.NodeName);
    }

    [Fact]
    public void ZipAndConcatenate()
    {
        using var g = TestGraph.Enter();
        var zipped = tf.data.Dataset.zip(tf.data.Dataset.range(5), tf.data.Dataset.range(10, 13));
        var (a, b) = zipped.make_one_shot_iterator().get_next();
        using (var sess = tf.Session())
        {
            for (var i = 0; i < 3; i++)
            {
                var (av, bv) = sess.run((a, b));
                Assert.Equal(i, av.ToArray<long>()[0]);
                Assert.Equal(10 + i, bv.ToArray<long>()[0]);
            }
            Assert.Throws<OutOfRangeError>(() => sess.run(a));
        }
        Assert.Equal([0L, 1, 2, 7, 8], Elements(tf.data.Dataset.range(3).concatenate(tf.data.Dataset.range(7, 9))));
        var err = Assert.Throws<TypeError>(() => tf.data.Dataset.range(3).concatenate(tf.data.Dataset.from_tensor_slices(new[] { 1, 2 })));
        Assert.Contains("different types", err.Message);
    }

    [Fact]
    public void BatchKeepsThePartialLastBatchUnlessDropRemainder()
    {
        using var g = TestGraph.Enter();
        var ds = tf.data.Dataset.range(10).batch(4);
        Assert.Equal(new Shape(-1), ds.output_shapes[0]);
        Assert.Equal("BatchDatasetV2", ds._variant_tensor.op.type);
        var next = ds.make_one_shot_iterator().get_next();
        using (var sess = tf.Session())
        {
            var batches = All(sess, next);
            Assert.Equal(3, batches.Count);
            Assert.Equal([0L, 1, 2, 3], batches[0].ToArray<long>());
            Assert.Equal([4L, 5, 6, 7], batches[1].ToArray<long>());
            Assert.Equal([8L, 9], batches[2].ToArray<long>());
        }
        var dropped = tf.data.Dataset.range(10).batch(4, drop_remainder: true);
        Assert.Equal(new Shape(4), dropped.output_shapes[0]);
        var next2 = dropped.make_one_shot_iterator().get_next();
        using (var sess = tf.Session())
            Assert.Equal(2, All(sess, next2).Count);
    }

    [Fact]
    public void BatchOfTuplesStacksEachComponent()
    {
        using var g = TestGraph.Enter();
        var ds = tf.data.Dataset.from_tensor_slices((new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }, new[] { 7, 8, 9 })).batch(2);
        var (x, y) = ds.make_one_shot_iterator().get_next();
        using var sess = tf.Session();
        var (xv, yv) = sess.run((x, y));
        Assert.Equal(new Shape(2, 2), xv.shape);
        Assert.Equal([1f, 2, 3, 4], xv.ToArray<float>());
        Assert.Equal([7, 8], yv.ToArray<int>());
        (xv, yv) = sess.run((x, y));
        Assert.Equal(new Shape(1, 2), xv.shape);
        Assert.Equal([9], yv.ToArray<int>());
    }

    [Fact]
    public void BatchOfDifferentShapesIsAnError()
    {
        using var g = TestGraph.Enter();
        // batch_dataset_op_test.testBatchShapeError: elements of shapes [1] and [2].
        var ds = tf.data.Dataset.range(1, 3).map(x => tf.fill(tf.expand_dims(tf.cast(x, tf.int32), 0), x)).batch(2);
        var next = ds.make_one_shot_iterator().get_next();
        using var sess = tf.Session();
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(next));
        Assert.Contains("Cannot batch tensors with different shapes in component 0. First element had shape [1] and element 1 had shape [2].", e.Message);
        Assert.StartsWith("BatchDatasetV2", e.NodeName);
    }

    [Fact]
    public void PaddedBatchPadsToTheLongestOrToTheGivenShape()
    {
        using var g = TestGraph.Enter();
        // fill([x], x) for x in 0..3: [], [1], [2, 2], [3, 3, 3].
        var lists = tf.data.Dataset.range(4).map(x => tf.fill(tf.expand_dims(tf.cast(x, tf.int32), 0), x));
        var next = lists.padded_batch(4, padded_shapes: new Shape(-1)).make_one_shot_iterator().get_next();
        using (var sess = tf.Session())
        {
            var b = sess.run(next);
            Assert.Equal(new Shape(4, 3), b.shape);
            Assert.Equal([0L, 0, 0, 1, 0, 0, 2, 2, 0, 3, 3, 3], b.ToArray<long>());
        }
        var fixedNext = lists.padded_batch(2, padded_shapes: new[] { 5 }, padding_values: -1L).make_one_shot_iterator().get_next();
        using (var sess = tf.Session())
        {
            var b = sess.run(fixedNext);
            Assert.Equal(new Shape(2, 5), b.shape);
            Assert.Equal([-1L, -1, -1, -1, -1, 1, -1, -1, -1, -1], b.ToArray<long>());
        }
        var tooSmall = lists.padded_batch(4, padded_shapes: new[] { 2 }).make_one_shot_iterator().get_next();
        using (var sess = tf.Session())
        {
            var e = Assert.Throws<InvalidArgumentError>(() => sess.run(tooSmall));
            Assert.Contains("Attempted to pad to a smaller size than the input element.", e.Message);
            Assert.StartsWith("PaddedBatchDatasetV2", e.NodeName);
        }
    }

    [Fact]
    public void RepeatTakeAndSkip()
    {
        using var g = TestGraph.Enter();
        Assert.Equal([0L, 1, 2, 0, 1, 2, 0, 1, 2], Elements(tf.data.Dataset.range(3).repeat(3)));
        Assert.Equal([0L, 1, 2, 0, 1, 2, 0], Elements(tf.data.Dataset.range(3).repeat().take(7)));
        Assert.Empty(Elements(tf.data.Dataset.range(3).repeat(0)));
        Assert.Empty(Elements(tf.data.Dataset.range(0).repeat()));
        Assert.Equal([0L, 1, 2, 3, 4], Elements(tf.data.Dataset.range(5).take(-1)));
        Assert.Equal([0L, 1], Elements(tf.data.Dataset.range(5).take(2)));
        Assert.Equal([3L, 4], Elements(tf.data.Dataset.range(5).skip(3)));
        Assert.Empty(Elements(tf.data.Dataset.range(5).skip(-1)));
        Assert.Equal([0L, 1, 2, 3, 4], Elements(tf.data.Dataset.range(5).skip(0)));
    }

    [Fact]
    public void ShuffleIsAPermutationDeterministicForASeed()
    {
        using var g = TestGraph.Enter();
        var a = Elements(tf.data.Dataset.range(20).shuffle(5, seed: 37));
        var b = Elements(tf.data.Dataset.range(20).shuffle(5, seed: 37));
        Assert.Equal(a, b);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), a.Order());
        Assert.NotEqual(Enumerable.Range(0, 20).Select(i => (long)i), a);
        Assert.NotEqual(a, Elements(tf.data.Dataset.range(20).shuffle(5, seed: 38)));
        // A buffer of one cannot reorder anything.
        Assert.Equal([0L, 1, 2, 3, 4], Elements(tf.data.Dataset.range(5).shuffle(1, seed: 1)));
        // With a buffer of size k, element i can come out no later than... and no earlier than i - k + 1 positions.
        for (var pos = 0; pos < a.Count; pos++) Assert.True(a[pos] <= pos + 4, $"element {a[pos]} at {pos}");
    }

    [Fact]
    public void ShuffleReshufflesEachIterationUnlessTold()
    {
        using var g = TestGraph.Enter();
        var twice = Elements(tf.data.Dataset.range(10).shuffle(10, seed: 5).repeat(2));
        Assert.NotEqual(twice.Take(10), twice.Skip(10));
        Assert.Equal(twice.Take(10).Order(), twice.Skip(10).Order());
        var same = Elements(tf.data.Dataset.range(10).shuffle(10, seed: 5, reshuffle_each_iteration: false).repeat(2));
        Assert.Equal(same.Take(10), same.Skip(10));
        // The graph-level seed makes an unseeded shuffle deterministic too.
        g.Graph.seed = 3;
        var first = Elements(tf.data.Dataset.range(10).shuffle(10));
        Assert.Equal(10, first.Distinct().Count());
    }

    [Fact]
    public void ShuffleBufferMustBePositive()
    {
        using var g = TestGraph.Enter();
        var next = tf.data.Dataset.range(3).shuffle(0).make_one_shot_iterator().get_next();
        using var sess = tf.Session();
        var e = Assert.Throws<FailedPreconditionError>(() => sess.run(next));
        Assert.Contains("buffer_size must be greater than zero.", e.Message);
    }

    [Fact]
    public void MapAppliesTheTracedFunctionOnce()
    {
        using var g = TestGraph.Enter();
        var traced = 0;
        var ds = tf.data.Dataset.range(5).map(x =>
        {
            traced++;
            return x * x;
        });
        Assert.Equal(1, traced);
        Assert.Equal("MapDataset", ds._variant_tensor.op.type);
        Assert.Equal([0L, 1, 4, 9, 16], Elements(ds));
        Assert.Equal(1, traced);
        // The function's ops live in their own graph, not in the user's.
        Assert.DoesNotContain(g.Graph.get_operations(), op => op.type == "Mul");
    }

    [Fact]
    public void MapOverTuplesAndDictionariesReturnsAnyStructure()
    {
        using var g = TestGraph.Enter();
        var ds = tf.data.Dataset.from_tensor_slices((new[] { 1, 2, 3 }, new[] { 10.0f, 20.0f, 30.0f }))
            .map((i, f) => new Dictionary<string, object> { ["sum"] = tf.cast(i, tf.float32) + f, ["i"] = i });
        var e = ds.make_one_shot_iterator().get_next();
        using (var sess = tf.Session())
        {
            var r = sess.run([e["sum"], e["i"]]);
            Assert.Equal(11f, r[0].ToArray<float>()[0]);
            Assert.Equal(1, r[1].ToArray<int>()[0]);
        }
        // Tensor has a string indexer (slicing), so a dictionary lambda names its parameter type.
        var back = ds.map((Dictionary<string, Tensor> d) => (d["i"] * 2, d["sum"]));
        var (a, b) = back.make_one_shot_iterator().get_next();
        using (var sess = tf.Session())
        {
            var (av, bv) = sess.run((a, b));
            Assert.Equal(2, av.ToArray<int>()[0]);
            Assert.Equal(11f, bv.ToArray<float>()[0]);
        }
        var err = Assert.Throws<TypeError>(() => ds.map((Tensor x) => x));
        Assert.Contains("takes 1 argument", err.Message);
    }

    [Fact]
    public void MapCapturesOuterTensorsAsInputsOfTheDatasetOp()
    {
        using var g = TestGraph.Enter();
        var scale = tf.placeholder(tf.int64, Shape.Scalar, name: "scale");
        var ds = tf.data.Dataset.range(4).map(x => x * scale + 1);
        Assert.Contains(ds._variant_tensor.op.inputs, t => t.op.name == "scale");
        var it = ds.make_initializable_iterator();
        var next = it.get_next();
        using var sess = tf.Session();
        sess.run(it.initializer, new FeedDict { [scale] = NDArray.Scalar(10L) });
        Assert.Equal([1L, 11, 21, 31], Longs(sess, next));
        sess.run(it.initializer, new FeedDict { [scale] = NDArray.Scalar(-1L) });
        Assert.Equal([1L, 0, -1, -2], Longs(sess, next));
    }

    [Fact]
    public void ParallelMapKeepsTheInputOrder()
    {
        using var g = TestGraph.Enter();
        var ds = tf.data.Dataset.range(200).map(x => tf.cast(x, tf.float64) * 0.5, num_parallel_calls: 4);
        Assert.Equal("ParallelMapDataset", ds._variant_tensor.op.type);
        var next = ds.make_one_shot_iterator().get_next();
        using var sess = tf.Session();
        var got = All(sess, next).Select(v => v.ToArray<double>()[0]).ToList();
        Assert.Equal(Enumerable.Range(0, 200).Select(i => i * 0.5), got);
    }

    [Fact]
    public void FilterKeepsElementsWhosePredicateIsTrue()
    {
        using var g = TestGraph.Enter();
        Assert.Equal([0L, 2, 4, 6, 8], Elements(tf.data.Dataset.range(10).filter(x => tf.equal(x % 2L, 0L))));
        var pairs = tf.data.Dataset.zip(tf.data.Dataset.range(5), tf.data.Dataset.range(5).map(x => x * 3L)).filter((a, b) => tf.less(b, 7L));
        var (a, _) = pairs.make_one_shot_iterator().get_next();
        using (var sess = tf.Session())
            Assert.Equal([0L, 1, 2], Longs(sess, a));
        var e = Assert.Throws<ValueError>(() => tf.data.Dataset.range(3).filter(x => x));
        Assert.Contains("`predicate` must return a scalar boolean tensor.", e.Message);
    }

    [Fact]
    public void FlatMapAndInterleaveInTensorFlowsOrder()
    {
        using var g = TestGraph.Enter();
        Assert.Equal([1L, 2, 2, 3, 3, 3], Elements(tf.data.Dataset.range(4).flat_map(x => tf.data.Dataset.from_tensors(x).repeat(x))));
        // The interleave docstring of TensorFlow 1.x's dataset_ops.py.
        var il = tf.data.Dataset.range(1, 6).interleave(x => tf.data.Dataset.from_tensors(x).repeat(6), cycle_length: 2, block_length: 4);
        Assert.Equal(ParseLongs("1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 3, 3, 4, 4, 5, 5, 5, 5, 5, 5"), Elements(il));
        Assert.Equal("InterleaveDataset", il._variant_tensor.op.type);
        // interleave_dataset_op_test: input [4, 5, 6] repeated twice, each x repeated x times, cycle 2, block 1,
        // against the algorithm written out here.
        var input = new long[] { 4, 5, 6, 4, 5, 6 };
        var got = Elements(tf.data.Dataset.from_tensor_slices(input).interleave(x => tf.data.Dataset.from_tensors(x).repeat(x), cycle_length: 2));
        Assert.Equal(ReferenceInterleave(input, 2, 1), got);
    }

    private static List<long> ParseLongs(string s) => s.Split(", ").Select(long.Parse).ToList();

    private static List<long> ReferenceInterleave(long[] input, int cycle, int block)
    {
        var result = new List<long>();
        var open = new Queue<long>?[cycle];
        var next = 0;
        var index = 0;
        var inBlock = 0;
        while (next < input.Length || open.Any(o => o is not null))
        {
            if (open[index] is { } q)
            {
                if (q.Count > 0)
                {
                    result.Add(q.Dequeue());
                    if (++inBlock == block) { inBlock = 0; index = (index + 1) % cycle; }
                    continue;
                }
                open[index] = null;
                inBlock = 0;
                index = (index + 1) % cycle;
            }
            else if (next < input.Length) open[index] = new Queue<long>(Enumerable.Repeat(input[next], (int)input[next++]));
            else { inBlock = 0; index = (index + 1) % cycle; }
        }
        return result;
    }

    [Fact]
    public void InterleaveCycleLengthMustBePositive()
    {
        using var g = TestGraph.Enter();
        var next = tf.data.Dataset.range(3).interleave(x => tf.data.Dataset.from_tensors(x), cycle_length: 0).make_one_shot_iterator().get_next();
        using var sess = tf.Session();
        var e = Assert.Throws<FailedPreconditionError>(() => sess.run(next));
        Assert.Contains("cycle_length must be greater than zero.", e.Message);
    }

    [Fact]
    public void PrefetchReadsAheadOnABackgroundThreadInOrder()
    {
        using var g = TestGraph.Enter();
        var ds = tf.data.Dataset.range(300).map(x => x + 1L, num_parallel_calls: 2).prefetch(3);
        Assert.Equal("PrefetchDataset", ds._variant_tensor.op.type);
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), Elements(ds));
    }

    [Fact]
    public void CacheReplaysTheFirstPass()
    {
        using var g = TestGraph.Enter();
        var cached = Elements(tf.data.Dataset.range(10).shuffle(10, seed: 5).cache().repeat(2));
        Assert.Equal(cached.Take(10), cached.Skip(10));
        var dir = Directory.CreateTempSubdirectory("sharpflow-cache");
        try
        {
            var file = Path.Combine(dir.FullName, "cache");
            var first = Elements(tf.data.Dataset.range(6).map(x => x * 7L).cache(file));
            Assert.Equal([0L, 7, 14, 21, 28, 35], first);
            Assert.NotEmpty(dir.GetFiles());
            // A later pipeline with the same file reads the cache instead of its input.
            Assert.Equal(first, Elements(tf.data.Dataset.range(2).map(x => x * 7L).cache(file)));
        }
        finally { dir.Delete(recursive: true); }
    }
}
