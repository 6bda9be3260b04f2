using System.Diagnostics;
using SharpFlow.Data;
using SharpFlow.Distributed;
using SharpFlow.Models;
using SharpFlow.Summaries;
using SharpFlow.Train;
using static SharpFlow.Binding;

namespace SharpFlow.Cli.Training;

/// <summary>
/// The training loop of <c>sharpflow train</c>: shuffled mini-batches (TensorFlow's <c>next_batch</c>), one optimizer
/// step each, validation accuracy after every epoch, test accuracy at the end, and the model's variables written
/// to the log directory.
/// <list type="bullet">
/// <item>Checkpoints of all variables (optimizer slots, global step and random streams included) go to
/// <c>LOGDIR/model.ckpt-STEP</c> after every epoch, and after the current step when Ctrl+C or SIGTERM stops the run
/// (exit code 130). <c>--resume</c> restores the newest and goes on from the next step, replaying the data order,
/// so the resumed run computes the losses and weights of an uninterrupted one.</item>
/// <item>A step whose loss or gradients are NaN or infinite changes no weight (<see cref="ClassifierGraph"/>'s
/// guards): training stops there, names the first op whose value went bad, and saves the weights from before it.</item>
/// <item>With <c>--distributed</c> every rank builds the same graph and draws the same global batches, trains on its
/// shard, and the loss, gradients and stop wish are averaged in one allreduce; rank 0 (the chief) alone logs,
/// evaluates and saves.</item>
/// </list>
/// </summary>
internal sealed class Trainer : IDisposable
{
    /// <summary>The file in the log directory that records the batch and epoch length a resume must keep.</summary>
    public const string LayoutFile = "training-layout.txt";

    private readonly TrainSettings _s;
    private readonly DataSet? _train; // null when a TFRecord pipeline feeds training
    private readonly DataSet _validation;
    private readonly DataSet _test;
    private readonly string _source;
    private readonly RecordPipeline? _pipeline;
    private readonly Model _model;
    private readonly int _stepsPerEpoch;
    private readonly int _ranks;
    private readonly bool _chief;
    private readonly ClassifierGraph _graph;
    private readonly Session _sess;
    private readonly Saver _saver;
    private readonly FileWriter? _events;
    private readonly string _checkpointPrefix;

    /// <summary>Trains as <paramref name="s"/> says; returns the test evaluation (the validation one on other ranks than 0).</summary>
    public static Evaluation Run(TrainSettings s, bool live)
    {
        using var trainer = new Trainer(s);
        return trainer.Train(live);
    }

