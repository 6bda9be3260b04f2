namespace SharpFlow.Tests.Data.Pipeline;

/// <summary>
/// list_files, shard, parallel_interleave, interleave(num_parallel_calls), unbatch, ignore_errors, group_by_window and
/// bucket_by_sequence_length, with the expected values of TensorFlow's tensorflow/python/data/kernel_tests and
/// tensorflow/python/data/experimental/kernel_tests.
/// </summary>
public class DatasetExtrasTests
{
    private static List<long> Elements(tf.data.Dataset ds)
    {
        var next = ds.make_one_shot_iterator().get_next();
        using var sess = tf.Session();
        return DatasetTests.Longs(sess, next);
    }

    private static List<string> Strings(tf.data.Dataset ds)
    {
        var next = ds.make_one_shot_iterator().get_next();
        using var sess = tf.Session();
        return DatasetTests.All(sess, next).Select(v => System.Text.Encoding.UTF8.GetString(v.StringBytes())).ToList();
    }

    // ----- shard (shard_test.py) -----

    [Theory]
    [InlineData(10, 5, 2, new long[] { 2, 7 })] // testSimpleCase
    [InlineData(10, 5, 0, new long[] { 0, 5 })] // testOffsetZero
    [InlineData(1, 5, 2, new long[0])] // testIteratorEndsBeforeFirstElem
    [InlineData(10, 7, 5, new long[] { 5 })] // testLargerWorkerPool
    [InlineData(10, 5, 4, new long[] { 4, 9 })] // testIndexEqualsNumShards
    [InlineData(10, 4, 3, new long[] { 3, 7 })] // testIndexEqualsNumShards2
    [InlineData(10, 20, 5, new long[] { 5 })] // testNumShardsLargerThanDataset
    public void ShardTakesEveryNthElement(int n, long numShards, long index, long[] expected)
    {
        using var g = TestGraph.Enter();
        var ds = tf.data.Dataset.range(n).shard(numShards, index);
        Assert.Equal("ShardDataset", ds._variant_tensor.op.type);
        Assert.Equal(expected, Elements(ds));
    }

    [Fact]
    public void ShardKeepsNestedElementsTogether()
    {
        using var g = TestGraph.Enter();
        // testNestedData.
        var ds = tf.data.Dataset.zip(tf.data.Dataset.range(10), tf.data.Dataset.range(10)).shard(5, 2);
        var (a, b) = ds.make_one_shot_iterator().get_next();
        using var sess = tf.Session();
        foreach (var expected in new long[] { 2, 7 })
        {
            var (x, y) = sess.run((a, b));
            Assert.Equal(expected, x.ToArray<long>()[0]);
            Assert.Equal(expected, y.ToArray<long>()[0]);
        }
        Assert.Throws<OutOfRangeError>(() => sess.run(a));
    }

    // ----- list_files (list_files_test.py) -----

    private sealed class TempDir : IDisposable
    {
        public DirectoryInfo Dir { get; } = Directory.CreateTempSubdirectory("sharpflow-list-files-");

        public string Touch(string name)
        {
            var path = Path.Combine(Dir.FullName, name);
            File.WriteAllText(path, "");
            return path;
        }

        public string Pattern(string glob) => Path.Combine(Dir.FullName, glob);

        public void Dispose() => Dir.Delete(recursive: true);
    }

