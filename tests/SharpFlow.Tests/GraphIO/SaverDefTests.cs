using SharpFlow.GraphIO;
using SharpFlow.Tests.Checkpoints;
using SharpFlow.Tests.Support;
using Tf = Tensorflow;
using static SharpFlow.Binding;

namespace SharpFlow.Tests.GraphIO;

/// <summary>
/// The SaverDef of a MetaGraphDef: written by SharpFlow's Saver with TensorFlow's save and restore nodes, read back by
/// import_meta_graph, whose Saver restores through the graph's restore op as TensorFlow's does.
/// </summary>
public sealed class SaverDefTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-saverdef-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string SaveModel(int maxToKeep = 3)
    {
        using var g = TestGraph.Enter();
        var w = tf.Variable(new[,] { { 1f, 2f }, { 3f, 4f } }, name: "w");
        tf.Variable(7L, trainable: false, name: "step");
        tf.identity(tf.matmul(tf.placeholder(tf.float32, shape: new[] { -1, 2 }, name: "x"), w), name: "y");
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        sess.run(w.assign(w.value() * 2f));
        return new SharpFlow.Train.Saver(max_to_keep: maxToKeep).save(sess, Path.Combine(_dir, "model.ckpt"), global_step: 3);
    }

    [SkippableFact]
    public void TheWrittenSaverDefIsTensorFlowsAsProtocDecodesIt()
    {
        Protoc.SkipUnlessAvailable();
        var prefix = SaveModel(maxToKeep: 3);
        var text = Protoc.Decode("tensorflow.MetaGraphDef", File.ReadAllBytes(prefix + ".meta"));
        var saverDef = text[text.IndexOf("saver_def {", StringComparison.Ordinal)..];
        Assert.StartsWith("saver_def {\n  filename_tensor_name: \"save/Const:0\"\n  save_tensor_name: \"save/control_dependency:0\"\n" +
                          "  restore_op_name: \"save/restore_all\"\n  max_to_keep: 3\n  keep_checkpoint_every_n_hours: 10000\n  version: V2\n}", saverDef);
        var graph = ProtoFiles.Read<Tf.MetaGraphDef>(prefix + ".meta").GraphDef;
        var save = graph.Node.Single(n => n.Name == "save/SaveV2");
        Assert.Equal(["save/Const", "save/SaveV2/tensor_names", "save/SaveV2/shape_and_slices", "step", "w"], save.Input);
        Assert.Equal(["step", "w"], graph.Node.Single(n => n.Name == "save/RestoreV2/tensor_names").Attr["value"].Tensor.StringVal.Select(s => s.ToStringUtf8()));
        Assert.Equal(["step", "save/RestoreV2"], graph.Node.Single(n => n.Name == "save/Assign").Input);
        Assert.Equal(["w", "save/RestoreV2:1"], graph.Node.Single(n => n.Name == "save/Assign_1").Input);
        Assert.Equal(["^save/Assign", "^save/Assign_1"], graph.Node.Single(n => n.Name == "save/restore_all").Input);
    }

    [Fact]
    public void ImportMetaGraphsSaverRestoresThroughTheRestoreOp()
    {
        var prefix = SaveModel();
        using var g = TestGraph.Enter();
        var saver = tf.train.import_meta_graph(prefix + ".meta")!;
        Assert.Equal(("save/Const:0", "save/control_dependency:0", "save/restore_all", Tf.SaverDef.Types.CheckpointFormatVersion.V2),
            (saver.saver_def!.FilenameTensorName, saver.saver_def.SaveTensorName, saver.saver_def.RestoreOpName, saver.saver_def.Version));
        using var sess = tf.Session();
        saver.restore(sess, prefix);
        Assert.Equal(new[] { 2f, 4f, 6f, 8f }, sess.run(g.Graph.get_tensor_by_name("w/read:0")).ToArray<float>());
        Assert.Equal(7L, sess.run(g.Graph.get_tensor_by_name("step/read:0")).ToArray<long>()[0]);

        // TensorFlow's way without a Saver object: feed the prefix to the filename tensor and run the SaveV2 / restore nodes.
        var other = Path.Combine(_dir, "by-nodes");
        var filename = g.Graph.get_tensor_by_name("save/Const:0");
        sess.run(g.Graph.get_tensor_by_name("save/control_dependency:0"), new FeedDict { [filename] = NDArray.FromStrings([other]) });
        Assert.Equal(new[] { 2f, 4f, 6f, 8f }, tf.train.load_variable(other, "w").ToArray<float>());
        sess.run(tf.global_variables_initializer());
        sess.run(g.Graph.get_operation_by_name("save/restore_all"), new FeedDict { [filename] = NDArray.FromStrings([other]) });
        Assert.Equal(new[] { 2f, 4f, 6f, 8f }, sess.run(g.Graph.get_tensor_by_name("w/read:0")).ToArray<float>());

        // Saving the imported graph again reuses its save nodes rather than adding save_1.
        var again = saver.save(sess, Path.Combine(_dir, "again"));
        var nodes = ProtoFiles.Read<Tf.MetaGraphDef>(again + ".meta").GraphDef.Node;
        Assert.DoesNotContain(nodes, n => n.Name.StartsWith("save_1/", StringComparison.Ordinal));
    }

    [Fact]
    public void UnderAnImportScopeTheSaverDefsNamesAreScoped()
    {
        var prefix = SaveModel();
        using var g = TestGraph.Enter();
        var saver = tf.train.import_meta_graph(prefix + ".meta", import_scope: "m")!;
        Assert.Equal(("m/save/Const:0", "m/save/restore_all"), (saver.saver_def!.FilenameTensorName, saver.saver_def.RestoreOpName));
        using var sess = tf.Session();
        saver.restore(sess, prefix);
        Assert.Equal(new[] { 2f, 4f, 6f, 8f }, sess.run(g.Graph.get_tensor_by_name("m/w/read:0")).ToArray<float>());
    }

    [Fact]
    public void TensorFlowsSaverDefRestoresThroughItsOwnNodes()
    {
        using var g = TestGraph.Enter();
        var saver = tf.train.import_meta_graph(TfFiles.CheckpointPrefix + ".meta")!;
        Assert.Equal("save/restore_all", saver.saver_def!.RestoreOpName);
        using var sess = tf.Session();
        saver.restore(sess, TfFiles.CheckpointPrefix);
        var (w, b) = TfFiles.FrozenValues();
        Assert.Equal(w * 3f + b, sess.run(g.Graph.get_tensor_by_name("pred:0"), new FeedDict { [g.Graph.get_tensor_by_name("X:0")] = new[] { 3f } }).ToArray<float>().Single());
    }

    [Fact]
    public void ASaversSecondSaveNodesAreScopedSave1()
    {
        using var g = TestGraph.Enter();
        tf.Variable(1f, name: "v");
        tf.constant(0f, name: "save"); // the name "save" is taken
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var saver = new SharpFlow.Train.Saver();
        var prefix = saver.save(sess, Path.Combine(_dir, "s"));
        Assert.Equal("save_1/restore_all", saver.saver_def!.RestoreOpName);
        Assert.Contains(ProtoFiles.Read<Tf.MetaGraphDef>(prefix + ".meta").GraphDef.Node, n => n.Name == "save_1/SaveV2");
    }

    [Fact]
    public void ControlFlowContextCollectionsThatNameNoTensorOrDoNotParseAreErrors()
    {
        var prefix = SaveModel();
        var meta = ProtoFiles.Read<Tf.MetaGraphDef>(prefix + ".meta");
        // A WhileContextDef with a name and parallel_iterations but no pivot, then a CondContextDef whose pivot_name
        // is not UTF-8: the contexts are rebuilt now (ControlFlowContextTests), so neither is skipped.
        var name = System.Text.Encoding.UTF8.GetBytes("while/while_context");
        byte[] whileContext = [0x0a, (byte)name.Length, .. name, 0x10, 0x0a, 0x1a, 0x02, 0xff, 0xfe];
        meta.CollectionDef["while_context"] = new Tf.CollectionDef { BytesList = new Tf.CollectionDef.Types.BytesList { Value = { Google.Protobuf.ByteString.CopyFrom(whileContext) } } };
        using (TestGraph.Enter())
            Assert.Contains("the while context 'while/while_context' names ''", Assert.Throws<ValueError>(() => tf.train.import_meta_graph(meta)).Message);
        meta.CollectionDef["cond_context"] = meta.CollectionDef["while_context"];
        using (TestGraph.Enter())
            Assert.Contains("collection 'cond_context' holds an invalid CondContextDef", Assert.Throws<DataLossError>(() => tf.train.import_meta_graph(meta)).Message);
    }
}
