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

    [Theory]
    [InlineData(new[] { 1, 3, 50, 70 }, new[] { 0, 2, 3, 1 })] // NCHW -> NHWC: one 3×3500 matrix, tiles past its edge
    [InlineData(new[] { 2, 40, 1, 33 }, new[] { 0, 3, 2, 1 })] // a size-1 axis between the swapped ones
    [InlineData(new[] { 3, 1, 1 }, new[] { 2, 1, 0 })] // only one axis left: a copy
    [InlineData(new[] { 1, 1 }, new[] { 1, 0 })] // no axis left
    [InlineData(new[] { 5, 34, 2, 3 }, new[] { 2, 3, 0, 1 })] // [170, 6] -> [6, 170]
    [InlineData(new[] { 4, 3, 5, 2, 6 }, new[] { 3, 4, 0, 2, 1 })] // no matrix form: the general walk on merged axes
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 1, 2, 3, 0 })]
    public void TransposeOfMergedAxesMatchesIndexMapping(int[] shape, int[] perm)
    {
        var count = shape.Aggregate(1, (a, b) => a * b);
        var x = NDArray.FromFlat(Enumerable.Range(0, count).Select(i => i * 7 + 1).ToArray(), new Shape(shape));
        var outShape = perm.Select(p => shape[p]).ToArray();
        var y = NDArray.Zeros(DType.int32, new Shape(outShape));
        DataMovement.Transpose(x, perm, y);
        var rank = shape.Length;
        var idx = new int[rank];
        var src = new int[rank];
        for (var flat = 0; flat < count; flat++)
        {
            var rest = flat;
            for (var d = rank - 1; d >= 0; d--) { idx[d] = rest % outShape[d]; rest /= outShape[d]; }
            for (var d = 0; d < rank; d++) src[perm[d]] = idx[d];
            Assert.Equal(x.GetValue<int>(src), y.AsSpan<int>()[flat]);
        }
    }

    [Theory]
    [InlineData(3)] // Inception-v3's channel concatenation (two images): 2·35·35 rows of four pieces, copied on all threads
    [InlineData(1)] // two rows (the images), each of whole image rows, on all threads
    [InlineData(0)] // one outer row: a single copy per input
    public void ALargeConcatenationPutsEveryPieceInItsPlace(int axis)
    {
        var channels = new[] { 64, 64, 96, 32 };
        var inputs = channels.Select((c, i) =>
        {
            var dims = new[] { 2, 35, 35, 64 };
            dims[axis] = axis == 3 ? c : dims[axis] * (i + 1);
            var size = dims.Aggregate(1, (x, y) => x * y);
            return NDArray.FromFlat(Enumerable.Range(0, size).Select(v => (float)(v * 4 + i)).ToArray(), new Shape(dims));
        }).ToList();
        var outDims = inputs[0].shape.Dims;
        outDims[axis] = inputs.Sum(x => x.shape.Dims[axis]);
        var output = NDArray.Zeros(DType.float32, new Shape(outDims));
        DataMovement.Concat(inputs, axis, output);
        // Against the definition: output row o holds each input's row o in turn.
        var outer = outDims.Take(axis).Aggregate(1L, (x, y) => x * y);
        var expected = new List<float>();
        for (var o = 0L; o < outer; o++)
            foreach (var input in inputs)
            {
                var row = input.size / outer;
                expected.AddRange(input.ToArray<float>().Skip((int)(o * row)).Take((int)row));
            }
        Assert.Equal(expected.ToArray(), output.ToArray<float>());
    }

    [Fact]
    public void ConcatenatingStringsCopiesEveryElement()
    {
        // Strings (arrays of byte strings: no element size) are copied element by element (the kernel left them empty;
        // the graph refuses string ConcatV2, but constant folding of a small Pack reaches it).
        var words = NDArray.FromStrings(Enumerable.Range(0, 70_000).Select(i => $"w{i}").ToArray(), new Shape(2, 35_000));
        var joined = NDArray.Zeros(DType.@string, new Shape(2, 70_000));
        DataMovement.Concat([words, words], 1, joined);
        Assert.Equal("w35000", System.Text.Encoding.UTF8.GetString(joined.StringBytes(70_000)));
        Assert.Equal("w34999", System.Text.Encoding.UTF8.GetString(joined.StringBytes(69_999)));
    }

    [Fact]
    public void ARowCopyThatWouldNotFitTheOutputIsRefused()
    {
        // The parallel row copy is raw: pieces that do not add up to the output's rows are refused, as the serial
        // copy's slices refuse them.
        var a = NDArray.Zeros(DType.float32, new Shape(2, 35, 35, 64));
        var b = NDArray.Zeros(DType.float32, new Shape(2, 35, 35, 32));
        var narrow = NDArray.Zeros(DType.float32, new Shape(2, 35, 35, 80));
        var error = Assert.Throws<ArgumentException>(() => DataMovement.Concat([a, b], 3, narrow));
        Assert.Contains("Concat: the inputs' rows hold", error.Message);
        // An input of another dtype would be copied as the output's bytes: refused, naming it.
        var ints = NDArray.Zeros(DType.int32, new Shape(2, 35, 35, 16));
        var wide = NDArray.Zeros(DType.float32, new Shape(2, 35, 35, 80));
        error = Assert.Throws<ArgumentException>(() => DataMovement.Concat([a, ints], 3, wide));
        Assert.Contains("an input of dtype int32", error.Message);
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
