namespace SharpFlow.Tests.Support;

/// <summary>MPICH's launcher for the tests that start several ranks.</summary>
public static class Mpich
{
    /// <summary>
    /// <c>mpiexec.mpich</c> (Debian's alternatives may point plain <c>mpiexec</c> at another MPI's launcher); the
    /// error says how to install it.
    /// </summary>
    public static string Mpiexec =>
        new[] { "/usr/bin/mpiexec.mpich", "/usr/bin/mpiexec.hydra", "/usr/local/bin/mpiexec.hydra" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("MPICH's mpiexec not found: install Debian's mpich (apt-get install mpich) to run the distributed tests");
}
