using SharpFlow.Execution;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Ops.Control;

/// <summary>
/// What TensorFlow 1.x's control flow guarantees: untaken branches and finished loops run nothing, dead values
/// propagate, variables and control dependencies work inside loops, shape invariants and errors as TensorFlow's.
/// </summary>
public class ControlFlowSemanticsTests
{
    private static double D(NDArray a) => a.ToArray<double>()[0];

    [Fact]
    public void AnUntakenBranchRunsNothing()
    {
        using var g = TestGraph.Enter();
        var p = tf.placeholder(tf.@bool, Shape.Scalar);
        var x = tf.constant(1.0);
        // The false branch would fail: it must not run when the true branch is taken, and vice versa.
        var y = tf.cond(p, () => x + 1.0, () =>
        {
            using (tf.control_dependencies([tf.Assert(tf.constant(false), ["false branch ran"])]))
                return x - 1.0;
        });
        using var sess = tf.Session();
        Assert.Equal(2.0, D(sess.run(y, new FeedDict { [p] = NDArray.Scalar(true) })));
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(y, new FeedDict { [p] = NDArray.Scalar(false) }));
        Assert.Contains("assertion failed: [false branch ran]", e.Message);
    }

    [Fact]
    public void NestedCondsAndALoopInAnUntakenBranchAreDead()
    {
        using var g = TestGraph.Enter();
        var p = tf.placeholder(tf.@bool, Shape.Scalar);
        var q = tf.placeholder(tf.@bool, Shape.Scalar);
        var x = tf.constant(2.0);
        var y = tf.cond(p,
            () => tf.cond(q, () => x * 10.0, () => tf.while_loop(v => tf.less(v, 100.0), v => v * x, x)),
            () => x);
        using var sess = tf.Session();
        FeedDict F(bool a, bool b) => new() { [p] = NDArray.Scalar(a), [q] = NDArray.Scalar(b) };
        Assert.Equal(20.0, D(sess.run(y, F(true, true))));
        Assert.Equal(128.0, D(sess.run(y, F(true, false))));
        Assert.Equal(2.0, D(sess.run(y, F(false, true))));
        Assert.Equal(2.0, D(sess.run(y, F(false, false))));
    }

    [Fact]
    public void FetchingAValueOfAnUntakenBranchIsAnError()
    {
        using var g = TestGraph.Enter();
        var p = tf.placeholder(tf.@bool, Shape.Scalar);
        Tensor? inner = null;
        var y = tf.cond(p, () => inner = tf.constant(1.0) * 3.0, () => tf.constant(0.0));
        using var sess = tf.Session();
        Assert.Equal(3.0, D(sess.run(inner!, new FeedDict { [p] = NDArray.Scalar(true) })));
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(inner!, new FeedDict { [p] = NDArray.Scalar(false) }));
        Assert.Contains("Retval[0] does not have value", e.Message);
    }

    [Fact]
    public void AssignmentsInsideALoopRunOncePerIteration()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(0.0, name: "v");
        var r = tf.while_loop(i => tf.less(i, 5), i =>
        {
            using (tf.control_dependencies([tf.assign_add(v, 1.5)]))
                return i + 1;
        }, tf.constant(0));
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        Assert.Equal(5, sess.run(r).ToArray<int>()[0]);
        Assert.Equal(7.5, D(sess.run(v)));
    }

    [Fact]
    public void ReadValueInsideALoopSeesTheLoopsOwnUpdates()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(1.0, name: "v");
        // acc += v, then v *= 2: each iteration reads the value the previous one wrote (1 + 2 + 4). The sum is taken
        // before the update, since a read of a ref variable shares its buffer, as in TensorFlow 1.x.
        var (_, acc) = tf.while_loop((i, a) => tf.less(i, 3), (i, a) =>
        {
            var read = v.read_value();
            var sum = a + read;
            using (tf.control_dependencies([sum]))
            {
                var update = tf.assign(v, read * 2.0);
                using (tf.control_dependencies([update]))
                    return (i + 1, tf.identity(sum));
            }
        }, (tf.constant(0), tf.constant(0.0)));
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        Assert.Equal(7.0, D(sess.run(acc)));
        Assert.Equal(8.0, D(sess.run(v)));
    }

    [Fact]
    public void AControlDependencyOnAnOutsideOpInsideALoopIsKept()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(0.0, name: "v");
        var bump = tf.assign_add(v, 1.0);
        var r = tf.while_loop(i => tf.less(i, 3), i =>
        {
            using (tf.control_dependencies([bump]))
                return i + 1;
        }, tf.constant(0));
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        Assert.Equal(3, sess.run(r).ToArray<int>()[0]);
        // The outside op runs once, before the loop, as TensorFlow turns it into an Enter of its value.
        Assert.Equal(1.0, D(sess.run(v)));
    }

    [Fact]
    public void ShapeInvariantsLetALoopVariableGrow()
    {
        using var g = TestGraph.Enter();
        var loop = tf.while_loop(v => tf.less(v[0], 3), v => [v[0] + 1, tf.concat(new[] { v[1], v[1] }, 0)],
            [tf.constant(0), tf.constant(new[] { 1.0 })], shape_invariants: [null, new Shape(-1)]);
        Assert.Equal(new Shape(-1), loop[1].shape);
        Assert.Equal(8, g.Eval(loop[1]).size);

        var e = Assert.Throws<ValueError>(() => tf.while_loop(v => tf.less(v[0], 3), v => [v[0] + 1, tf.concat(new[] { v[1], v[1] }, 0)],
            [tf.constant(0), tf.constant(new[] { 1.0 })]));
        Assert.Contains("enters the loop with shape (1,), but has shape (2,) after one iteration", e.Message);
        Assert.Contains("shape_invariants", e.Message);
    }

    [Fact]
    public void LoopErrorsAreTensorFlows()
    {
        using var g = TestGraph.Enter();
        Assert.Contains("No loop variables provided", Assert.Throws<ValueError>(() => tf.while_loop(v => v[0], v => v, [])).Message);
        Assert.Contains("Number of inputs and outputs of body must match loop_vars: 2, 1",
            Assert.Throws<ValueError>(() => tf.while_loop(v => tf.less(v[0], 3), v => [v[0] + 1], [tf.constant(0), tf.constant(1.0)])).Message);
        Assert.Contains("must return a bool tensor", Assert.Throws<TypeError>(() => tf.while_loop(v => v + 1, v => v, tf.constant(0))).Message);
        Assert.Contains("Outputs of true_fn and false_fn must have the same type: float32, int32",
            Assert.Throws<ValueError>(() => tf.cond(tf.constant(true), () => tf.constant(1f), () => tf.constant(1))).Message);
    }

    [Fact]
    public void MaximumIterationsStopsTheLoop()
    {
        using var g = TestGraph.Enter();
        var r = tf.while_loop(v => tf.constant(true), v => v * 2.0, tf.constant(1.0), maximum_iterations: 10);
        Assert.Equal(1024.0, D(g.Eval(r)));
    }

    [Fact]
    public void TenThousandIterations()
    {
        using var g = TestGraph.Enter();
        var (i, s) = tf.while_loop((a, b) => tf.less(a, 10000), (a, b) => (a + 1, b + 2.0), (tf.constant(0), tf.constant(0.0)));
        using var sess = tf.Session();
        var values = sess.run(new[] { i, s });
        Assert.Equal(10000, values[0].ToArray<int>()[0]);
        Assert.Equal(20000.0, D(values[1]));
    }

    [Fact]
    public void BackPropFalseGivesNoGradient()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(2.0);
        var (_, y) = tf.while_loop((i, v) => tf.less(i, 3), (i, v) => (i + 1, v * x), (tf.constant(0), x), back_prop: false);
        Assert.Null(tf.gradients(y, x)[0]);
    }

    [Fact]
    public void CaseTakesTheFirstTruePredicate()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.int32, Shape.Scalar);
        var r = tf.case_([(tf.less(x, 0), () => tf.constant(-1.0)), (tf.equal(x, 0), () => tf.constant(0.0))], () => tf.constant(1.0));
        var exclusive = tf.case_([(tf.less(x, 10), () => tf.constant(1.0)), (tf.less(x, 5), () => tf.constant(2.0))], () => tf.constant(3.0), exclusive: true);
        using var sess = tf.Session();
        double Run(Tensor t, int v) => D(sess.run(t, new FeedDict { [x] = NDArray.Scalar(v) }));
        Assert.Equal(-1.0, Run(r, -5));
        Assert.Equal(0.0, Run(r, 0));
        Assert.Equal(1.0, Run(r, 7));
        Assert.Equal(1.0, Run(exclusive, 7));
        Assert.Equal(3.0, Run(exclusive, 20));
        var e = Assert.Throws<InvalidArgumentError>(() => Run(exclusive, 1));
        Assert.Contains("more than 1 conditions", e.Message);
    }

    [Fact]
    public void MapFnScanAndFoldsGiveTheirValues()
    {
        using var g = TestGraph.Enter();
        var elems = tf.constant(new[,] { { 1.0, 2.0 }, { 3.0, 4.0 }, { 5.0, 6.0 } }, tf.float64);
        var squares = tf.map_fn(r => r * r, elems);
        var sums = tf.map_fn(r => tf.reduce_sum(r), elems);
        var cumsum = tf.scan((a, r) => a + r, elems);
        var reverse = tf.scan((a, r) => a + r, elems, initializer: tf.constant(new[] { 100.0, 0.0 }, tf.float64), reverse: true);
        var left = tf.foldl((a, r) => a * 10.0 + r, tf.constant(new[] { 1.0, 2.0, 3.0 }, tf.float64));
        var right = tf.foldr((a, r) => a * 10.0 + r, tf.constant(new[] { 1.0, 2.0, 3.0 }, tf.float64));
        Assert.Equal(new Shape(3, 2), squares.shape);
        AssertArray.Equal(new[] { 1.0, 4, 9, 16, 25, 36 }, g.Eval(squares));
        AssertArray.Equal(new[] { 3.0, 7, 11 }, g.Eval(sums));
        AssertArray.Equal(new[] { 1.0, 2, 4, 6, 9, 12 }, g.Eval(cumsum));
        AssertArray.Equal(new[] { 109.0, 12, 108, 10, 105, 6 }, g.Eval(reverse));
        Assert.Equal(123.0, D(g.Eval(left)));
        Assert.Equal(321.0, D(g.Eval(right)));
    }

    [Fact]
    public void TensorArrayErrorsAreTensorFlows()
    {
        using var g = TestGraph.Enter();
        var ta = tf.TensorArray(tf.float32, size: 2);
        var unwritten = ta.read(1);
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(unwritten));
        Assert.Contains("Could not read from TensorArray index 1 because it has not yet been written to", e.Message);
        var twice = ta.write(0, 1f).write(0, 2f).read(0);
        Assert.Contains("because it has already been written to", Assert.Throws<InvalidArgumentError>(() => g.Eval(twice)).Message);
        var outOfRange = ta.write(2, 1f).read(0);
        Assert.Contains("Tried to write to index 2 but array is not resizeable and size is: 2", Assert.Throws<InvalidArgumentError>(() => g.Eval(outOfRange)).Message);
        var written = ta.write(0, 1f);
        var readTwice = tf.add(written.read(0), written.read(0));
        Assert.Contains("clear_after_read", Assert.Throws<InvalidArgumentError>(() => g.Eval(readTwice)).Message);
        var grown = tf.TensorArray(tf.float32, size: 0, dynamic_size: true).write(0, 1f).write(3, 4f);
        Assert.Equal(4, g.Eval(grown.size()).ToArray<int>()[0]);
    }

    [Fact]
    public void AcyclicGraphsKeepTheStaticPlan()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3));
        var y = tf.reduce_sum(tf.nn.relu(x));
        var plan = Plan.Build([y], [], [x], op => op.Def.CreateKernel(op));
        Assert.Null(plan.Dataflow);
        var c = tf.cond(tf.placeholder(tf.@bool, Shape.Scalar), () => y, () => -y);
        Assert.NotNull(Plan.Build([c], [], [x, (Tensor)c.op.inputs[0].op.inputs[0].op.inputs[1]], op => op.Def.CreateKernel(op)).Dataflow);
    }

    [Fact]
    public void FetchingAVariableReturnsItsValueAtTheEndOfTheRun()
    {
        using var g = TestGraph.Enter();
        var step = tf.Variable(0, name: "global_step", trainable: false);
        var w = tf.Variable(1.0, name: "w");
        var loss = tf.square(w);
        var train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step: step);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var first = sess.run([train, loss, step]);
        // TensorFlow 1.x returns the ref's value when the run ends: the incremented step (the book prints 1, 1001, ...).
        Assert.Equal(1, first[2]!.ToArray<int>()[0]);
        Assert.Equal(1.0, D(first[1]!));
        var second = sess.run([train, step]);
        Assert.Equal(2, second[1]!.ToArray<int>()[0]);
    }
}
