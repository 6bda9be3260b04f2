using SharpFlow.FileIO;
using System.Buffers.Binary;
using SharpFlow.Data;
using SharpFlow.Onnx;
using SharpFlow.Summaries;
using SharpFlow.Train;
using static SharpFlow.Binding;

namespace SharpFlow.Fuzz;

/// <summary>
/// One file reader under fuzzing: valid seed files, and the call that reads a (possibly corrupt) file's bytes. Every
/// input must end in the file read or in an <see cref="OpError"/> (<see cref="DataLossError"/> and its kin) whose
/// message names the file; anything else is a bug (see <see cref="FuzzRunner"/>).
/// </summary>
/// <param name="Name">The target's name on the command line.</param>
/// <param name="Seeds">Valid files to mutate (built on demand, with SharpFlow's own writers).</param>
/// <param name="Read">Reads one file's bytes, named <see cref="FuzzRunner.FileName"/> in errors.</param>
/// <param name="ErrorsNameTheFile">Whether every error message must contain <see cref="FuzzRunner.FileName"/>
/// (not for an import error, which names the ONNX node instead).</param>
public sealed record FuzzTarget(string Name, Func<IReadOnlyList<byte[]>> Seeds, Action<byte[]> Read, bool ErrorsNameTheFile = true)
{
    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>Every file format SharpFlow reads.</summary>
public static partial class FuzzTargets
{
    /// <summary>The targets by name.</summary>
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("idx", IdxSeeds, bytes => Idx.Read(new MemoryStream(bytes), FuzzRunner.FileName)),
        new("safetensors", SafeTensorsSeeds, bytes => SafeTensors.Parse(bytes, FuzzRunner.FileName)),
        new("checkpoint-state", CheckpointStateSeeds, bytes => CheckpointState.Parse(System.Text.Encoding.UTF8.GetString(bytes), "logs", FuzzRunner.FileName)),
        new("event-file", EventFileSeeds, bytes => Consume(FileWriter.Read(new MemoryStream(bytes), FuzzRunner.FileName))),
        // The CRCs of an event file stop most mutations at the record framing; this target feeds records straight to
        // the Event and Summary decoders (the bytes are the file's one record, named in FileWriter.Read's errors).
        new("event-record", EventRecordSeeds, bytes => Consume(FileWriter.Read(new MemoryStream(Record(bytes)), FuzzRunner.FileName))),
        // A checkpoint's .index table with the blocks' CRCs skipped, so that mutations reach the block, entry and
        // BundleEntryProto parsers (with the CRCs checked nearly every mutation stops at the first block).
        new("checkpoint-index", CheckpointIndexSeeds, bytes => ReadCheckpointIndex(bytes)),
        // A whole checkpoint (index and data shard, framed as one input): every tensor read, the data's CRCs checked.
        new("checkpoint-bundle", CheckpointBundleSeeds, ReadCheckpointBundle),
        new("onnx", OnnxSeeds, bytes => OnnxModel.Parse(bytes, FuzzRunner.FileName)),
        new("onnx-import", OnnxSeeds, ImportAndRun, ErrorsNameTheFile: false),
        .. RecordsTargets(),
        .. DecoderTargets(),
        .. GraphIOTargets(),
    ];

