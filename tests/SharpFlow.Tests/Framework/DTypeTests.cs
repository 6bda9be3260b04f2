namespace SharpFlow.Tests.Framework;

public class DTypeTests
{
    [Fact]
    public void NamesAndSizesMatchTensorFlow()
    {
        Assert.Equal("float32", tf.float32.name);
        Assert.Equal("float64", tf.float64.name);
        Assert.Equal("int32", tf.int32.name);
        Assert.Equal("int64", tf.int64.name);
        Assert.Equal("uint8", tf.uint8.name);
        Assert.Equal("bool", tf.@bool.name);
        Assert.Equal(4, tf.float32.size);
        Assert.Equal(8, tf.int64.size);
        Assert.Equal("<dtype: 'float32'>", tf.float32.Repr);
        Assert.Equal(1, (int)tf.float32.Id); // DT_FLOAT in types.proto
        Assert.Equal(9, (int)tf.int64.Id);
    }

    [Fact]
    public void KindsAndClrTypes()
    {
        Assert.True(tf.float64.is_floating);
        Assert.True(tf.uint8.is_integer);
        Assert.False(tf.@bool.IsNumeric);
        Assert.Equal(typeof(long), tf.int64.ClrType);
        Assert.Equal(tf.int32, DType.Of<int>());
        Assert.Equal(tf.float64, DType.Parse("double"));
        Assert.Throws<TypeError>(() => DType.Parse("complex64"));
        Assert.Throws<TypeError>(() => DType.FromClrType(typeof(string)));
    }
}
