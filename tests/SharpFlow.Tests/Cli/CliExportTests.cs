using SharpFlow.Data;

namespace SharpFlow.Tests.Cli;

/// <summary>
/// <c>sharpflow export --format frozen|savedmodel</c> writes TensorFlow's files, read back here through
/// <c>import_graph_def</c> and the SavedModel loader, which must agree on every logit; <c>sharpflow inspect</c>
/// describes them and TensorFlow's own files.
/// </summary>
public sealed class CliExportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-export-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int ExitCode, string Output) Sharpflow(params string[] args)
    {
        var (code, output, _) = ChildProcess.Run(ChildProcess.Sharpflow(args, new Dictionary<string, string>()));
        return (code, output);
    }

    [Fact]
    public void FrozenGraphAndSavedModelGiveTheSameLogits()
    {
        var model = Path.Combine(_dir, "lenet5");
        var (trainCode, train) = Sharpflow("train", "lenet5", "--data", "embedded", "--epochs", "1", "--steps-per-epoch", "5", "--logdir", model);
        Assert.True(trainCode == 0, train);
        var (frozenCode, frozen) = Sharpflow("export", model, "--format", "frozen");
        Assert.True(frozenCode == 0, frozen);
        Assert.Contains("a frozen GraphDef", frozen);
        var (savedCode, saved) = Sharpflow("export", model, "--format", "savedmodel");
        Assert.True(savedCode == 0, saved);

        var images = FashionMnist.read_sample(validation_size: 200, seed: 1).test.images[..20];
        NDArray fromFrozen, classes;
        using (var g = new Graph().as_default())
        {
            var graphDef = Tensorflow.GraphDef.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(model, "frozen.pb")));
            Assert.DoesNotContain(graphDef.Node, n => n.Op is "VariableV2" or "Assign");
            tf.import_graph_def(graphDef, name: "");
            using var sess = tf.Session();
            var x = sess.graph.get_tensor_by_name("images:0");
            (fromFrozen, classes) = sess.run((sess.graph.get_tensor_by_name("logits/BiasAdd:0"), sess.graph.get_tensor_by_name("predictions:0")), new FeedDict { [x] = images });
        }
        NDArray fromSaved;
        using (var g = new Graph().as_default())
        {
            using var sess = tf.Session();
            var meta = tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING], Path.Combine(model, "saved_model"));
            var signature = meta.SignatureDef["serving_default"];
            fromSaved = sess.run(sess.graph.get_tensor_by_name(signature.Outputs["logits"].Name),
                new FeedDict { [sess.graph.get_tensor_by_name(signature.Inputs["images"].Name)] = images });
        }
        var logits = fromFrozen.ToArray<float>();
        Assert.Equal(logits, fromSaved.ToArray<float>());
        Assert.True(logits.Distinct().Count() > 100, "the logits should differ between pictures and classes");
        var predicted = classes.ToArray<int>();
        for (var i = 0; i < 20; i++)
            Assert.Equal(Array.IndexOf(logits[(i * 10)..(i * 10 + 10)], logits[(i * 10)..(i * 10 + 10)].Max()), predicted[i]);

        var (inspectCode, inspect) = Sharpflow("inspect", Path.Combine(model, "saved_model"));
        Assert.True(inspectCode == 0, inspect);
        Assert.Contains("signature_def['serving_default']", inspect);
        Assert.Contains("name: predictions:0", inspect);
        Assert.Contains("every op type imports into SharpFlow", inspect);
        Assert.Contains("conv1/kernel (float32) [5,5,1,6]", inspect);
    }

    [Fact]
    public void InspectDescribesTensorFlowsOwnFiles()
    {
        var files = SharpFlow.Tests.Checkpoints.TfFiles.Path("regression");
        var (metaCode, meta) = Sharpflow("inspect", Path.Combine(files, "checkpoint", "model.meta"));
        Assert.True(metaCode == 0, meta);
        Assert.Contains("a MetaGraphDef (TensorFlow 1.11.0)", meta);
        Assert.Contains("format V2", meta);
        Assert.Contains("collection trainable_variables: 2 item(s)", meta);
        var (pbCode, pb) = Sharpflow("inspect", Path.Combine(files, "graphdef", "frozen.pb"));
        Assert.True(pbCode == 0, pb);
        Assert.Contains("input X: DT_FLOAT", pb);
        var (ckptCode, ckpt) = Sharpflow("inspect", Path.Combine(files, "checkpoint", "model"));
        Assert.True(ckptCode == 0, ckpt);
        Assert.Contains("a checkpoint of 2 tensors", ckpt);
        Assert.Contains("  W (float32) []", ckpt);
        var (badCode, bad) = Sharpflow("inspect", Path.Combine(files, "nothing-here"));
        Assert.Equal(1, badCode);
        Assert.Contains("not a SavedModel directory", bad);
    }
}
