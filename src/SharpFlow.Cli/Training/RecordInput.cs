using SharpFlow.Data;
using SharpFlow.FileIO;
using static SharpFlow.Binding;

namespace SharpFlow.Cli.Training;

/// <summary>
/// Training data in TFRecord files of <c>tf.train.Example</c>s, as the book's chapter 7 writes them: one record per
/// picture with <c>image_raw</c> (the pixels as bytes), <c>label</c>, <c>height</c>, <c>width</c> and
/// <c>depth</c> (int64). A directory holds <c>train-00000-of-0000N.tfrecord</c> shards and the validation and
/// test splits beside them (<c>sharpflow records DIR</c> writes them).
/// </summary>
internal static class RecordInput
{
    /// <summary>The prefix of <c>--input tfrecord:DIR</c>.</summary>
    public const string Scheme = "tfrecord:";

    public static readonly string[] Splits = ["train", "validation", "test"];

    /// <summary>The directory of <c>--input tfrecord:DIR</c>; null for no <c>--input</c>.</summary>
    public static string? DirectoryOf(string? input)
    {
        if (input is null) return null;
        if (!input.StartsWith(Scheme, StringComparison.Ordinal) || input.Length == Scheme.Length)
            throw new ArgumentException($"--input must be tfrecord:DIR (a directory of TFRecord files that `sharpflow records DIR` writes), got '{input}'");
        return input[Scheme.Length..];
    }

    /// <summary>A split's shard file name, as TensorFlow's own data scripts name shards.</summary>
    public static string ShardName(string split, int shard, int shards) => $"{split}-{shard:D5}-of-{shards:D5}.tfrecord";

    /// <summary>
    /// Writes every split of <paramref name="data"/> to <paramref name="directory"/>, the training split in
    /// <paramref name="shards"/> files; returns the files written.
    /// </summary>
    public static List<string> Write(Datasets data, string directory, int shards, int height, int width, int depth)
    {
        if (shards <= 0) throw new ArgumentException("--shards must be positive");
        tf.gfile.MakeDirs(directory);
        var written = new List<string>();
        foreach (var (split, set) in new[] { ("train", data.train), ("validation", data.validation), ("test", data.test) })
        {
            var n = split == "train" ? shards : 1;
            var pixels = set.images.ToArray<float>();
            var labels = set.labels.Cast(DType.int64).ToArray<long>();
            var size = height * width * depth;
            if (set.num_examples > 0 && pixels.Length != set.num_examples * size)
                throw new ArgumentException($"the {split} images have {pixels.Length / Math.Max(1, set.num_examples)} values each, not {height}x{width}x{depth}");
            for (var s = 0; s < n; s++)
            {
                var path = Path.Combine(directory, ShardName(split, s, n));
                using (var writer = tf.python_io.TFRecordWriter(path))
                    for (var i = s; i < set.num_examples; i += n)
                    {
                        var raw = new byte[size];
                        // The pictures were bytes divided by 255: the rounding gives them back exactly.
                        for (var k = 0; k < size; k++) raw[k] = (byte)Math.Round(Math.Clamp(pixels[i * size + k], 0f, 1f) * 255);
                        var example = tf.train.Example(features: tf.train.Features(feature: new Dictionary<string, Feature>
                        {
                            ["image_raw"] = tf.train.Feature(bytes_list: tf.train.BytesList(raw)),
                            ["label"] = tf.train.Feature(int64_list: tf.train.Int64List(labels[i])),
                            ["height"] = tf.train.Feature(int64_list: tf.train.Int64List(height)),
                            ["width"] = tf.train.Feature(int64_list: tf.train.Int64List(width)),
                            ["depth"] = tf.train.Feature(int64_list: tf.train.Int64List(depth)),
                        }));
                        writer.write(example.SerializeToString());
                    }
                written.Add(path);
            }
        }
        return written;
    }

    /// <summary>A split's files, in shard order; none is an error that says how to make them.</summary>
    public static string[] Files(string directory, string split)
    {
        if (!Directory.Exists(directory))
            throw new ArgumentException($"--input {Scheme}{directory}: no such directory; write the records with `sharpflow records {directory}`");
        var files = Directory.GetFiles(directory, $"{split}-*.tfrecord").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
            throw new ArgumentException($"--input {Scheme}{directory}: no {split}-*.tfrecord files there; write them with `sharpflow records {directory}`");
        return files;
    }

