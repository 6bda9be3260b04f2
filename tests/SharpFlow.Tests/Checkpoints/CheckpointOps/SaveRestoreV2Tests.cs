using SharpFlow.Checkpoints.CheckpointOps;
using SharpFlow.Tests.Checkpoints;

namespace SharpFlow.Tests.Checkpoints.CheckpointOps;

/// <summary>The SaveV2 and RestoreV2 ops: checkpoints written and read when the graph runs, and their errors.</summary>
public sealed class SaveRestoreV2Tests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-savev2-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Prefix => Path.Combine(_dir, "ckpt");

    [Fact]
    public void SaveV2ThenRestoreV2RoundTripsEveryDType()
    {
        using var g = TestGraph.Enter();
        var prefix = tf.placeholder(tf.@string, Shape.Scalar, name: "prefix");
        var save = SaveV2.Build(prefix, ["w", "step", "words"], ["", "", ""],
            [tf.constant(new float[,] { { 1, 2 }, { 3, 4 } }), tf.constant(7L), tf.constant(NDArray.FromStrings(["a", "bc"]))]);
        Assert.Equal("SaveV2", save.type);
        var restored = RestoreV2.Build(prefix, ["words", "w"], ["", ""], [tf.@string, tf.float32]);
        Assert.False(restored[1].shape.IsKnownRank); // known only when it runs
        using var sess = tf.Session();
        var feed = new FeedDict { [prefix] = NDArray.FromStrings([Prefix]) };
        sess.run(save, feed);
        // The files are TensorFlow's format: the independent reader reads them.
        Assert.Equal(new[] { "step", "w", "words" }, IndependentTableReader.ReadBundle(Prefix).Keys.Order(StringComparer.Ordinal));
        var (words, w) = sess.run((restored[0], restored[1]), feed);
        Assert.Equal("bc", System.Text.Encoding.UTF8.GetString(words.StringBytes(1)));
        Assert.Equal(new[] { 1f, 2, 3, 4 }, w.ToArray<float>());
        Assert.Equal(new Shape(2, 2), w.shape);
    }

    [Fact]
    public void RestoreV2ReadsTensorFlowsCheckpoint()
    {
        var (w, b) = TfFiles.FrozenValues();
        using var g = TestGraph.Enter();
        var restored = RestoreV2.Build(NDArray.FromStrings([TfFiles.CheckpointPrefix]), ["b", "W"], ["", ""], [tf.float32, tf.float32], name: "save/RestoreV2");
        Assert.Equal("save/RestoreV2", restored[0].op.name);
        using var sess = tf.Session();
        var (bValue, wValue) = sess.run((restored[0], restored[1]));
        Assert.Equal(b, bValue.item<float>());
        Assert.Equal(w, wValue.item<float>());
    }

    [Fact]
    public void RunTimeErrorsNameTheOp()
    {
        using var g = TestGraph.Enter();
        var prefix = NDArray.FromStrings([TfFiles.CheckpointPrefix]);
        using var sess = tf.Session();
        var missing = Assert.Throws<NotFoundError>(() => sess.run(RestoreV2.Build(prefix, ["nope"], [""], [tf.float32], name: "missing")[0]));
        Assert.Contains("Key nope not found in checkpoint", missing.Message);
        Assert.Equal("missing", missing.NodeName);
        var dtype = Assert.Throws<InvalidArgumentError>(() => sess.run(RestoreV2.Build(prefix, ["W"], [""], [tf.float64], name: "dtype")[0]));
        Assert.Contains("tensor_name = W; expected dtype float64 does not equal original dtype float32", dtype.Message);
        Assert.Equal("dtype", dtype.NodeName);
        var slice = Assert.Throws<UnimplementedError>(() => sess.run(RestoreV2.Build(prefix, ["W"], ["4 0,2"], [tf.float32], name: "slice")[0]));
        Assert.Equal("slice", slice.NodeName);
        var nothing = Assert.Throws<NotFoundError>(() => sess.run(RestoreV2.Build(NDArray.FromStrings([Prefix]), ["W"], [""], [tf.float32], name: "nothing")[0]));
        Assert.Contains("Failed to find any matching files for " + Prefix, nothing.Message);
        Assert.Equal("nothing", nothing.NodeName);
    }

    [Fact]
    public void ShapeAndTypeErrorsNameTheOp()
    {
        using var g = TestGraph.Enter();
        var rank = Assert.Throws<ValueError>(() => RestoreV2.Build(NDArray.FromStrings(["a", "b"]), ["W"], [""], [tf.float32], name: "r"));
        Assert.Contains("RestoreV2 \"r\": Shape must be rank 0 but is rank 1 (prefix)", rank.Message);
        // As in TensorFlow, the prefix's conversion to a string tensor refuses an int32 one.
        var type = Assert.Throws<ValueError>(() => RestoreV2.Build(tf.placeholder(tf.int32, Shape.Scalar), ["W"], [""], [tf.float32], name: "t"));
        Assert.Contains("Tensor conversion requested dtype string for Tensor with dtype int32", type.Message);
        var count = Assert.Throws<ValueError>(() => RestoreV2.Build(NDArray.FromStrings([Prefix]), ["W", "b"], ["", ""], [tf.float32], name: "n"));
        Assert.Contains("RestoreV2 \"n\"", count.Message);
        var save = Assert.Throws<ValueError>(() => SaveV2.Build(NDArray.FromStrings([Prefix]), ["W", "b"], ["", ""], [tf.constant(1f)], name: "s"));
        Assert.Contains("SaveV2 \"s\": Dimension must be 1 but is 2", save.Message);
    }
}
