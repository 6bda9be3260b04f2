using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Tests.Kernels;

/// <summary>ArrayKernels on their own: SpaceToBatch and BatchToSpace invert each other, ScatterAdd sums in order.</summary>
public class ArrayKernelsTests
{
    [Theory]
    [InlineData(new[] { 2, 4, 6, 3 }, new long[] { 2, 3 }, new long[] { 1, 1, 0, 3 })]
    [InlineData(new[] { 1, 5, 2 }, new long[] { 3 }, new long[] { 1, 0 })]
    [InlineData(new[] { 3, 2, 2, 2 }, new long[] { 1, 2, 1 }, new long[] { 0, 0, 1, 1, 2, 1 })]
    public void BatchToSpaceInvertsSpaceToBatch(int[] dims, long[] block, long[] pads)
    {
        var m = block.Length;
        var spatial = NDArray.FromFlat(Enumerable.Range(1, dims.Aggregate(1, (a, b) => a * b)).Select(v => (double)v).ToArray(), new Shape(dims));
        var batchedDims = (int[])dims.Clone();
        batchedDims[0] = dims[0] * (int)block.Aggregate(1L, (a, b) => a * b);
        for (var k = 0; k < m; k++) batchedDims[k + 1] = (int)((dims[k + 1] + pads[2 * k] + pads[2 * k + 1]) / block[k]);
        var batched = NDArray.Zeros(DType.float64, new Shape(batchedDims));
        var starts = Enumerable.Range(0, m).Select(k => pads[2 * k]).ToArray();
        ArrayKernels.SpaceToBatch(spatial, batched, block, starts);
        // Every input element lands exactly once; the rest is padding.
        Assert.Equal(spatial.ToArray<double>().Sum(), batched.ToArray<double>().Sum());
        Assert.Equal(spatial.size, batched.ToArray<double>().Count(v => v != 0));
        var back = NDArray.Zeros(DType.float64, new Shape(dims));
        ArrayKernels.BatchToSpace(batched, back, block, starts);
        Assert.Equal(spatial.ToArray<double>(), back.ToArray<double>());
    }

    [Fact]
    public void ScatterAddSumsRepeatedSlices()
    {
        var updates = NDArray.FromFlat(new[] { 1, 2, 3, 4, 5, 6 }, new Shape(3, 2));
        var output = NDArray.Zeros(DType.int32, new Shape(3, 2));
        ArrayKernels.ScatterAdd(updates, output, [2, 0, 2], 2);
        Assert.Equal(new[] { 3, 4, 0, 0, 6, 8 }, output.ToArray<int>());
    }
}
