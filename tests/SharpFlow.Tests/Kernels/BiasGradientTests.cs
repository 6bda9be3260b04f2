using SharpFlow.Kernels;

namespace SharpFlow.Tests.Kernels;

/// <summary>
/// BiasAdd's bias gradient against a plain loop adding one row after another: bitwise equal for narrow rows (the
/// running sums in one or two registers, the last rows one value at a time) and wide ones (a vector add per row), float32 and float64, signed zeros included.
/// </summary>
public class BiasGradientTests
{
    [Theory]
    [InlineData(1, 7)]
    [InlineData(6, 1000)]      // LeNet-5's first convolution
    [InlineData(15, 33)]
    [InlineData(16, 40)]
    [InlineData(8, 3)]
    [InlineData(3, 1)]
    [InlineData(12, 5)]
    [InlineData(17, 4)]
    [InlineData(33, 9)]
    [InlineData(5, 0)]
    public void EqualsRowAfterRowAdditionBitwise(int channels, int rows)
    {
        var r = new Random(channels * 31 + rows);
        var g = Enumerable.Range(0, channels * rows).Select(i => i % 11 == 0 ? -0f : (float)(r.NextDouble() * 200 - 100)).ToArray();
        var expected = new float[channels];
        for (var row = 0; row < rows; row++)
            for (var j = 0; j < channels; j++) expected[j] += g[row * channels + j];
        var y = Enumerable.Repeat(float.NaN, channels).ToArray(); // the output buffer is overwritten, not added to
        BiasGradient.Sum<float>(g, y);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), y.Select(BitConverter.SingleToInt32Bits));

        var gd = g.Select(v => (double)v * 1.000001).ToArray();
        var expectedD = new double[channels];
        for (var row = 0; row < rows; row++)
            for (var j = 0; j < channels; j++) expectedD[j] += gd[row * channels + j];
        var yd = new double[channels];
        BiasGradient.Sum<double>(gd, yd);
        Assert.Equal(expectedD.Select(BitConverter.DoubleToInt64Bits), yd.Select(BitConverter.DoubleToInt64Bits));
    }
}
