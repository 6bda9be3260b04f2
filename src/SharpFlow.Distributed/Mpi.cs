using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

namespace SharpFlow.Distributed;

/// <summary>
/// The MPI runtime under SharpFlow.Distributed: MPI.NET 1.4.0 over an MPICH-ABI library. MPI.NET's bindings name
/// MS-MPI's <c>msmpi.dll</c>; MPICH shares MS-MPI's ABI, so on Linux and macOS that name is resolved to
/// <c>libmpich.so.12</c> (Debian's <c>mpich</c>; Intel MPI and MVAPICH share the ABI too: set
/// <c>SHARPFLOW_MPI_LIBRARY</c> to their library). Open MPI's ABI differs (its handles are pointers, not
/// integers) and is not supported. Every collective runs under a watchdog: one that waits longer than
/// <see cref="CollectiveTimeout"/> for the other ranks (a rank died or hangs) prints which collective and aborts
/// the whole job through <c>MPI_Abort</c>, instead of hanging.
/// </summary>
public static class Mpi
{
    private static readonly object Gate = new();
    private static readonly object CollectiveGate = new();
    private static bool _abortThroughMpi;
    private static MPI.Environment? _environment;
    private static string? _collective;
    private static long _collectiveStart;
    private static long _collectiveTicks;
    private static long _collectives;

    /// <summary>Whether <see cref="Init"/> has run (and <see cref="Shutdown"/> has not).</summary>
    public static bool IsInitialized { get { lock (Gate) return _environment is not null; } }

    /// <summary>This process's rank in <c>MPI_COMM_WORLD</c> (0 before <see cref="Init"/>).</summary>
    public static int Rank { get; private set; }

    /// <summary>The number of processes in <c>MPI_COMM_WORLD</c> (1 before <see cref="Init"/>).</summary>
    public static int Size { get; private set; } = 1;

