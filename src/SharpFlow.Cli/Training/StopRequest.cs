using System.Runtime.InteropServices;

namespace SharpFlow.Cli.Training;

/// <summary>
/// Ctrl+C (SIGINT) or SIGTERM while training: the first one is taken as a request to stop after the current step
/// (the trainer then writes a checkpoint and exits with <see cref="ExitCode"/>); a second one ends the process at
/// once, as usual.
/// </summary>
internal sealed class StopRequest : IDisposable
{
    /// <summary>The exit code of an interrupted run: 128 + SIGINT, as a shell reports it.</summary>
    public const int ExitCode = 130;

    private readonly PosixSignalRegistration[] _registrations;
    private int _signals;
    private int _requested;

    private StopRequest() =>
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];

    /// <summary>Starts listening; dispose to restore the default handling.</summary>
    public static StopRequest Listen() => new();

    /// <summary>Whether a stop was asked for.</summary>
    public bool Requested => Volatile.Read(ref _requested) != 0;

    /// <summary>The signal's name, for the message.</summary>
    public string Signal { get; private set; } = "";

    /// <summary>Why training stops: the signal, or (with <c>--distributed</c>) another rank's.</summary>
    public string Reason => Signal.Length > 0 ? Signal : "a stop asked on another rank";

    private void Handle(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _signals) != 1) return; // the second signal: default handling ends the process
        Signal = context.Signal == PosixSignal.SIGINT ? "Ctrl+C" : "SIGTERM";
        context.Cancel = true;
        Volatile.Write(ref _requested, 1); // after Signal, which the training thread reads once it sees the request
        Console.Error.WriteLine($"sharpflow: {Signal}: stopping after this step and writing a checkpoint (again to quit at once)");
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
    }
}

/// <summary>Training ended early at the user's request, with a checkpoint to go on from.</summary>
internal sealed class TrainingInterruptedException(string message) : Exception(message);

/// <summary>
/// A failure every rank of a distributed run meets at the same point (a NaN in the averaged gradients, variables
/// that differ at the end), so each may report it and finalize MPI normally; any other failure of one rank ends
/// the whole job at once.
/// </summary>
internal sealed class AllRanksException(string message) : InvalidOperationException(message);
