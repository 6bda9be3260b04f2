namespace SharpFlow.Tests.Execution;

/// <summary>
/// <c>Session.RandomPositions</c> and <c>SetRandomPositions</c>, the public form of the random streams' state that
/// <c>sharpflow train --resume</c> and its NaN diagnosis use: positions move as ops draw, survive a checkpoint's save
/// and restore, replay a draw, and bad names change nothing and are named. Public API only.
/// </summary>
public sealed class RandomPositionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-positions-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void PositionsSurviveASaveAndRestore()
    {
        using var g = TestGraph.Enter();
        tf.set_random_seed(11);
        var w = tf.Variable(tf.zeros(new Shape(3)), name: "w");
        var noise = w.value() + tf.random_uniform(new Shape(3), name: "noise");
        var random = tf.get_default_graph().get_operations().Single(op => op.type == "RandomUniform");
        var saver = tf.train.Saver(save_random_state: true);
        Dictionary<string, (ulong Low, ulong High)> saved;
        string path;
        float[] next;
        using (var sess = tf.Session())
        {
            sess.run(tf.global_variables_initializer());
            Assert.Empty(sess.RandomPositions()); // no random op has run yet
            sess.run(noise);
            var first = sess.RandomPositions();
            Assert.Equal(new[] { random.name }, first.Keys);
            sess.run(noise);
            saved = sess.RandomPositions();
            Assert.NotEqual(first[random.name], saved[random.name]); // the stream moved on
            path = saver.save(sess, Path.Combine(_dir, "model.ckpt"));
            next = sess.run(noise).ToArray<float>();
        }
        using var restored = tf.Session();
        saver.restore(restored, path);
        Assert.Equal(saved, restored.RandomPositions());
        Assert.Equal(next, restored.run(noise).ToArray<float>());
    }

    [Fact]
    public void SetRandomPositionsReplaysADraw()
    {
        using var g = TestGraph.Enter();
        tf.set_random_seed(5);
        var dropped = tf.nn.dropout(tf.ones(new Shape(64)), keep_prob: 0.5);
        using var sess = tf.Session();
        sess.run(dropped);
        var before = sess.RandomPositions();
        var drawn = sess.run(dropped).ToArray<float>();
        Assert.NotEqual(drawn, sess.run(dropped).ToArray<float>());
        sess.SetRandomPositions(before, "the test");
        Assert.Equal(drawn, sess.run(dropped).ToArray<float>());
    }

    [Fact]
    public void ANameThatIsNoRandomOpChangesNothingAndIsNamed()
    {
        using var g = TestGraph.Enter();
        tf.set_random_seed(5);
        var u = tf.random_uniform(new Shape(4), name: "u");
        var plain = tf.square(u, name: "plain");
        using var sess = tf.Session();
        sess.run(plain);
        var positions = sess.RandomPositions();
        var next = sess.run(u).ToArray<float>();
        sess.SetRandomPositions(positions, "state.txt");

        var moved = positions.ToDictionary(p => p.Key, p => (p.Value.Low + 1000, p.Value.High));
        var missing = Assert.Throws<NotFoundError>(() => sess.SetRandomPositions(new Dictionary<string, (ulong, ulong)>(moved) { ["nowhere"] = (0, 0) }, "state.txt"));
        Assert.Contains("state.txt: the random state names op 'nowhere', which is not in the graph", missing.Message);
        var notRandom = Assert.Throws<InvalidArgumentError>(() => sess.SetRandomPositions(new Dictionary<string, (ulong, ulong)>(moved) { ["plain"] = (0, 0) }, "state.txt"));
        Assert.Contains("state.txt: the random state names op 'plain' (Square), which is not a random op", notRandom.Message);
        // Neither call moved the stream that was named correctly.
        Assert.Equal(next, sess.run(u).ToArray<float>());
    }
}