    /// <summary>What the records of a split hold: the count and the picture size (from the first record).</summary>
    public static (int Count, int Height, int Width, int Depth) Describe(string directory, string split)
    {
        var count = 0;
        Example? first = null;
        foreach (var file in Files(directory, split))
            foreach (var record in tf.python_io.tf_record_iterator(file))
            {
                first ??= Example.FromString(record);
                count++;
            }
        if (first is null) throw new ArgumentException($"--input {Scheme}{directory}: the {split} files hold no records");
        var (height, width, depth) = Dims(first, directory, split);
        return (count, height, width, depth);
    }

    // The picture size a record states in its int64 features height, width and depth.
    private static (int Height, int Width, int Depth) Dims(Example example, string directory, string split)
    {
        int Dim(string key) => example.features.feature.TryGetValue(key, out var f) && f.int64_list is { } l && l.value.Count == 1
            ? checked((int)l.value[0])
            : throw new DataLossError($"--input {Scheme}{directory}: the {split} records have no int64 feature '{key}'");
        return (Dim("height"), Dim("width"), Dim("depth"));
    }

    /// <summary>A whole split read into memory (for evaluation): pixels scaled to [0, 1], int32 labels.</summary>
    public static DataSet Read(string directory, string split)
    {
        // One pass: the first record gives the picture size the others must have.
        var (height, width, depth, size) = (0, 0, 0, -1);
        var pixels = new List<float>();
        var labels = new List<int>();
        foreach (var file in Files(directory, split))
            foreach (var record in tf.python_io.tf_record_iterator(file))
            {
                var i = labels.Count;
                var example = Example.FromString(record);
                if (size < 0)
                {
                    (height, width, depth) = Dims(example, directory, split);
                    size = height * width * depth;
                }
                var features = example.features.feature;
                var raw = features.TryGetValue("image_raw", out var image) && image.bytes_list is { } b && b.value.Count == 1 ? b.value[0]
                    : throw new DataLossError($"{file}: record {i} has no bytes feature 'image_raw'");
                if (raw.Length != size) throw new DataLossError($"{file}: record {i} has {raw.Length} pixel bytes, not {height}x{width}x{depth}");
                labels.Add(features.TryGetValue("label", out var label) && label.int64_list is { } l && l.value.Count == 1 ? checked((int)l.value[0])
                    : throw new DataLossError($"{file}: record {i} has no int64 feature 'label'"));
                foreach (var p in raw) pixels.Add(p * (1f / 255f)); // as the IDX reader scales them
            }
        if (size < 0) throw new ArgumentException($"--input {Scheme}{directory}: the {split} files hold no records");
        return new DataSet(NDArray.FromFlat(pixels.ToArray(), new Shape(labels.Count, size)), NDArray.FromFlat(labels.ToArray(), new Shape(labels.Count)));
    }
}

/// <summary>Which random distortions the training pipeline applies to each picture.</summary>
internal sealed record Augmentation(bool Crop, bool Flip, bool Brightness)
{
    public static readonly Augmentation None = new(false, false, false);

    /// <summary>What <c>--input tfrecord:</c> applies unless <c>--augment</c> says otherwise.</summary>
    public const string Default = "crop,flip,brightness";

    /// <summary>Reads <c>--augment crop,flip,brightness</c> (any of them, or <c>none</c>).</summary>
    public static Augmentation Parse(string spec)
    {
        if (spec.Trim() == "none") return None;
        var parts = spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var p in parts)
            if (p is not ("crop" or "flip" or "brightness"))
                throw new ArgumentException($"--augment takes crop, flip and brightness separated by commas, or none; got '{p}'");
        return new(parts.Contains("crop"), parts.Contains("flip"), parts.Contains("brightness"));
    }

    public override string ToString() =>
        this == None ? "none" : string.Join(", ", new[] { Crop ? "random crop (pad 2, crop back)" : null, Flip ? "random left-right flip" : null, Brightness ? "random brightness ±0.1" : null }.OfType<string>());
}

