using SharpFlow.Kernels;

namespace SharpFlow.Tests.Kernels;

/// <summary>Reductions over every subset of axes of a rank-4 tensor against a direct accumulation.</summary>
public class ReductionTests
{
    [Fact]
    public void EverySubsetOfAxesMatchesTheReference()
    {
        int[] shape = [2, 3, 1, 4];
        var count = 24;
        var rng = new Random(5);
        var x = Enumerable.Range(0, count).Select(_ => rng.Next(-5, 6)).ToArray();
        for (var mask = 0; mask < 16; mask++)
        {
            var reduce = Enumerable.Range(0, 4).Select(d => (mask >> d & 1) == 1).ToArray();
            var outShape = shape.Select((d, i) => reduce[i] ? 1 : d).ToArray();
            var outCount = outShape.Aggregate(1, (a, b) => a * b);
            var expectedSum = new long[outCount];
            var expectedMax = Enumerable.Repeat(int.MinValue, outCount).ToArray();
            for (var flat = 0; flat < count; flat++)
            {
                var rest = flat;
                var idx = new int[4];
                for (var d = 3; d >= 0; d--) { idx[d] = rest % shape[d]; rest /= shape[d]; }
                var o = 0;
                for (var d = 0; d < 4; d++) o = o * outShape[d] + (reduce[d] ? 0 : idx[d]);
                expectedSum[o] += x[flat];
                expectedMax[o] = Math.Max(expectedMax[o], x[flat]);
            }
            var sum = new int[outCount];
            Reduction.Reduce<int, SumReducer>(x, shape, reduce, sum);
            Assert.Equal(expectedSum.Select(v => (int)v), sum);
            var max = new int[outCount];
            Reduction.Reduce<int, MaxReducer>(x, shape, reduce, max);
            Assert.Equal(expectedMax, max);
        }
    }

    [Fact]
    public void EmptyReductionsGiveTheIdentity()
    {
        var sum = new float[3];
        Reduction.Reduce<float, SumReducer>(ReadOnlySpan<float>.Empty, [0, 3], [true, false], sum);
        Assert.Equal(new float[3], sum);
        var max = new float[3];
        Reduction.Reduce<float, MaxReducer>(ReadOnlySpan<float>.Empty, [0, 3], [true, false], max);
        Assert.All(max, v => Assert.Equal(float.NegativeInfinity, v));
    }

    [Fact]
    public void ArgMaxTakesTheFirstOfTies()
    {
        var z = new long[2];
        Reduction.ArgExtreme<int, long>([3, 1, 3, 7, 7, 0], 2, 3, 1, z, max: true);
        Assert.Equal(new long[] { 0, 0 }, z);
    }
}
