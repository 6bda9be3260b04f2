using SharpFlow.GraphIO;
using SharpFlow.Tests.Checkpoints;
using SharpFlow.Tests.Support;
using Tf = Tensorflow;
using static SharpFlow.Binding;

namespace SharpFlow.Tests.GraphIO;

/// <summary>SavedModel: TensorFlow's own SavedModel loaded and run, and SharpFlow's written, read by the loader and by protoc.</summary>
public sealed class SavedModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-savedmodel-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void TensorFlowsSavedModelLoadsAndPredicts()
    {
        var model = SavedModels.Read(TfFiles.Path("regression", "saved_model"));
        var signature = model.MetaGraphs.Single().SignatureDef[tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY];
        Assert.Equal((tf.saved_model.signature_constants.PREDICT_METHOD_NAME, "X:0", "pred:0"),
            (signature.MethodName, signature.Inputs["X"].Name, signature.Outputs["pred"].Name));
        var (w, b) = TfFiles.FrozenValues();
        Assert.Equal(w, tf.train.NewCheckpointReader(TfFiles.SavedModelVariables).get_tensor("W").ToArray<float>()[0]);
        // The graph's sharded saver packs the string names of its shards (Pack of ShardedFilename outputs).
        using var g = TestGraph.Enter();
        using var sess = tf.Session();
        var meta = tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING], TfFiles.Path("regression", "saved_model"));
        var sig = meta.SignatureDef[tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY];
        var x = sess.graph.get_tensor_by_name(sig.Inputs["X"].Name);
        var pred = sess.graph.get_tensor_by_name(sig.Outputs["pred"].Name);
        var y = sess.run(pred, new FeedDict { [x] = new[] { 2.5f } }).ToArray<float>();
        Assert.Equal(w * 2.5f + b, y[0], 1e-5);
    }

    [Fact]
    public void PackStacksStringsAlongAnyAxis()
    {
        using var g = TestGraph.Enter();
        var a = tf.constant(NDArray.FromStrings(["a", "b"]));
        var c = tf.constant(NDArray.FromStrings(["c", "d"]));
        Assert.Equal("[[b'a' b'b']\n [b'c' b'd']]", g.Eval(tf.stack([a, c])).ToString());
        Assert.Equal("[[b'a' b'c']\n [b'b' b'd']]", g.Eval(tf.stack([a, c], axis: 1)).ToString());
    }

    [Fact]
    public void WrongTagsSayWhichTagSetsThereAre()
    {
        using var g = TestGraph.Enter();
        using var sess = tf.Session();
        var e = Assert.Throws<NotFoundError>(() => tf.saved_model.loader.load(sess, ["train"], TfFiles.Path("regression", "saved_model")));
        Assert.Contains("MetaGraphDef associated with tags {'train'} could not be found", e.Message);
        Assert.Contains("available_tags: [{'serve'}]", e.Message);
        Assert.Contains("SavedModel file does not exist at:", Assert.Throws<NotFoundError>(() => tf.saved_model.loader.load(sess, ["serve"], _dir)).Message);
    }

    [Fact]
    public void SimpleSaveWritesWhatTheLoaderRunsInAFreshGraph()
    {
        var export = Path.Combine(_dir, "model");
        NDArray expected;
        var xs = new[,] { { 1f, 2f, 3f } };
        using (var g = TestGraph.Enter())
        {
            var x = tf.placeholder(tf.float32, shape: new[] { -1, 3 }, name: "x");
            var w = tf.Variable(tf.random_normal((3, 2), seed: 3), name: "w");
            var y = tf.nn.softmax(tf.matmul(x, w), name: "y");
            using var sess = tf.Session();
            sess.run(tf.global_variables_initializer());
            expected = sess.run(y, new FeedDict { [x] = xs });
            tf.saved_model.simple_save(sess, export, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["y"] = y });
        }
        Assert.True(tf.saved_model.loader.maybe_saved_model_directory(export));
        Assert.True(File.Exists(Path.Combine(export, "variables", "variables.index")));
        var model = ProtoFiles.Read<Tf.SavedModel>(Path.Combine(export, "saved_model.pb"));
        var signature = model.MetaGraphs.Single().SignatureDef["serving_default"];
        Assert.Equal(("x:0", Tf.DataType.DtFloat), (signature.Inputs["x"].Name, signature.Inputs["x"].Dtype));
        Assert.Equal(new long[] { -1, 3 }, signature.Inputs["x"].TensorShape.Dim.Select(d => d.Size));
        using (var g = TestGraph.Enter())
        {
            using var sess = tf.Session();
            var meta = tf.saved_model.loader.load(sess, ["serve"], export);
            var sig = meta.SignatureDef["serving_default"];
            var y = sess.graph.get_tensor_by_name(sig.Outputs["y"].Name);
            Assert.Equal(expected.ToArray<float>(), sess.run(y, new FeedDict { [sess.graph.get_tensor_by_name(sig.Inputs["x"].Name)] = xs }).ToArray<float>());
        }
        Assert.Contains("isn't empty", Assert.Throws<ValueError>(() => new tf.saved_model.builder.SavedModelBuilder(export)).Message);
    }

    [Fact]
    public void TheBuildersMainOpRunsAfterTheRestore()
    {
        var export = Path.Combine(_dir, "with_main_op");
        using (var g = TestGraph.Enter())
        {
            var v = tf.Variable(10f, name: "v");
            var counter = tf.Variable(0f, name: "counter");
            var mainOp = counter.assign(v.value() + 1f).op;
            using var sess = tf.Session();
            sess.run(tf.global_variables_initializer());
            var builder = new tf.saved_model.builder.SavedModelBuilder(export);
            builder.add_meta_graph_and_variables(sess, ["train"], main_op: mainOp);
            builder.add_meta_graph(["serve", "gpu"]);
            var path = builder.save(as_text: true);
            Assert.EndsWith("saved_model.pbtxt", path);
        }
        using (var g = TestGraph.Enter())
        {
            using var sess = tf.Session();
            tf.saved_model.loader.load(sess, ["train"], export);
            Assert.Equal(11f, sess.run(g.Graph.get_tensor_by_name("counter:0")).ToArray<float>().Single());
        }
        using (var g = TestGraph.Enter())
        {
            using var sess = tf.Session();
            tf.saved_model.loader.load(sess, ["gpu", "serve"], export, import_scope: "m");
            Assert.Equal(10f, sess.run(g.Graph.get_tensor_by_name("m/v:0")).ToArray<float>().Single());
        }
    }

    [SkippableFact]
    public void ProtocDecodesTheWrittenSavedModel()
    {
        Protoc.SkipUnlessAvailable();
        var export = Path.Combine(_dir, "m");
        using (var g = TestGraph.Enter())
        {
            var x = tf.placeholder(tf.float32, name: "x");
            var v = tf.Variable(2f, name: "v");
            var y = tf.multiply(x, v, name: "y");
            using var sess = tf.Session();
            sess.run(tf.global_variables_initializer());
            tf.saved_model.simple_save(sess, export, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["y"] = y });
        }
        var text = Protoc.Decode("tensorflow.SavedModel", File.ReadAllBytes(Path.Combine(export, "saved_model.pb")), "tensorflow/core/protobuf/saved_model.proto");
        Assert.Contains("saved_model_schema_version: 1", text);
        Assert.Contains("tags: \"serve\"", text);
        Assert.Contains("key: \"serving_default\"", text);
        Assert.Contains("method_name: \"tensorflow/serving/predict\"", text);
        Assert.Contains("name: \"y:0\"", text);
    }
}
