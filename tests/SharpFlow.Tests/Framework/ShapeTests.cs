namespace SharpFlow.Tests.Framework;

public class ShapeTests
{
    [Theory]
    [InlineData(new[] { 2 }, "(2,)")]
    [InlineData(new int[0], "()")]
    [InlineData(new[] { -1, 784 }, "(?, 784)")]
    [InlineData(new[] { 2, 3, 4 }, "(2, 3, 4)")]
    public void PrintsAsTensorFlow(int[] dims, string expected) => Assert.Equal(expected, new Shape(dims).ToString());

    [Fact]
    public void UnknownRankPrintsUnknown()
    {
        Assert.Equal("<unknown>", Shape.Unknown.ToString());
        Assert.Equal(-1, Shape.Unknown.ndims);
        Assert.False(Shape.Unknown.IsFullyDefined);
        Assert.Equal(-1, Shape.Unknown.NumElements);
    }

    [Fact]
    public void ListFormIsTensorFlowsCppForm() => Assert.Equal("[?,784]", new Shape(-1, 784).ToListString());

    [Fact]
    public void ElementCountsUseCheckedArithmetic()
    {
        Assert.Equal(24, new Shape(2, 3, 4).NumElements);
        Assert.Equal(1, Shape.Scalar.NumElements);
        Assert.Equal(0, new Shape(5, 0).NumElements);
        var huge = new Shape(int.MaxValue, int.MaxValue, int.MaxValue);
        var e = Assert.Throws<ValueError>(() => huge.NumElements);
        Assert.Contains("overflows", e.Message);
    }

    [Fact]
    public void CompatibilityAndMerging()
    {
        var partial = new Shape(-1, 3);
        Assert.True(partial.IsCompatibleWith(new Shape(5, 3)));
        Assert.False(partial.IsCompatibleWith(new Shape(5, 4)));
        Assert.False(partial.IsCompatibleWith(new Shape(3)));
        Assert.True(Shape.Unknown.IsCompatibleWith(partial));
        Assert.Equal(new Shape(5, 3), partial.MergeWith(new Shape(5, -1)));
        Assert.Throws<ValueError>(() => partial.MergeWith(new Shape(2, 2)));
    }

    [Theory]
    [InlineData(new[] { 2, 3 }, new[] { 3 }, new[] { 2, 3 })]
    [InlineData(new[] { 2, 1 }, new[] { 1, 3 }, new[] { 2, 3 })]
    [InlineData(new int[0], new[] { 4 }, new[] { 4 })]
    [InlineData(new[] { -1, 1 }, new[] { 5 }, new[] { -1, 5 })]
    [InlineData(new[] { -1, 3 }, new[] { 1, 3 }, new[] { -1, 3 })]
    public void BroadcastsLikeNumPy(int[] a, int[] b, int[] expected) =>
        Assert.Equal(new Shape(expected), Shape.TryBroadcast(new Shape(a), new Shape(b)));

    [Fact]
    public void IncompatibleBroadcastIsNull() => Assert.Null(Shape.TryBroadcast(new Shape(2, 3), new Shape(4)));

    [Fact]
    public void NegativeDimensionsOtherThanUnknownAreRejected() => Assert.Throws<ValueError>(() => new Shape(2, -2));

    [Fact]
    public void TuplesAndArraysConvert()
    {
        Shape s = (2, 3);
        Assert.Equal(new Shape(2, 3), s);
        Shape t = new[] { 4 };
        Assert.Equal(new Shape(4), t);
        Assert.Equal(3, ((Shape)(1, 2, 3)).ndims);
        Assert.Equal(-1, new Shape(7, -1)[-1]);
    }
}
