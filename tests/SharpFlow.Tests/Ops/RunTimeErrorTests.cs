using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Ops;

/// <summary>
/// Bad values that only show at run time (the shapes were unknown when the graph was built) end in an
/// InvalidArgumentError that names the op and says what was wrong: one row per error path.
/// </summary>
public class RunTimeErrorTests
{
    public static TheoryData<string, Func<Tensor, Tensor>, NDArray, string> Cases() => new()
    {
        { "matmul", p => tf.matmul(p, tf.zeros((3, 2)), name: "mm"), new float[2, 4], "Matrix size-incompatible: In[0]: [2,4], In[1]: [3,2]" },
        { "add", p => tf.add(p, tf.zeros(new[] { 3 }), name: "sum"), new float[] { 1, 2 }, "Incompatible shapes: [2] vs. [3]" },
        { "reshape", p => tf.reshape(p, new[] { 4 }, name: "rs"), new float[] { 1, 2 }, "Input to reshape is a tensor with 2 values, but the requested shape has 4" },
        { "argmax", p => tf.argmax(p, 0, name: "am"), new float[0, 3], "Reduction axis 0 is empty in shape [0,3]" },
        { "sum", p => tf.reduce_sum(p, 1, name: "s"), new float[] { 1, 2 }, "Invalid reduction dimension 1 for input with 1 dimensions." },
        { "addn", p => tf.add_n(new[] { p, tf.placeholder_with_default(tf.zeros(new[] { 3 }), new[] { -1 }) }, name: "an"), new float[] { 1, 2 }, "must have the same size and shape" },
        { "select", p => tf.where(tf.placeholder_with_default(new[] { true, false }, new[] { -1 }), p, p * 2, name: "sel"), new float[] { 1, 2, 3 }, "'cond' must be a scalar, a vector of the first dimension of 'then', or the shape of 'then'" },
        { "concat", p => tf.concat(new[] { p, tf.zeros((2, 2)) }, 0, name: "cc"), new float[2, 3], "ConcatOp : Dimensions of inputs should match" },
        { "transpose", p => tf.transpose(p, new[] { 1, 0 }, name: "tr"), new float[] { 1 }, "transpose expects a vector of size 1" },
        { "pow", p => tf.pow(tf.cast(p, tf.int32), -1, name: "pw"), new float[] { 2 }, "Integers to negative integer powers are not allowed" },
        // Out-of-range indices, labels and axes.
        { "gather index past the end", p => tf.gather(tf.ones(new Shape(5, 3)), p, name: "lookup"), new[] { 1, 5 }, "indices[1] = 5 is not in [0, 5)" },
        { "gather negative index", p => tf.gather(tf.ones(new Shape(2, 5)), p, 1, name: "lookup"), new[,] { { 0, 1 }, { -1, 2 } }, "indices[1,0] = -1 is not in [0, 5)" },
        { "segment id past the end", p => tf.unsorted_segment_sum(tf.ones(new Shape(3, 2)), p, 2, name: "segments"), new[] { 0, 2, 1 }, "segment_ids[1] = 2 is out of range [0, 2)" },
        { "scalar gather index", p => tf.gather(tf.ones(new Shape(5, 3)), p, name: "lookup"), NDArray.Scalar(7), "indices = 7 is not in [0, 5)" },
        { "sparse label past the classes", p => tf.nn.sparse_softmax_cross_entropy_with_logits(labels: p, logits: tf.zeros(new Shape(3, 10)), name: "xent"), new[] { 0, 10, 3 }, "Received a label value of 10 which is outside the valid range of [0, 10)" },
        { "negative sparse label", p => tf.nn.sparse_softmax_cross_entropy_with_logits(labels: p, logits: tf.zeros(new Shape(2, 4)), name: "xent"), new[] { -1, 0 }, "Received a label value of -1 which is outside the valid range of [0, 4)" },
        { "argmax axis fed out of range", p => tf.argmax(tf.ones(new Shape(2, 3)), p, name: "am"), NDArray.Scalar(2), "Expected dimension in the range [-2, 2), but got 2" },
        { "gather axis fed out of range", p => tf.gather(tf.ones(new Shape(2, 3)), new[] { 0 }, p, name: "lookup"), NDArray.Scalar(-3), "Expected axis in the range [-2, 2), but got -3" },
        { "one_hot depth fed negative", p => tf.one_hot(new[] { 1 }, p, name: "oh"), NDArray.Scalar(-1), "depth must be non-negative" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadRunTimeValuesNameTheOp(string label, Func<Tensor, Tensor> build, NDArray value, string message)
    {
        using var g = TestGraph.Enter();
        var p = tf.placeholder(value.dtype, name: "p");
        var y = build(p);
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(y, new FeedDict { [p] = value }));
        Assert.Contains(message, e.RawMessage);
        Assert.Equal(y.op.name, e.NodeName);
        Assert.EndsWith($"[[{{{{node {y.op.name}}}}}]]", e.Message);
        _ = label;
    }

    [Fact]
    public void DynamicShapeArgumentsAreCheckedToo()
    {
        using var g = TestGraph.Enter();
        var dims = tf.placeholder(tf.int32, name: "dims");
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.fill(dims, 1f), new FeedDict { [dims] = new[] { 2, -3 } }));
        Assert.Contains("dims[1] = -3 is not a valid dimension", e.Message);
        var depth = tf.placeholder(tf.int32, name: "depth");
        var d = Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.one_hot(new[] { 1 }, depth), new FeedDict { [depth] = -1 }));
        Assert.Contains("depth must be non-negative", d.Message);
        var n = tf.placeholder(tf.int32, name: "n");
        Assert.Contains("Requires num > 0", Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.linspace(0.0, 1.0, n), new FeedDict { [n] = 0 })).Message);
        var delta = tf.placeholder(tf.int32, name: "delta");
        Assert.Contains("Requires delta != 0", Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.range(0, 5, delta), new FeedDict { [delta] = 0 })).Message);
        var shape = tf.placeholder(tf.int32, name: "shape");
        Assert.Contains("shape[0] = -2 is not a valid dimension",
            Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.random_uniform(shape), new FeedDict { [shape] = new[] { -2 } })).Message);
    }
}
