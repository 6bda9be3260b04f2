namespace SharpFlow.Tests.Framework;

/// <summary>TensorFlow's conversion rules for Python values, applied to .NET values.</summary>
public class LiteralTests
{
    [Fact]
    public void DefaultsFollowTensorFlow()
    {
        Assert.Equal(tf.int32, Literal.ToNDArray(3).dtype);
        Assert.Equal(tf.float32, Literal.ToNDArray(3.0).dtype);       // a Python float is float32
        Assert.Equal(tf.float32, Literal.ToNDArray(new[] { 1.0, 2.0 }).dtype);
        Assert.Equal(tf.int64, Literal.ToNDArray(3L).dtype);
        Assert.Equal(tf.@bool, Literal.ToNDArray(true).dtype);
        Assert.Equal(tf.float64, Literal.ToNDArray(NDArray.FromFlat(new[] { 1.0 }, new Shape(1))).dtype); // an explicit float64 array stays
    }

    [Fact]
    public void MultiDimensionalAndJaggedArrays()
    {
        var m = Literal.ToNDArray(new[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal(new Shape(2, 3), m.shape);
        var j = Literal.ToNDArray(new[] { new[] { 1, 2 }, new[] { 3, 4 } });
        Assert.Equal(new Shape(2, 2), j.shape);
        Assert.Equal(new[] { 1, 2, 3, 4 }, j.ToArray<int>());
        Assert.Throws<ValueError>(() => Literal.ToNDArray(new[] { new[] { 1, 2 }, new[] { 3 } }));
    }

    [Fact]
    public void ConversionsThatLoseTheKindAreTypeErrors()
    {
        Assert.Equal(tf.float32, Literal.ToNDArray(1, tf.float32).dtype);
        var e = Assert.Throws<TypeError>(() => Literal.ToNDArray(1.5, tf.int32));
        Assert.Equal("Expected int32, got 1.5 of type 'float' instead.", e.Message);
        Assert.Throws<TypeError>(() => Literal.ToNDArray(true, tf.float32));
        Assert.Throws<ValueError>(() => Literal.ToNDArray(300, tf.uint8));
        // Strings are string scalars (TensorFlow's tf.constant("text")), never numbers.
        Assert.Equal(tf.@string, Literal.ToNDArray("text").dtype);
        Assert.Throws<TypeError>(() => Literal.ToNDArray("text", tf.float32));
        Assert.Throws<TypeError>(() => Literal.ToNDArray(new object()));
    }

    [Fact]
    public void ANullTensorForAnOptionalArgumentMeansNone()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new[,] { { 1f, 2f }, { 3f, 4f } });
        Tensor? perm = null;
        var t = tf.transpose(x, perm);
        Assert.Equal(new Shape(2, 2), t.shape);
        Assert.Equal(new[] { 1f, 3f, 2f, 4f }, g.Eval(t).ToArray<float>());
        Tensor? missing = null;
        Assert.Throws<ArgumentNullException>(() => tf.transpose(missing!));
        TensorLike? given = (Tensor?)tf.constant(new[] { 1, 0 });
        Assert.NotNull(given);
    }
}
