namespace SharpFlow.Tests.Support;

public static class AssertArray
{
    /// <summary>Same dtype and shape, and elements equal within <paramref name="tolerance"/> (relative to magnitude).</summary>
    public static void Close(NDArray expected, NDArray actual, double tolerance = 1e-6, string? because = null)
    {
        Assert.True(expected.dtype == actual.dtype, $"dtype: expected {expected.dtype}, got {actual.dtype}. {because}");
        Assert.True(expected.shape == actual.shape, $"shape: expected {expected.shape}, got {actual.shape}. {because}");
        var e = expected.ToArray<double>();
        var a = actual.ToArray<double>();
        for (var i = 0; i < e.Length; i++)
        {
            if (double.IsNaN(e[i]) && double.IsNaN(a[i])) continue;
            var diff = Math.Abs(e[i] - a[i]);
            Assert.True(diff <= tolerance * Math.Max(1, Math.Abs(e[i])),
                $"element {i}: expected {e[i]:R}, got {a[i]:R} (|diff| {diff:G3}). {because}");
        }
    }

    public static void Equal<T>(T[] expected, NDArray actual) where T : unmanaged
    {
        Assert.Equal(DType.Of<T>(), actual.dtype);
        Assert.Equal(expected, actual.ToArray<T>());
    }
}
