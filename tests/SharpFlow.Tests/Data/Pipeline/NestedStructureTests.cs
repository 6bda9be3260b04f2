namespace SharpFlow.Tests.Data.Pipeline;

/// <summary>
/// Nested element structures through map, filter, flat_map and padded_batch, as the book's chapter 9 seq2seq program
/// (caicloud/tensorflow-tutorial, Deep_Learning_with_TensorFlow/1.4.0/Chapter09, MakeSrcTrgDataset) builds them:
/// Dataset.zip((src, trg)) of (ids, length) pairs, a filter and a map taking the two inner tuples, and padded_batch
/// with nested padded_shapes; the batches against a plain reference of the same steps.
/// </summary>
public sealed class NestedStructureTests : IDisposable
{
    private const int MaxLen = 5;
    private const int SosId = 1;

    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-nested-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly int[][] Source = [[4, 5, 6], [7], [8, 9, 10, 11, 12, 13], [14, 15], [16, 17, 18, 19], [20, 21]];
    private static readonly int[][] Target = [[30, 31, 2], [32, 33, 2], [34, 2], [35, 36, 37, 2], [38], [39, 40, 41, 42, 2]];

    private string Write(string name, int[][] lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllLines(path, lines.Select(l => string.Join(' ', l)));
        return path;
    }

    // The book's MakeDataset: the ids of each line and their count.
    private static tf.data.Dataset MakeDataset(string path) =>
        new tf.data.TextLineDataset(path)
            .map(line => tf.string_split(tf.stack(new[] { line })).values)
            .map(s => tf.string_to_number(s, tf.int32))
            .map(x => (x, tf.size(x)));

    private static tf.data.Dataset MakeSrcTrgDataset(string srcPath, string trgPath, int batchSize)
    {
        var dataset = tf.data.Dataset.zip(MakeDataset(srcPath), MakeDataset(trgPath));

        // FilterLength(src_tuple, trg_tuple)
        dataset = dataset.filter((DatasetElement srcTuple, DatasetElement trgTuple) =>
        {
            var (_, srcLen) = srcTuple;
            var (_, trgLen) = trgTuple;
            var srcLenOk = tf.logical_and(tf.greater(srcLen, 1), tf.less_equal(srcLen, MaxLen));
            var trgLenOk = tf.logical_and(tf.greater(trgLen, 1), tf.less_equal(trgLen, MaxLen));
            return tf.logical_and(srcLenOk, trgLenOk);
        });

        // MakeTrgInput(src_tuple, trg_tuple)
        dataset = dataset.map((DatasetElement srcTuple, DatasetElement trgTuple) =>
        {
            var (srcInput, srcLen) = srcTuple;
            var (trgLabel, trgLen) = trgTuple;
            var trgInput = tf.concat([tf.constant(new[] { SosId }), tf.strided_slice(trgLabel, new[] { 0 }, new[] { -1 })], axis: 0); // trg_label[:-1]
            return ((srcInput, srcLen), (trgInput, trgLabel, trgLen));
        });

        var paddedShapes = ((new Shape(-1), Shape.Scalar), (new Shape(-1), new Shape(-1), Shape.Scalar));
        return dataset.padded_batch(batchSize, paddedShapes);
    }

