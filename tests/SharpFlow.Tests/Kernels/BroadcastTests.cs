using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Tests.Kernels;

/// <summary>The broadcasting engine against a plain index-by-index reference, over many shapes and lengths.</summary>
public class BroadcastTests
{
    private static float[] Reference(float[] x, int[] xs, float[] y, int[] ys, int[] zs, Func<float, float, float> f)
    {
        var count = zs.Aggregate(1, (a, b) => a * b);
        var z = new float[count];
        var index = new int[zs.Length];
        for (var flat = 0; flat < count; flat++)
        {
            var rest = flat;
            for (var d = zs.Length - 1; d >= 0; d--) { index[d] = rest % zs[d]; rest /= zs[d]; }
            z[flat] = f(x[Offset(index, xs)], y[Offset(index, ys)]);
        }
        return z;
    }

    private static int Offset(int[] index, int[] shape)
    {
        var offset = 0;
        var lead = index.Length - shape.Length;
        for (var d = 0; d < shape.Length; d++) offset = offset * shape[d] + (shape[d] == 1 ? 0 : index[lead + d]);
        return offset;
    }

    public static TheoryData<int[], int[]> Shapes() => new()
    {
        { [7], [7] }, { [7], [1] }, { [1], [7] }, { [3, 4], [4] }, { [3, 4], [3, 1] }, { [3, 1], [1, 4] },
        { [2, 3, 4], [3, 1] }, { [2, 1, 4], [1, 3, 1] }, { [5, 1, 3, 1], [1, 4, 1, 2] }, { [], [2, 2] }, { [2, 2], [] },
        { [1, 1, 5], [5, 1, 1] }, { [4, 1, 6, 1], [6, 7] }, { [0, 3], [3] },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SubtractMatchesReference(int[] xs, int[] ys)
    {
        var zs = Broadcast.Shape(xs, ys)!;
        var rng = new Random(xs.Length * 31 + ys.Length);
        var x = Enumerable.Range(0, xs.Aggregate(1, (a, b) => a * b)).Select(_ => (float)rng.NextDouble()).ToArray();
        var y = Enumerable.Range(0, ys.Aggregate(1, (a, b) => a * b)).Select(_ => (float)rng.NextDouble()).ToArray();
        var z = new NDArray(new float[zs.Aggregate(1, (a, b) => a * b)], new Shape(zs));
        ElementwiseKernels.Binary<SubtractOperator>(NDArray.FromFlat(x, new Shape(xs)), NDArray.FromFlat(y, new Shape(ys)), z);
        Assert.Equal(Reference(x, xs, y, ys, zs, (a, b) => a - b), z.ToArray<float>());
    }

    [Fact]
    public void EveryLengthUpTo256IsHandledIncludingVectorTails()
    {
        for (var n = 0; n <= 256; n++)
        {
            var x = Enumerable.Range(0, n).Select(i => (float)i).ToArray();
            var y = Enumerable.Range(0, n).Select(i => (float)(2 * i)).ToArray();
            var z = new NDArray(new float[n], new Shape(n));
            ElementwiseKernels.Binary<AddOperator>(NDArray.FromFlat(x, new Shape(n)), NDArray.FromFlat(y, new Shape(n)), z);
            Assert.Equal(x.Select(v => 3 * v), z.ToArray<float>());
        }
    }

    [Fact]
    public void IncompatibleShapesAreNull() => Assert.Null(Broadcast.Shape([2, 3], [2]));
}
