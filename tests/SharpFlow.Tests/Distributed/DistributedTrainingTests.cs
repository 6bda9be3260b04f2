using System.Diagnostics;
using System.Text.RegularExpressions;
using SharpFlow.Train;

namespace SharpFlow.Tests.Distributed;

/// <summary>
/// <c>mpiexec -n 2 sharpflow train --distributed</c> on this machine's loopback (MPICH): two ranks train like one
/// process on the global batch, keep equal variables, resume, and end the job with a clear error when a rank dies
/// or hangs. Needs Debian's <c>mpich</c> (the CI installs it); skipped without it.
/// </summary>
[Trait("FreshMachine", "true")] // .ci/run runs these again with the data hidden and no MPI library
public sealed class DistributedTrainingTests : IDisposable
{
    private readonly string _dir;

    public DistributedTrainingTests()
    {
        Mpich.SkipUnlessAvailable(); // skipped without MPICH, failed with SHARPFLOW_REQUIRE_MPI=1
        _dir = Directory.CreateTempSubdirectory("sharpflow-mpi-").FullName;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "SharpFlow.Cli.dll");

    /// <summary>A start description with one thread per rank (the ranks share two cores).</summary>
    private static ProcessStartInfo Start(string program, IEnumerable<string> args, Dictionary<string, string>? environment = null) =>
        ChildProcess.Start(program, args, new Dictionary<string, string>(environment ?? []) { ["DOTNET_PROCESSOR_COUNT"] = "1" });

    private static string Mpiexec => Mpich.Mpiexec;

    private static (int ExitCode, string Output, TimeSpan Elapsed) Run(ProcessStartInfo start, Action<string>? onLine = null) =>
        ChildProcess.Run(start, onLine is null ? null : (_, line) => onLine(line));

    private static string[] Train(string logdir, int epochs, params string[] more) =>
        [Cli, "train", "lenet5", "--data", "embedded", "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
         "--steps-per-epoch", "10", "--log-every", "1", "--seed", "4", "--logdir", logdir, .. more];

    private static string[] OnTwoRanks(string[] train) => ["-n", "2", "dotnet", .. train, "--distributed"];

