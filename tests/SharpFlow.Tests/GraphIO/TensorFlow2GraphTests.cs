using SharpFlow.Tests.Checkpoints;
using SharpFlow.Tests.Support;
using static SharpFlow.Binding;

namespace SharpFlow.Tests.GraphIO;

/// <summary>
/// A V1 graph as TensorFlow 2 writes it (TestData/tf2-v1-graph, with its README: resource variables, AddV2, the
/// sharded saver with StaticRegexFullMatch and a string Select, default attributes stripped) loads, predicts with
/// the real checkpoint's values, and saves again through its own save ops.
/// </summary>
public sealed class TensorFlow2GraphTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-tf2-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>The fixture's saved_model.pbtxt with the real variables that TensorFlow wrote beside it.</summary>
    private string Export()
    {
        var export = Path.Combine(_dir, "model");
        Directory.CreateDirectory(Path.Combine(export, "variables"));
        File.Copy(TestData.File("tf2-v1-graph", "saved_model.pbtxt"), Path.Combine(export, "saved_model.pbtxt"));
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(TfFiles.SavedModelVariables)!))
            File.Copy(file, Path.Combine(export, "variables", Path.GetFileName(file)));
        return export;
    }

    [Fact]
    public void ATensorFlow2SavedModelOfAV1GraphLoadsAndPredictsWithTheCheckpointsValues()
    {
        var (w, b) = TfFiles.FrozenValues();
        using var g = TestGraph.Enter();
        using var sess = tf.Session();
        var meta = tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING], Export());
        Assert.Equal("2.4.0", meta.MetaInfoDef.TensorflowVersion);
        var sig = meta.SignatureDef[tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY];
        var x = sess.graph.get_tensor_by_name(sig.Inputs["x"].Name);
        var pred = sess.graph.get_tensor_by_name(sig.Outputs["y"].Name);
        Assert.Equal("AddV2", sess.graph.get_operation_by_name("add").type);
        // The restore replaced the initial values (0.5 and 0.25) with the checkpoint's.
        Assert.NotEqual(0.5f, w);
        Assert.Equal(w * 2.5f + b, sess.run(pred, new FeedDict { [x] = new[] { 2.5f } }).ToArray<float>()[0], 1e-5);
        // The resource variables come back as variables, with their VariableDefs' names.
        Assert.Equal(["W:0", "b:0"], tf.global_variables().Select(v => v.name).ToArray());
        Assert.Equal(["W:0", "b:0"], tf.trainable_variables().Select(v => v.name).ToArray());
    }

    [Fact]
    public void ItsOwnShardedSaveOpsWriteACheckpointOfTheRestoredValues()
    {
        var (w, b) = TfFiles.FrozenValues();
        using var g = TestGraph.Enter();
        using var sess = tf.Session();
        tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING], Export());
        var prefix = Path.Combine(_dir, "again", "model");
        Directory.CreateDirectory(Path.GetDirectoryName(prefix)!);
        var filename = sess.graph.get_tensor_by_name("save/Const:0");
        // The temporary shard name: "_temp_<uuid>/part" for a local path, ".part" for S3 (StaticRegexFullMatch + Select).
        var join = sess.graph.get_tensor_by_name("save/StringJoin:0");
        Assert.Equal(prefix + "_temp_6ab0b5c2d1b84e3b9a7f63b4e0c1d2f8/part",
            System.Text.Encoding.UTF8.GetString(sess.run(join, new FeedDict { [filename] = NDArray.FromStrings([prefix], Shape.Scalar) }).StringBytes()));
        Assert.Equal("s3://bucket/model.part",
            System.Text.Encoding.UTF8.GetString(sess.run(join, new FeedDict { [filename] = NDArray.FromStrings(["s3://bucket/model"], Shape.Scalar) }).StringBytes()));
        var saved = sess.run(sess.graph.get_tensor_by_name("save/Identity_2:0"), new FeedDict { [filename] = NDArray.FromStrings([prefix], Shape.Scalar) });
        Assert.Equal(prefix, System.Text.Encoding.UTF8.GetString(saved.StringBytes()));
        var reader = tf.train.NewCheckpointReader(prefix);
        Assert.Equal(w, reader.get_tensor("W").ToArray<float>()[0]);
        Assert.Equal(b, reader.get_tensor("b").ToArray<float>()[0]);
        Assert.False(Directory.Exists(prefix + "_temp_6ab0b5c2d1b84e3b9a7f63b4e0c1d2f8"));
    }
}
