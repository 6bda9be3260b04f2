namespace SharpFlow.Tests.Support;

/// <summary>
/// MPICH for the distributed tests: its library (for any test that starts MPI) and its launcher (for the tests that
/// start several ranks). Without them those tests are skipped with the reason and the install command, unless
/// <see cref="RequireVariable"/> is <c>1</c> (CI, which installs mpich), where their absence fails the test.
/// </summary>
public static class Mpich
{
    /// <summary>The environment variable that turns a missing MPICH from a skip into a failure.</summary>
    public const string RequireVariable = "SHARPFLOW_REQUIRE_MPI";

    private static readonly string? LauncherPath =
        new[] { "/usr/bin/mpiexec.mpich", "/usr/bin/mpiexec.hydra", "/usr/local/bin/mpiexec.hydra" }.FirstOrDefault(File.Exists);

    private static readonly Lazy<string?> LibraryMissing = new(() =>
        SharpFlow.Distributed.Mpi.IsLibraryAvailable(out var missing) ? null : missing);

    /// <summary>
    /// <c>mpiexec.mpich</c> (Debian's alternatives may point plain <c>mpiexec</c> at another MPI's launcher); the
    /// error says how to install it.
    /// </summary>
    public static string Mpiexec =>
        LauncherPath ?? throw new InvalidOperationException("MPICH's mpiexec not found: install Debian's mpich (apt-get install mpich) to run the distributed tests");

    /// <summary>
    /// Why MPI cannot run here (no library; with <paramref name="launcher"/>, no <c>mpiexec.mpich</c> either), or
    /// null when it can.
    /// </summary>
    public static string? Missing(bool launcher)
    {
        if (LibraryMissing.Value is { } library) return $"MPICH is not installed: {library}";
        if (launcher && LauncherPath is null) return "MPICH's mpiexec (mpiexec.mpich) is not installed: apt-get install mpich";
        return null;
    }

    /// <summary>
    /// Skips the calling <c>[SkippableFact]</c> when MPICH is missing (with the reason and <c>apt-get install
    /// mpich</c>); fails it instead when <see cref="RequireVariable"/> is <c>1</c>.
    /// </summary>
    public static void SkipUnlessAvailable(bool launcher = true)
    {
        var missing = Missing(launcher);
        if (missing is null) return;
        if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
            Assert.Fail($"{missing} ({RequireVariable}=1: MPI is required here)");
        Skip.If(true, missing);
    }
}
