using System.Buffers.Binary;
using SharpFlow.GraphIO;
using static SharpFlow.Binding;

namespace SharpFlow.Fuzz;

/// <summary>
/// TensorFlow's graph files (issue 19): a binary GraphDef (<c>.pb</c>, frozen graphs), a text GraphDef
/// (<c>.pbtxt</c>), a MetaGraphDef (<c>.meta</c>) and a SavedModel directory, each read from a file and imported
/// into a fresh graph. The files are named <see cref="FuzzRunner.FileName"/> (the SavedModel's directory is), so the
/// readers' errors, which name the path, name it. The importer refuses a graph it cannot build with TensorFlow's
/// ValueError or TypeError (importer.py's), which these targets count as a refusal of the file.
/// </summary>
public static partial class FuzzTargets
{
    private static IEnumerable<FuzzTarget> GraphIOTargets() =>
    [
        new("graphdef", () => GraphDefSeeds(text: false), bytes => ImportGraphFile(bytes, text: false)),
        new("graphdef-text", () => GraphDefSeeds(text: true), bytes => ImportGraphFile(bytes, text: true)),
        new("metagraph", MetaGraphSeeds, ImportMetaGraphFile),
        new("savedmodel", SavedModelSeeds, LoadSavedModel),
    ];

    /// <summary>tests/SharpFlow.Tests/TestData/tf-files (the files TensorFlow wrote), found by walking up from the binary; null when absent.</summary>
    private static string? TfFile(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine([dir.FullName, "tests", "SharpFlow.Tests", "TestData", "tf-files", .. parts]);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    // A small model with the ops the importer handles most often: a convolution, pooling, a dense layer, a softmax,
    // a while loop and a cond, a tf.data map (the function library), plus variables and their initializers.
    private static Graph SeedModel()
    {
        var graph = new Graph();
        using var _ = graph.as_default();
        var x = tf.placeholder(tf.float32, new Shape(-1, 6, 6, 1), name: "x");
        var kernel = tf.Variable(tf.truncated_normal(new[] { 3, 3, 1, 2 }, stddev: 0.1f, seed: 1), name: "conv/kernel");
        var conv = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, kernel, [1, 1, 1, 1], "SAME"), tf.Variable(tf.zeros(new[] { 2 }), name: "conv/bias")));
        var pool = tf.nn.max_pool(conv, [1, 2, 2, 1], [1, 2, 2, 1], "VALID");
        var flat = tf.reshape(pool, new[] { -1, 18 });
        var w = tf.Variable(tf.ones(new[] { 18, 3 }), name: "dense/w");
        var logits = tf.matmul(flat, w, name: "logits");
        tf.nn.softmax(logits, name: "probs");
        var i = tf.constant(0, name: "i");
        tf.while_loop((Tensor c) => tf.less(c, 3), c => tf.add(c, 1), i, name: "loop");
        tf.cond(tf.less(i, 1), () => tf.constant(1f), () => tf.constant(2f), name: "branch");
        // A dataset function with a captured value and a one-shot iterator: the GraphDef's function library.
        var offset = tf.constant(2L, name: "offset");
        tf.data.Dataset.range(4).map(v => (object)(v + offset)).make_one_shot_iterator().get_next(name: "next");
        return graph;
    }

    // TensorFlow 2's functional control flow, which the importer lowers: a cond_v2 If and a while_v2 While.
    private const string FunctionalSeed = """
        node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "shape" value { shape { } } } }
        node { name: "p" op: "Placeholder" attr { key: "dtype" value { type: DT_BOOL } } attr { key: "shape" value { shape { } } } }
        node { name: "n" op: "Const" attr { key: "dtype" value { type: DT_INT32 } } attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { } int_val: 0 } } } }
        node {
          name: "cond" op: "If" input: "p" input: "x"
          attr { key: "Tcond" value { type: DT_BOOL } } attr { key: "Tin" value { list { type: DT_FLOAT } } } attr { key: "Tout" value { list { type: DT_FLOAT } } }
          attr { key: "then_branch" value { func { name: "twice" } } } attr { key: "else_branch" value { func { name: "same" } } }
        }
        node {
          name: "while" op: "While" input: "n" input: "cond"
          attr { key: "T" value { list { type: DT_INT32 type: DT_FLOAT } } }
          attr { key: "cond" value { func { name: "below3" } } } attr { key: "body" value { func { name: "step" } } }
          attr { key: "output_shapes" value { list { shape { } shape { } } } }
        }
        library {
          function {
            signature { name: "twice" input_arg { name: "a" type: DT_FLOAT } output_arg { name: "identity" type: DT_FLOAT } }
            node_def { name: "add" op: "AddV2" input: "a" input: "a" attr { key: "T" value { type: DT_FLOAT } } }
            ret { key: "identity" value: "add:z:0" }
          }
          function {
            signature { name: "same" input_arg { name: "a" type: DT_FLOAT } output_arg { name: "identity" type: DT_FLOAT } }
            ret { key: "identity" value: "a" }
          }
          function {
            signature { name: "below3" input_arg { name: "i" type: DT_INT32 } input_arg { name: "v" type: DT_FLOAT } output_arg { name: "identity" type: DT_BOOL } }
            node_def { name: "three" op: "Const" attr { key: "dtype" value { type: DT_INT32 } } attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { } int_val: 3 } } } }
            node_def { name: "less" op: "Less" input: "i" input: "three:output:0" attr { key: "T" value { type: DT_INT32 } } }
            ret { key: "identity" value: "less:z:0" }
          }
          function {
            signature { name: "step" input_arg { name: "i" type: DT_INT32 } input_arg { name: "v" type: DT_FLOAT } output_arg { name: "identity" type: DT_INT32 } output_arg { name: "identity_1" type: DT_FLOAT } }
            node_def { name: "one" op: "Const" attr { key: "dtype" value { type: DT_INT32 } } attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { } int_val: 1 } } } }
            node_def { name: "next" op: "AddV2" input: "i" input: "one:output:0" attr { key: "T" value { type: DT_INT32 } } }
            node_def { name: "square" op: "Mul" input: "v" input: "v" attr { key: "T" value { type: DT_FLOAT } } }
            ret { key: "identity" value: "next:z:0" }
            ret { key: "identity_1" value: "square:z:0" }
          }
        }
        versions { producer: 134 min_consumer: 12 }
        """;

    private static List<byte[]> GraphDefSeeds(bool text)
    {
        var seeds = new List<byte[]>();
        var def = SeedModel().as_graph_def();
        seeds.Add(text ? System.Text.Encoding.UTF8.GetBytes(TextFormat.Print(def)) : ProtoFiles.SerializeDeterministic(def));
        var functional = TextFormat.Parse<Tensorflow.GraphDef>(FunctionalSeed);
        seeds.Add(text ? System.Text.Encoding.UTF8.GetBytes(TextFormat.Print(functional)) : ProtoFiles.SerializeDeterministic(functional));
        if (TfFile("regression", "graphdef", "frozen.pb") is { } frozen)
        {
            var bytes = File.ReadAllBytes(frozen);
            seeds.Add(text ? System.Text.Encoding.UTF8.GetBytes(TextFormat.Print(Tensorflow.GraphDef.Parser.ParseFrom(bytes))) : bytes);
        }
        return seeds;
    }

    private static List<byte[]> MetaGraphSeeds()
    {
        var seeds = new List<byte[]>();
        var graph = SeedModel();
        using (graph.as_default())
        {
            using var sess = tf.Session(graph: graph);
            sess.run(tf.global_variables_initializer());
            var dir = Directory.CreateTempSubdirectory("sharpflow-fuzz-");
            try
            {
                var prefix = new SharpFlow.Train.Saver().save(sess, Path.Combine(dir.FullName, "model"));
                seeds.Add(File.ReadAllBytes(prefix + ".meta"));
            }
            finally
            {
                dir.Delete(recursive: true);
            }
        }
        if (TfFile("regression", "checkpoint", "model.meta") is { } meta) seeds.Add(File.ReadAllBytes(meta));
        return seeds;
    }

    /// <summary>A SavedModel as one input: saved_model.pb, the variables' .index and their data shard, each after its int32 length.</summary>
    private static byte[] SavedModelInput(byte[] model, byte[] index, byte[] data)
    {
        var bytes = new byte[12 + model.Length + index.Length + data.Length];
        var at = 0;
        foreach (var part in new[] { model, index, data })
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), part.Length);
            part.CopyTo(bytes, at + 4);
            at += 4 + part.Length;
        }
        return bytes;
    }

    private static List<byte[]> SavedModelSeeds()
    {
        var seeds = new List<byte[]>();
        var dir = Directory.CreateTempSubdirectory("sharpflow-fuzz-");
        try
        {
            var graph = new Graph();
            using (graph.as_default())
            {
                var x = tf.placeholder(tf.float32, new Shape(-1, 2), name: "x");
                var w = tf.Variable(new[,] { { 1f, 2f }, { 3f, 4f } }, name: "w");
                var b = tf.Variable(new[] { 0.5f, -0.5f }, name: "b");
                var y = tf.nn.softmax(tf.matmul(x, w) + b, name: "y");
                using var sess = tf.Session(graph: graph);
                sess.run(tf.global_variables_initializer());
                var export = Path.Combine(dir.FullName, "model");
                tf.saved_model.simple_save(sess, export, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["y"] = y });
                seeds.Add(SavedModelInput(File.ReadAllBytes(Path.Combine(export, "saved_model.pb")),
                    File.ReadAllBytes(Path.Combine(export, "variables", "variables.index")),
                    File.ReadAllBytes(Path.Combine(export, "variables", "variables.data-00000-of-00001"))));
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
        if (TfFile("regression", "saved_model", "saved_model.pb") is { } model)
        {
            var variables = Path.Combine(Path.GetDirectoryName(model)!, "variables", "variables");
            seeds.Add(SavedModelInput(File.ReadAllBytes(model), File.ReadAllBytes(variables + ".index"), File.ReadAllBytes(variables + ".data-00000-of-00001")));
        }
        return seeds;
    }

    // The importer's refusals (importer.py's ValueError and TypeError) as a refusal of the file, and its OpErrors
    // (an op type SharpFlow lacks, an unsupported dtype) naming the file.
    private static void Refusing(string path, Action import)
    {
        try
        {
            FileErrors.Naming(path, () => { import(); return 0; });
        }
        catch (Exception e) when (e is ValueError or TypeError)
        {
            throw new InvalidArgumentError($"{path}: the graph cannot be imported: {e.Message}");
        }
    }

    private static void InTempFile(string name, byte[] bytes, Action<string> read)
    {
        var dir = Directory.CreateTempSubdirectory("sharpflow-fuzz-");
        try
        {
            var path = Path.Combine(dir.FullName, name);
            File.WriteAllBytes(path, bytes);
            read(path);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static void ImportGraphFile(byte[] bytes, bool text) => InTempFile(FuzzRunner.FileName, bytes, path =>
    {
        var def = ProtoFiles.Read<Tensorflow.GraphDef>(path, as_text: text);
        var graph = new Graph();
        using (graph.as_default()) Refusing(path, () => tf.import_graph_def(def, name: ""));
    });

    private static void ImportMetaGraphFile(byte[] bytes) => InTempFile(FuzzRunner.FileName, bytes, path =>
    {
        var graph = new Graph();
        using (graph.as_default()) Refusing(path, () => tf.train.import_meta_graph(path));
    });

    private static void LoadSavedModel(byte[] bytes)
    {
        var parts = new List<byte[]>();
        var at = 0;
        for (var i = 0; i < 3; i++)
        {
            if (bytes.Length - at < 4 || BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at)) is var length && (length < 0 || length > bytes.Length - at - 4))
                throw new DataLossError($"{FuzzRunner.FileName}: the input does not frame a saved_model.pb, an index and a data shard");
            parts.Add(bytes.AsSpan(at + 4, length).ToArray());
            at += 4 + length;
        }
        var dir = Directory.CreateTempSubdirectory("sharpflow-fuzz-");
        try
        {
            var export = Path.Combine(dir.FullName, FuzzRunner.FileName);
            Directory.CreateDirectory(Path.Combine(export, "variables"));
            File.WriteAllBytes(Path.Combine(export, "saved_model.pb"), parts[0]);
            File.WriteAllBytes(Path.Combine(export, "variables", "variables.index"), parts[1]);
            File.WriteAllBytes(Path.Combine(export, "variables", "variables.data-00000-of-00001"), parts[2]);
            var graph = new Graph();
            using (graph.as_default())
            {
                using var sess = tf.Session(graph: graph);
                Refusing(export, () => tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING], export));
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
