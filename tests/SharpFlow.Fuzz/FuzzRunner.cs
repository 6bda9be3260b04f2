using System.Diagnostics;

namespace SharpFlow.Fuzz;

/// <summary>A fuzz input that broke a reader's contract: the input, and what went wrong.</summary>
public sealed class FuzzFailure(string target, byte[] input, string message, Exception? inner = null)
    : Exception($"fuzz target {target}: {message}", inner)
{
    /// <summary>The input that failed.</summary>
    public byte[] Input { get; } = input;
}

/// <summary>
/// Runs one input through a <see cref="FuzzTarget"/> and checks the contract every reader keeps on any bytes: it
/// returns or throws an <see cref="OpError"/> naming the file; it never throws anything else (an index out of
/// range, an overflow, a null reference, an out-of-memory), never allocates more than a bounded multiple of the
/// input (a huge declared length must be refused before it is allocated), and never runs for long.
/// </summary>
public static class FuzzRunner
{
    /// <summary>The name the targets give the file in their errors.</summary>
    public const string FileName = "fuzz-input.bin";

    /// <summary>The allocation a read may make beyond <see cref="AllocationPerInputByte"/> per input byte.</summary>
    public const long AllocationAllowance = 64L << 20;

    /// <summary>Bytes a read may allocate per input byte.</summary>
    public const long AllocationPerInputByte = 64;

    /// <summary>The longest one read may take.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(10);

    /// <summary>Reads <paramref name="input"/>: null when the file was accepted, else the error it was refused with.</summary>
    /// <exception cref="FuzzFailure">The reader broke the contract.</exception>
    public static OpError? Execute(FuzzTarget target, byte[] input)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(input);
        // The read runs on a thread of its own, so that a reader caught in a loop is reported as a hang (with its
        // input saved) instead of stopping the run; that thread is then left behind, in the background.
        (OpError? Refused, Exception? Failure) outcome = default;
        var thread = new Thread(() =>
        {
            try { outcome = (Read(target, input), null); }
            catch (Exception e) { outcome = (null, e); }
        }, 16 << 20) { IsBackground = true, Name = $"fuzz {target.Name}" };
        thread.Start();
        if (!thread.Join(HangLimit))
            throw new FuzzFailure(target.Name, input, $"a {input.Length}-byte input did not finish in {HangLimit.TotalSeconds:F0} s (a hang)");
        if (outcome.Failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(outcome.Failure).Throw();
        return outcome.Refused;
    }

    /// <summary>How long a read may run before it counts as a hang.</summary>
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);

    private static OpError? Read(FuzzTarget target, byte[] input)
    {
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        OpError? refused = null;
        try
        {
            target.Read(input);
        }
        catch (OpError e)
        {
            refused = e;
            if (string.IsNullOrWhiteSpace(e.Message)) throw new FuzzFailure(target.Name, input, $"{e.GetType().Name} without a message", e);
            if (target.ErrorsNameTheFile && !e.Message.Contains(FileName, StringComparison.Ordinal))
                throw new FuzzFailure(target.Name, input, $"{e.GetType().Name} does not name the file: {e.Message}", e);
        }
        catch (Exception e)
        {
            throw new FuzzFailure(target.Name, input, $"{e.GetType().Name}: {e.Message}", e);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var allowed = AllocationAllowance + AllocationPerInputByte * input.Length;
        if (allocated > allowed)
            throw new FuzzFailure(target.Name, input, $"a {input.Length}-byte input allocated {allocated:N0} bytes (allowed {allowed:N0})");
        if (clock.Elapsed > TimeLimit)
            throw new FuzzFailure(target.Name, input, $"a {input.Length}-byte input took {clock.Elapsed.TotalSeconds:F1} s");
        return refused;
    }
}