    [Fact]
    public void TheBooksSeq2SeqPipelineBatchesNestedTuples()
    {
        using var g = TestGraph.Enter();
        var data = MakeSrcTrgDataset(Write("src.txt", Source), Write("trg.txt", Target), batchSize: 2);
        Assert.Equal([tf.int32, tf.int32, tf.int32, tf.int32, tf.int32], data.output_types);
        Assert.StartsWith("<PaddedBatchDataset shapes: ((", data.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("types: ((tf.int32, tf.int32), (tf.int32, tf.int32, tf.int32))>", data.ToString(), StringComparison.Ordinal);

        var iterator = data.make_initializable_iterator();
        var next = iterator.get_next();
        var (src, srcSize) = next.element(0);
        var (trgInput, trgLabel, trgSize) = next.element(1);
        Assert.Equal(new Shape(-1, -1), src.shape);
        Assert.Equal(new Shape(-1), trgSize.shape);

        // The reference: the same steps on plain arrays.
        var kept = Source.Zip(Target).Where(p => p.First.Length is > 1 and <= MaxLen && p.Second.Length is > 1 and <= MaxLen).ToArray();
        Assert.Equal(3, kept.Length); // two batches: 2 pairs, then 1
        using var sess = tf.Session();
        sess.run(iterator.initializer);
        for (var b = 0; b < kept.Length; b += 2)
        {
            var batch = kept.Skip(b).Take(2).ToArray();
            var values = sess.run(new[] { src, srcSize, trgInput, trgLabel, trgSize });
            var srcWidth = batch.Max(p => p.First.Length);
            var trgWidth = batch.Max(p => p.Second.Length);
            Assert.Equal(Padded(batch.Select(p => p.First), srcWidth), values[0].ToArray<int>());
            Assert.Equal(new Shape(batch.Length, srcWidth), values[0].shape);
            Assert.Equal(batch.Select(p => p.First.Length).ToArray(), values[1].ToArray<int>());
            Assert.Equal(Padded(batch.Select(p => new[] { SosId }.Concat(p.Second[..^1]).ToArray()), trgWidth), values[2].ToArray<int>());
            Assert.Equal(Padded(batch.Select(p => p.Second), trgWidth), values[3].ToArray<int>());
            Assert.Equal(batch.Select(p => p.Second.Length).ToArray(), values[4].ToArray<int>());
        }
        Assert.Throws<OutOfRangeError>(() => sess.run(src));
    }

    private static int[] Padded(IEnumerable<int[]> rows, int width) => rows.SelectMany(r => r.Concat(Enumerable.Repeat(0, width - r.Length))).ToArray();

    [Fact]
    public void WholeElementFunctionsSeeTheStructure()
    {
        using var g = TestGraph.Enter();
        var ds = tf.data.Dataset.from_tensor_slices(((new[] { 1, 2, 3 }, new[] { 10, 20, 30 }), new[] { 100, 200, 300 }));
        // One typed parameter: the whole ((a, b), c) element.
        var mapped = ds.map((DatasetElement e) =>
        {
            var (a, b) = e.element(0);
            return (a + b + e[1], e.element(0));
        });
        var filtered = mapped.filter((DatasetElement e) => tf.not_equal(e[0], 222));
        var flat = filtered.flat_map((DatasetElement sum, DatasetElement pair) =>
        {
            var (a, b) = pair;
            return tf.data.Dataset.from_tensor_slices(tf.stack([(Tensor)sum, a, b]));
        });
        var next = flat.make_one_shot_iterator().get_next();
        using var sess = tf.Session();
        var values = new List<int>();
        while (true)
        {
            try { values.Add(sess.run((Tensor)next).item<int>()); }
            catch (OutOfRangeError) { break; }
        }
        Assert.Equal(new[] { 111, 1, 10, 333, 3, 30 }, values);
    }

    [Fact]
    public void UntypedLambdasStillTakeTensorsAndMismatchesAreErrors()
    {
        using var g = TestGraph.Enter();
        var pairs = tf.data.Dataset.from_tensor_slices((new[] { 1, 2 }, new[] { 3, 4 }));
        // An untyped two-argument lambda means two tensors, as before.
        var sums = pairs.map((x, y) => x + y).make_one_shot_iterator().get_next();
        using (var sess = tf.Session()) Assert.Equal(4, sess.run((Tensor)sums).item<int>());
        var nested = tf.data.Dataset.zip(pairs, pairs);
        var e = Assert.Throws<TypeError>(() => nested.map((DatasetElement a, DatasetElement b, DatasetElement c) => a[0]));
        Assert.Contains("takes 3 arguments", e.Message);
        var pe = Assert.Throws<ValueError>(() => nested.padded_batch(2, (new Shape(-1), new Shape(-1))));
        Assert.Contains("do not match the element structure", pe.Message);
    }
}
