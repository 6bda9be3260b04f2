using SharpFlow.GraphIO;
using Tf = Tensorflow;
using SharpFlow.Tests.Checkpoints;
using SharpFlow.Train;

namespace SharpFlow.Tests.Train;

/// <summary>
/// <c>tf.train.Saver(sharded=True)</c>: the files are TensorFlow's (the temporary shard directory merged away), the
/// .meta graph holds TensorFlow's sharded save nodes, which SharpFlow can run, and the checkpoint restores and reads back.
/// </summary>
public sealed class SaverShardedTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-sharded-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Save(bool sharded)
    {
        using var g = TestGraph.Enter();
        tf.Variable(tf.constant(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } }), name: "layer1/weights");
        tf.Variable(tf.constant(new[] { 0.5, 1.5 }, tf.float64), name: "layer1/biases");
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var saver = tf.train.Saver(sharded: sharded);
        Assert.Equal(sharded, saver.sharded);
        return saver.save(sess, Path.Combine(_dir, sharded ? "sharded" : "plain", "model.ckpt"), global_step: 7);
    }

    [Fact]
    public void TheFilesAreTensorFlowsAndTheTemporaryShardIsGone()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "sharded"));
        var prefix = Save(sharded: true);
        Assert.Equal(Path.Combine(_dir, "sharded", "model.ckpt-7"), prefix);
        Assert.Equal(new[] { "checkpoint", "model.ckpt-7.data-00000-of-00001", "model.ckpt-7.index", "model.ckpt-7.meta" },
            Directory.EnumerateFileSystemEntries(Path.Combine(_dir, "sharded")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var bundle = IndependentTableReader.ReadBundle(prefix);
        Assert.Equal(new[] { "layer1/biases", "layer1/weights" }, bundle.Keys);
        Assert.Equal(new[] { 1f, 2, 3, 4, 5, 6 }.SelectMany(BitConverter.GetBytes), bundle["layer1/weights"].Data);

        // The merged checkpoint holds the same bytes a plain save writes.
        Directory.CreateDirectory(Path.Combine(_dir, "plain"));
        var plain = Save(sharded: false);
        Assert.Equal(File.ReadAllBytes(plain + ".index"), File.ReadAllBytes(prefix + ".index"));
        Assert.Equal(File.ReadAllBytes(plain + ".data-00000-of-00001"), File.ReadAllBytes(prefix + ".data-00000-of-00001"));

        var reader = tf.train.NewCheckpointReader(prefix);
        Assert.True(reader.has_tensor("layer1/biases"));
        Assert.Equal(new[] { 0.5, 1.5 }, reader.get_tensor("layer1/biases").ToArray<double>());
    }

    [Fact]
    public void TheMetaGraphHoldsTensorFlowsShardedSaveNodesAndSaverDef()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "sharded"));
        var prefix = Save(sharded: true);
        var meta = ProtoFiles.Read<Tf.MetaGraphDef>(prefix + ".meta");
        Assert.True(meta.SaverDef.Sharded);
        Assert.Equal("save/Const:0", meta.SaverDef.FilenameTensorName);
        Assert.Equal("save/Identity:0", meta.SaverDef.SaveTensorName);
        Assert.Equal("save/restore_all", meta.SaverDef.RestoreOpName);
        var nodes = meta.GraphDef.Node.ToDictionary(n => n.Name);
        Assert.Equal("StringJoin", nodes["save/StringJoin"].Op);
        Assert.Equal("ShardedFilename", nodes["save/ShardedFilename"].Op);
        Assert.Equal(new[] { "save/StringJoin", "save/ShardedFilename/shard", "save/num_shards" }, nodes["save/ShardedFilename"].Input);
        Assert.Equal("save/ShardedFilename", nodes["save/SaveV2"].Input[0]);
        Assert.Equal("MergeV2Checkpoints", nodes["save/MergeV2Checkpoints"].Op);
        Assert.True(nodes["save/MergeV2Checkpoints"].Attr["delete_old_dirs"].B);
        Assert.Equal("Pack", nodes["save/MergeV2Checkpoints/checkpoint_prefixes"].Op);
        Assert.Equal("NoOp", nodes["save/restore_shard"].Op);
        Assert.Equal(new[] { "^save/restore_shard" }, nodes["save/restore_all"].Input);
        Assert.StartsWith("_temp_", nodes["save/StringJoin/inputs_1"].Attr["value"].Tensor.StringVal[0].ToStringUtf8());
        Assert.EndsWith("/part", nodes["save/StringJoin/inputs_1"].Attr["value"].Tensor.StringVal[0].ToStringUtf8());

        // A plain saver's SaverDef says sharded: false and has no such nodes.
        Directory.CreateDirectory(Path.Combine(_dir, "plain"));
        var plain = ProtoFiles.Read<Tf.MetaGraphDef>(Save(sharded: false) + ".meta");
        Assert.False(plain.SaverDef.Sharded);
        Assert.DoesNotContain(plain.GraphDef.Node, n => n.Op is "ShardedFilename" or "MergeV2Checkpoints");
    }

    [Fact]
    public void TheCheckpointRestoresIntoAFreshGraphAndTheImportedSaveGraphRuns()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "sharded"));
        var prefix = Save(sharded: true);

        // A fresh graph with its own sharded saver.
        using (var g = TestGraph.Enter())
        {
            var w = tf.Variable(tf.zeros(new Shape(2, 3)), name: "layer1/weights");
            var b = tf.Variable(tf.zeros(new Shape(2), tf.float64), name: "layer1/biases");
            using var sess = tf.Session();
            tf.train.Saver(sharded: true).restore(sess, prefix);
            Assert.Equal(new[] { 1f, 2, 3, 4, 5, 6 }, sess.run(w).ToArray<float>());
            Assert.Equal(new[] { 0.5, 1.5 }, sess.run(b).ToArray<double>());
        }

        // import_meta_graph: the saver it returns is sharded and restores through the graph's restore_all; running the
        // graph's save tensor runs StringJoin, ShardedFilename, SaveV2 and MergeV2Checkpoints.
        using (var g = TestGraph.Enter())
        {
            var saver = tf.train.import_meta_graph(prefix + ".meta")!;
            Assert.True(saver.sharded);
            Assert.True(saver.saver_def!.Sharded);
            using var sess = tf.Session();
            saver.restore(sess, prefix);
            var w = g.Graph.get_tensor_by_name("layer1/weights:0");
            Assert.Equal(new[] { 1f, 2, 3, 4, 5, 6 }, sess.run(w).ToArray<float>());
            var again = Path.Combine(_dir, "again");
            var result = sess.run(g.Graph.get_tensor_by_name("save/Identity:0"),
                new FeedDict { [g.Graph.get_tensor_by_name("save/Const:0")] = NDArray.FromStrings([again]) });
            Assert.Equal(again, System.Text.Encoding.UTF8.GetString(result.StringBytes(0)));
            Assert.Equal(new[] { "again.data-00000-of-00001", "again.index" },
                Directory.EnumerateFileSystemEntries(_dir).Select(Path.GetFileName).Where(n => n!.StartsWith("again", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            Assert.Equal(File.ReadAllBytes(prefix + ".index"), File.ReadAllBytes(again + ".index"));
        }
    }

    [Fact]
    public void ShardedNeedsFormatV2()
    {
        using var g = TestGraph.Enter();
        tf.Variable(1f, name: "v");
        var e = Assert.Throws<ValueError>(() => tf.train.Saver(sharded: true, write_version: CheckpointFormat.SafeTensors));
        Assert.Contains("sharded", e.Message);
    }
}
