using SharpFlow.Train;

namespace SharpFlow.Tests.Train;

/// <summary>
/// <c>Saver(save_random_state: true)</c>: checkpoints keep the random ops' stream positions, so a restored session
/// draws what the saving session would have drawn next.
/// </summary>
public sealed class SaverRandomStateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-rng-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ARestoredSessionContinuesTheRandomStreamsWhereTheSavedOneStood()
    {
        using var g = TestGraph.Enter();
        tf.set_random_seed(7);
        var w = tf.Variable(tf.ones(new Shape(4)), name: "w");
        var noisy = tf.nn.dropout(w.value(), keep_prob: 0.5) + tf.random_normal(new Shape(4));
        var init = tf.global_variables_initializer();
        var saver = tf.train.Saver(save_random_state: true);
        var plain = tf.train.Saver();
        float[][] next;
        string path;
        using (var sess = tf.Session())
        {
            sess.run(init);
            for (var i = 0; i < 3; i++) sess.run(noisy);
            path = saver.save(sess, Path.Combine(_dir, "model.ckpt"), global_step: 3);
            next = [.. Enumerable.Range(0, 2).Select(_ => sess.run(noisy).ToArray<float>())];
        }
        using (var restored = tf.Session())
        {
            saver.restore(restored, path);
            foreach (var expected in next) Assert.Equal(expected, restored.run(noisy).ToArray<float>());
        }
        using (var fresh = tf.Session())
        {
            // A plain saver restores the variables only, as TensorFlow's does: the streams start from the beginning.
            plain.restore(fresh, path);
            Assert.NotEqual(next[0], fresh.run(noisy).ToArray<float>());
        }
    }

    [Fact]
    public void AMalformedRandomStateIsDataLossNamingTheFile()
    {
        using var g = TestGraph.Enter();
        var w = tf.Variable(1f, name: "w");
        var path = Path.Combine(_dir, "bad.safetensors");
        SafeTensors.Write(path, new Dictionary<string, NDArray> { ["w"] = NDArray.Scalar(2f) },
            new Dictionary<string, string> { ["format"] = "sharpflow-checkpoint", ["sharpflow.random_state"] = "dropout/random_uniform=12" });
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var e = Assert.Throws<DataLossError>(() => tf.train.Saver(save_random_state: true).restore(sess, path));
        Assert.Contains("bad.safetensors", e.Message);
        Assert.Contains("malformed random state", e.Message);
        Assert.Equal(1f, sess.run(w.value()).item<float>()); // nothing was restored
        // A state naming an op the graph lacks is refused before any variable changes too.
        SafeTensors.Write(path, new Dictionary<string, NDArray> { ["w"] = NDArray.Scalar(2f) },
            new Dictionary<string, string> { ["format"] = "sharpflow-checkpoint", ["sharpflow.random_state"] = "elsewhere/random_uniform=12:0" });
        Assert.Contains("'elsewhere/random_uniform', which is not in the graph", Assert.Throws<NotFoundError>(() => tf.train.Saver(save_random_state: true).restore(sess, path)).Message);
        Assert.Equal(1f, sess.run(w.value()).item<float>());
    }
}
