using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Framework;

/// <summary>Shapes and dtypes are inferred when an op is added, and mistakes fail there, naming the op.</summary>
public class ShapeInferenceTests
{
    [Fact]
    public void MatMulInnerDimensionsMustAgree()
    {
        using var g = TestGraph.Enter();
        using var _ = tf.name_scope("dense");
        var x = tf.placeholder(tf.float32, new[] { 64, 400 });
        var w = tf.placeholder(tf.float32, new[] { 120, 84 });
        var e = Assert.Throws<ValueError>(() => tf.matmul(x, w));
        Assert.Equal("MatMul \"dense/MatMul\": inner dimensions differ: [64,400] x [120,84]", e.Message);
    }

    [Fact]
    public void InferredShapesKeepUnknownDimensions()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new[] { -1, 784 });
        var w = tf.zeros((784, 10));
        Assert.Equal(new Shape(-1, 10), tf.matmul(x, w).shape);
        Assert.Equal(new Shape(-1, 784), (x * 2).shape);
        Assert.Equal(new Shape(-1), tf.reduce_sum(x, 1).shape);
        Assert.Equal(new Shape(-1, 1), tf.reduce_mean(x, 1, keepdims: true).shape);
        Assert.Equal(Shape.Scalar, tf.reduce_mean(x).shape);
        Assert.Equal(new Shape(-1), tf.argmax(x, 1).shape);
        Assert.Equal(tf.int64, tf.argmax(x, 1).dtype);
        Assert.Equal(new Shape(-1, 28, 28, 1), tf.reshape(x, new[] { -1, 28, 28, 1 }).shape);
        Assert.Equal(new Shape(784, -1), tf.transpose(x).shape);
        Assert.Equal(new Shape(-1, 1568), tf.concat(new[] { x, x }, 1).shape);
        Assert.Equal(tf.@bool, tf.equal(x, x).dtype);
    }

    [Fact]
    public void BroadcastMismatchFailsAtBuildTime()
    {
        using var g = TestGraph.Enter();
        var e = Assert.Throws<ValueError>(() => tf.add(tf.zeros((2, 3)), tf.zeros(new[] { 4 })));
        Assert.Equal("Add \"Add\": incompatible shapes for broadcasting: [2,3] and [4]", e.Message);
    }

    [Fact]
    public void DtypeMismatchesAreTypeErrors()
    {
        using var g = TestGraph.Enter();
        var i = tf.constant(1);
        var f = tf.constant(1.0);
        var e = Assert.Throws<TypeError>(() => tf.add(i, f));
        Assert.Equal("Input 'y' of 'Add' Op has type float32 that does not match type int32 of argument 'x'.", e.Message);
        Assert.Throws<TypeError>(() => tf.sqrt(i));
        Assert.Throws<TypeError>(() => i + 1.5); // a float cannot become an int32 constant
        Assert.Equal(tf.float32, (f + 1).dtype);   // an int can become a float32 constant
    }

    [Fact]
    public void BadAxesAndShapesNameTheOp()
    {
        using var g = TestGraph.Enter();
        var x = tf.zeros((2, 3));
        Assert.Equal("Sum \"Sum\": Invalid reduction dimension 2 for input with 2 dimensions.",
            Assert.Throws<ValueError>(() => tf.reduce_sum(x, 2)).Message);
        Assert.Contains("Reshape \"Reshape\": Input to reshape is a tensor with 6 values, but the requested shape has 4",
            Assert.Throws<ValueError>(() => tf.reshape(x, new[] { 2, 2 })).Message);
        Assert.Contains("ArgMax \"ArgMax\": Expected dimension in the range [-2, 2), but got 5",
            Assert.Throws<ValueError>(() => tf.argmax(x, 5)).Message);
        Assert.Contains("is duplicated", Assert.Throws<ValueError>(() => tf.transpose(x, new[] { 0, 0 })).Message);
        Assert.Contains("Dimension 0 in both shapes must be equal",
            Assert.Throws<ValueError>(() => tf.concat(new[] { x, tf.zeros((3, 3)) }, 1)).Message);
        // The MatMul op takes matrices only; tf.matmul sends higher ranks to BatchMatMulV2, which broadcasts x.
        Assert.Contains("both inputs must be matrices", Assert.Throws<ValueError>(() => global::SharpFlow.Ops.MathOps.MatMul.Build(tf.zeros((2, 2, 2)), x)).Message);
        Assert.Equal(new Shape(2, 2, 3), tf.matmul(tf.zeros((2, 2, 2)), x).shape);
    }

    [Fact]
    public void ConstantValuesFoldIntoShapeRules()
    {
        using var g = TestGraph.Enter();
        var x = tf.zeros((4, 6));
        var s = tf.shape(x);
        Assert.Equal(new Shape(2), s.shape);
        // The shape tensor is known at build time, so Fill/Reshape get static shapes from it.
        Assert.Equal(new Shape(4, 6), tf.fill(s, 1.0f).shape);
        Assert.Equal(new Shape(6, 4), tf.reshape(x, tf.shape(tf.zeros((6, 4)))).shape);
    }
}
