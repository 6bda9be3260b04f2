using SharpFlow.GraphIO;
using Tf = Tensorflow;
using SharpFlow.Train;

namespace SharpFlow.Tests.Train;

/// <summary>
/// <c>tf.train.Saver(keep_checkpoint_every_n_hours=N)</c>, with a fake clock: a checkpoint that falls out of the newest
/// max_to_keep is kept when saved after the next keeping time (construction + N hours, then N hours later each time).
/// </summary>
public sealed class SaverKeepHoursTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-keephours-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void KeepsOneCheckpointEveryNHoursAsSaverPyDoes()
    {
        using var g = TestGraph.Enter();
        tf.Variable(1f, name: "v");
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var saver = tf.train.Saver(max_to_keep: 2, keep_checkpoint_every_n_hours: 1.0);
        Assert.Equal(1.0, saver.keep_checkpoint_every_n_hours);
        var now = 1_000_000.0;
        saver.UseClock(() => now);   // next keeping time: now + 3600
        var prefix = Path.Combine(_dir, "model.ckpt");
        string Save(int step, double at)
        {
            now = at;
            return saver.save(sess, prefix, global_step: step);
        }
        // A reference of saver.py's rule: (step, save time) pairs; the oldest beyond max_to_keep kept iff time > next.
        var next = 1_000_000.0 + 3600;
        var expectKept = new List<int>();
        var last = new List<(int Step, double Time)>();
        var times = new[] { 0.0, 1200, 2400, 3600, 3601, 4800, 6000, 7200, 7300, 7400, 9000, 12000, 12001 };
        for (var i = 0; i < times.Length; i++)
        {
            Save(i, 1_000_000 + times[i]);
            last.Add((i, 1_000_000 + times[i]));
            while (last.Count > 2)
            {
                var (step, time) = last[0];
                last.RemoveAt(0);
                if (time > next) { next += 3600; expectKept.Add(step); }
            }
        }
        Assert.Equal(new[] { 4, 8 }, expectKept); // 3601 > 3600 (3600 itself is not), 7300 > 7200 (7200 is not)
        var onDisk = Directory.EnumerateFiles(_dir, "model.ckpt-*.index").Select(f => int.Parse(Path.GetFileName(f)["model.ckpt-".Length..^".index".Length], System.Globalization.CultureInfo.InvariantCulture)).Order();
        Assert.Equal(new[] { 4, 8, 11, 12 }, onDisk);
        Assert.Equal(expectKept.Concat([11, 12]), onDisk);
        // The state file lists only the newest max_to_keep, as TensorFlow's.
        Assert.Equal(new[] { prefix + "-11", prefix + "-12" }, saver.last_checkpoints);
        Assert.Equal(new[] { prefix + "-11", prefix + "-12" }, CheckpointState.Read(_dir)!.all_model_checkpoint_paths);
        Assert.True(File.Exists(prefix + "-4.meta"));
    }

    [Fact]
    public void TheDefaultKeepsNoneAndTheSaverDefRecordsTheHours()
    {
        using var g = TestGraph.Enter();
        tf.Variable(1f, name: "v");
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var plain = tf.train.Saver(max_to_keep: 1);
        Assert.Equal(10000.0, plain.keep_checkpoint_every_n_hours);
        var now = 0.0;
        plain.UseClock(() => now);
        for (var i = 0; i < 3; i++) { now = i * 3600.0 * 9000; plain.save(sess, Path.Combine(_dir, "a"), global_step: i); }
        Assert.Single(Directory.EnumerateFiles(_dir, "a-*.index"));

        var saver = tf.train.Saver(max_to_keep: 3, keep_checkpoint_every_n_hours: 2.5);
        var prefix = saver.save(sess, Path.Combine(_dir, "b"));
        Assert.Equal(2.5f, saver.saver_def!.KeepCheckpointEveryNHours);
        Assert.Equal(2.5f, ProtoFiles.Read<Tf.MetaGraphDef>(prefix + ".meta").SaverDef.KeepCheckpointEveryNHours);
        using var g2 = TestGraph.Enter();
        Assert.Equal(2.5, tf.train.import_meta_graph(prefix + ".meta")!.keep_checkpoint_every_n_hours);
    }

    [Fact]
    public void TheHoursMustBePositive()
    {
        using var g = TestGraph.Enter();
        tf.Variable(1f, name: "v");
        var e = Assert.Throws<ValueError>(() => tf.train.Saver(keep_checkpoint_every_n_hours: 0));
        Assert.Contains("keep_checkpoint_every_n_hours", e.Message);
    }
}