    private Trainer(TrainSettings s)
    {
        _s = s;
        _model = ModelZoo.Create(s.Model, 10);
        int trainCount;
        Func<(Tensor, Tensor)>? input = null;
        RecordPipeline? pipeline = null;
        if (RecordInput.DirectoryOf(s.Input) is { } records)
        {
            if (s.Distributed) throw new InvalidOperationException("--distributed reads the IDX files: --input tfrecord: is for a single process for now");
            var (count, height, width, depth) = RecordInput.Describe(records, "train");
            if ((height, width, depth) != (28, 28, 1))
                throw new InvalidOperationException($"--input {s.Input}: the records hold {height}x{width}x{depth} pictures; the models take 28x28x1");
            (_validation, _test) = (RecordInput.Read(records, "validation"), RecordInput.Read(records, "test"));
            trainCount = count;
            _source = $"TFRecord files in {records}";
            var files = RecordInput.Files(records, "train");
            var augment = Augmentation.Parse(s.Augment ?? Augmentation.Default);
            Console.WriteLine($"data: {count} training records in {files.Length} file(s) of {records} through tf.data (parse_example, decode_raw; augmentation: {augment}), " +
                              $"{_validation.num_examples} validation and {_test.num_examples} test records");
            input = () =>
            {
                pipeline = RecordPipeline.Build(files, count, height, width, depth, s.BatchSize, s.Seed, augment);
                return (pipeline.Images, pipeline.Labels);
            };
        }
        else
        {
            var data = DataSource.Load(s.Dataset, s.DataDirectory, s.Seed, Console.WriteLine);
            (_train, _validation, _test, _source) = (data.train, data.validation, data.test, data.source);
            trainCount = data.train.num_examples;
        }
        _stepsPerEpoch = (trainCount + s.BatchSize - 1) / s.BatchSize;
        if (s.MaxStepsPerEpoch is { } max) _stepsPerEpoch = Math.Min(_stepsPerEpoch, max);
        _ranks = s.Distributed ? hvd.size() : 1;
        _chief = !s.Distributed || hvd.rank() == 0;
        if (s.BatchSize % _ranks != 0) throw new InvalidOperationException($"--batch {s.BatchSize} (the global batch) does not divide among {_ranks} ranks");
        _graph = ClassifierGraph.Build(_model, 28, 28, 1, s, _stepsPerEpoch, input);
        _pipeline = pipeline;
        Console.WriteLine($"model: {_model.Title}; {_graph.Output.Parameters:N0} parameters");
        if (s.Distributed)
            Console.WriteLine($"distributed: {_ranks} ranks on MPI, global batch {s.BatchSize} ({s.BatchSize / _ranks} per rank), one fused allreduce of the loss and gradients per step");
        Console.WriteLine($"training: {s.Epochs} epochs of {_stepsPerEpoch} steps, batch {s.BatchSize}, {s.Optimizer} lr {s.LearningRate}" +
                          (s.LearningRateDecay != 1 ? $" × {s.LearningRateDecay} per epoch" : "") + $", seed {s.Seed}");

        _sess = new Session(_graph.Graph);
        using (_graph.Graph.as_default())
        {
            _sess.run(tf.global_variables_initializer());
            _saver = tf.train.Saver(max_to_keep: 3, save_random_state: true);
        }
        _checkpointPrefix = Path.Combine(s.LogDirectory, "model.ckpt");
        Directory.CreateDirectory(s.LogDirectory);
        // TensorBoard: the graph now; loss and learning rate every --log-every steps; validation accuracy and
        // weight histograms after every epoch.
        _events = _chief ? tf.summary.FileWriter(s.LogDirectory, _graph.Graph) : null;
    }

    public void Dispose()
    {
        _events?.Dispose();
        _sess.Dispose();
    }

    /// <summary>
    /// Restores the newest checkpoint with <c>--resume</c> (the chief reads it and broadcasts the variables, so ranks
    /// need no shared file system) and replays the batches drawn so far; returns the global steps already done.
    /// </summary>
    private long Restore()
    {
        var latest = _s.Resume && _chief ? tf.train.latest_checkpoint(_s.LogDirectory) : null;
        if (_s.Resume && _chief && latest is null) Console.WriteLine($"resume: no checkpoint in {_s.LogDirectory}; starting from the beginning");
        // The batch and the epoch length fix which batch each global step draws: a resume must keep them.
        var layout = Path.Combine(_s.LogDirectory, LayoutFile);
        var thisLayout = $"batch {_s.BatchSize}, steps per epoch {_stepsPerEpoch}";
        if (latest is not null && File.Exists(layout) && File.ReadAllText(layout).Trim() is var saved && saved != thisLayout)
            throw new InvalidOperationException($"{_s.LogDirectory} was trained with {saved}, this run asks for {thisLayout}: resume with the same --batch and --steps-per-epoch");
        if (_chief) File.WriteAllText(layout, thisLayout + "\n");
        if (latest is not null)
        {
            _saver.restore(_sess, latest);
            _saver.recover_last_checkpoints(tf.train.get_checkpoint_state(_s.LogDirectory)!.all_model_checkpoint_paths);
        }
        if (_graph.Broadcast is not null) _sess.run(_graph.Broadcast); // every rank starts from the chief's variables
        var done = _sess.run(_graph.GlobalStep!).Cast(DType.int64).ToArray<long>()[0];
        // The pipeline starts past the batches drawn so far; in-memory batches are replayed: either way the data order
        // goes on as in an uninterrupted run.
        if (_pipeline is not null) _sess.run(_pipeline.Initializer, new FeedDict { [_pipeline.Skip] = done });
        if (done > 0)
        {
            if (_train is not null)
                for (long i = 0; i < done; i++) _train.next_batch(_s.BatchSize);
            Console.WriteLine($"resumed from {latest}: {done / _stepsPerEpoch} epochs and {done % _stepsPerEpoch} steps done");
        }
        return done;
    }

