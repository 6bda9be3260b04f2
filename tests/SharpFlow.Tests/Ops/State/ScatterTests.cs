using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Ops.State;

/// <summary>The ref-variable scatters of state_ops (ScatterUpdate ... ScatterMax, ScatterNdUpdate/Add/Sub).</summary>
public class ScatterTests
{
    private delegate Tensor ScatterFn(Variable v, TensorLike indices, TensorLike updates);

    private static readonly (string Name, ScatterFn Op, Func<double, double, double> F)[] Ops =
    [
        ("scatter_update", (v, i, u) => tf.scatter_update(v, i, u), (_, u) => u),
        ("scatter_add", (v, i, u) => tf.scatter_add(v, i, u), (p, u) => p + u),
        ("scatter_sub", (v, i, u) => tf.scatter_sub(v, i, u), (p, u) => p - u),
        ("scatter_mul", (v, i, u) => tf.scatter_mul(v, i, u), (p, u) => p * u),
        ("scatter_div", (v, i, u) => tf.scatter_div(v, i, u), (p, u) => p / u),
        ("scatter_min", (v, i, u) => tf.scatter_min(v, i, u), Math.Min),
        ("scatter_max", (v, i, u) => tf.scatter_max(v, i, u), Math.Max),
    ];

    private static NDArray Make(double[] values, Shape shape, DType dtype)
    {
        if (dtype == tf.float32) return NDArray.FromFlat(values.Select(v => (float)v).ToArray(), shape);
        if (dtype == tf.int32) return NDArray.FromFlat(values.Select(v => (int)v).ToArray(), shape);
        if (dtype == tf.int64) return NDArray.FromFlat(values.Select(v => (long)v).ToArray(), shape);
        return NDArray.FromFlat(values, shape);
    }

    private static double[] Values(System.Random r, long n, bool integer) =>
        Enumerable.Range(0, (int)n).Select(_ => integer ? r.Next(1, 9) * (r.Next(2) == 0 ? -1 : 1) : Math.Round(r.NextDouble() * 4 - 2, 3) + 0.1).ToArray();

    /// <summary>As scatter_ops_test.py's _VariableRankTest: random variables, indices of rank 0..2 with repeats, against a loop.</summary>
    [Fact]
    public void EveryScatterMatchesASequentialLoopWithRepeatedIndices()
    {
        var r = new System.Random(7);
        foreach (var dtype in new[] { tf.float32, tf.float64, tf.int32, tf.int64 })
            foreach (var (name, op, f) in Ops)
                foreach (var (paramsShape, indicesShape) in new[] { (new Shape(5), new Shape(3)), (new Shape(6, 3), new Shape(4)), (new Shape(4, 2, 3), new Shape(2, 3)), (new Shape(4, 2), Shape.Scalar) })
                {
                    var integer = dtype.is_integer;
                    var p = Values(r, paramsShape.NumElements, integer);
                    var idx = Enumerable.Range(0, (int)indicesShape.NumElements).Select(_ => r.Next(paramsShape[0])).ToArray();
                    var updatesShape = new Shape([.. indicesShape.Dims, .. paramsShape.Dims[1..]]);
                    var u = Values(r, updatesShape.NumElements, integer);
                    var row = (int)(paramsShape.NumElements / paramsShape[0]);
                    var expected = (double[])p.Clone();
                    for (var i = 0; i < idx.Length; i++)
                        for (var k = 0; k < row; k++)
                        {
                            var y = f(expected[idx[i] * row + k], u[i * row + k]);
                            expected[idx[i] * row + k] = integer && name == "scatter_div" ? Math.Truncate(y) : y;
                        }
                    using var g = TestGraph.Enter();
                    var v = tf.Variable(Make(p, paramsShape, dtype), dtype: dtype);
                    var result = op(v, NDArray.FromFlat(idx, indicesShape), Make(u, updatesShape, dtype));
                    Assert.Equal(paramsShape, result.shape);
                    Assert.Equal(dtype, result.dtype);
                    using var sess = tf.Session();
                    sess.run(v.initializer);
                    var got = sess.run(result);
                    AssertArray.Close(Make(expected, paramsShape, dtype), got, 1e-5, $"{name} {dtype.name} {paramsShape} indices {indicesShape}");
                    // The variable itself was updated in place.
                    AssertArray.Close(got, sess.run(v.value()));
                }
    }