    /// <summary>The target called <paramref name="name"/>.</summary>
    public static FuzzTarget Get(string name) =>
        All.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"no fuzz target '{name}'; the targets are {string.Join(", ", All.Select(t => t.Name))}");

    private static void Consume(IEnumerable<Event> events)
    {
        foreach (var e in events)
            foreach (var v in e.summary?.value ?? [])
                _ = (v.tag, v.simple_value, v.histo?.bucket.Count, v.image?.encoded_image_string.Length, v.text);
    }

    /// <summary>An event file of the one record <paramref name="payload"/> (with its CRCs), after the version record.</summary>
    private static byte[] Record(byte[] payload)
    {
        using var stream = new MemoryStream();
        TFRecord.Write(stream, new Event { wall_time = 1, file_version = FileWriter.FileVersion }.SerializeToString());
        TFRecord.Write(stream, payload);
        return stream.ToArray();
    }

    /// <summary>An IDX file of unsigned bytes (type 0x08) of shape <paramref name="dims"/>, element i being <paramref name="value"/>(i).</summary>
    public static byte[] IdxFile(int[] dims, Func<int, byte> value)
    {
        ArgumentNullException.ThrowIfNull(dims);
        ArgumentNullException.ThrowIfNull(value);
        var count = dims.Aggregate(1, (a, d) => a * d);
        var bytes = new byte[4 + 4 * dims.Length + count];
        bytes[2] = 0x08;
        bytes[3] = (byte)dims.Length;
        for (var i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        for (var i = 0; i < count; i++) bytes[4 + 4 * dims.Length + i] = value(i);
        return bytes;
    }

    private static IReadOnlyList<byte[]> IdxSeeds() =>
        [IdxFile([3, 4, 5], i => (byte)(i * 37)), IdxFile([7], i => (byte)(i * 37)), IdxFile([2, 2, 3, 1], i => (byte)(i * 37))];

    private static IReadOnlyList<byte[]> SafeTensorsSeeds()
    {
        var dir = Directory.CreateTempSubdirectory("sharpflow-fuzz-");
        try
        {
            var path = Path.Combine(dir.FullName, "seed.safetensors");
            SafeTensors.Write(path, new Dictionary<string, NDArray>
            {
                ["dense/kernel"] = NDArray.FromArray(new float[,] { { 1, -2, 3 }, { 0.5f, 0, -1 } }),
                ["global_step"] = NDArray.Scalar(42L),
                ["counts"] = NDArray.FromArray(new[] { 1, 2, 3, 4 }),
                ["mask"] = NDArray.FromArray(new[] { true, false }),
                ["moments"] = NDArray.FromArray(new[] { 0.25, -4.0 }),
                ["pixels"] = NDArray.FromArray(new byte[] { 0, 255, 7 }),
            }, new Dictionary<string, string> { ["format"] = "sharpflow-checkpoint" });
            return [System.IO.File.ReadAllBytes(path)];
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The tensors of the checkpoint seeds: every dtype a bundle holds, strings included.</summary>
    private static Dictionary<string, NDArray> CheckpointTensors() => new()
    {
        ["dense/kernel"] = NDArray.FromArray(new float[,] { { 1, -2, 3 }, { 0.5f, 0, -1 } }),
        ["dense/bias"] = NDArray.FromArray(new[] { 0.25, -4.0 }),
        ["global_step"] = NDArray.Scalar(42L),
        ["counts"] = NDArray.FromArray(new[] { 1, 2, 3, 4 }),
        ["mask"] = NDArray.FromArray(new[] { true, false }),
        ["pixels"] = NDArray.FromArray(new byte[] { 0, 255, 7 }),
        ["vocabulary"] = NDArray.FromStrings(["the", "", "ünïcode"]),
    };

    /// <summary>The index and data shard of a checkpoint of <see cref="CheckpointTensors"/>.</summary>
    private static (byte[] Index, byte[] Data) CheckpointFiles()
    {
        var dir = Directory.CreateTempSubdirectory("sharpflow-fuzz-");
        try
        {
            var prefix = Path.Combine(dir.FullName, "model.ckpt");
            using (var writer = new SharpFlow.Checkpoints.BundleWriter(prefix))
            {
                foreach (var (name, value) in CheckpointTensors().OrderBy(kv => kv.Key, StringComparer.Ordinal)) writer.Add(name, value);
                writer.Finish();
            }
            return (File.ReadAllBytes(prefix + ".index"), File.ReadAllBytes(prefix + ".data-00000-of-00001"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static IReadOnlyList<byte[]> CheckpointIndexSeeds() => [CheckpointFiles().Index];

    private static void ReadCheckpointIndex(byte[] bytes)
    {
        var (_, entries) = SharpFlow.Checkpoints.CheckpointReader.ParseIndex(bytes, FuzzRunner.FileName, verifyChecksums: false);
        foreach (var (name, entry) in entries) _ = (name.Length, entry.Dtype, entry.Shape?.Dim.Count, entry.Offset, entry.Size, entry.Slices.Count);
    }

    /// <summary>One input holding a whole checkpoint: the index's length (4 bytes, little-endian), the index, the data shard.</summary>
    public static byte[] CheckpointBundle(byte[] index, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(data);
        var bytes = new byte[4 + index.Length + data.Length];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, index.Length);
        index.CopyTo(bytes, 4);
        data.CopyTo(bytes, 4 + index.Length);
        return bytes;
    }

    private static IReadOnlyList<byte[]> CheckpointBundleSeeds()
    {
        var (index, data) = CheckpointFiles();
        return [CheckpointBundle(index, data)];
    }

    private static void ReadCheckpointBundle(byte[] bytes)
    {
        if (bytes.Length < 4 || BinaryPrimitives.ReadInt32LittleEndian(bytes) is var length && (length < 0 || length > bytes.Length - 4))
            throw new DataLossError($"{FuzzRunner.FileName}: the input does not frame an index and a data shard");
        var dir = Directory.CreateTempSubdirectory("sharpflow-fuzz-");
        try
        {
            var prefix = Path.Combine(dir.FullName, FuzzRunner.FileName);
            File.WriteAllBytes(prefix + ".index", bytes.AsSpan(4, length).ToArray());
            File.WriteAllBytes(prefix + ".data-00000-of-00001", bytes.AsSpan(4 + length).ToArray());
            var reader = new SharpFlow.Checkpoints.CheckpointReader(prefix, verifyIndexChecksums: false);
            foreach (var name in reader.Names) _ = reader.get_tensor(name).size;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static IReadOnlyList<byte[]> CheckpointStateSeeds()
    {
        var dir = Directory.CreateTempSubdirectory("sharpflow-fuzz-");
        try
        {
            new CheckpointState(Path.Combine(dir.FullName, "model.ckpt-300"),
                [Path.Combine(dir.FullName, "model.ckpt-100"), Path.Combine(dir.FullName, "model.ckpt-200"), Path.Combine(dir.FullName, "model.ckpt-300"), "/elsewhere/\"ü\".ckpt-1"]).Write(dir.FullName);
            return [File.ReadAllBytes(Path.Combine(dir.FullName, CheckpointState.DefaultFileName))];
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static IReadOnlyList<byte[]> EventFileSeeds()
    {
        var dir = Directory.CreateTempSubdirectory("sharpflow-fuzz-");
        try
        {
            var graph = new Graph();
            using (graph.as_default())
            {
                var x = tf.placeholder(tf.float32, new Shape(-1, 3), name: "x");
                _ = tf.nn.relu(tf.matmul(x, tf.constant(new float[,] { { 1 }, { 2 }, { 3 } })), name: "y");
            }
            string path;
            using (var writer = new FileWriter(dir.FullName, graph))
            {
                writer.add_summary(tf.Summary(SummaryValue.FromScalar("loss", 0.5), SummaryValue.FromText("note", "ok")), 1);
                writer.add_summary(tf.Summary(SummaryValue.FromHistogram("w", NDArray.FromArray(new float[] { -1, 0, 0.5f, 2, 2 }))), 2);
                writer.add_summary(tf.Summary(SummaryValue.FromImage("img", NDArray.FromFlat(new byte[] { 0, 64, 128, 255, 1, 2, 3, 4, 5, 6, 7, 8 }, new Shape(2, 2, 3)))), 3);
                path = writer.path;
            }
            return [File.ReadAllBytes(path)];
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static List<byte[]> EventRecordSeeds()
    {
        var records = new List<byte[]>();
        foreach (var file in EventFileSeeds())
            records.AddRange(TFRecord.Read(new MemoryStream(file), "seed").Skip(1));
        return records;
    }

    private static IReadOnlyList<byte[]> OnnxSeeds()
    {
        var graph = new Graph();
        using (graph.as_default())
        {
            tf.set_random_seed(1);
            var images = tf.placeholder(tf.float32, new Shape(-1, 8, 8, 1), name: "images");
            var conv = tf.layers.conv2d(images, 4, 3, padding: "same", activation: tf.nn.relu);
            var pool = tf.layers.max_pooling2d(conv, 2, 2);
            var flat = tf.reshape(pool, new[] { -1, 4 * 4 * 4 });
            var logits = tf.nn.softmax(tf.layers.dense(flat, 3));
            using var sess = tf.Session();
            sess.run(tf.global_variables_initializer());
            return [OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["images"] = images }, new Dictionary<string, Tensor> { ["probabilities"] = logits }).ToByteArray()];
        }
    }

    /// <summary>Imports a model into a new graph and, when its inputs are small, runs it on zeros.</summary>
    private static void ImportAndRun(byte[] bytes)
    {
        var model = OnnxModel.Parse(bytes, FuzzRunner.FileName);
        var graph = new Graph();
        using (graph.as_default())
        {
            var imported = model.Import();
            var feed = new FeedDict();
            foreach (var (name, input) in imported.Inputs)
            {
                var shape = input.shape;
                if (!shape.IsKnownRank) return;
                var dims = shape.Dims.Select(d => d < 0 ? 1 : d).ToArray();
                if (dims.Aggregate(1L, (a, d) => a * d) > 1 << 16) return;
                feed[input] = NDArray.Zeros(input.dtype, new Shape(dims));
            }
            using var sess = new Session(graph);
            if (imported.Variables.Count > 0) sess.run(tf.variables_initializer(imported.Variables));
            sess.run(imported.Outputs.Values.ToList(), feed);
        }
    }
}