    /// <summary>
    /// How long one collective may wait for the other ranks before the job is aborted (default 120 s, or
    /// <c>SHARPFLOW_MPI_TIMEOUT</c> seconds).
    /// </summary>
    public static TimeSpan CollectiveTimeout { get; set; } = TimeSpan.FromSeconds(
        double.TryParse(System.Environment.GetEnvironmentVariable("SHARPFLOW_MPI_TIMEOUT"), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 120);

    /// <summary>Seconds spent in collectives (allreduce and broadcast) since <see cref="Init"/>.</summary>
    public static double CollectiveSeconds => (double)Interlocked.Read(ref _collectiveTicks) / Stopwatch.Frequency;

    /// <summary>The number of collectives run since <see cref="Init"/>.</summary>
    public static long Collectives => Interlocked.Read(ref _collectives);

    /// <summary>
    /// Initializes MPI (<c>MPI_Init</c>) once per process; later calls do nothing. A process started without
    /// <c>mpiexec</c> is a job of one rank.
    /// </summary>
    /// <exception cref="DllNotFoundException">No MPICH-ABI library is installed.</exception>
    public static void Init()
    {
        lock (Gate)
        {
            if (_environment is not null) return;
            MapLibrary();
            KeepDotNetsSignalHandlers();
            // No arguments for MPI to parse; THREAD_MULTIPLE so the watchdog may call MPI_Abort while the main
            // thread waits inside a collective.
            string[] args = [];
            _environment = new MPI.Environment(ref args, MPI.Threading.Multiple);
            _abortThroughMpi = MPI.Environment.Threading == MPI.Threading.Multiple;
            Rank = MPI.Communicator.world.Rank;
            Size = MPI.Communicator.world.Size;
            // A launcher of another MPI (Open MPI's mpiexec) starts every process as a job of one rank.
            foreach (var variable in new[] { "OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE" })
                if (int.TryParse(System.Environment.GetEnvironmentVariable(variable), out var launched) && launched > Size)
                    throw new InvalidOperationException(
                        $"this process was started as one of {launched} ({variable}), but MPI sees a job of {Size}: start it with MPICH's mpiexec (mpiexec.mpich), not another MPI's");
            var watchdog = new Thread(Watch) { IsBackground = true, Name = "SharpFlow MPI watchdog" };
            watchdog.Start();
        }
    }

    /// <summary>Finalizes MPI (<c>MPI_Finalize</c>); call it once at the end, from the thread that called <see cref="Init"/>.</summary>
    public static void Shutdown()
    {
        lock (Gate)
        {
            _environment?.Dispose();
            _environment = null;
        }
    }

    /// <summary>Ends every process of the job (<c>MPI_Abort</c>) after printing <paramref name="message"/>.</summary>
    public static void Abort(string message, int errorCode = 1)
    {
        Console.Error.WriteLine($"sharpflow rank {Rank}/{Size}: {message}");
        // MPICH's own "application called MPI_Abort" line can be lost when the job is torn down; this one is flushed first.
        Console.Error.WriteLine($"sharpflow rank {Rank}/{Size}: ending the job (MPI_Abort, error code {errorCode})");
        Console.Error.Flush();
        // The lines sit in the pipe to MPICH's proxy, which the abort's teardown may close before forwarding them
        // (seen on a loaded machine: the job ended with no line of rank 0's). A quarter second lets them through.
        Thread.Sleep(250);
        // From another thread than the one inside MPI, MPI_Abort is allowed only at THREAD_MULTIPLE; without it the
        // process just exits, and MPICH's process manager ends the others when a rank exits without finalizing.
        if (_abortThroughMpi || !Thread.CurrentThread.IsBackground) MPI.Environment.Abort(errorCode);
        System.Environment.Exit(errorCode);
    }

    /// <summary>Runs one collective under the watchdog, timing it.</summary>
    internal static void Collective(string what, Action call)
    {
        if (!IsInitialized) throw new InvalidOperationException($"{what}: MPI is not initialized: call hvd.init() first");
        // One collective at a time in this process: every rank must run them in the same order, and the watchdog
        // watches one.
        lock (CollectiveGate) Watched(what, call);
    }

    private static void Watched(string what, Action call)
    {
        Volatile.Write(ref _collective, what);
        var start = Stopwatch.GetTimestamp();
        Volatile.Write(ref _collectiveStart, start);
        try
        {
            call();
        }
        finally
        {
            Volatile.Write(ref _collectiveStart, 0);
            Interlocked.Add(ref _collectiveTicks, Stopwatch.GetTimestamp() - start);
            Interlocked.Increment(ref _collectives);
        }
    }

    private static void Watch()
    {
        while (true)
        {
            Thread.Sleep(250);
            var start = Volatile.Read(ref _collectiveStart);
            if (start == 0) continue;
            var waited = Stopwatch.GetElapsedTime(start);
            if (waited < CollectiveTimeout) continue;
            Abort($"{Volatile.Read(ref _collective)} has waited {waited.TotalSeconds:F0} s for the other ranks " +
                  $"(SHARPFLOW_MPI_TIMEOUT {CollectiveTimeout.TotalSeconds:F0} s): a rank has died or hangs; aborting the job");
        }
    }

    /// <summary>
    /// Debian's MPICH runs over UCX, which by default takes over SIGSEGV, SIGBUS, SIGILL and SIGFPE to print a
    /// backtrace and abort. .NET raises NullReferenceException (and others) through those signals, so under UCX's
    /// handlers any such exception, even a caught one, would kill the process. UCX reads its configuration from the
    /// native environment when the library loads: set it there first (unless the user has).
    /// </summary>
    private static void KeepDotNetsSignalHandlers()
    {
        if (OperatingSystem.IsWindows()) return;
        _ = SetEnvironmentVariable(CString("UCX_ERROR_SIGNALS"), CString(""), 0);
        _ = SetEnvironmentVariable(CString("UCX_HANDLE_ERRORS"), CString("none"), 0);
    }

    private static byte[] CString(string s) => System.Text.Encoding.UTF8.GetBytes(s + "\0");

    [DllImport("libc", EntryPoint = "setenv", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetEnvironmentVariable(byte[] name, byte[] value, int overwrite);

    private static int _mapped;

    private static void MapLibrary()
    {
        if (OperatingSystem.IsWindows() || Interlocked.Exchange(ref _mapped, 1) != 0) return; // Windows: MS-MPI itself
        NativeLibrary.SetDllImportResolver(typeof(MPI.Communicator).Assembly, Resolve);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (!name.StartsWith("msmpi", StringComparison.OrdinalIgnoreCase)) return IntPtr.Zero;
        return TryLoadLibrary(out var handle, out var missing) ? handle : throw new DllNotFoundException(missing);
    }

    /// <summary>
    /// Whether the MPI library can be loaded (<c>SHARPFLOW_MPI_LIBRARY</c>, else <c>libmpich.so.12</c>), without
    /// starting MPI; <paramref name="missing"/> says what is missing and how to install it. The library stays loaded,
    /// with UCX's signal handlers kept away as <see cref="Init"/> keeps them.
    /// </summary>
    public static bool IsLibraryAvailable(out string missing)
    {
        KeepDotNetsSignalHandlers();
        return TryLoadLibrary(out _, out missing);
    }

    private static bool TryLoadLibrary(out IntPtr handle, out string missing)
    {
        var chosen = System.Environment.GetEnvironmentVariable("SHARPFLOW_MPI_LIBRARY");
        string[] candidates = chosen is { Length: > 0 } ? [chosen] : ["libmpich.so.12", "libmpich.12.dylib"];
        foreach (var candidate in candidates)
            if (NativeLibrary.TryLoad(candidate, out handle))
            {
                missing = "";
                return true;
            }
        handle = IntPtr.Zero;
        missing = $"SharpFlow.Distributed needs an MPI library with MPICH's ABI ({string.Join(", ", candidates)}): install Debian's mpich " +
                  "(apt-get install mpich) or set SHARPFLOW_MPI_LIBRARY. Open MPI's ABI differs and is not supported.";
        return false;
    }
}