    [Fact]
    public void ListFilesOfAnEmptyDirectoryFailsNamingThePattern()
    {
        using var dir = new TempDir();
        using var g = TestGraph.Enter();
        var next = tf.data.Dataset.list_files(dir.Pattern("*")).make_initializable_iterator();
        using var sess = tf.Session();
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(next.initializer));
        Assert.Contains("No files matched pattern: " + dir.Pattern("*"), e.Message);
    }

    [Fact]
    public void ListFilesShufflesTheMatchesUnlessToldNot()
    {
        using var dir = new TempDir();
        var names = new[] { "b", "c", "a" }.Select(dir.Touch).ToArray();
        using var g = TestGraph.Enter();
        // testSimpleDirectory: every file once, in some order.
        var shuffled = Strings(tf.data.Dataset.list_files(dir.Pattern("*")));
        Assert.Equal(names.Order(StringComparer.Ordinal), shuffled.Order(StringComparer.Ordinal));
        // testSimpleDirectoryNotShuffled: sorted.
        var plain = tf.data.Dataset.list_files(dir.Pattern("*"), shuffle: false);
        Assert.Equal(names.Order(StringComparer.Ordinal), Strings(plain));
        // testFixedSeedResultsInRepeatableOrder: the same seed gives the same order pass after pass.
        var seeded = tf.data.Dataset.list_files(dir.Pattern("*"), shuffle: true, seed: 37);
        var next = seeded.repeat(3).make_one_shot_iterator().get_next();
        using var sess = tf.Session();
        var all = DatasetTests.All(sess, next).Select(v => System.Text.Encoding.UTF8.GetString(v.StringBytes())).ToList();
        Assert.Equal(9, all.Count);
        Assert.Equal(Strings(tf.data.Dataset.list_files(dir.Pattern("*"), shuffle: true, seed: 37)), Strings(tf.data.Dataset.list_files(dir.Pattern("*"), shuffle: true, seed: 37)));
    }

    [Fact]
    public void ListFilesMatchesSuffixesMiddlesAndSeveralPatterns()
    {
        using var dir = new TempDir();
        foreach (var n in new[] { "a.txt", "b.py", "c.py", "d.pyc" }) dir.Touch(n);
        using var g = TestGraph.Enter();
        // testFileSuffixes and testFileMiddles.
        Assert.Equal(["b.py", "c.py"], Strings(tf.data.Dataset.list_files(dir.Pattern("*.py"), shuffle: false)).Select(Path.GetFileName));
        Assert.Equal(["b.py", "c.py", "d.pyc"], Strings(tf.data.Dataset.list_files(dir.Pattern("*.py*"), shuffle: false)).Select(Path.GetFileName));
        // testMultiplePatternsAsList.
        var both = Strings(tf.data.Dataset.list_files(new[] { dir.Pattern("*.py"), dir.Pattern("*.txt") }, shuffle: false));
        Assert.Equal(["a.txt", "b.py", "c.py"], both.Select(Path.GetFileName));
    }

    [Fact]
    public void ListFilesTakesAPatternTensorFedAtInitialisation()
    {
        using var dir = new TempDir();
        dir.Touch("x.a");
        using var g = TestGraph.Enter();
        // testEmptyDirectoryInitializer / testSimpleDirectoryInitializer.
        var pattern = tf.placeholder(tf.@string, Shape.Scalar);
        var it = tf.data.Dataset.list_files(pattern, shuffle: false).make_initializable_iterator();
        var next = it.get_next();
        using var sess = tf.Session();
        sess.run(it.initializer, new FeedDict { [pattern] = NDArray.FromStrings([dir.Pattern("*")]) });
        Assert.EndsWith("x.a", System.Text.Encoding.UTF8.GetString(sess.run(next).StringBytes()), StringComparison.Ordinal);
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(it.initializer, new FeedDict { [pattern] = NDArray.FromStrings([dir.Pattern("*.none")]) }));
        Assert.Contains("No files matched pattern: ", e.Message);
    }

    // ----- parallel_interleave (parallel_interleave_test.py) and interleave(num_parallel_calls) -----

    /// <summary>TensorFlow's <c>_interleave</c> test helper, which the deterministic order must equal.</summary>
    internal static List<long> ReferenceInterleave(IReadOnlyList<long[]> lists, int cycleLength, int blockLength)
    {
        var all = new Queue<IEnumerator<long>>(lists.Select(l => ((IEnumerable<long>)l).GetEnumerator()));
        var open = new IEnumerator<long>?[cycleLength];
        var numOpen = 0;
        for (var i = 0; i < cycleLength; i++)
            if (all.Count > 0)
            {
                open[i] = all.Dequeue();
                numOpen++;
            }
        var result = new List<long>();
        while (numOpen > 0 || all.Count > 0)
            for (var i = 0; i < cycleLength; i++)
            {
                if (open[i] is null)
                {
                    if (all.Count == 0) continue;
                    open[i] = all.Dequeue();
                    numOpen++;
                }
                for (var b = 0; b < blockLength; b++)
                {
                    if (!open[i]!.MoveNext())
                    {
                        open[i] = null;
                        numOpen--;
                        break;
                    }
                    result.Add(open[i]!.Current);
                }
            }
        return result;
    }

    public static TheoryData<int, int> CycleAndBlock => new() { { 1, 1 }, { 2, 1 }, { 2, 3 }, { 3, 2 }, { 4, 1 }, { 7, 5 } };

    [Theory, MemberData(nameof(CycleAndBlock))]
    public void ParallelInterleaveKeepsInterleavesOrder(int cycle, int block)
    {
        using var g = TestGraph.Enter();
        // testSingleThreaded/testTwoThreadsNoContention...: input [4, 5, 6] twice, each x repeated x times.
        var input = new long[] { 4, 5, 6, 4, 5, 6 };
        var expected = ReferenceInterleave(input.Select(x => Enumerable.Repeat(x, (int)x).ToArray()).ToList(), cycle, block);
        var source = tf.data.Dataset.from_tensor_slices(input);
        var legacy = source.apply(tf.data.experimental.parallel_interleave(x => tf.data.Dataset.from_tensors(x).repeat(x), cycle, block,
            buffer_output_elements: 1, prefetch_input_elements: 1));
        Assert.Equal("ParallelInterleaveDataset", legacy._variant_tensor.op.type);
        Assert.Equal(expected, Elements(legacy));
        var v2 = source.interleave(x => tf.data.Dataset.from_tensors(x).repeat(x), cycle, block, num_parallel_calls: Math.Max(1, cycle / 2));
        Assert.Equal("ParallelInterleaveDatasetV2", v2._variant_tensor.op.type);
        Assert.Equal(expected, Elements(v2));
    }

    [Fact]
    public void ParallelInterleaveMatchesTheDocstringExample()
    {
        using var g = TestGraph.Enter();
        var expected = "1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 3, 3, 4, 4, 5, 5, 5, 5, 5, 5".Split(", ").Select(long.Parse);
        var source = tf.data.Dataset.range(1, 6);
        Assert.Equal(expected, Elements(source.interleave(x => tf.data.Dataset.from_tensors(x).repeat(6), 2, 4, num_parallel_calls: tf.data.AUTOTUNE)));
        Assert.Equal(expected, Elements(source.apply(tf.data.experimental.parallel_interleave(x => tf.data.Dataset.from_tensors(x).repeat(6), 2, 4))));
    }

    [Fact]
    public void SloppyParallelInterleaveGivesEveryElementOnce()
    {
        using var g = TestGraph.Enter();
        // testSloppy...: the same elements as the deterministic order, in any order.
        var input = new long[] { 4, 5, 6, 4, 5, 6, 1, 0, 3 };
        var ds = tf.data.Dataset.from_tensor_slices(input).apply(tf.data.experimental.parallel_interleave(
            x => tf.data.Dataset.range(x).map(y => y + x * 100L), cycle_length: 3, block_length: 2, sloppy: true));
        var expected = input.SelectMany(x => Enumerable.Range(0, (int)x).Select(y => y + x * 100)).Order();
        Assert.Equal(expected, Elements(ds).Order());
    }

    [Fact]
    public void ParallelInterleaveReadsFilesOnBackgroundThreads()
    {
        using var g = TestGraph.Enter();
        var dir = Directory.CreateTempSubdirectory("sharpflow-pi-");
        try
        {
            // The docstring's use: TFRecord files read concurrently (here text files), every line of every file.
            for (var f = 0; f < 4; f++) File.WriteAllLines(Path.Combine(dir.FullName, $"f{f}.txt"), Enumerable.Range(0, 50).Select(i => $"{f}:{i}"));
            var files = tf.data.Dataset.list_files(Path.Combine(dir.FullName, "*.txt"), shuffle: false);
            var lines = Strings(files.apply(tf.data.experimental.parallel_interleave(f => new tf.data.TextLineDataset(f), cycle_length: 4)));
            var expected = Enumerable.Range(0, 50).SelectMany(i => Enumerable.Range(0, 4).Select(f => $"{f}:{i}"));
            Assert.Equal(expected, lines);
        }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public void ParallelInterleaveReportsAnElementsErrorInItsPlaceAndGoesOn()
    {
        using var g = TestGraph.Enter();
        // testErrorsInOutputFn: a NaN fails check_numerics at its position; the elements after it still come.
        var input = new[] { 1f, 2f, float.NaN, 4f };
        var ds = tf.data.Dataset.from_tensor_slices(input).apply(tf.data.experimental.parallel_interleave(
            x => tf.data.Dataset.from_tensors(x).map(y => tf.check_numerics(y, "message")), cycle_length: 2));
        var next = ds.make_one_shot_iterator().get_next();
        using var sess = tf.Session();
        Assert.Equal(1f, sess.run(next).ToArray<float>()[0]);
        Assert.Equal(2f, sess.run(next).ToArray<float>()[0]);
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(next));
        Assert.Contains("message", e.Message);
        Assert.Equal(4f, sess.run(next).ToArray<float>()[0]);
        Assert.Throws<OutOfRangeError>(() => sess.run(next));
    }

    [Fact]
    public void ClosingTheSessionStopsTheInterleaveThreads()
    {
        using var g = TestGraph.Enter();
        var before = SharpFlow.Data.Pipeline.ParallelInterleaveDataset.LiveThreads;
        var next = tf.data.Dataset.range(10).apply(tf.data.experimental.parallel_interleave(x => tf.data.Dataset.range(1000).repeat(), 4))
            .make_one_shot_iterator().get_next();
        using (var sess = tf.Session()) sess.run(next);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (SharpFlow.Data.Pipeline.ParallelInterleaveDataset.LiveThreads > before && clock.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(10);
        Assert.True(SharpFlow.Data.Pipeline.ParallelInterleaveDataset.LiveThreads <= before);
    }

    // ----- unbatch (unbatch_test.py) -----

    [Fact]
    public void UnbatchUndoesBatch()
    {
        using var g = TestGraph.Enter();
        // testUnbatchScalarDataset: three range(10) components batched by 2, unbatched.
        var r = tf.range(10);
        var ds = tf.data.Dataset.from_tensor_slices((r, r, r)).batch(2).unbatch();
        Assert.Equal("UnbatchDataset", ds._variant_tensor.op.type);
        Assert.All(ds.output_shapes, s => Assert.Equal(Shape.Scalar, s));
        var (a, b, c) = ds.make_one_shot_iterator().get_next();
        using var sess = tf.Session();
        for (var i = 0; i < 10; i++)
        {
            var v = sess.run([a, b, c]);
            Assert.All(v, x => Assert.Equal(i, x.ToArray<int>()[0]));
        }
        Assert.Throws<OutOfRangeError>(() => sess.run(a));
    }

    [Fact]
    public void UnbatchOfMatricesStringsAndEmptyBatches()
    {
        using var g = TestGraph.Enter();
        // testUnbatchWithUnknownRankInput: from_tensors([0, 1, 2, 3]).
        Assert.Equal([0L, 1, 2, 3], Elements(tf.data.Dataset.from_tensors(new long[] { 0, 1, 2, 3 }).apply(tf.data.experimental.unbatch())));
        // testUnbatchDatasetWithStrings.
        Assert.Equal(["a", "b", "c"], Strings(tf.data.Dataset.from_tensors(new[] { "a", "b", "c" }).unbatch()));
        // Rows of a matrix.
        var rows = tf.data.Dataset.from_tensors(new[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }).unbatch();
        Assert.Equal([new Shape(2)], rows.output_shapes);
        using (var sess = tf.Session())
        {
            var got = DatasetTests.All(sess, rows.make_one_shot_iterator().get_next());
            Assert.Equal([[1, 2], [3, 4], [5, 6]], got.Select(x => x.ToArray<int>()));
        }
        // testUnbatchEmpty: zero-row components give no element.
        var empty = tf.data.Dataset.from_tensors((NDArray.Zeros(DType.float32, new Shape(0)), NDArray.Zeros(DType.float32, new Shape(0, 4)))).unbatch();
        using (var sess = tf.Session()) Assert.Empty(DatasetTests.All(sess, empty.make_one_shot_iterator().get_next()[0]));
    }

    [Fact]
    public void UnbatchRefusesScalarsAndMismatchedBatchSizes()
    {
        using var g = TestGraph.Enter();
        var e = Assert.Throws<ValueError>(() => tf.data.Dataset.range(3).unbatch());
        Assert.Contains("Cannot unbatch an input with scalar components.", e.Message);
        // testUnbatchStaticShapeMismatch.
        e = Assert.Throws<ValueError>(() => tf.data.Dataset.from_tensors((new[] { 1, 2 }, new[] { 1, 2, 3 })).unbatch());
        Assert.Contains("Cannot unbatch an input whose components have different batch sizes.", e.Message);
        // testUnbatchDynamicShapeMismatch: placeholders of unknown sizes fed 5 and 4 rows.
        var p1 = tf.placeholder(tf.int32, new Shape(-1));
        var p2 = tf.placeholder(tf.int32, new Shape(-1, -1));
        var it = tf.data.Dataset.from_tensors((p1, p2)).unbatch().make_initializable_iterator();
        var next = it.get_next();
        using var sess = tf.Session();
        sess.run(it.initializer, new FeedDict { [p1] = new int[5], [p2] = new int[4, 2] });
        var err = Assert.Throws<InvalidArgumentError>(() => sess.run(next[0]));
        Assert.Contains("Input element must have the same batch size in each component. Component 0 had size 5 but component 1 had size, 4.", err.Message);
        Assert.Contains("UnbatchDataset", err.Message);
    }

    // ----- ignore_errors (ignore_errors_test.py) -----

    [Fact]
    public void IgnoreErrorsDropsTheFailedElements()
    {
        using var g = TestGraph.Enter();
        var components = new[] { 1f, 2f, 3f, float.NaN, 5f };
        // testMapIgnoreError and testParallelMapIgnoreError.
        foreach (var parallel in new[] { false, true })
        {
            var mapped = tf.data.Dataset.from_tensor_slices(components);
            mapped = parallel ? mapped.map(x => tf.check_numerics(x, "message"), num_parallel_calls: 2).prefetch(2) : mapped.map(x => tf.check_numerics(x, "message"));
            var ds = mapped.apply(tf.data.experimental.ignore_errors());
            Assert.Equal("IgnoreErrorsDataset", ds._variant_tensor.op.type);
            var next = ds.make_one_shot_iterator().get_next();
            using var sess = tf.Session();
            Assert.Equal([1f, 2f, 3f, 5f], DatasetTests.All(sess, next).Select(v => v.ToArray<float>()[0]));
        }
    }

    [Fact]
    public void IgnoreErrorsSkipsAFileThatCannotBeRead()
    {
        var dir = Directory.CreateTempSubdirectory("sharpflow-ignore-");
        try
        {
            // testReadFileIgnoreError: read_file over five files, the first deleted after the pipeline is built.
            var names = Enumerable.Range(0, 5).Select(i => Path.Combine(dir.FullName, $"tmp_{i}.txt")).ToArray();
            foreach (var n in names) File.WriteAllText(n, n);
            using var g = TestGraph.Enter();
            var ds = tf.data.Dataset.from_tensor_slices(names).map(f => tf.read_file(f), num_parallel_calls: 2).prefetch(2)
                .apply(tf.data.experimental.ignore_errors());
            File.Delete(names[0]);
            Assert.Equal(names[1..], Strings(ds));
        }
        finally { dir.Delete(recursive: true); }
    }

    // ----- group_by_window (group_by_window_test.py) -----

    private static List<long[]> Batches(tf.data.Dataset ds, int? count = null)
    {
        var next = ds.make_one_shot_iterator().get_next();
        using var sess = tf.Session();
        if (count is { } n) return Enumerable.Range(0, n).Select(_ => sess.run(next).ToArray<long>()).ToList();
        return DatasetTests.All(sess, next).Select(v => v.ToArray<long>()).ToList();
    }

    [Fact]
    public void GroupByWindowOutputsAGroupAsSoonAsItIsFull()
    {
        using var g = TestGraph.Enter();
        // testImmediateOutput's point: an endless input still gives windows, each key at its own rate, as the
        // windows fill (checked against the rule written out here).
        var components = new long[] { 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0 };
        var ds = tf.data.Dataset.from_tensor_slices(components).repeat(-1)
            .apply(tf.data.experimental.group_by_window(x => x % 2L, (_, xs) => xs.batch(4), 4));
        Assert.Equal("GroupByWindowDataset", ds._variant_tensor.op.type);
        var expected = new List<long[]>();
        var groups = new Dictionary<long, List<long>> { [0] = [], [1] = [] };
        for (var i = 0; expected.Count < 12; i++)
        {
            var x = components[i % components.Length];
            groups[x % 2].Add(x);
            if (groups[x % 2].Count == 4)
            {
                expected.Add([.. groups[x % 2]]);
                groups[x % 2].Clear();
            }
        }
        Assert.Equal(expected, Batches(ds, 12));
        Assert.Equal([0L, 0, 0, 0], expected[0]);
        Assert.Equal([1L, 1, 1, 1], expected[1]);
    }

    [Fact]
    public void GroupByWindowFlushesTheSmallGroupsInKeyOrder()
    {
        using var g = TestGraph.Enter();
        // testSmallGroups.
        var components = new long[] { 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0 };
        var ds = tf.data.Dataset.from_tensor_slices(components)
            .apply(tf.data.experimental.group_by_window(x => x % 2L, (_, xs) => xs.batch(4), 4));
        Assert.Equal([[0L, 0, 0, 0], [1L, 1, 1, 1], [0L, 0, 0], [1L]], Batches(ds));
        // The docstring: range(10) by parity in windows of 5.
        var doc = tf.data.Dataset.range(10).apply(tf.data.experimental.group_by_window(x => x % 2L, (_, xs) => xs.batch(5), 5));
        Assert.Equal([[0L, 2, 4, 6, 8], [1L, 3, 5, 7, 9]], Batches(doc));
    }

    [Fact]
    public void GroupByWindowGroupsByParityWithAWindowSizeFunction()
    {
        using var g = TestGraph.Enter();
        // testSimple: squares grouped by parity, windows of 4 (here of key + 3: 3 for even, 4 for odd).
        var random = new Random(3);
        var components = Enumerable.Range(0, 200).Select(_ => (long)random.Next(100)).ToArray();
        var ds = tf.data.Dataset.from_tensor_slices(components).map(x => x * x)
            .apply(tf.data.experimental.group_by_window(x => x % 2L, (key, xs) => xs.batch(key + 3L), window_size_func: key => key + 3L));
        var batches = Batches(ds);
        var squares = components.Select(x => x * x).ToArray();
        Assert.Equal(squares.Order(), batches.SelectMany(b => b).Order());
        var full = 0;
        foreach (var b in batches)
        {
            Assert.All(b, x => Assert.Equal(b[0] % 2, x % 2));
            if (b.Length == b[0] % 2 + 3) full++;
        }
        Assert.True(full >= batches.Count - 2); // only the last group of each key may be short
        // Each key's elements keep their input order.
        Assert.Equal(squares.Where(x => x % 2 == 0), batches.Where(b => b[0] % 2 == 0).SelectMany(b => b));
    }

    [Fact]
    public void GroupByWindowErrors()
    {
        using var g = TestGraph.Enter();
        // testEmpty: a window size of 0.
        var zero = tf.data.Dataset.range(4).apply(tf.data.experimental.group_by_window(_ => tf.constant(0L), (_, xs) => xs, 0)).make_one_shot_iterator().get_next();
        using (var sess = tf.Session())
        {
            var e = Assert.Throws<InvalidArgumentError>(() => sess.run(zero));
            Assert.Contains("Window size must be greater than zero, but got 0.", e.Message);
            Assert.Contains("GroupByWindowDataset", e.Message);
        }
        var v = Assert.Throws<ValueError>(() => tf.data.Dataset.range(4).apply(tf.data.experimental.group_by_window(x => tf.cast(x, tf.int32), (_, xs) => xs, 2)));
        Assert.Contains("`key_func` must return a single tf.int64 scalar tensor.", v.Message);
        v = Assert.Throws<ValueError>(() => tf.data.Dataset.range(4).apply(tf.data.experimental.group_by_window(x => x, (_, xs) => xs, 2, window_size_func: k => k)));
        Assert.Contains("Must pass either window_size or window_size_func.", v.Message);
        v = Assert.Throws<ValueError>(() => tf.data.Dataset.range(4).apply(tf.data.experimental.group_by_window(x => x, (_, xs) => xs, window_size_func: k => tf.cast(k, tf.int32))));
        Assert.Contains("`window_size_func` must return a single tf.int64 scalar tensor.", v.Message);
    }

    // ----- bucket_by_sequence_length (bucket_by_sequence_length_test.py) -----

    private static tf.data.Dataset Sequences(params long[] lengths) =>
        tf.data.Dataset.from_tensor_slices(lengths).map(n => tf.ones(tf.expand_dims(n, 0), tf.int64));

    private static List<NDArray> Padded(tf.data.Dataset ds)
    {
        var next = ds.make_one_shot_iterator().get_next();
        using var sess = tf.Session();
        return DatasetTests.All(sess, next);
    }

    private static long[][] Rows(NDArray batch) =>
        Enumerable.Range(0, batch.shape[0]).Select(r => batch.ToArray<long>().Skip(r * batch.shape[1]).Take(batch.shape[1]).ToArray()).ToArray();

    private static long[] Ones(int n, int width) => Enumerable.Range(0, width).Select(i => i < n ? 1L : 0L).ToArray();

    [Fact]
    public void BucketBySequenceLengthPadsToTheBucketBoundary()
    {
        using var g = TestGraph.Enter();
        // testPadToBoundaryNoExtraneousPadding: lengths 1..10, boundaries [3, 7, 11], batches of 2.
        var ds = Sequences(Enumerable.Range(1, 10).Select(i => (long)i).ToArray())
            .apply(tf.data.experimental.bucket_by_sequence_length(x => tf.shape(x)[0], [3, 7, 11], [2, 2, 2, 2], pad_to_bucket_boundary: true));
        var batches = Padded(ds);
        Assert.Equal(5, batches.Count);
        Assert.Equal([Ones(1, 2), Ones(2, 2)], Rows(batches[0]));
        Assert.Equal([Ones(3, 6), Ones(4, 6)], Rows(batches[1]));
        Assert.Equal([Ones(5, 6), Ones(6, 6)], Rows(batches[2]));
        Assert.Equal([Ones(7, 10), Ones(8, 10)], Rows(batches[3]));
        Assert.Equal([Ones(9, 10), Ones(10, 10)], Rows(batches[4]));
    }

    [Fact]
    public void BucketBySequenceLengthPadsToTheLongestInTheBatch()
    {
        using var g = TestGraph.Enter();
        var ds = Sequences(Enumerable.Range(1, 10).Select(i => (long)i).ToArray())
            .apply(tf.data.experimental.bucket_by_sequence_length(x => tf.shape(x)[0], [3, 7, 11], [2, 2, 2, 2], padding_values: -1L));
        var batches = Padded(ds);
        Assert.Equal(5, batches.Count);
        Assert.Equal([new Shape(2, 2), new Shape(2, 4), new Shape(2, 6), new Shape(2, 8), new Shape(2, 10)], batches.Select(b => b.shape));
        Assert.Equal([[1L, 1, 1, -1], [1L, 1, 1, 1]], Rows(batches[1]));
    }

    [Fact]
    public void BucketBySequenceLengthBeyondTheLastBoundaryFailsWithPadToBoundary()
    {
        using var g = TestGraph.Enter();
        // testPadToBoundary: one batch per bucket of lengths 8, 13 and 25 (batch sizes 10, 8, 4), then two of length 35.
        var lengths = Enumerable.Repeat(8L, 10).Concat(Enumerable.Repeat(13L, 8)).Concat(Enumerable.Repeat(25L, 4)).Concat(Enumerable.Repeat(35L, 2)).ToArray();
        var ds = Sequences(lengths).apply(tf.data.experimental.bucket_by_sequence_length(x => tf.shape(x)[0], [10, 20, 30], [10, 8, 4, 2], pad_to_bucket_boundary: true));
        var next = ds.make_one_shot_iterator().get_next();
        using var sess = tf.Session();
        var shapes = Enumerable.Range(0, 3).Select(_ => sess.run(next).shape).ToList();
        Assert.Equal([10, 8, 4], shapes.Select(s => s[0]));
        Assert.Equal([9, 19, 29], shapes.Select(s => s[1]));
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(next));
        Assert.Contains("bucket_boundaries", e.Message);
    }

    [Fact]
    public void BucketBySequenceLengthWithoutPaddingAndWithDropRemainder()
    {
        using var g = TestGraph.Enter();
        var ds = tf.data.Dataset.range(1, 12).apply(tf.data.experimental.bucket_by_sequence_length(x => x, [4], [3, 5], no_padding: true, drop_remainder: true));
        // Bucket 0 (lengths 1..3) gives one batch of 3, bucket 1 (4..11) one of 5 and drops the last 3.
        Assert.Equal([[1L, 2, 3], [4L, 5, 6, 7, 8]], Batches(ds));
        var v = Assert.Throws<ValueError>(() => tf.data.Dataset.range(3).apply(tf.data.experimental.bucket_by_sequence_length(x => x, [4], [3])));
        Assert.Contains("len(bucket_batch_sizes) must equal len(bucket_boundaries) + 1", v.Message);
    }
}