    [Fact]
    public void AScalarUpdateGoesToEveryNamedRow()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(new[,] { { 1f, 2f }, { 3f, 4f }, { 5f, 6f } });
        using var sess = tf.Session();
        sess.run(v.initializer);
        AssertArray.Equal(new[] { 9f, 9f, 3f, 4f, 9f, 9f }, sess.run(tf.scatter_update(v, new[] { 2, 0 }, 9f)));
        AssertArray.Equal(new[] { 19f, 19f, 3f, 4f, 29f, 29f }, sess.run(tf.scatter_add(v, new[] { 2, 0, 2 }, 10f)));
    }

    /// <summary>scatter_ops_test.py's testBooleanScatterUpdate.</summary>
    [Fact]
    public void ScatterUpdateTakesBooleansAndScalarIndices()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(new[] { true, false });
        var update0 = tf.scatter_update(v, 1, true);
        var update1 = tf.scatter_update(v, tf.constant(0L), false);
        using var sess = tf.Session();
        sess.run(v.initializer);
        sess.run(update0);
        sess.run(update1);
        AssertArray.Equal(new[] { false, true }, sess.run(v));
    }

    [Fact]
    public void TheOpsAreBuiltLikeTensorFlows()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(new[] { 1f, 2f, 3f }, name: "v");
        var s = tf.scatter_update(v, new[] { 0 }, new[] { 5f });
        Assert.Equal("ScatterUpdate", s.op.type);
        Assert.Equal("ScatterUpdate:0", s.name);
        Assert.True(s.op.Attr<bool>("use_locking"));
        Assert.False(tf.scatter_add(v, new[] { 0 }, new[] { 5f }).op.Attr<bool>("use_locking"));
        Assert.Equal("ScatterNdUpdate", tf.scatter_nd_update(v, new[,] { { 0 } }, new[] { 5f }).op.type);
        Assert.Equal("v", s.op.inputs[0].op.name);
        // No gradient flows through a scatter (TensorFlow registers none).
        Assert.Null(tf.gradients(tf.scatter_mul(v, new[] { 0 }, new[] { 2f }), v)[0]);
    }

    /// <summary>scatter_ops_test.py's testScatterOutOfRangeCpu.</summary>
    [Fact]
    public void AnIndexOutOfRangeIsAnInvalidArgument()
    {
        foreach (var (name, op, _) in Ops)
        {
            using var g = TestGraph.Enter();
            var v = tf.Variable(new[] { 1f, 2f, 3f, 4f, 5f, 6f });
            var updates = new[] { -3f, -4f, -5f };
            using var sess = tf.Session();
            sess.run(v.initializer);
            sess.run(op(v, new[] { 2, 0, 5 }, updates));
            var e = Assert.Throws<InvalidArgumentError>(() => sess.run(op(v, new[] { -1, 0, 5 }, updates)));
            Assert.Equal("indices[0] = -1 is not in [0, 6)", e.RawMessage);
            e = Assert.Throws<InvalidArgumentError>(() => sess.run(op(v, new[] { 2, 0, 6 }, updates)));
            Assert.Equal("indices[2] = 6 is not in [0, 6)", e.RawMessage);
            Assert.StartsWith("Scatter", e.NodeName);
            e = Assert.Throws<InvalidArgumentError>(() => sess.run(op(v, new[,] { { 2, 0 }, { 1, 7 } }, new[,] { { 1f, 1f }, { 1f, 1f } })));
            Assert.Equal("indices[1,1] = 7 is not in [0, 6)", e.RawMessage);
        }
    }

    [Fact]
    public void BadShapesAndDtypesAreRefused()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(new[,] { { 1f, 2f }, { 3f, 4f } }, name: "v");
        var e = Assert.Throws<ValueError>(() => tf.scatter_add(v, new[] { 0, 1 }, new[] { 1f, 2f }, name: "bad"));
        Assert.Contains("ScatterAdd \"bad\"", e.Message);
        Assert.Contains("indices.shape + ref.shape[1:] = [2,2]", e.Message);
        var scalar = tf.Variable(1f, name: "s");
        Assert.Contains("ScatterSub \"ScatterSub\"", Assert.Throws<ValueError>(() => tf.scatter_sub(scalar, 0, 1f)).Message);
        var t = Assert.Throws<TypeError>(() => SharpFlow.Ops.State.ScatterAdd.Build(tf.constant(new[] { 1f }), new[] { 0 }, new[] { 1f }));
        Assert.Contains("ScatterAdd", t.Message);
        var b = tf.Variable(new[] { true });
        Assert.Contains("ScatterMax", Assert.Throws<TypeError>(() => tf.scatter_max(b, new[] { 0 }, new[] { true })).Message);
        Assert.Contains("indices must be int32 or int64", Assert.Throws<TypeError>(() => tf.scatter_add(v, new[] { 0f }, new[,] { { 1f, 2f } })).Message);

        // Shapes known only at run time.
        var updates = tf.placeholder(tf.float32);
        var indices = tf.placeholder(tf.int32);
        var op = tf.scatter_add(v, indices, updates, name: "late");
        using var sess = tf.Session();
        sess.run(v.initializer);
        var r = Assert.Throws<InvalidArgumentError>(() => sess.run(op, new FeedDict { [indices] = new[] { 0 }, [updates] = new[] { 1f, 2f, 3f } }));
        Assert.Equal("Must have updates.shape = indices.shape + params.shape[1:] or updates.shape = [], got updates.shape [3], indices.shape [1], params.shape [2,2]", r.RawMessage);
        Assert.Equal("late", r.NodeName);
        AssertArray.Equal(new[] { 6f, 7f, 3f, 4f }, sess.run(op, new FeedDict { [indices] = new[] { 0 }, [updates] = 5f }));
    }

    [Fact]
    public void UninitializedVariablesAndIntegerDivisionByZeroFail()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(new[] { 4, 6 }, name: "w");
        var div = tf.scatter_div(v, new[] { 1 }, new[] { 0 }, name: "div");
        using var sess = tf.Session();
        var e = Assert.Throws<FailedPreconditionError>(() => sess.run(tf.scatter_add(v, new[] { 0 }, new[] { 1 })));
        Assert.Equal("Attempting to use uninitialized value w", e.RawMessage);
        sess.run(v.initializer);
        var d = Assert.Throws<InvalidArgumentError>(() => sess.run(div));
        Assert.Equal("div", d.NodeName);
        AssertArray.Equal(new[] { 2, 6 }, sess.run(tf.scatter_div(v, new[] { 0 }, new[] { 2 })));
        AssertArray.Equal(new[] { -1, 6 }, sess.run(tf.scatter_div(v, new[] { 0 }, new[] { -2 })));
    }

    // ----- ScatterNdUpdate, ScatterNdAdd, ScatterNdSub -----

    /// <summary>scatter_nd_ops_test.py's testSimple, testSimple2, testSimple3.</summary>
    [Fact]
    public void ScatterNdUpdateMatchesTensorFlowsTests()
    {
        using var g = TestGraph.Enter();
        var a = tf.Variable(new float[8]);
        var b = tf.Variable(new float[2, 2]);
        var c = tf.Variable(new float[2, 2]);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        AssertArray.Equal(new[] { 0f, 11, 0, 10, 9, 0, 0, 12 }, sess.run(tf.scatter_nd_update(a, new[,] { { 4 }, { 3 }, { 1 }, { 7 } }, new[] { 9f, 10, 11, 12 })));
        AssertArray.Equal(new[] { 0f, 0, 11, 12 }, sess.run(tf.scatter_nd_update(b, new[,] { { 1, 0 }, { 1, 1 } }, new[] { 11f, 12 })));
        AssertArray.Equal(new[] { 0f, 0, 11, 12 }, sess.run(tf.scatter_nd_update(c, new[,] { { 1 } }, new[,] { { 11f, 12 } })));
    }

    [Fact]
    public void ScatterNdAddAndSubAccumulateLikeALoop()
    {
        var r = new System.Random(3);
        foreach (var dtype in new[] { tf.float32, tf.float64, tf.int32, tf.int64 })
            foreach (var (mode, sign) in new[] { ("add", 1.0), ("sub", -1.0), ("update", 0.0) })
            {
                var shape = new Shape(3, 4, 2);
                var p = Values(r, shape.NumElements, dtype.is_integer);
                // Five index rows of depth 2 over [3, 4], some repeated (update: distinct, since TF leaves the order open).
                var rows = mode == "update" ? new[] { 0, 0, 2, 3, 1, 1, 2, 0, 0, 3 } : new[] { 0, 1, 2, 3, 0, 1, 2, 0, 1, 1 };
                var u = Values(r, 5 * 2, dtype.is_integer);
                var expected = (double[])p.Clone();
                for (var i = 0; i < 5; i++)
                    for (var k = 0; k < 2; k++)
                    {
                        var at = (rows[2 * i] * 4 + rows[2 * i + 1]) * 2 + k;
                        expected[at] = mode == "update" ? u[2 * i + k] : expected[at] + sign * u[2 * i + k];
                    }
                using var g = TestGraph.Enter();
                var v = tf.Variable(Make(p, shape, dtype), dtype: dtype);
                var idx = NDArray.FromFlat(rows, new Shape(5, 2));
                var updates = Make(u, new Shape(5, 2), dtype);
                var op = mode switch { "add" => tf.scatter_nd_add(v, idx, updates), "sub" => tf.scatter_nd_sub(v, idx, updates), _ => tf.scatter_nd_update(v, idx, updates) };
                Assert.Equal(shape, op.shape);
                using var sess = tf.Session();
                sess.run(v.initializer);
                AssertArray.Close(Make(expected, shape, dtype), sess.run(op), 1e-6, $"{mode} {dtype.name}");
            }
    }

    [Fact]
    public void ScatterNdErrorsNameTheOp()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(new float[3, 2], name: "v");
        var e = Assert.Throws<ValueError>(() => tf.scatter_nd_add(v, new[,] { { 1 }, { 2 } }, new[,] { { 1f, 2f, 3f }, { 1f, 2f, 3f } }, name: "nd"));
        Assert.Equal("ScatterNdAdd \"nd\": The inner 1 dimensions of input.shape=[3,2] must match the inner 1 dimensions of updates.shape=[2,3]", e.Message);
        e = Assert.Throws<ValueError>(() => tf.scatter_nd_sub(v, new[,] { { 1 }, { 2 } }, new[,] { { 1f, 2f } }, name: "nd2"));
        Assert.Equal("ScatterNdSub \"nd2\": The outer 1 dimensions of indices.shape=[2,1] must match the outer 1 dimensions of updates.shape=[1,2]", e.Message);
        var op = tf.scatter_nd_update(v, new[,] { { 1, 0 }, { 3, 1 } }, new[] { 1f, 2f }, name: "upd");
        var indices = tf.placeholder(tf.int32);
        var late = tf.scatter_nd_update(v, indices, new[] { 1f, 2f }, name: "late");
        using var sess = tf.Session();
        sess.run(v.initializer);
        var r = Assert.Throws<InvalidArgumentError>(() => sess.run(op));
        Assert.Equal("indices[1] = [3, 1] does not index into param shape [3,2]", r.RawMessage);
        Assert.Equal("upd", r.NodeName);
        r = Assert.Throws<InvalidArgumentError>(() => sess.run(late, new FeedDict { [indices] = new[,] { { 1 } } }));
        Assert.StartsWith("Must have updates.shape = indices.shape[:batch_dim] + params_shape[slice_dim:], got updates.shape: [2], indices.shape: [1,1]", r.RawMessage);
        Assert.Equal("late", r.NodeName);
    }
}
