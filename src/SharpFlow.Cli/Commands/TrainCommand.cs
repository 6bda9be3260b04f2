using System.CommandLine;
using SharpFlow.Cli.Training;

namespace SharpFlow.Cli.Commands;

/// <summary><c>sharpflow train lenet5|convnet|mlp|lenet5_strided [options]</c>.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "lenet5, lenet5_strided, convnet, mlp or lstm" };
        model.AcceptOnlyFromAmong("lenet5", "lenet5_strided", "convnet", "mlp", "lstm");
        var epochs = new Option<int?>("--epochs") { Description = "passes over the training set (default 20)" };
        var batch = new Option<int?>("--batch") { Description = "images per step (default 64 for the LeNet-5 models, 100 otherwise)" };
        var optimizer = new Option<string?>("--optimizer") { Description = $"one of {string.Join(", ", OptimizerFactory.Names)} (default adam)" };
        optimizer.AcceptOnlyFromAmong([.. OptimizerFactory.Names]);
        var lr = new Option<double?>("--lr") { Description = "learning rate (default 0.001)" };
        var decay = new Option<double?>("--lr-decay") { Description = "learning-rate factor per epoch (default 0.9; 1 keeps it constant)" };
        var dataset = new Option<string>("--dataset") { Description = "fashion-mnist or mnist", DefaultValueFactory = _ => "fashion-mnist" };
        dataset.AcceptOnlyFromAmong([.. DataSource.Names]);
        var data = new Option<string?>("--data") { Description = "directory of the four IDX files (else $SHARPFLOW_DATA, else /usr/share/datasets/fashion-mnist, else the embedded sample; \"embedded\" forces the sample)" };
        var logdir = new Option<string?>("--logdir") { Description = "where the trained model is written (default runs/MODEL)" };
        var seed = new Option<int>("--seed") { Description = "graph-level random seed and shuffling seed", DefaultValueFactory = _ => 1 };
        var logEvery = new Option<int>("--log-every") { Description = "steps between progress lines when the output is not a terminal", DefaultValueFactory = _ => 100 };
        var maxSteps = new Option<int?>("--steps-per-epoch") { Description = "cap on the steps of each epoch (quick runs)" };
        var resume = new Option<bool>("--resume") { Description = "go on from the newest checkpoint in --logdir (saved after every epoch, and when Ctrl+C or SIGTERM stops training)" };
        var distributed = new Option<bool>("--distributed") { Description = "data-parallel training on MPI: run under mpiexec -n N; --batch is the global batch, split among the ranks; rank 0 prints, logs and checkpoints" };
        var input = new Option<string?>("--input") { Description = "tfrecord:DIR trains from the TFRecord files `sharpflow records DIR` writes, through a tf.data pipeline (validation and test splits from DIR too)" };
        var augment = new Option<string?>("--augment") { Description = $"with --input: random distortions of each training picture, any of crop,flip,brightness or none (default {Augmentation.Default})" };
        var command = new Command("train", "Train a model on Fashion-MNIST (or MNIST), report validation accuracy each epoch and test accuracy at the end, and write the model.")
        {
            model, epochs, batch, optimizer, lr, decay, dataset, data, logdir, seed, logEvery, maxSteps, resume, distributed, input, augment,
        };
        command.SetAction(result =>
        {
            var name = result.GetValue(model)!;
            var d = ModelDefaults.For(name);
            var settings = new TrainSettings(name, result.GetValue(dataset)!, result.GetValue(epochs) ?? d.Epochs, result.GetValue(batch) ?? d.Batch,
                result.GetValue(optimizer) ?? d.Optimizer, result.GetValue(lr) ?? d.LearningRate, result.GetValue(decay) ?? d.Decay,
                result.GetValue(seed), result.GetValue(data), result.GetValue(logdir) ?? Path.Combine("runs", name),
                Math.Max(1, result.GetValue(logEvery)), result.GetValue(maxSteps), result.GetValue(resume), result.GetValue(distributed),
                result.GetValue(input), result.GetValue(augment));
            if (settings.Augment is not null && settings.Input is null) return Fail("--augment applies to --input tfrecord:DIR training only");
            if (settings.Epochs <= 0 || settings.BatchSize <= 0 || !(settings.LearningRate > 0) || !(settings.LearningRateDecay > 0) || settings.MaxStepsPerEpoch <= 0)
                return Fail("--epochs, --batch, --lr, --lr-decay and --steps-per-epoch must be positive");
            if (settings.Distributed) return DistributedRun(settings);
            return Run(() => Trainer.Run(settings, live: !Console.IsOutputRedirected));
        });
        return command;
    }

    /// <summary>
    /// <c>--distributed</c>: MPI is initialized and finalized around the training; ranks other than 0 print nothing
    /// but their errors, which carry the rank.
    /// </summary>
    private static int DistributedRun(TrainSettings settings)
    {
        try
        {
            SharpFlow.Distributed.hvd.init();
        }
        catch (Exception e) when (e is DllNotFoundException or InvalidOperationException)
        {
            return Fail(e.Message);
        }
        var (rank, size) = (SharpFlow.Distributed.hvd.rank(), SharpFlow.Distributed.hvd.size());
        var stdout = Console.Out;
        if (rank != 0) Console.SetOut(TextWriter.Null);
        var prefix = rank == 0 ? "" : $"rank {rank}: ";
        try
        {
            Trainer.Run(settings, live: false);
            return 0;
        }
        catch (AllRanksException e)
        {
            return Fail(prefix + e.Message); // every rank stopped here: MPI ends normally
        }
        catch (TrainingInterruptedException e)
        {
            Console.Error.WriteLine($"sharpflow: {prefix}{e.Message}"); // every rank stopped after the same step
            return StopRequest.ExitCode;
        }
        catch (Exception e) when (size > 1 && IsReported(e))
        {
            // This rank alone failed (a checkpoint it could not read or write, say): the others would wait for it in
            // the next collective, so the whole job ends now.
            SharpFlow.Distributed.Mpi.Abort(e.Message);
            return 1;
        }
        catch (Exception e) when (IsReported(e))
        {
            return Fail(e.Message);
        }
        finally
        {
            Console.SetOut(stdout);
            SharpFlow.Distributed.hvd.shutdown();
        }
    }

    /// <summary>The failures a command reports as a message and an exit code, not a stack trace: bad input and I/O.</summary>
    private static bool IsReported(Exception e) =>
        e is OpError or ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException;

    internal static int Fail(string message)
    {
        Console.Error.WriteLine($"sharpflow: {message}");
        return 1;
    }

    /// <summary>Runs a command body, turning SharpFlow's errors into a message and exit code 1.</summary>
    internal static int Run(Action body, string prefix = "")
    {
        try
        {
            body();
            return 0;
        }
        catch (TrainingInterruptedException e)
        {
            Console.Error.WriteLine($"sharpflow: {prefix}{e.Message}");
            return StopRequest.ExitCode;
        }
        catch (Exception e) when (IsReported(e))
        {
            return Fail(prefix + e.Message);
        }
    }
}