    private static float[] Losses(string output) =>
        [.. Regex.Matches(output, @"step \d+/\d+  loss ([0-9.]+)").Select(m => float.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];

    private static Dictionary<string, NDArray> Weights(string dir) => SafeTensors.Read(Path.Combine(dir, "model.safetensors")).Tensors;

    [SkippableFact]
    public void TwoRanksTrainAsOneProcessOnTheGlobalBatchAndKeepEqualVariables()
    {
        var single = Path.Combine(_dir, "single");
        var (singleCode, singleOutput, _) = Run(Start("dotnet", Train(single, 2)));
        Assert.True(singleCode == 0, singleOutput);
        var distributed = Path.Combine(_dir, "distributed");
        var (code, output, _) = Run(Start(Mpiexec, OnTwoRanks(Train(distributed, 2))));
        Assert.True(code == 0, output);
        Assert.Contains("distributed: 2 ranks on MPI, global batch 64 (32 per rank)", output);
        Assert.Contains("variables identical on all 2 ranks", output); // every rank hashed its variables; all agree
        Assert.Single(Regex.Matches(output, "test accuracy")); // rank 1 prints nothing
        Assert.Matches(@"allreduce \d+\.\d+ ms/step", output);

        // The same global batches, the loss and gradients averaged over the two halves: the single process's numbers
        // up to float rounding (a mean of two 32-row means is not summed in the order of one 64-row mean). Over 20
        // Adam steps the weights drift apart by 3.5e-7 at most (measured); the test allows 1e-5.
        var expected = Losses(singleOutput);
        Assert.Equal(20, expected.Length);
        Assert.Equal(expected.Length, Losses(output).Length);
        foreach (var (a, b) in expected.Zip(Losses(output))) Assert.True(Math.Abs(a - b) <= 2e-4f, $"losses {a} and {b}");
        var (w1, w2) = (Weights(single), Weights(distributed));
        Assert.Equal(w1.Keys.Order(), w2.Keys.Order());
        foreach (var (name, value) in w1)
            AssertArray.Close(value, w2[name], 1e-5, name);
    }

    [SkippableFact]
    public void ADistributedRunResumesFromRankZerosCheckpointAsIfUninterrupted()
    {
        var straight = Path.Combine(_dir, "straight");
        Assert.Equal(0, Run(Start(Mpiexec, OnTwoRanks(Train(straight, 2)))).ExitCode);
        var resumed = Path.Combine(_dir, "resumed");
        Assert.Equal(0, Run(Start(Mpiexec, OnTwoRanks(Train(resumed, 1)))).ExitCode);
        var (code, output, _) = Run(Start(Mpiexec, OnTwoRanks(Train(resumed, 2, "--resume"))));
        Assert.True(code == 0, output);
        Assert.Contains("1 epochs and 0 steps done", output);
        Assert.Contains("variables identical on all 2 ranks", output);
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "model.safetensors")), File.ReadAllBytes(Path.Combine(resumed, "model.safetensors")));
    }

    private const int SIGSTOP = 19;

    [SkippableFact]
    public void CtrlCStopsEveryRankAfterTheSameStepAndResumingGivesTheUninterruptedWeights()
    {
        string[] Long(string logdir, params string[] more) =>
            [Cli, "train", "lenet5", "--data", "embedded", "--epochs", "2", "--steps-per-epoch", "25", "--log-every", "1", "--seed", "4", "--logdir", logdir, .. more];
        var straight = Path.Combine(_dir, "straight");
        Assert.Equal(0, Run(Start(Mpiexec, OnTwoRanks(Long(straight)))).ExitCode);
        var dir = Path.Combine(_dir, "interrupted");
        var signalled = false;
        var (_, output, _) = ChildProcess.Run(Start(Mpiexec, OnTwoRanks(Long(dir))), (mpiexec, line) =>
        {
            if (signalled || !line.Contains("epoch 1/2  step 5/25", StringComparison.Ordinal)) return;
            Assert.True(ChildProcess.Signal(mpiexec.Id, 2)); // Ctrl+C to mpiexec, which forwards it to every rank
            signalled = true;
        });
        Assert.True(signalled, output);
        // The ranks saw the signal at their own moments; the wish went through the step's allreduce, so both stopped
        // after the same step (or, late in the epoch, at its end).
        var stops = Regex.Matches(output, @"sharpflow: (?:rank 1: )?(?:Ctrl\+C|a stop asked on another rank): stopped after epoch 1(?:, step (\d+))?");
        Assert.True(stops.Count == 2, output);
        Assert.Equal(stops[0].Groups[1].Value, stops[1].Groups[1].Value);
        var (code, resumed, _) = Run(Start(Mpiexec, OnTwoRanks(Long(dir, "--resume"))));
        Assert.True(code == 0, resumed);
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "model.safetensors")), File.ReadAllBytes(Path.Combine(dir, "model.safetensors")));
    }

    [SkippableFact]
    public void AProcessStartedByAnotherMpisLauncherSaysSo()
    {
        // Open MPI's mpiexec sets OMPI_COMM_WORLD_SIZE; under MPICH's ABI each such process would be a job of one rank.
        var (code, output, _) = Run(Start("dotnet", [.. Train(Path.Combine(_dir, "ompi"), 1), "--distributed"], new() { ["OMPI_COMM_WORLD_SIZE"] = "4" }));
        Assert.Equal(1, code);
        Assert.Contains("this process was started as one of 4 (OMPI_COMM_WORLD_SIZE), but MPI sees a job of 1: start it with MPICH's mpiexec (mpiexec.mpich), not another MPI's", output);
    }

    [SkippableFact]
    public void ANaNStopsEveryRankAtTheSameStepAndRankZeroKeepsTheWeightsFromBeforeIt()
    {
        var dir = Path.Combine(_dir, "diverged");
        var (code, output, elapsed) = Run(Start(Mpiexec, OnTwoRanks(Train(dir, 2, "--optimizer", "sgd", "--lr", "1e30"))));
        Assert.Equal(1, code);
        var rank0 = Regex.Match(output, @"sharpflow: training stopped at epoch 1, step (\d+) \(global step \d+\): .*the weights from before it are in (\S+)\.");
        var rank1 = Regex.Match(output, @"sharpflow: rank 1: training stopped at epoch 1, step (\d+) .*(The first NaN or infinity of this rank's shard|This rank's shard shows no)");
        Assert.True(rank0.Success && rank1.Success, output);
        Assert.Equal(rank0.Groups[1].Value, rank1.Groups[1].Value); // the same step on both: the averaged gradients were checked
        Assert.Equal(rank0.Groups[2].Value, tf.train.latest_checkpoint(dir));
        Assert.True(elapsed < TimeSpan.FromMinutes(1), $"took {elapsed}");
    }

    [SkippableFact]
    public void AFailureOfRankZeroAloneEndsTheJobAtOnce()
    {
        var dir = Path.Combine(_dir, "layout");
        Assert.Equal(0, Run(Start(Mpiexec, OnTwoRanks(Train(dir, 1)))).ExitCode);
        // Only rank 0 reads the log directory, so only it finds the resume's batch wrong; rank 1 would wait for it.
        var (code, output, elapsed) = Run(Start(Mpiexec, OnTwoRanks(Train(dir, 2, "--batch", "32", "--resume"))));
        Assert.NotEqual(0, code);
        Assert.Contains("sharpflow rank 0/2: ", output);
        Assert.Contains("resume with the same --batch and --steps-per-epoch", output);
        // Rank 0 says it aborts (MPICH's own MPI_Abort line may be lost in the teardown); rank 1 not waiting for the
        // collective timeout (120 s) shows the abort ended it.
        Assert.Contains("sharpflow rank 0/2: ending the job (MPI_Abort", output);
        Assert.True(elapsed < TimeSpan.FromSeconds(60), $"took {elapsed}");
    }

    /// <summary>The pid of rank <paramref name="rank"/> of the run writing to <paramref name="logdir"/> (from /proc).</summary>
    private static int RankProcess(string logdir, int rank)
    {
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                if (!File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(logdir, StringComparison.Ordinal)) continue;
                if (File.ReadAllText(Path.Combine(dir, "environ")).Split('\0').Contains($"PMI_RANK={rank}")) return pid;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        throw new InvalidOperationException($"no rank {rank} process for {logdir}");
    }

    [SkippableFact]
    public void ARankThatDiesEndsTheJobWithAClearError()
    {
        var dir = Path.Combine(_dir, "dies");
        var killed = false;
        var (code, output, elapsed) = Run(Start(Mpiexec, OnTwoRanks(Train(dir, 50))), line =>
        {
            if (killed || !line.Contains("epoch 2/50  step 3/10", StringComparison.Ordinal)) return;
            Process.GetProcessById(RankProcess(dir, 1)).Kill();
            killed = true;
        });
        Assert.True(killed, output);
        Assert.NotEqual(0, code);
        Assert.Contains("BAD TERMINATION OF ONE OF YOUR APPLICATION PROCESSES", output); // MPICH's process manager ends the others
        Assert.True(elapsed < TimeSpan.FromMinutes(1), $"took {elapsed}");
    }

    [SkippableFact]
    public void ARankThatHangsIsCaughtByTheCollectiveTimeout()
    {
        var dir = Path.Combine(_dir, "hangs");
        var stopped = 0;
        var (code, output, elapsed) = Run(Start(Mpiexec, OnTwoRanks(Train(dir, 50)), new() { ["SHARPFLOW_MPI_TIMEOUT"] = "10" }), line =>
        {
            if (stopped != 0 || !line.Contains("epoch 2/50  step 3/10", StringComparison.Ordinal)) return;
            stopped = RankProcess(dir, 1);
            Assert.True(ChildProcess.Signal(stopped, SIGSTOP)); // alive but never answering: a hung rank
        });
        Assert.True(stopped != 0, output);
        Assert.NotEqual(0, code);
        Assert.Matches(@"sharpflow rank 0/2: MpiAllreduce 'allreduce' has waited \d+ s for the other ranks \(SHARPFLOW_MPI_TIMEOUT 10 s\): a rank has died or hangs; aborting the job", output);
        Assert.True(elapsed < TimeSpan.FromMinutes(1), $"took {elapsed}");
    }
}
