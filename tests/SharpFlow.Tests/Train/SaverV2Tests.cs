using SharpFlow.Tests.Checkpoints;
using SharpFlow.Train;

namespace SharpFlow.Tests.Train;

/// <summary>
/// The Saver in TensorFlow's checkpoint format V2: what it writes is TensorFlow's bytes, it restores TensorFlow's own
/// checkpoint and SharpFlow's older safetensors ones, and it refuses bad checkpoints leaving the variables as they were;
/// with init_from_checkpoint, list_variables and load_variable.
/// </summary>
public sealed class SaverV2Tests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-saverv2-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Prefix => Path.Combine(_dir, "model.ckpt");

    [Fact]
    public void RestoresTheCheckpointTensorFlowWrote()
    {
        var (w, b) = TfFiles.FrozenValues();
        using var g = TestGraph.Enter();
        var W = tf.Variable(0f, name: "W");
        var B = tf.Variable(0f, name: "b");
        var X = tf.placeholder(tf.float32, new Shape(1), name: "X");
        var pred = tf.add(tf.multiply(X, W), B, name: "pred");
        using var sess = tf.Session();
        var latest = tf.train.latest_checkpoint(Path.GetDirectoryName(TfFiles.CheckpointPrefix)!);
        Assert.Equal(TfFiles.CheckpointPrefix, latest);
        tf.train.Saver().restore(sess, latest!);
        Assert.Equal(w, sess.run(W).item<float>());
        Assert.Equal(b, sess.run(B).item<float>());
        Assert.Equal(w * 2f + b, sess.run(pred, new FeedDict { [X] = new[] { 2f } }).ToArray<float>()[0]);
    }

    [Fact]
    public void ASharpFlowSaveOfTheSameVariablesIsTensorFlowsFileByteForByte()
    {
        var (w, b) = TfFiles.FrozenValues();
        using var g = TestGraph.Enter();
        // Created in the other order: the saver sorts by name, as TensorFlow's does.
        var B = tf.Variable(b, name: "b");
        var W = tf.Variable(w, name: "W");
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var path = tf.train.Saver().save(sess, Path.Combine(_dir, "model"));
        Assert.Equal(File.ReadAllBytes(TfFiles.CheckpointPrefix + ".index"), File.ReadAllBytes(path + ".index"));
        Assert.Equal(File.ReadAllBytes(TfFiles.CheckpointPrefix + ".data-00000-of-00001"), File.ReadAllBytes(path + ".data-00000-of-00001"));
        Assert.Equal(File.ReadAllText(Path.Combine(Path.GetDirectoryName(TfFiles.CheckpointPrefix)!, "checkpoint")), File.ReadAllText(Path.Combine(_dir, "checkpoint")));
    }

    [Fact]
    public void ASaveIsReadByTheIndependentReader()
    {
        using var g = TestGraph.Enter();
        tf.Variable(tf.constant(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } }), name: "layer1/weights");
        tf.Variable(tf.constant(new[] { 0.5, 1.5 }, tf.float64), name: "layer1/biases");
        tf.Variable(42L, name: "global_step");
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var path = tf.train.Saver().save(sess, Prefix, global_step: 42);
        var bundle = IndependentTableReader.ReadBundle(path);
        Assert.Equal(new[] { "global_step", "layer1/biases", "layer1/weights" }, bundle.Keys);
        Assert.Equal(new long[] { 2, 3 }, bundle["layer1/weights"].Entry.Shape);
        Assert.Equal(1, bundle["layer1/weights"].Entry.Dtype);
        Assert.Equal(2, bundle["layer1/biases"].Entry.Dtype);
        Assert.Equal(9, bundle["global_step"].Entry.Dtype);
        Assert.Equal(BitConverter.GetBytes(42L), bundle["global_step"].Data);
        Assert.Equal(new[] { 1f, 2, 3, 4, 5, 6 }.SelectMany(BitConverter.GetBytes), bundle["layer1/weights"].Data);
        // Laid out in name order, as TensorFlow lays it out.
        Assert.Equal(0, bundle["global_step"].Entry.Offset);
        Assert.Equal(8, bundle["layer1/biases"].Entry.Offset);
        Assert.Equal(24, bundle["layer1/weights"].Entry.Offset);
    }

    [Fact]
    public void OldSafetensorsCheckpointsStillRestoreAndTheFormatStaysAvailable()
    {
        string path;
        using (var g = TestGraph.Enter())
        {
            tf.Variable(tf.constant(new[] { 1f, 2f }), name: "v");
            using var sess = tf.Session();
            sess.run(tf.global_variables_initializer());
            var saver = tf.train.Saver(write_version: CheckpointFormat.SafeTensors);
            Assert.Equal(CheckpointFormat.SafeTensors, saver.write_version);
            path = saver.save(sess, Prefix, global_step: 1);
        }
        Assert.True(File.Exists(path + ".safetensors"));
        Assert.False(File.Exists(path + ".index"));
        Assert.Equal(path, tf.train.latest_checkpoint(_dir));
        Assert.True(tf.train.checkpoint_exists(path));
        using (var g = TestGraph.Enter())
        {
            var v = tf.Variable(tf.zeros(new Shape(2)), name: "v");
            using var sess = tf.Session();
            var saver = tf.train.Saver(); // V2 by default, and it reads the old format
            Assert.Equal(CheckpointFormat.V2, saver.write_version);
            saver.restore(sess, path);
            Assert.Equal(new[] { 1f, 2f }, sess.run(v).ToArray<float>());
            // And a save over it in V2, then max_to_keep deletes either kind.
            var kept = tf.train.Saver(max_to_keep: 1);
            kept.recover_last_checkpoints([path]);
            Assert.Equal(new[] { path }, kept.last_checkpoints);
            kept.save(sess, Prefix, global_step: 2);
            Assert.False(File.Exists(path + ".safetensors"));
            Assert.Equal(new[] { "checkpoint", "model.ckpt-2.data-00000-of-00001", "model.ckpt-2.index", "model.ckpt-2.meta" }, Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }
        Assert.Throws<ValueError>(() => tf.train.Saver(write_version: (CheckpointFormat)1));
    }

    [Fact]
    public void ABadV2CheckpointIsRefusedAndTheVariablesKeepTheirValues()
    {
        using (var g = TestGraph.Enter())
        {
            tf.Variable(tf.ones(new Shape(2, 2)), name: "a");
            tf.Variable(tf.ones(new Shape(3)), name: "b");
            using var sess = tf.Session();
            sess.run(tf.global_variables_initializer());
            tf.train.Saver().save(sess, Prefix);
        }
        var index = Prefix + ".index";
        var data = Prefix + ".data-00000-of-00001";
        var good = File.ReadAllBytes(data);

        using var graph = TestGraph.Enter();
        var a = tf.Variable(tf.fill(new[] { 2, 2 }, 5f), name: "a");
        var b = tf.Variable(tf.fill(new[] { 4 }, 5f), name: "b");
        var c = tf.Variable(5f, name: "c");
        using var s = tf.Session();
        s.run(tf.global_variables_initializer());
        void Unchanged()
        {
            Assert.All(s.run(a).ToArray<float>(), x => Assert.Equal(5f, x));
            Assert.All(s.run(b).ToArray<float>(), x => Assert.Equal(5f, x));
        }

        var shape = Assert.Throws<InvalidArgumentError>(() => tf.train.Saver([a, b]).restore(s, Prefix));
        Assert.Contains(index, shape.Message);
        Assert.Contains("'b' has shape [3]", shape.Message);
        Unchanged();

        var d = tf.Variable(tf.zeros(new Shape(3), tf.float64), name: "b_double");
        var dtype = Assert.Throws<InvalidArgumentError>(() => tf.train.Saver(new Dictionary<string, Variable> { ["a"] = a, ["b"] = d }).restore(s, Prefix));
        Assert.Contains("'b' is float32, variable b_double is float64", dtype.Message);
        Unchanged();

        var missing = Assert.Throws<NotFoundError>(() => tf.train.Saver([a, c]).restore(s, Prefix));
        Assert.Contains("Key c not found in checkpoint", missing.Message);
        Unchanged();

        // The last tensor's (b's) bytes corrupt: nothing is loaded, not even a, whose bytes are fine.
        var corrupt = (byte[])good.Clone();
        corrupt[^1] ^= 1;
        File.WriteAllBytes(data, corrupt);
        var e = Assert.Throws<DataLossError>(() => tf.train.Saver(new Dictionary<string, Variable> { ["a"] = a, ["b"] = tf.Variable(tf.zeros(new Shape(3)), name: "b3") }).restore(s, Prefix));
        Assert.Contains(data, e.Message);
        Unchanged();

        File.WriteAllBytes(index, File.ReadAllBytes(index)[..^5]);
        Assert.Contains(index, Assert.Throws<DataLossError>(() => tf.train.Saver([a]).restore(s, Prefix)).Message);
        Unchanged();

        var none = Assert.Throws<NotFoundError>(() => tf.train.Saver([a]).restore(s, Path.Combine(_dir, "nothing")));
        Assert.Contains("not a valid checkpoint", none.Message);
    }

    [Fact]
    public void ListAndLoadVariablesFromADirectoryOrAPrefix()
    {
        var dir = Path.GetDirectoryName(TfFiles.CheckpointPrefix)!;
        var (w, _) = TfFiles.FrozenValues();
        Assert.Equal(new[] { ("W", Shape.Scalar), ("b", Shape.Scalar) }, tf.train.list_variables(dir));
        Assert.Equal(new[] { ("W", Shape.Scalar), ("b", Shape.Scalar) }, tf.train.list_variables(TfFiles.CheckpointPrefix));
        Assert.Equal(w, tf.train.load_variable(dir, "W").item<float>());
        Assert.Equal(w, tf.train.load_variable(TfFiles.CheckpointPrefix, "W:0").item<float>());
        Assert.Contains("Couldn't find 'checkpoint' file", Assert.Throws<ValueError>(() => tf.train.list_variables(_dir)).Message);
    }

    private string SaveScoped()
    {
        using var g = TestGraph.Enter();
        using (tf.variable_scope("old"))
        {
            tf.get_variable("w", new Shape(2), initializer: tf.constant_initializer(3f));
            using (tf.variable_scope("inner")) tf.get_variable("b", Shape.Scalar, initializer: tf.constant_initializer(4f));
        }
        tf.get_variable("other", Shape.Scalar, initializer: tf.constant_initializer(9f));
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        return tf.train.Saver().save(sess, Prefix);
    }

    [Fact]
    public void InitFromCheckpointMapsScopesAndNamesAsTensorFlowDoes()
    {
        SaveScoped();
        using var g = TestGraph.Enter();
        Variable w, b, other, untouched;
        using (tf.variable_scope("new"))
        {
            w = tf.get_variable("w", new Shape(2), initializer: tf.zeros_initializer());
            using (tf.variable_scope("inner")) b = tf.get_variable("b", Shape.Scalar, initializer: tf.zeros_initializer());
        }
        other = tf.get_variable("mine", Shape.Scalar, initializer: tf.zeros_initializer());
        untouched = tf.get_variable("untouched", Shape.Scalar, initializer: tf.constant_initializer(1f));
        // 'old/' : 'new/' maps the whole scope; an exact name maps one tensor; a variable may stand for a name.
        tf.train.init_from_checkpoint(_dir, new Dictionary<string, string> { ["old/"] = "new/", ["other"] = "mine" });
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        Assert.Equal(new[] { 3f, 3f }, sess.run(w).ToArray<float>());
        Assert.Equal(4f, sess.run(b).item<float>());
        Assert.Equal(9f, sess.run(other).item<float>());
        Assert.Equal(1f, sess.run(untouched).item<float>());
        Assert.Equal("checkpoint_initializer", b.initial_value.op.name); // the scope's variables in name order: new/inner/b first
        Assert.Equal("checkpoint_initializer_1", w.initial_value.op.name);
        Assert.Equal("Assign", w.initializer.type);
        Assert.Equal("RestoreV2", w.initial_value.op.type);
    }

    [Fact]
    public void InitFromCheckpointOfTheWholeCheckpointIntoAScopeAndByVariable()
    {
        SaveScoped();
        using var g = TestGraph.Enter();
        Variable w, b, plain;
        using (tf.variable_scope("model"))
        {
            using (tf.variable_scope("old"))
            {
                w = tf.get_variable("w", new Shape(2), initializer: tf.zeros_initializer());
                using (tf.variable_scope("inner")) b = tf.get_variable("b", Shape.Scalar, initializer: tf.zeros_initializer());
            }
        }
        plain = tf.Variable(0f, name: "plain");
        // "/" : "model/" maps every checkpoint name under the graph scope model/.
        tf.train.init_from_checkpoint(Prefix, new Dictionary<string, string> { ["/"] = "model/" });
        tf.train.init_from_checkpoint(Prefix, new Dictionary<string, Variable> { ["other"] = plain });
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        Assert.Equal(new[] { 3f, 3f }, sess.run(w).ToArray<float>());
        Assert.Equal(4f, sess.run(b).item<float>());
        Assert.Equal(9f, sess.run(plain).item<float>());
    }

    [Fact]
    public void InitFromCheckpointErrorsAreTensorFlows()
    {
        SaveScoped();
        using var g = TestGraph.Enter();
        using (tf.variable_scope("new")) tf.get_variable("w", new Shape(3));
        var scalar = tf.get_variable("s", Shape.Scalar);
        var missing = Assert.Throws<ValueError>(() => tf.train.init_from_checkpoint(Prefix, new Dictionary<string, string> { ["nope"] = "s" }));
        Assert.Contains("Tensor nope is not found in", missing.Message);
        var shape = Assert.Throws<ValueError>(() => tf.train.init_from_checkpoint(Prefix, new Dictionary<string, string> { ["old/"] = "new/" }));
        Assert.Contains("Shape of variable new/w:0 ((3,)) doesn't match with shape of tensor old/w ([2]) from checkpoint reader.", shape.Message);
        var scopeOnly = Assert.Throws<ValueError>(() => tf.train.init_from_checkpoint(Prefix, new Dictionary<string, string> { ["old/w"] = "new/" }));
        Assert.Contains("Should be 'scope/': 'other_scope/'.", scopeOnly.Message);
        var notInScope = Assert.Throws<ValueError>(() => tf.train.init_from_checkpoint(Prefix, new Dictionary<string, string> { ["old/inner/"] = "new/" }));
        Assert.Contains("Tensor old/inner/w (w in old/inner/) is not found in", notInScope.Message);
        Assert.Equal(Shape.Scalar, scalar.shape);
    }
}
