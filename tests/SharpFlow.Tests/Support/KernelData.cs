namespace SharpFlow.Tests.Support;

/// <summary>Inputs for the kernel tests.</summary>
internal static class KernelData
{
    /// <summary><paramref name="count"/> floats uniform in [-1, 1), the same for the same <paramref name="seed"/>.</summary>
    public static float[] Uniform(int count, int seed)
    {
        var r = new Random(seed);
        var v = new float[count];
        for (var i = 0; i < v.Length; i++) v[i] = (float)(r.NextDouble() * 2 - 1);
        return v;
    }
}
