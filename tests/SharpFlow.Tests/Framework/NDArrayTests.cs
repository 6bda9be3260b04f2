namespace SharpFlow.Tests.Framework;

public class NDArrayTests
{
    [Fact]
    public void FromMultiDimensionalArrayKeepsRowMajorOrder()
    {
        NDArray a = new[,] { { 1f, 2f }, { 3f, 4f } };
        Assert.Equal(new Shape(2, 2), a.shape);
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, a.ToArray<float>());
        Assert.Equal(3f, a.GetValue<float>(1, 0));
        var back = (float[,])a.ToMultiDimArray();
        Assert.Equal(4f, back[1, 1]);
    }

    [Fact]
    public void ScalarsConvertBothWays()
    {
        NDArray s = 2.5f;
        Assert.Equal(0, s.ndim);
        Assert.Equal(2.5f, (float)s);
        Assert.Equal(2.5, s.item<double>());
        Assert.Throws<ValueError>(() => ((NDArray)new[] { 1, 2 }).item<int>());
    }

    [Fact]
    public void StorageMustMatchShape()
    {
        Assert.Throws<ValueError>(() => new NDArray(new float[3], new Shape(2, 2)));
        Assert.Throws<ValueError>(() => new NDArray(new float[3], new Shape(-1)));
        Assert.Throws<TypeError>(() => NDArray.FromFlat(new[] { 1, 2 }, new Shape(2)).AsSpan<float>());
    }

    [Fact]
    public void ToArrayConvertsDtypes()
    {
        var a = NDArray.FromFlat(new[] { 1.9, -1.9 }, new Shape(2));
        Assert.Equal(new[] { 1, -1 }, a.ToArray<int>()); // truncation towards zero, as C++ casts
        Assert.Equal(new[] { true, true }, a.ToArray<bool>());
    }

    [Fact]
    public void OutOfRangeIndexIsReported() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => NDArray.FromFlat(new[] { 1, 2 }, new Shape(2)).GetValue<int>(2));

    [Fact]
    public void ValueEqualityComparesDtypeShapeAndBits()
    {
        var a = NDArray.FromFlat(new[] { 1f, float.NaN }, new Shape(2));
        Assert.True(a.ValueEquals(a.Copy()));
        Assert.False(a.ValueEquals(a.Reshape(new Shape(2, 1))));
        Assert.False(a.ValueEquals(a.Cast(tf.float64)));
    }
}
