using SharpFlow.GraphIO;
using SharpFlow.Tests.Checkpoints;
using SharpFlow.Tests.Support;
using Tf = Tensorflow;
using static SharpFlow.Binding;

namespace SharpFlow.Tests.GraphIO;

/// <summary>MetaGraphDefs: TensorFlow's model.meta imported and restored, and SharpFlow's Saver writing .meta files.</summary>
public sealed class MetaGraphTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-metagraph-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void TensorFlowsMetaGraphImportsRestoresAndPredicts()
    {
        var reader = tf.train.NewCheckpointReader(TfFiles.CheckpointPrefix);
        var w = reader.get_tensor("W").ToArray<float>()[0];
        var b = reader.get_tensor("b").ToArray<float>()[0];
        using var g = TestGraph.Enter();
        var saver = tf.train.import_meta_graph(TfFiles.CheckpointPrefix + ".meta");
        Assert.NotNull(saver);
        Assert.Equal(["W:0", "b:0"], g.Graph.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES).Cast<Variable>().Select(v => v.name));
        Assert.Equal("GradientDescent", ((Operation)g.Graph.get_collection("train_op").Single()).name);
        var x = g.Graph.get_tensor_by_name("X:0");
        var pred = g.Graph.get_tensor_by_name("pred:0");
        using var sess = tf.Session();
        saver!.restore(sess, TfFiles.CheckpointPrefix);
        Assert.Equal(w * 4f + b, sess.run(pred, new FeedDict { [x] = new[] { 4f } }).ToArray<float>().Single());
        Assert.Equal(w, sess.run(g.Graph.get_tensor_by_name("W:0")).ToArray<float>().Single());
    }

    [Fact]
    public void TensorFlowsMetaGraphImportsUnderAScope()
    {
        using var g = TestGraph.Enter();
        var saver = tf.train.import_meta_graph(TfFiles.CheckpointPrefix + ".meta", import_scope: "model", clear_devices: true);
        var pred = g.Graph.get_tensor_by_name("model/pred:0");
        using var sess = tf.Session();
        saver!.restore(sess, TfFiles.CheckpointPrefix); // the checkpoint's names have no scope
        var (w, b) = TfFiles.FrozenValues();
        Assert.Equal(w * 2f + b, sess.run(pred, new FeedDict { [g.Graph.get_tensor_by_name("model/X:0")] = new[] { 2f } }).ToArray<float>().Single());
    }

    [Fact]
    public void SaverWritesTheMetaGraphAndItImportsInAFreshGraph()
    {
        string prefix;
        NDArray expected;
        using (var g = TestGraph.Enter())
        {
            var x = tf.placeholder(tf.float32, shape: new[] { -1, 2 }, name: "x");
            var w = tf.Variable(new[,] { { 1f, 2f }, { 3f, 4f } }, name: "w");
            var step = tf.Variable(0L, trainable: false, name: "step");
            var y = tf.matmul(x, w, name: "y");
            var train = tf.train.GradientDescentOptimizer(0.01).minimize(tf.reduce_sum(y), global_step: step);
            g.Graph.add_to_collection("train_op", train);
            g.Graph.add_to_collection("outputs", y);
            g.Graph.add_to_collection("numbers", 7L);
            using var sess = tf.Session();
            sess.run(tf.global_variables_initializer());
            sess.run(train, new FeedDict { [x] = new[,] { { 1f, 1f } } });
            expected = sess.run(w.value());
            prefix = new SharpFlow.Train.Saver().save(sess, Path.Combine(_dir, "model.ckpt"), global_step: 1);
        }
        Assert.True(File.Exists(prefix + ".meta"));
        var meta = ProtoFiles.Read<Tf.MetaGraphDef>(prefix + ".meta");
        Assert.Equal("1.15.0", meta.MetaInfoDef.TensorflowVersion);
        var variableDef = Tf.VariableDef.Parser.ParseFrom(meta.CollectionDef["variables"].BytesList.Value[0]);
        Assert.Equal(("w:0", "w/Assign", "w/read:0", "w/initial_value:0", true),
            (variableDef.VariableName, variableDef.InitializerName, variableDef.SnapshotName, variableDef.InitialValueName, variableDef.Trainable));
        Assert.Equal(["y:0"], meta.CollectionDef["outputs"].NodeList.Value);
        Assert.Equal([7L], meta.CollectionDef["numbers"].Int64List.Value);

        using (var g = TestGraph.Enter())
        {
            var saver = tf.train.import_meta_graph(prefix + ".meta")!;
            Assert.Equal(["w:0"], g.Graph.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES).Cast<Variable>().Select(v => v.name));
            Assert.Equal(["w:0", "step:0"], tf.global_variables().Select(v => v.name));
            Assert.False(tf.global_variables()[1].trainable);
            using var sess = tf.Session();
            saver.restore(sess, prefix);
            var w = tf.global_variables()[0];
            Assert.Equal(expected.ToArray<float>(), sess.run(w.value()).ToArray<float>());
            Assert.Equal(1L, sess.run(tf.global_variables()[1].value()).ToArray<long>().Single());
            // The imported training op still trains: one more step moves w by the learning rate.
            var train = (Operation)g.Graph.get_collection("train_op").Single();
            sess.run(train, new FeedDict { [g.Graph.get_tensor_by_name("x:0")] = new[,] { { 1f, 1f } } });
            Assert.Equal(expected.ToArray<float>().Select(v => v - 0.01f), sess.run(w.value()).ToArray<float>());
            // and the variables' initializer works as in TensorFlow
            sess.run(tf.global_variables_initializer());
            Assert.Equal(new[] { 1f, 2f, 3f, 4f }, sess.run(w.value()).ToArray<float>());
        }
    }

    [Fact]
    public void MaxToKeepDeletesTheMetaFilesToo()
    {
        using var g = TestGraph.Enter();
        tf.Variable(1f, name: "v");
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var saver = new SharpFlow.Train.Saver(max_to_keep: 1);
        var first = saver.save(sess, Path.Combine(_dir, "m"), global_step: 1);
        saver.save(sess, Path.Combine(_dir, "m"), global_step: 2);
        Assert.False(File.Exists(first + ".meta"));
        Assert.True(File.Exists(Path.Combine(_dir, "m-2.meta")));
        var none = saver.save(sess, Path.Combine(_dir, "n"), write_meta_graph: false);
        Assert.False(File.Exists(none + ".meta"));
    }

    [SkippableFact]
    public void ProtocReadsTheExportedMetaGraph()
    {
        Protoc.SkipUnlessAvailable();
        using var g = TestGraph.Enter();
        tf.Variable(new[] { 1f, 2f }, name: "v");
        var path = Path.Combine(_dir, "graph.meta");
        tf.train.export_meta_graph(path);
        var text = Protoc.Decode("tensorflow.MetaGraphDef", File.ReadAllBytes(path));
        Assert.Contains("tensorflow_version: \"1.15.0\"", text);
        Assert.Contains("key: \"trainable_variables\"", text);
        var variable = Protoc.Decode("tensorflow.VariableDef", ProtoFiles.Read<Tf.MetaGraphDef>(path).CollectionDef["variables"].BytesList.Value[0].ToByteArray(),
            "tensorflow/core/framework/variable.proto");
        Assert.Equal("variable_name: \"v:0\"\ninitializer_name: \"v/Assign\"\nsnapshot_name: \"v/read:0\"\ninitial_value_name: \"v/initial_value:0\"\ntrainable: true\n", variable);
    }

    [Fact]
    public void ATextMetaGraphImportsAndABadFileIsADataLossErrorNamingIt()
    {
        using (var g = TestGraph.Enter())
        {
            tf.Variable(3f, name: "v");
            tf.train.export_meta_graph(Path.Combine(_dir, "graph.pbtxt"), as_text: true);
        }
        using (var g = TestGraph.Enter())
        {
            Assert.NotNull(tf.train.import_meta_graph(Path.Combine(_dir, "graph.pbtxt")));
            Assert.Equal("v:0", tf.global_variables().Single().name);
        }
        var bad = Path.Combine(_dir, "bad.meta");
        File.WriteAllBytes(bad, [0x0a, 0xff, 0x01, 0x02]);
        using (TestGraph.Enter())
            Assert.Contains(bad, Assert.Throws<DataLossError>(() => tf.train.import_meta_graph(bad)).Message);
    }
}
