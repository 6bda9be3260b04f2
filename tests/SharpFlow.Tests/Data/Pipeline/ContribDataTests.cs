namespace SharpFlow.Tests.Data.Pipeline;

/// <summary>
/// TensorFlow 1.x's <c>tf.contrib.data</c> helpers as programs apply them: sliding_window_batch (SlidingWindowDataset,
/// against a plain reference of the windows; slide_dataset_op_test.py's cases), enumerate_dataset
/// (enumerate_dataset_test.py), get_single_element (DatasetToSingleElement, get_single_element_test.py's messages)
/// and the aliases of the tf.data.experimental helpers (parallel_interleave in interleave's order).
/// </summary>
public class ContribDataTests
{
    private static List<NDArray> All(Session sess, Tensor next) => DatasetTests.All(sess, next);

    /// <summary>The windows TensorFlow's SlidingWindowDataset makes of 0..n-1: starts shift apart, elements stride apart, full windows only.</summary>
    private static List<long[]> ReferenceWindows(long n, long size, long shift, long stride)
    {
        var windows = new List<long[]>();
        for (long start = 0; start + (size - 1) * stride < n; start += shift)
            windows.Add(Enumerable.Range(0, (int)size).Select(i => start + i * stride).ToArray());
        return windows;
    }

    [Theory]
    [InlineData(7, 3, 1, 1)]
    [InlineData(10, 3, 2, 2)]
    [InlineData(12, 2, 5, 1)]
    [InlineData(20, 4, 3, 2)]
    [InlineData(8, 3, 8, 1)]
    [InlineData(5, 6, 1, 1)]
    [InlineData(9, 1, 1, 3)]
    public void SlidingWindowBatchMatchesTheReference(long n, long size, long shift, long stride)
    {
        using var g = TestGraph.Enter();
        var ds = tf.data.Dataset.range(n).map(x => (x, x * 10L))
            .apply(tf.contrib.data.sliding_window_batch(size, window_shift: shift, window_stride: stride));
        Assert.Equal(new Shape(-1), ds.output_shapes[0]);
        var next = ds.make_one_shot_iterator().get_next();
        using var sess = tf.Session();
        var expected = ReferenceWindows(n, size, shift, stride);
        var got = new List<(long[], long[])>();
        while (true)
        {
            try
            {
                var v = sess.run(new[] { next[0], next[1] });
                got.Add((v[0].ToArray<long>(), v[1].ToArray<long>()));
            }
            catch (OutOfRangeError) { break; }
        }
        Assert.Equal(expected.Count, got.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], got[i].Item1);
            Assert.Equal(expected[i].Select(x => x * 10).ToArray(), got[i].Item2);
        }
    }

    [Fact]
    public void SlidingWindowBatchStrideIsTheOldNameOfWindowShiftAndBadSizesAreErrors()
    {
        using var g = TestGraph.Enter();
        var byStride = tf.data.Dataset.range(6).apply(tf.contrib.data.sliding_window_batch(2, stride: 2)).make_one_shot_iterator().get_next();
        using (var sess = tf.Session())
            Assert.Equal(new[] { new[] { 0L, 1 }, new[] { 2L, 3 }, new[] { 4L, 5 } }, All(sess, byStride).Select(a => a.ToArray<long>()).ToList());
        Assert.Contains("Cannot specify both `stride` and `window_shift`",
            Assert.Throws<ValueError>(() => tf.contrib.data.sliding_window_batch(2, stride: 1, window_shift: 1)).Message);
        var zero = tf.data.Dataset.range(6).apply(tf.contrib.data.sliding_window_batch(0)).make_initializable_iterator();
        var shiftZero = tf.data.Dataset.range(6).apply(tf.contrib.data.sliding_window_batch(2, window_shift: 0)).make_initializable_iterator();
        var strideZero = tf.data.Dataset.range(6).apply(tf.contrib.data.sliding_window_batch(2, window_stride: 0)).make_initializable_iterator();
        using (var sess = tf.Session())
        {
            var e = Assert.Throws<InvalidArgumentError>(() => sess.run(zero.initializer));
            Assert.Contains("SlidingWindowDataset", e.Message);
            Assert.Contains("Window size must be greater than zero, but got 0", e.Message);
            Assert.Contains("Window shift must be greater than zero", Assert.Throws<InvalidArgumentError>(() => sess.run(shiftZero.initializer)).Message);
            Assert.Contains("Window stride must be greater than zero", Assert.Throws<InvalidArgumentError>(() => sess.run(strideZero.initializer)).Message);
        }
        // Elements of different shapes cannot be stacked into one window.
        var ragged = tf.data.Dataset.range(1, 4).map(x => tf.fill(tf.stack(new[] { tf.cast(x, tf.int32) }), 1f))
            .apply(tf.contrib.data.sliding_window_batch(2)).make_one_shot_iterator().get_next();
        using (var sess = tf.Session())
            Assert.Contains("Cannot batch tensors with different shapes in component 0", Assert.Throws<InvalidArgumentError>(() => sess.run((Tensor)ragged)).Message);
    }

    [Fact]
    public void EnumerateDatasetPairsElementsWithTheirPosition()
    {
        using var g = TestGraph.Enter();
        // enumerate_dataset_test.py: components (["a", "b"], [1, 2], [37.0, 38]) from start 13.
        var ds = tf.data.Dataset.from_tensor_slices((new[] { "a", "b" }, new[] { 1, 2 }, new[] { 37.0f, 38f }))
            .apply(tf.contrib.data.enumerate_dataset(start: 13));
        Assert.Equal([tf.int64, tf.@string, tf.int32, tf.float32], ds.output_types);
        var next = ds.make_one_shot_iterator().get_next();
        var (s, i, f) = next.element(1);
        using var sess = tf.Session();
        var first = sess.run(new[] { next[0], s, i, f });
        Assert.Equal(13L, first[0].item<long>());
        Assert.Equal("a", System.Text.Encoding.UTF8.GetString(first[1].StringBytes()));
        Assert.Equal(1, first[2].item<int>());
        Assert.Equal(37f, first[3].item<float>());
        var second = sess.run(new[] { next[0], s, i, f });
        Assert.Equal(14L, second[0].item<long>());
        Assert.Equal(38f, second[3].item<float>());
        Assert.Throws<OutOfRangeError>(() => sess.run(next[0]));
    }

    [Theory]
    [InlineData(0, 1, null)]
    [InlineData(5, 1, null)]
    [InlineData(0, 0, "Dataset was empty.")]
    [InlineData(0, 2, "Dataset had more than one element.")]
    public void GetSingleElementTakesTheOnlyElement(long skip, long take, string? error)
    {
        // get_single_element_test.py: range(100).skip(skip).map(x -> (x * x, make_sparse(x))).take(take), dense part.
        using var g = TestGraph.Enter();
        var ds = tf.data.Dataset.range(100).skip(skip).map(x => (x * x, tf.as_string(x))).take(take);
        var element = tf.contrib.data.get_single_element(ds);
        Assert.Equal("DatasetToSingleElement", element[0].op.type);
        using var sess = tf.Session();
        if (error is null)
        {
            var v = sess.run(new[] { element[0], element[1] });
            Assert.Equal(skip * skip, v[0].item<long>());
            Assert.Equal(skip.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Text.Encoding.UTF8.GetString(v[1].StringBytes()));
        }
        else
        {
            var e = Assert.Throws<InvalidArgumentError>(() => sess.run(element[0]));
            Assert.Contains(error, e.Message);
            Assert.Contains("DatasetToSingleElement", e.Message);
        }
    }

    [Fact]
    public void TheContribAliasesApplyTheExperimentalHelpers()
    {
        using var g = TestGraph.Enter();
        tf.data.Dataset Nested(Tensor x) => tf.data.Dataset.from_tensors(x).repeat(x);
        var input = tf.data.Dataset.range(1, 6);
        var parallel = input.apply(tf.contrib.data.parallel_interleave(Nested, cycle_length: 2, block_length: 2)).make_one_shot_iterator().get_next();
        var plain = input.interleave(Nested, 2, 2).make_one_shot_iterator().get_next();
        var unbatched = tf.data.Dataset.range(6).apply(tf.contrib.data.batch_and_drop_remainder(4)).apply(tf.contrib.data.unbatch()).make_one_shot_iterator().get_next();
        var mapped = tf.data.Dataset.range(5).apply(tf.contrib.data.map_and_batch(x => x * 2L, 2)).make_one_shot_iterator().get_next();
        var padded = tf.data.Dataset.range(1, 4).map(x => tf.fill(tf.stack(new[] { tf.cast(x, tf.int32) }), x))
            .apply(tf.contrib.data.padded_batch_and_drop_remainder(2, new Shape(-1))).make_one_shot_iterator().get_next();
        using var sess = tf.Session();
        var expected = DatasetTests.Longs(sess, plain);
        Assert.Equal(15, expected.Count);
        Assert.Equal(expected, DatasetTests.Longs(sess, parallel));
        Assert.Equal([0L, 1, 2, 3], DatasetTests.Longs(sess, unbatched));
        Assert.Equal(new[] { new[] { 0L, 2 }, new[] { 4L, 6 }, new[] { 8L } }, All(sess, mapped).Select(a => a.ToArray<long>()).ToList());
        var batches = All(sess, padded);
        Assert.Single(batches);
        Assert.Equal([1L, 0, 2, 2], batches[0].ToArray<long>());
        var shuffled = tf.data.Dataset.range(5).apply(tf.contrib.data.shuffle_and_repeat(5, count: 2, seed: 7)).make_one_shot_iterator().get_next();
        var twice = DatasetTests.Longs(sess, shuffled);
        Assert.Equal(10, twice.Count);
        Assert.Equal([0L, 1, 2, 3, 4], twice.Take(5).Order().ToList());
        Assert.Equal([0L, 1, 2, 3, 4], twice.Skip(5).Order().ToList());
    }

    [Fact]
    public void ScanCarriesAStateThroughTheElements()
    {
        using var g = TestGraph.Enter();
        // scan_test.py's testFibonacci: scan([0, 1], lambda a, _: ([a[1], a[0] + a[1]], a[1])).
        var fib = tf.data.Dataset.from_tensors(1).repeat()
            .apply(tf.contrib.data.scan((0, 1), (DatasetElement a, DatasetElement _) => ((a[1], a[0] + a[1]), a[1]))).take(10);
        Assert.Equal("ScanDataset", fib._variant_tensor.op.inputs[0].op.type);
        // A running sum on single tensors.
        var sums = tf.data.Dataset.range(5).apply(tf.data.experimental.scan(0L, (s, x) => (s + x, s + x)));
        // A state whose shape grows: traced again with the dimension relaxed to unknown.
        var growing = tf.data.Dataset.range(4).apply(tf.contrib.data.scan(tf.zeros(new Shape(0), tf.int64),
            (s, x) => (tf.concat([s, tf.reshape(x, new[] { 1 })], axis: 0), tf.size(s))));
        using var sess = tf.Session();
        Assert.Equal(new[] { 1, 1, 2, 3, 5, 8, 13, 21, 34, 55 }, All(sess, fib.make_one_shot_iterator().get_next()).Select(a => a.item<int>()).ToArray());
        Assert.Equal([0L, 1, 3, 6, 10], DatasetTests.Longs(sess, sums.make_one_shot_iterator().get_next()));
        Assert.Equal(new[] { 0, 1, 2, 3 }, All(sess, growing.make_one_shot_iterator().get_next()).Select(a => a.item<int>()).ToArray());
        var e = Assert.Throws<TypeError>(() => tf.data.Dataset.range(3).apply(tf.contrib.data.scan(0L, (s, x) => (tf.cast(s, tf.float32), x))));
        Assert.Contains("The element types for the new state must match the initial state", e.Message);
        e = Assert.Throws<TypeError>(() => tf.data.Dataset.range(3).apply(tf.contrib.data.scan(0L, (s, x) => s + x)));
        Assert.Contains("must return a pair", e.Message);
    }
}
