using System.Runtime.CompilerServices;

namespace SharpFlow.Tests.Support;

internal static class TestSetup
{
    /// <summary>
    /// Every test runs with poisoned uninitialized outputs, so a kernel that declares it writes its whole output and
    /// does not fails the op's tests instead of passing on a fresh, zeroed buffer.
    /// </summary>
    [ModuleInitializer]
    internal static void PoisonUninitializedOutputs() => SharpFlow.Execution.RunMemory.PoisonUninitialized = true;
}
