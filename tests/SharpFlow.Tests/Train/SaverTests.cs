using System.Diagnostics;
using SharpFlow.Train;

namespace SharpFlow.Tests.Train;

/// <summary>
/// tf.train.Saver: round trips, TensorFlow's state file, max_to_keep, the moving-average mapping, refused
/// checkpoints that leave the variables as they were, and a save killed at random moments.
/// </summary>
public sealed class SaverTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-saver-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Prefix => Path.Combine(_dir, "model.ckpt");

    [Fact]
    public void SaveAndRestoreRoundTripWithTheStateFile()
    {
        string path;
        using (var g = TestGraph.Enter())
        {
            var v1 = tf.Variable(tf.constant(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } }), name: "layer1/weights");
            var v2 = tf.Variable(7, name: "global_step");
            var saver = tf.train.Saver();
            using var sess = tf.Session();
            sess.run(tf.global_variables_initializer());
            path = saver.save(sess, Prefix, global_step: 1000);
            Assert.Equal(Prefix + "-1000", path);
            Assert.True(File.Exists(path + ".index"));
            Assert.True(File.Exists(path + ".data-00000-of-00001"));
        }
        Assert.Equal("model_checkpoint_path: \"model.ckpt-1000\"\nall_model_checkpoint_paths: \"model.ckpt-1000\"\n",
            File.ReadAllText(Path.Combine(_dir, "checkpoint")));
        Assert.Equal(path, tf.train.latest_checkpoint(_dir));
        // The tensors carry TensorFlow's variable names.
        Assert.Equal(new[] { "global_step", "layer1/weights" }, tf.train.NewCheckpointReader(path).get_variable_to_shape_map().Keys);

        using (var g = TestGraph.Enter())
        {
            var v1 = tf.Variable(tf.zeros(new Shape(2, 3)), name: "layer1/weights");
            var v2 = tf.Variable(0, name: "global_step");
            using var sess = tf.Session();
            tf.train.Saver().restore(sess, tf.train.latest_checkpoint(_dir)!);
            AssertArray.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, sess.run(tf.reshape(v1, new[] { -1 })));
            Assert.Equal(7, sess.run(v2).ToArray<int>()[0]);
        }
    }

    [Fact]
    public void MaxToKeepDeletesTheOldestCheckpoints()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(0f, name: "v");
        var saver = tf.train.Saver(max_to_keep: 2);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        foreach (var step in new[] { 10, 20, 30, 40 })
        {
            sess.run(tf.assign(v, (float)step));
            saver.save(sess, Prefix, global_step: step);
        }
        Assert.Equal(new[] { Prefix + "-30", Prefix + "-40" }, saver.last_checkpoints);
        Assert.Equal(new[] { "checkpoint", "model.ckpt-30.data-00000-of-00001", "model.ckpt-30.index", "model.ckpt-30.meta", "model.ckpt-40.data-00000-of-00001", "model.ckpt-40.index", "model.ckpt-40.meta" },
            Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var state = tf.train.get_checkpoint_state(_dir)!;
        Assert.Equal(Prefix + "-40", state.model_checkpoint_path);
        Assert.Equal(new[] { Prefix + "-30", Prefix + "-40" }, state.all_model_checkpoint_paths);
        saver.restore(sess, Prefix + "-30");
        Assert.Equal(30f, sess.run(v).ToArray<float>()[0]);
    }

    [Fact]
    public void WriteStateAndMaxToKeepZeroFollowTensorFlow()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(0f, name: "v");
        var step = tf.Variable(7, name: "global_step");
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var quiet = tf.train.Saver(max_to_keep: 1);
        quiet.save(sess, Prefix, global_step: 1, write_state: false);
        quiet.save(sess, Prefix, global_step: 2, write_state: false);
        Assert.False(File.Exists(Path.Combine(_dir, "checkpoint")));
        Assert.Empty(quiet.last_checkpoints);
        Assert.Equal(2, Directory.GetFiles(_dir, "*.index").Length);

        var all = tf.train.Saver(max_to_keep: 0);
        all.save(sess, Prefix, global_step: 3);
        Assert.Equal(Prefix + "-7", all.save(sess, Prefix, global_step: step)); // the step read from a variable
        Assert.Equal(4, Directory.GetFiles(_dir, "*.index").Length);
        Assert.Equal(new[] { Prefix + "-7" }, tf.train.get_checkpoint_state(_dir)!.all_model_checkpoint_paths);

        var recovered = tf.train.Saver(max_to_keep: 2);
        recovered.recover_last_checkpoints([Prefix + "-1", Prefix + "-2"]);
        recovered.recover_last_checkpoints([Prefix + "-3"]);
        Assert.Equal(new[] { Prefix + "-3" }, recovered.last_checkpoints);
    }

    [Fact]
    public void MovingAveragesAreSavedAndRestoredIntoTheModel()
    {
        float shadow;
        using (var g = TestGraph.Enter())
        {
            var w = tf.Variable(0f, name: "w");
            var ema = tf.train.ExponentialMovingAverage(0.5);
            var update = ema.apply([w]);
            using var sess = tf.Session();
            sess.run(tf.global_variables_initializer());
            sess.run(tf.assign(w, 10f));
            sess.run(update);
            shadow = sess.run(ema.average(w)!).ToArray<float>()[0];
            Assert.Equal(5f, shadow);
            tf.train.Saver().save(sess, Prefix);
        }
        Assert.True(tf.train.NewCheckpointReader(Prefix).has_tensor("w/ExponentialMovingAverage"));
        using (var g = TestGraph.Enter())
        {
            var w = tf.Variable(0f, name: "w");
            var ema = tf.train.ExponentialMovingAverage(0.5);
            using var sess = tf.Session();
            tf.train.Saver(ema.variables_to_restore()).restore(sess, Prefix);
            Assert.Equal(shadow, sess.run(w).ToArray<float>()[0]);
        }
    }

    [Fact]
    public void ABadCheckpointIsRefusedAndTheVariablesKeepTheirValues()
    {
        using (var g = TestGraph.Enter())
        {
            tf.Variable(tf.ones(new Shape(2, 2)), name: "a");
            tf.Variable(tf.ones(new Shape(3)), name: "b");
            using var sess = tf.Session();
            sess.run(tf.global_variables_initializer());
            tf.train.Saver(write_version: CheckpointFormat.SafeTensors).save(sess, Prefix);
        }
        var file = Prefix + ".safetensors";
        var good = File.ReadAllBytes(file);

        using var graph = TestGraph.Enter();
        var a = tf.Variable(tf.fill(new[] { 2, 2 }, 5f), name: "a");
        var b = tf.Variable(tf.fill(new[] { 4 }, 5f), name: "b");
        var c = tf.Variable(5f, name: "c");
        using var s = tf.Session();
        s.run(tf.global_variables_initializer());
        void Unchanged()
        {
            Assert.All(s.run(a).ToArray<float>(), x => Assert.Equal(5f, x));
            Assert.All(s.run(b).ToArray<float>(), x => Assert.Equal(5f, x));
        }

        var shape = Assert.Throws<InvalidArgumentError>(() => tf.train.Saver([a, b]).restore(s, Prefix));
        Assert.Contains(file, shape.Message);
        Assert.Contains("'b' has shape [3]", shape.Message);
        Unchanged();

        var d = tf.Variable(tf.zeros(new Shape(3), tf.float64), name: "b_double");
        var dtype = Assert.Throws<InvalidArgumentError>(() => tf.train.Saver(new Dictionary<string, Variable> { ["a"] = a, ["b"] = d }).restore(s, Prefix));
        Assert.Contains("'b' is float32, variable b_double is float64", dtype.Message);
        Unchanged();

        var missing = Assert.Throws<NotFoundError>(() => tf.train.Saver([a, c]).restore(s, Prefix));
        Assert.Contains("Key c not found in checkpoint", missing.Message);
        Unchanged();

        File.WriteAllBytes(file, good[..(good.Length - 3)]);
        var truncated = Assert.Throws<DataLossError>(() => tf.train.Saver([a]).restore(s, Prefix));
        Assert.Contains(file, truncated.Message);
        Unchanged();

        var corrupt = (byte[])good.Clone();
        corrupt[10] = (byte)'#';
        File.WriteAllBytes(file, corrupt);
        Assert.Contains(file, Assert.Throws<DataLossError>(() => tf.train.Saver([a]).restore(s, Prefix)).Message);
        Unchanged();

        Assert.Throws<NotFoundError>(() => tf.train.Saver([a]).restore(s, Path.Combine(_dir, "nothing")));
    }

    [Fact]
    public void TheStateFileReadsWhatTensorFlowWrites()
    {
        Assert.Null(tf.train.latest_checkpoint(_dir));
        File.WriteAllText(Path.Combine(_dir, "checkpoint"),
            "model_checkpoint_path: \"model.ckpt-20\"\nall_model_checkpoint_paths: \"model.ckpt-10\"\nall_model_checkpoint_paths: \"model.ckpt-20\"\nall_model_checkpoint_timestamps: 1.5e9\n");
        // The state names a checkpoint whose file is missing: no latest checkpoint.
        Assert.Null(tf.train.latest_checkpoint(_dir));
        File.WriteAllBytes(Prefix + "-20.safetensors", []);
        Assert.Equal(Prefix + "-20", tf.train.latest_checkpoint(_dir));
        Assert.Equal(new[] { Prefix + "-10", Prefix + "-20" }, tf.train.get_checkpoint_state(_dir)!.all_model_checkpoint_paths);
        // TensorFlow writes non-ASCII bytes as octal escapes.
        File.WriteAllText(Path.Combine(_dir, "checkpoint"), "model_checkpoint_path: \"mod\\303\\251le-20\"\n");
        Assert.Equal(Path.Combine(_dir, "modéle-20"), tf.train.get_checkpoint_state(_dir)!.model_checkpoint_path);
        // And SharpFlow writes them so: a quote, a newline and an accent survive the round trip.
        var odd = Path.Combine(_dir, "a \"b\"\nc-é");
        new CheckpointState(odd, [odd]).Write(_dir);
        Assert.Contains("\\303\\251", File.ReadAllText(Path.Combine(_dir, "checkpoint")));
        Assert.Equal(odd, tf.train.get_checkpoint_state(_dir)!.model_checkpoint_path);
        File.WriteAllText(Path.Combine(_dir, "checkpoint"), "model_checkpoint_path model.ckpt-20\n");
        Assert.Contains("checkpoint:1", Assert.Throws<DataLossError>(() => tf.train.latest_checkpoint(_dir)).Message);
    }

    [Fact]
    public async Task ASaveKilledAtAnyMomentLeavesTheLatestCheckpointWhole()
    {
        var child = Path.Combine(AppContext.BaseDirectory, "SharpFlow.SaveLoop.dll");
        var random = new Random(4);
        var (kills, interrupted) = (0, 0);
        for (var round = 0; round < 12; round++)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(child);
            start.ArgumentList.Add(_dir);
            // Half the rounds keep one checkpoint only: the state must never name one already deleted.
            start.ArgumentList.Add(round % 2 == 0 ? "1" : "3");
            using var process = Process.Start(start)!;
            // Wait for a first save, then kill at a random moment: often in the middle of writing a file.
            var errors = process.StandardError.ReadToEndAsync();
            var line = await process.StandardOutput.ReadLineAsync();
            if (line is null || !line.StartsWith("saved", StringComparison.Ordinal))
            {
                await process.WaitForExitAsync();
                Assert.Fail($"the child did not save: {line} {await errors}");
            }
            // Keep draining its output so it never blocks on a full pipe.
            var drain = process.StandardOutput.ReadToEndAsync();
            await Task.Delay(random.Next(0, 250));
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await drain;
            await errors;
            kills++;
            // A temporary file left behind means the kill landed in the middle of writing a checkpoint.
            foreach (var temp in Directory.GetFiles(_dir, ".*tmp-*"))
            {
                interrupted++;
                File.Delete(temp);
            }

            var latest = tf.train.latest_checkpoint(_dir);
            Assert.NotNull(latest);
            var step = float.Parse(latest![(latest.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            using var g = TestGraph.Enter();
            var variables = Enumerable.Range(0, 4).Select(i => tf.Variable(tf.zeros(new[] { 1024, 1024 }), name: $"layer{i}/weights")).ToList();
            using var sess = tf.Session();
            tf.train.Saver().restore(sess, latest);
            foreach (var v in variables)
            {
                var values = sess.run(v).ToArray<float>();
                Assert.True(values[0] == step && values[^1] == step, $"round {round}: {v.name} holds {values[0]}..{values[^1]}, checkpoint {latest}");
            }
        }
        Assert.Equal(12, kills);
        Assert.True(interrupted > 0, "no kill landed inside a save");
    }
}
