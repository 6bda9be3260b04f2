using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Tests.Kernels;

public class DataMovementTests
{
    [Fact]
    public void TransposeMatchesIndexMapping()
    {
        int[] shape = [2, 3, 4, 5];
        var x = NDArray.FromFlat(Enumerable.Range(0, 120).Select(i => (long)i).ToArray(), new Shape(shape));
        int[][] perms = [[0, 1, 2, 3], [3, 2, 1, 0], [1, 0, 3, 2], [0, 3, 1, 2], [2, 0, 3, 1]];
        foreach (var perm in perms)
        {
            var outShape = perm.Select(p => shape[p]).ToArray();
            var y = NDArray.Zeros(DType.int64, new Shape(outShape));
            DataMovement.Transpose(x, perm, y);
            var idx = new int[4];
            for (var flat = 0; flat < 120; flat++)
            {
                var rest = flat;
                for (var d = 3; d >= 0; d--) { idx[d] = rest % outShape[d]; rest /= outShape[d]; }
                var src = new int[4];
                for (var d = 0; d < 4; d++) src[perm[d]] = idx[d];
                Assert.Equal(x.GetValue<long>(src), y.AsSpan<long>()[flat]);
            }
        }
    }

    [Fact]
    public void ConcatAndSelectMoveWholeBlocks()
    {
        var a = NDArray.FromFlat(new[] { 1, 2, 3, 4 }, new Shape(2, 2));
        var b = NDArray.FromFlat(new[] { 5, 6 }, new Shape(2, 1));
        var c = NDArray.Zeros(DType.int32, new Shape(2, 3));
        DataMovement.Concat([a, b], 1, c);
        Assert.Equal(new[] { 1, 2, 5, 3, 4, 6 }, c.ToArray<int>());

        var s = NDArray.Zeros(DType.int32, new Shape(2, 2));
        DataMovement.Select([false, true], a, NDArray.FromFlat(new[] { 9, 9, 9, 9 }, new Shape(2, 2)), s);
        Assert.Equal(new[] { 9, 9, 3, 4 }, s.ToArray<int>());
    }
}