/// <summary>
/// The <c>tf.data</c> pipeline that feeds training from TFRecord files, built in the model's graph: the records
/// are shuffled (the whole training set, a new order each epoch, seeded), repeated and batched, then parsed with
/// <c>parse_example</c> and <c>decode_raw</c> and distorted a batch at a time (each picture with its own random
/// crop, flip and brightness), and prefetched on a background thread so the next batches are ready while a step
/// runs. An initializable iterator: its initializer takes the number of batches to skip, so a resumed run reads
/// on from where the checkpoint left off.
/// </summary>
internal sealed class RecordPipeline
{
    private RecordPipeline(Tensor images, Tensor labels, Operation initializer, Tensor skip)
    {
        Images = images;
        Labels = labels;
        Initializer = initializer;
        Skip = skip;
    }

    /// <summary>The next batch's pictures, flat [batch, height·width·depth] in [0, 1].</summary>
    public Tensor Images { get; }

    /// <summary>The next batch's labels (int32).</summary>
    public Tensor Labels { get; }

    /// <summary>Starts the pipeline; feed <see cref="Skip"/>.</summary>
    public Operation Initializer { get; }

    /// <summary>The number of batches the initializer skips (int64).</summary>
    public Tensor Skip { get; }

    /// <summary>Builds the pipeline in the default graph.</summary>
    public static RecordPipeline Build(string[] files, int examples, int height, int width, int depth, int batch, int seed, Augmentation augment)
    {
        using var scope = tf.name_scope("input");
        var skip = tf.placeholder_with_default(tf.constant(0L), Shape.Scalar, name: "skip_batches");
        var features = new Dictionary<string, FeatureSpec>
        {
            ["image_raw"] = tf.FixedLenFeature(Shape.Scalar, tf.@string),
            ["label"] = tf.FixedLenFeature(Shape.Scalar, tf.int64),
        };
        var dataset = new tf.data.TFRecordDataset(files)
            .shuffle(examples, seed: seed, reshuffle_each_iteration: true)
            .repeat()
            .batch(batch)
            .map((Tensor serialized) =>
            {
                var parsed = tf.parse_example(serialized, features);
                var pixels = tf.decode_raw(parsed["image_raw"], tf.uint8);
                var x = tf.reshape(tf.cast(pixels, tf.float32) * (1f / 255f), new[] { -1, height, width, depth });
                x = Distort(x, height, width, depth, augment);
                return (tf.reshape(x, new[] { -1, height * width * depth }), tf.cast(parsed["label"], tf.int32));
            })
            .skip(skip)
            .prefetch(2);
        var iterator = dataset.make_initializable_iterator();
        var next = iterator.get_next();
        return new RecordPipeline(next[0], next[1], iterator.initializer, skip);
    }

    /// <summary>Each picture of a batch [batch, height, width, depth] with its own random distortions.</summary>
    private static Tensor Distort(Tensor x, int height, int width, int depth, Augmentation augment)
    {
        var n = tf.shape(x)[0];
        if (augment.Crop)
        {
            // Pad by 2 pixels and crop the original size back at a random offset per picture: crop_and_resize
            // with nearest-neighbour sampling of boxes whose corners fall on whole pixels is an exact crop.
            const int pad = 2;
            var padded = tf.pad(x, new[,] { { 0, 0 }, { pad, pad }, { pad, pad }, { 0, 0 } });
            Tensor Offset() => tf.cast(tf.random_uniform(tf.stack(new[] { n }), 0, 2 * pad + 1, dtype: tf.int32), tf.float32);
            var (ph, pw) = (height + 2 * pad - 1f, width + 2 * pad - 1f);
            var (oy, ox) = (Offset(), Offset());
            var boxes = tf.stack(new[] { oy / ph, ox / pw, (oy + (height - 1)) / ph, (ox + (width - 1)) / pw }, axis: 1);
            x = tf.image.crop_and_resize(padded, boxes, tf.range(n), new[] { height, width }, method: "nearest");
        }
        if (augment.Flip) x = tf.image.random_flip_left_right(x);
        if (augment.Brightness)
        {
            var delta = tf.random_uniform(tf.stack(new[] { n, tf.constant(1), tf.constant(1), tf.constant(1) }), -0.1, 0.1);
            x = tf.clip_by_value(x + delta, 0f, 1f);
        }
        return x;
    }
}
