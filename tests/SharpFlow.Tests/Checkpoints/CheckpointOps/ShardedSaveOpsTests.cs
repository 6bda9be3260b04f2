using SharpFlow.Checkpoints.CheckpointOps;
using SharpFlow.Tests.Support;
using static SharpFlow.Binding;

namespace SharpFlow.Tests.Checkpoints.CheckpointOps;

/// <summary>ShardedFilename and MergeV2Checkpoints, the ops of TensorFlow's sharded savers (in SavedModels' graphs).</summary>
public sealed class ShardedSaveOpsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-sharded-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void ShardedFilenameFormatsAsTensorFlow()
    {
        using var g = TestGraph.Enter();
        var name = ShardedFilename.Build(tf.constant(NDArray.FromStrings(["ckpt/part"])), 3, 12);
        Assert.Equal("ckpt/part-00003-of-00012", System.Text.Encoding.UTF8.GetString(g.Eval(name).StringBytes(0)));
    }

    [Fact]
    public void MergeV2CheckpointsJoinsShardsAndDeletesThem()
    {
        using var g = TestGraph.Enter();
        var a = Path.Combine(_dir, "tmp", "part-0");
        var b = Path.Combine(_dir, "tmp", "part-1");
        Directory.CreateDirectory(Path.Combine(_dir, "tmp"));
        var saveA = SaveV2.Build(tf.constant(NDArray.FromStrings([a])), ["w"], [""], [tf.constant(new[] { 1f, 2f })]);
        var saveB = SaveV2.Build(tf.constant(NDArray.FromStrings([b])), ["b"], [""], [tf.constant(3)]);
        var destination = Path.Combine(_dir, "model");
        var merge = MergeV2Checkpoints.Build(tf.constant(NDArray.FromStrings([a, b], new Shape(2))), tf.constant(NDArray.FromStrings([destination])));
        using var sess = tf.Session();
        sess.run(saveA);
        sess.run(saveB);
        sess.run(merge);
        var reader = tf.train.NewCheckpointReader(destination);
        Assert.Equal(new[] { 1f, 2f }, reader.get_tensor("w").ToArray<float>());
        Assert.Equal(3, reader.get_tensor("b").ToArray<int>().Single());
        Assert.False(Directory.Exists(Path.Combine(_dir, "tmp")));
        var missing = MergeV2Checkpoints.Build(tf.constant(NDArray.FromStrings([a], new Shape(1))), tf.constant(NDArray.FromStrings([destination])), name: "merge_missing");
        var e = Assert.Throws<NotFoundError>(() => sess.run(missing));
        Assert.Contains("MergeV2Checkpoints", e.Message);
    }
}
