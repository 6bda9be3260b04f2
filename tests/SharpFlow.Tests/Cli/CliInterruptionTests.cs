using System.Text.RegularExpressions;
using SharpFlow.Train;

namespace SharpFlow.Tests.Cli;

/// <summary>
/// <c>sharpflow train</c> stopped by Ctrl+C (SIGINT) and resumed, and stopped by a loss that became NaN.
/// </summary>
public sealed partial class CliTests
{
    private const int SIGINT = 2;

    /// <summary>Runs the CLI and sends it SIGINT once a line of its output contains <paramref name="signalAfter"/>.</summary>
    private static (int ExitCode, string Output) SharpflowInterrupted(string signalAfter, params string[] args)
    {
        var signalled = false;
        var (code, output, _) = ChildProcess.Run(ChildProcess.Sharpflow(args), (process, line) =>
        {
            if (signalled || !line.Contains(signalAfter, StringComparison.Ordinal)) return;
            Assert.True(ChildProcess.Signal(process.Id, SIGINT)); // what Ctrl+C in a terminal sends
            signalled = true;
        });
        Assert.True(signalled, $"'{signalAfter}' never appeared:\n{output}");
        return (code, output);
    }

    private static string[] StepLosses(string output) =>
        Regex.Matches(output, @"epoch \d+/\d+  step \d+/\d+  loss [0-9.]+").Select(m => m.Value).ToArray();

    [SkippableTheory]
    [InlineData("lenet5", 25, "epoch 1/2  step 5/25")] // the embedded sample gives at most 28 steps of 64
    [InlineData("convnet", 12, "epoch 1/2  step 2/12")] // with dropout: the checkpoint keeps the random streams' positions
    public void CtrlCWritesACheckpointAndResumingGivesTheWeightsOfAnUninterruptedRun(string model, int steps, string signalAfter)
    {
        Skip.If(ChildProcess.SigIntIgnored, ChildProcess.SigIntIgnoredReason);
        string[] Train(string logdir, bool resume = false) =>
            ["train", model, "--data", "embedded", "--epochs", "2", "--steps-per-epoch", steps.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--log-every", "1", "--seed", "3", "--logdir", logdir, .. (resume ? new[] { "--resume" } : [])];
        var straightDir = Path.Combine(_dir, "straight");
        var (straightCode, straight) = Sharpflow(Train(straightDir));
        Assert.True(straightCode == 0, straight);

        var dir = Path.Combine(_dir, "interrupted");
        var (code, first) = SharpflowInterrupted(signalAfter, Train(dir));
        Assert.True(code == 130, first);
        // Mid-epoch after the step it was in, or (on a loaded machine, when the signal arrives during the epoch's last
        // step) at the end of the epoch: either way the checkpoint holds the state after that step.
        var stopped = Regex.Match(first, @"Ctrl\+C: stopped after epoch 1(?:, step (\d+) \(global step \d+\))?; checkpoint (\S+) written\. Go on with --resume\.");
        Assert.True(stopped.Success, first);
        var step = stopped.Groups[1].Success ? int.Parse(stopped.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : steps;
        Assert.InRange(step, 2, steps);
        Assert.Equal(stopped.Groups[2].Value, tf.train.latest_checkpoint(dir));
        Assert.False(File.Exists(Path.Combine(dir, "model.safetensors")), "an interrupted run writes no final model");

        var (resumedCode, resumed) = Sharpflow(Train(dir, resume: true));
        Assert.True(resumedCode == 0, resumed);
        Assert.Contains(step < steps ? $"0 epochs and {step} steps done" : "1 epochs and 0 steps done", resumed);
        // The step losses of the two parts are those of the uninterrupted run, and so are the final weights, bit for bit.
        Assert.Equal(StepLosses(straight), StepLosses(first).Concat(StepLosses(resumed)).ToArray());
        Assert.Equal(File.ReadAllBytes(Path.Combine(straightDir, "model.safetensors")), File.ReadAllBytes(Path.Combine(dir, "model.safetensors")));
    }

    [Fact]
    public void AResumeWithAnotherBatchOrEpochLengthIsRefused()
    {
        var dir = Path.Combine(_dir, "layout");
        Assert.Equal(0, Sharpflow("train", "lenet5", "--data", "embedded", "--epochs", "1", "--steps-per-epoch", "3", "--logdir", dir).ExitCode);
        var (code, output) = Sharpflow("train", "lenet5", "--data", "embedded", "--epochs", "2", "--steps-per-epoch", "3", "--batch", "32", "--logdir", dir, "--resume");
        Assert.Equal(1, code);
        Assert.Contains("was trained with batch 64, steps per epoch 3, this run asks for batch 32, steps per epoch 3: resume with the same --batch and --steps-per-epoch", output);
    }

    [Fact]
    public void ALossThatBecomesNaNStopsTrainingNamingTheStepAndTheOpAndKeepsTheWeightsFromBeforeIt()
    {
        var dir = Path.Combine(_dir, "diverged");
        var (code, output) = Sharpflow("train", "lenet5", "--data", "embedded", "--optimizer", "sgd", "--lr", "1e30", "--epochs", "2",
            "--steps-per-epoch", "10", "--log-every", "1", "--logdir", dir);
        Assert.True(code == 1, output);
        var stopped = Regex.Match(output, @"training stopped at epoch 1, step (\d+) \(global step \d+\): (loss|gradient of \S+) : Tensor had (NaN|Inf|Inf and NaN) values\. " +
                                          @"The first NaN or infinity of the step: output \d+ of op '([^']+)' \((\w+)\) had (NaN|Inf|Inf and NaN) values\. " +
                                          @"No weight was updated by this step; the weights from before it are in (\S+)\.");
        Assert.True(stopped.Success, output);
        var step = int.Parse(stopped.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(step - 1, StepLosses(output).Length); // every step before it printed a finite loss
        var checkpoint = stopped.Groups[7].Value;
        Assert.Equal(checkpoint, tf.train.latest_checkpoint(dir));
        Assert.EndsWith($"model.ckpt-{step - 1}", checkpoint);
        var reader = tf.train.NewCheckpointReader(checkpoint);
        var weights = reader.get_variable_to_dtype_map().Where(kv => kv.Value == DType.float32).Select(kv => reader.get_tensor(kv.Key));
        Assert.All(weights, v => Assert.All(v.ToArray<float>(), x => Assert.True(float.IsFinite(x))));
        Assert.False(File.Exists(Path.Combine(dir, "model.safetensors")));
    }
}
