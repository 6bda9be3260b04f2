using SharpFlow.Train.Input;
using SharpFlow.Train.Monitored;

namespace SharpFlow.Tests.Train.Monitored;

/// <summary>
/// MonitoredSession, MonitoredTrainingSession and the hooks, after TensorFlow's monitored_session_test.py and
/// basic_session_run_hooks_test.py.
/// </summary>
public sealed class MonitoredSessionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-monitored-").FullName;

    public void Dispose()
    {
        SummaryWriterCache.close(_dir);
        Directory.Delete(_dir, recursive: true);
    }

    private sealed class RecordingHook(string name, List<string> calls, object? fetches = null) : SessionRunHook
    {
        public List<object?> Results { get; } = [];

        public override void begin() => calls.Add($"{name}.begin");

        public override void after_create_session(Session session, Coordinator coord) => calls.Add($"{name}.after_create_session");

        public override SessionRunArgs? before_run(SessionRunContext run_context)
        {
            calls.Add($"{name}.before_run");
            return fetches is null ? null : new SessionRunArgs(fetches);
        }

        public override void after_run(SessionRunContext run_context, SessionRunValues run_values)
        {
            calls.Add($"{name}.after_run");
            Results.Add(run_values.results);
        }

        public override void end(Session session) => calls.Add($"{name}.end");
    }

    [Fact]
    public void HooksAreCalledInOrderAndGetTheirFetches()
    {
        using var g = TestGraph.Enter();
        var gs = tf.train.get_or_create_global_step();
        var train_op = tf.assign_add(gs, 1L);
        var doubled = tf.multiply(tf.constant(21), 2);
        var calls = new List<string>();
        var a = new RecordingHook("a", calls, doubled);
        var b = new RecordingHook("b", calls, new Dictionary<string, object> { ["step"] = gs, ["both"] = new List<ITensorOrOperation> { doubled, train_op.op } });
        using (var sess = tf.train.MonitoredSession(hooks: [a, b]))
        {
            Assert.Equal(1L, sess.run(train_op).item<long>());
            Assert.Equal(["a.begin", "b.begin", "a.after_create_session", "b.after_create_session", "a.before_run", "b.before_run", "a.after_run", "b.after_run"], calls);
            Assert.Equal(42, ((NDArray)a.Results[0]!).item<int>());
            var d = (Dictionary<string, object?>)b.Results[0]!;
            var both = (object?[])d["both"]!;
            Assert.Equal(42, ((NDArray)both[0]!).item<int>());
            Assert.Null(both[1]);
            Assert.True(g.Graph.finalized);
            Assert.False(sess.should_stop());
        }
        Assert.Equal(["a.end", "b.end"], calls.Skip(8));
    }

    [Fact]
    public void HooksCanFeedAndConflictingFeedsAreRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, Shape.Scalar);
        var y = x * 2f;
        using var sess = tf.train.MonitoredSession(hooks: [tf.train.FeedFnHook(() => new FeedDict { [x] = NDArray.Scalar(3f) })]);
        Assert.Equal(6f, sess.run(y).item<float>());
        var ex = Assert.Throws<InvalidOperationException>(() => sess.run(y, new FeedDict { [x] = NDArray.Scalar(1f) }));
        Assert.StartsWith("Same tensor is fed by a SessionRunHook and user.", ex.Message);
    }

    [Fact]
    public void StopAtStepHookStopsAtTheStep()
    {
        // basic_session_run_hooks_test.StopAtStepTest.
        Assert.Equal("One of num_steps or last_step must be specified.", Assert.Throws<ValueError>(() => tf.train.StopAtStepHook()).Message);
        Assert.Equal("Only one of num_steps or last_step can be specified.", Assert.Throws<ValueError>(() => tf.train.StopAtStepHook(num_steps: 1, last_step: 2)).Message);
        using var g = TestGraph.Enter();
        var gs = tf.train.get_or_create_global_step();
        var train_op = tf.assign_add(gs, 1L);
        var runs = 0;
        using (var sess = tf.train.MonitoredSession(hooks: [tf.train.StopAtStepHook(num_steps: 5)]))
        {
            while (!sess.should_stop())
            {
                sess.run(train_op);
                runs++;
            }
            Assert.Throws<InvalidOperationException>(() => sess.run(train_op));
        }
        Assert.Equal(5, runs);
    }

    [Fact]
    public void StopAtStepHookNeedsAGlobalStep()
    {
        using var g = TestGraph.Enter();
        tf.constant(1);
        var ex = Assert.Throws<InvalidOperationException>(() => tf.train.MonitoredSession(hooks: [tf.train.StopAtStepHook(last_step: 3)]));
        Assert.Equal("Global step should be created to use StopAtStepHook.", ex.Message);
    }

    private static (Variable Gs, Variable W, Operation Train, Tensor Loss) Model()
    {
        var gs = tf.train.get_or_create_global_step();
        var w = tf.Variable(tf.constant(new[] { 1f, 2f }), name: "w");
        var loss = tf.reduce_sum(tf.square(w), name: "loss");
        var train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step: gs);
        return (gs, w, train, loss);
    }

    [Fact]
    public void MonitoredTrainingSessionSavesCheckpointsAndASecondOneRecovers()
    {
        float[] trained;
        using (var g = TestGraph.Enter())
        {
            var (gs, w, train, _) = Model();
            var final = tf.train.FinalOpsHook(w.value());
            using (var sess = tf.train.MonitoredTrainingSession(checkpoint_dir: _dir, save_checkpoint_steps: 2, save_summaries_steps: null,
                       log_step_count_steps: null, hooks: [tf.train.StopAtStepHook(last_step: 3), final]))
            {
                while (!sess.should_stop()) sess.run(train);
                Assert.Throws<InvalidOperationException>(() => sess.run(w.value()));
            }
            trained = ((NDArray)final.final_ops_values!).ToArray<float>();
        }
        Assert.True(File.Exists(Path.Combine(_dir, "model.ckpt-0.index")));
        Assert.True(File.Exists(Path.Combine(_dir, "model.ckpt-2.index")));
        Assert.True(File.Exists(Path.Combine(_dir, "model.ckpt-3.index")));
        Assert.EndsWith("model.ckpt-3", tf.train.latest_checkpoint(_dir));
        AssertArray.Close(NDArray.FromFlat(new[] { 1f * 0.8f * 0.8f * 0.8f, 2f * 0.8f * 0.8f * 0.8f }, new Shape(2)), NDArray.FromFlat(trained, new Shape(2)), 1e-6);

        using (var g = TestGraph.Enter())
        {
            var (gs, w, train, _) = Model();
            using var sess = tf.train.MonitoredTrainingSession(checkpoint_dir: _dir, save_checkpoint_secs: null, save_summaries_steps: null,
                log_step_count_steps: null, hooks: [tf.train.StopAtStepHook(last_step: 5)]);
            Assert.Equal(3L, sess.run(gs).item<long>());
            Assert.Equal(trained, sess.run(w.value()).ToArray<float>());
            var steps = 0;
            while (!sess.should_stop())
            {
                sess.run(train);
                steps++;
            }
            Assert.Equal(2, steps);
        }
    }

    [Fact]
    public void SummariesAndStepsPerSecondAreWritten()
    {
        using (var g = TestGraph.Enter())
        {
            var (_, _, train, loss) = Model();
            tf.summary.scalar("loss", loss);
            using var sess = tf.train.MonitoredTrainingSession(checkpoint_dir: _dir, save_summaries_steps: 2, log_step_count_steps: 1,
                save_checkpoint_secs: null, hooks: [tf.train.StopAtStepHook(last_step: 4)]);
            while (!sess.should_stop()) sess.run(train);
        }
        SummaryWriterCache.close(_dir);
        var events = Directory.GetFiles(_dir, "events.out.tfevents.*").SelectMany(f => tf.train.summary_iterator(f)).ToList();
        var losses = events.Where(e => e.summary is not null).SelectMany(e => e.summary!.value.Where(v => v.tag == "loss_1").Select(v => (e.step, v.simple_value))).ToList();
        // As basic_session_run_hooks_test.SummarySaverHookTest.test_save_steps: the first run's summary is written at
        // the global step after it (1), then every 2 steps; the tag is the summary op's unique name, as in TensorFlow.
        var tags = string.Join(",", events.Where(e => e.summary is not null).SelectMany(e => e.summary!.value.Select(v => $"{v.tag}@{e.step}")));
        Assert.True(new long[] { 1, 3 }.SequenceEqual(losses.Select(l => l.step)), tags + " files " + string.Join(",", Directory.GetFiles(_dir)));
        Assert.Equal(5f, losses[0].simple_value!.Value, 1e-5);
        var rates = events.Where(e => e.summary is not null).SelectMany(e => e.summary!.value.Where(v => v.tag == "global_step/sec")).ToList();
        Assert.NotEmpty(rates);
        Assert.Contains(events, e => e.graph_def is not null);
    }

    [Fact]
    public void NanTensorHookRaisesOrStops()
    {
        using var g = TestGraph.Enter();
        var gs = tf.train.get_or_create_global_step();
        var train_op = tf.assign_add(gs, 1L);
        var nan = tf.constant(float.NaN);
        using (var sess = tf.train.MonitoredSession(hooks: [tf.train.NanTensorHook(nan)]))
            Assert.Equal("NaN loss during training.", Assert.Throws<NanLossDuringTrainingError>(() => sess.run(train_op)).Message);
        using (var sess = tf.train.MonitoredSession(hooks: [tf.train.NanTensorHook(nan, fail_on_nan_loss: false)]))
        {
            sess.run(train_op);
            Assert.True(sess.should_stop());
        }
    }

    [Fact]
    public void LoggingTensorHookLogsEveryNIterations()
    {
        // basic_session_run_hooks_test.LoggingTensorHookTest.test_print_at_end_only / every_n_iter.
        Assert.Throws<ValueError>(() => tf.train.LoggingTensorHook(new Dictionary<string, Tensor>()));
        using var g = TestGraph.Enter();
        var gs = tf.train.get_or_create_global_step();
        var train_op = tf.assign_add(gs, 1L);
        var logged = new List<long>();
        var hook = tf.train.LoggingTensorHook(new Dictionary<string, Tensor> { ["step"] = gs }, every_n_iter: 2,
            formatter: v => { logged.Add(v["step"].item<long>()); return "step = " + v["step"]; });
        var atEnd = new List<long>();
        var endHook = tf.train.LoggingTensorHook([gs], at_end: true, formatter: v => { atEnd.Add(v[gs.name].item<long>()); return ""; });
        using (var sess = tf.train.MonitoredSession(hooks: [hook, endHook]))
            for (var i = 0; i < 5; i++) sess.run(train_op);
        Assert.Equal(3, logged.Count);
        Assert.Equal(new long[] { 5 }, atEnd.ToArray());
    }

    [Fact]
    public void FinalOpsHookEvaluatesAMetricAtTheEnd()
    {
        using var g = TestGraph.Enter();
        var labels = tf.placeholder(tf.int32, new Shape(-1));
        var predictions = tf.placeholder(tf.int32, new Shape(-1));
        var (accuracy, update_op) = tf.metrics.accuracy(labels, predictions);
        var final = tf.train.FinalOpsHook(accuracy);
        using (var sess = tf.train.SingularMonitoredSession(hooks: [final]))
        {
            sess.run(update_op, new FeedDict { [labels] = NDArray.FromFlat(new[] { 1, 2, 3 }, new Shape(3)), [predictions] = NDArray.FromFlat(new[] { 1, 2, 0 }, new Shape(3)) });
            sess.run(update_op, new FeedDict { [labels] = NDArray.FromFlat(new[] { 1 }, new Shape(1)), [predictions] = NDArray.FromFlat(new[] { 0 }, new Shape(1)) });
            Assert.NotNull(sess.raw_session());
        }
        Assert.Equal(0.5f, ((NDArray)final.final_ops_values!).item<float>());
    }

    [Fact]
    public void ClosingStopsTheQueueRunners()
    {
        using var g = TestGraph.Enter();
        var queue = tf.FIFOQueue(2, tf.float32);
        var enqueue = queue.enqueue(tf.constant(1f));
        tf.train.add_queue_runner(tf.train.QueueRunner(queue, [enqueue]));
        var dequeue = queue.dequeue();
        var sess = tf.train.MonitoredSession(stop_grace_period_secs: 10);
        Assert.Equal(1f, sess.run(dequeue).item<float>());
        var watch = System.Diagnostics.Stopwatch.StartNew();
        sess.close();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
        Assert.True(sess.should_stop());
    }
}
