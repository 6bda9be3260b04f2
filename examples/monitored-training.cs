#:project ../src/SharpFlow/SharpFlow.csproj
// tf.train.MonitoredTrainingSession with hooks (the book's chapters 11 and 12): a 784-100-10 network on
// Fashion-MNIST trained until a StopAtStepHook stops it, with a LoggingTensorHook printing the loss, a checkpoint
// every 100 steps and summaries every 50 into LOGDIR. Run it again with the same LOGDIR and it resumes from the
// newest checkpoint. Then a SingularMonitoredSession on a fresh graph restores the weights and streams
// tf.metrics.accuracy over the test set.
// Run: dotnet run examples/monitored-training.cs [-- steps [logdir]]
using SharpFlow;
using SharpFlow.Data;
using SharpFlow.Train.Monitored;
using static SharpFlow.Binding;

var steps = args.Length > 0 ? int.Parse(args[0]) : 1000;
var logdir = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "sharpflow-monitored-training");
var data = FashionMnist.read_data_sets(validation_size: 0, seed: 1);
Console.WriteLine($"data: {data.source} ({data.train.num_examples} training, {data.test.num_examples} test examples), logdir {logdir}");

(Tensor x, Tensor y_, Tensor logits) Model()
{
    var x = tf.placeholder(tf.float32, new Shape(-1, 784), name: "x");
    var y_ = tf.placeholder(tf.int32, new Shape(-1), name: "y");
    var hidden = tf.layers.dense(x, 100, activation: t => tf.nn.relu(t), name: "hidden");
    return (x, y_, tf.layers.dense(hidden, 10, name: "logits"));
}

using (var g = tf.Graph().as_default())
{
    tf.set_random_seed(1);
    var (x, y_, logits) = Model();
    var loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: y_, logits: logits));
    var global_step = tf.train.get_or_create_global_step();
    var train_op = tf.train.AdamOptimizer(0.001).minimize(loss, global_step: global_step);
    tf.summary.scalar("loss", loss);

    var hooks = new SessionRunHook[]
    {
        tf.train.StopAtStepHook(last_step: steps),
        tf.train.NanTensorHook(loss),
        tf.train.LoggingTensorHook(new Dictionary<string, Tensor> { ["loss"] = loss, ["step"] = global_step }, every_n_iter: 100),
        tf.train.FeedFnHook(() =>
        {
            var (xs, ys) = data.train.next_batch(100);
            return new FeedDict { [x] = xs, [y_] = ys };
        }),
    };
    var resume = tf.train.latest_checkpoint(logdir);
    Console.WriteLine(resume is null ? "no checkpoint: training from the start" : $"resuming from {Path.GetFileName(resume)}");
    using var sess = tf.train.MonitoredTrainingSession(checkpoint_dir: logdir, hooks: hooks, save_checkpoint_steps: 100, save_summaries_steps: 50);
    var runs = 0;
    while (!sess.should_stop())
    {
        sess.run(train_op);
        runs++;
    }
    Console.WriteLine($"{runs} training steps");
}
SummaryWriterCache.clear();
Console.WriteLine($"newest checkpoint: {Path.GetFileName(tf.train.latest_checkpoint(logdir))}");

using (var g = tf.Graph().as_default())
{
    var (x, y_, logits) = Model();
    var (accuracy, update_op) = tf.metrics.accuracy(y_, tf.argmax(logits, 1));
    using var sess = tf.train.SingularMonitoredSession(checkpoint_dir: logdir);
    foreach (var (xs, ys) in data.test.Batches(500, shuffle: false))
        sess.run(update_op, new FeedDict { [x] = xs, [y_] = ys });
    Console.WriteLine($"test accuracy (tf.metrics.accuracy): {sess.run(accuracy).item<float>():F4}");
}