    private Evaluation Train(bool live)
    {
        var done = Restore();
        var (firstEpoch, firstStep) = ((int)(done / _stepsPerEpoch) + 1, (int)(done % _stepsPerEpoch) + 1);
        var total = Stopwatch.StartNew();
        var training = new Stopwatch(); // training steps only, not the evaluations between epochs
        var validation = new Evaluation(0, new int[1, 1], 0);
        var toDo = Math.Max(0, (long)_s.Epochs * _stepsPerEpoch - done);
        var collectiveSeconds = Mpi.CollectiveSeconds;
        // Only while training (a Ctrl+C later ends the process as usual). Under mpiexec, which forwards Ctrl+C to
        // every rank, the ranks may see it during different steps: each feeds its wish into the step's allreduce, and
        // all stop after the first step whose reduced wish is positive.
        using (var stop = StopRequest.Listen())
        {
            TrainingProgress.Run(live, (int)toDo, _s.LogEvery, progress =>
            {
                var stepsRun = 0;
                var stopping = false;
                for (var epoch = firstEpoch; epoch <= _s.Epochs; epoch++)
                {
                    var clock = Stopwatch.StartNew();
                    training.Start();
                    double lossSum = 0;
                    var epochStart = epoch == firstEpoch ? firstStep : 1;
                    for (var step = epochStart; step <= _stepsPerEpoch; step++)
                    {
                        var globalStep = (long)(epoch - 1) * _stepsPerEpoch + step;
                        (var loss, stopping) = Step(epoch, step, globalStep, stop);
                        lossSum += loss;
                        stepsRun++;
                        var seconds = training.Elapsed.TotalSeconds;
                        var eta = TimeSpan.FromSeconds(seconds / stepsRun * (toDo - stepsRun));
                        progress.Step(epoch, _s.Epochs, step, _stepsPerEpoch, loss, stepsRun * _s.BatchSize / Math.Max(seconds, 1e-9), eta);
                        if (stopping && step < _stepsPerEpoch)
                        {
                            var path = _chief ? _saver.save(_sess, _checkpointPrefix, global_step: checked((int)globalStep)) : "(rank 0's)";
                            _events?.flush();
                            throw new TrainingInterruptedException($"{stop.Reason}: stopped after epoch {epoch}, step {step} (global step {globalStep}); checkpoint {path} written. Go on with --resume.");
                        }
                    }
                    training.Stop();
                    var trainSeconds = clock.Elapsed.TotalSeconds;
                    var epochSteps = _stepsPerEpoch - epochStart + 1;
                    var allreduce = _s.Distributed ? $", allreduce {(Mpi.CollectiveSeconds - collectiveSeconds) * 1000 / epochSteps:F2} ms/step" : "";
                    collectiveSeconds = Mpi.CollectiveSeconds;
                    string? saved = null;
                    if (_chief) // the chief alone evaluates, saves and logs; the others go on to the next epoch, or stop with it
                    {
                        (validation, saved) = EndOfEpoch(epoch, epochSteps / trainSeconds * _s.BatchSize);
                        progress.Line($"epoch {epoch}/{_s.Epochs}: mean loss {lossSum / epochSteps:F4}{(epochStart > 1 ? $" (steps {epochStart}-{_stepsPerEpoch})" : "")}, validation accuracy {validation.Accuracy:F4}, " +
                                      $"{trainSeconds:F1} s, {epochSteps * _s.BatchSize / trainSeconds:F0} img/s{allreduce}");
                    }
                    if (stopping && epoch < _s.Epochs)
                    {
                        _events?.flush();
                        throw new TrainingInterruptedException($"{stop.Reason}: stopped after epoch {epoch}; checkpoint {saved ?? "(rank 0's)"} written. Go on with --resume.");
                    }
                }
            });
        }
        if (_s.Distributed) CheckRanksAgree();
        return _chief ? Finish(validation, total.Elapsed) : validation;
    }

    /// <summary>One training step on this rank's part of the next global batch: its loss, and whether to stop after it.</summary>
    private (float Loss, bool Stop) Step(int epoch, int step, long globalStep, StopRequest stop)
    {
        var feed = new FeedDict { [_graph.Training] = true };
        if (_train is not null)
        {
            var (images, labels) = _train.next_batch(_s.BatchSize);
            if (_s.Distributed) (images, labels) = (hvd.shard(images), hvd.shard(labels));
            (feed[_graph.Images], feed[_graph.Labels]) = (images, labels);
        }
        if (_graph.StopWish is not null) feed[_graph.StopWish] = stop.Requested ? 1f : 0f;
        var streams = _sess.RandomPositions(); // where the random ops stood before this step
        NDArray loss, rate;
        bool stopping;
        try
        {
            if (_graph.StopAgreed is null)
            {
                (_, loss, rate) = _sess.run((_graph.TrainOp!, _graph.StepLoss, _graph.LearningRate!), feed);
                stopping = stop.Requested; // a signal during the step stops training after it
            }
            else
            {
                (_, loss, rate, var agreed) = _sess.run((_graph.TrainOp!, _graph.StepLoss, _graph.LearningRate!, _graph.StopAgreed), feed);
                stopping = agreed.item<float>() > 0; // the ranks' wishes, averaged: the same on every rank
            }
        }
        catch (InvalidArgumentError e) when (e.NodeName is { } node && _graph.NumericsGuards.Contains(node))
        {
            throw NonFinite(e, feed, streams, epoch, step, globalStep);
        }
        var value = loss.AsReadOnlySpan<float>()[0];
        if (step % _s.LogEvery == 0 || step == _stepsPerEpoch)
            _events?.add_summary(tf.Summary(SummaryValue.FromScalar("loss", value), SummaryValue.FromScalar("learning_rate", rate.Cast(DType.float64).ToArray<double>()[0])), globalStep);
        return (value, stopping);
    }

    /// <summary>The chief's end of an epoch: validation, the checkpoint, and the epoch's TensorBoard values.</summary>
    private (Evaluation Validation, string Checkpoint) EndOfEpoch(int epoch, double imagesPerSecond)
    {
        var validation = Evaluation.Run(_sess, _graph, _validation, _model.Classes);
        var saved = _saver.save(_sess, _checkpointPrefix, global_step: epoch * _stepsPerEpoch);
        var values = new List<SummaryValue> { SummaryValue.FromScalar("validation_accuracy", validation.Accuracy), SummaryValue.FromScalar("images_per_second", imagesPerSecond) };
        var trainable = _graph.Graph.get_collection(GraphKeys.TRAINABLE_VARIABLES).OfType<Variable>().ToList();
        var weights = _sess.run(trainable.Select(v => (Tensor)v.value()).ToList());
        for (var i = 0; i < trainable.Count; i++) values.Add(SummaryValue.FromHistogram(trainable[i].op.name, weights[i]));
        _events?.add_summary(tf.Summary(values), (long)epoch * _stepsPerEpoch);
        return (validation, saved);
    }

    /// <summary>The chief's end of training: test accuracy and the model written for <c>sharpflow evaluate</c>.</summary>
    private Evaluation Finish(Evaluation validation, TimeSpan elapsed)
    {
        var test = Evaluation.Run(_sess, _graph, _test, _model.Classes);
        Console.WriteLine($"test accuracy: {test.Accuracy:F4} on {test.Examples} images; {_s.Epochs} epochs in {TrainingProgress.Eta(elapsed)}");
        var weights = _graph.ModelVariables.ToDictionary(v => v.op.name, v => _sess.run(v.value()));
        var info = new ModelInfo(_s.Model, _model.Classes, [28, 28, 1], _s.Dataset, _source, _s.Epochs, _s.BatchSize, _s.Optimizer,
            _s.LearningRate, _s.Seed, validation.Accuracy, test.Accuracy, _graph.Output.Parameters);
        ModelDirectory.Save(_s.LogDirectory, info, weights);
        Console.WriteLine($"model written to {_s.LogDirectory} ({ModelDirectory.InfoFile}, {ModelDirectory.WeightsFile}); evaluate it with: sharpflow evaluate {_s.LogDirectory}");
        return test;
    }

    /// <summary>
    /// With <c>--distributed</c>, at the end: a 64-bit FNV-1a hash of every variable's bytes, compared across ranks
    /// (every rank's hash gathered with <c>hvd.allgather_object</c>); the chief reports that they agree, and any rank that differs fails.
    /// </summary>
    private void CheckRanksAgree()
    {
        var hash = 14695981039346656037UL;
        foreach (var value in _sess.run(_graph.Graph.get_collection(GraphKeys.GLOBAL_VARIABLES).OfType<Variable>().Select(v => (Tensor)v.value()).ToList()))
            foreach (var b in value.AsBytes()) hash = (hash ^ b) * 1099511628211UL;
        var signed = unchecked((long)hash);
        var hashes = hvd.allgather_object(signed, "the weights check");
        var (lowest, highest) = (hashes.Min(), hashes.Max());
        if (lowest != highest)
            throw new AllRanksException($"the ranks' variables differ after training (hashes from {lowest:x16} to {highest:x16})");
        Console.WriteLine($"variables identical on all {_ranks} ranks (hash {hash:x16})");
    }

    /// <summary>
    /// The error for a step whose loss or a gradient was NaN or infinite. The guards kept the step from changing any
    /// weight, so the variables are still those from before it: the chief saves them, and each rank re-runs its
    /// step's forward and backward pass with a check after every op to name where the first bad value appeared.
    /// </summary>
    private AllRanksException NonFinite(InvalidArgumentError guard, FeedDict feed, Dictionary<string, (ulong, ulong)> streams, int epoch, int step, long globalStep)
    {
        var stopped = $"training stopped at epoch {epoch}, step {step} (global step {globalStep}): {guard.RawMessage}. ";
        // Put the random streams back to before the step too, so the checkpoint is exactly the state after step
        // globalStep - 1 and the re-run draws the failed step's dropout masks.
        _sess.SetRandomPositions(streams, "the trainer");
        if (!_chief)
        {
            var found = _graph.FirstNonFinite(_sess, feed);
            return new AllRanksException(stopped + (found is null ? "This rank's shard shows no NaN or infinity." : $"The first NaN or infinity of this rank's shard: {found}."));
        }
        var path = _saver.save(_sess, _checkpointPrefix, global_step: checked((int)(globalStep - 1))); // reads variables only: the streams stay put
        var origin = _graph.FirstNonFinite(_sess, feed);
        return new AllRanksException(stopped +
            (origin is null ? "A re-run of the step's forward and backward pass found no NaN or infinity. " : $"The first NaN or infinity of the step: {origin}. ") +
            $"No weight was updated by this step; the weights from before it are in {path}. Lower --lr (or change --optimizer) and go on with --resume.");
    }
}
