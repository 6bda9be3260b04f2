using SharpFlow.Train;

namespace SharpFlow.Tests.Train;

/// <summary>
/// The optimizers' sparse paths (gradients that are IndexedSlices, from gathers): over several steps the rows a
/// gather touches move exactly as the dense update of the same summed gradient moves them (the dense rules are
/// checked against TensorFlow's kernels in <see cref="OptimizerTests"/>), and every other row of the variable and
/// its slots stays as it was. Repeated ids sum before the update, as TensorFlow's
/// <c>_apply_sparse_duplicate_indices</c>.
/// </summary>
public class SparseOptimizerTests
{
    private const int Steps = 4;
    private static readonly int[] Ids = [3, 0, 3, 1]; // rows 0, 1 and 3 of 5; row 3 twice, rows 2 and 4 untouched

    public static TheoryData<string> Optimizers => new()
    {
        "GradientDescent", "Momentum", "Nesterov", "Adagrad", "AdagradDA", "Adadelta", "Ftrl", "FtrlShrinkage",
        "ProximalGradientDescent", "ProximalAdagrad", "RMSProp", "RMSPropMomentum", "CenteredRMSProp", "Adam",
    };

    private static Optimizer Make(string name) => name switch
    {
        "GradientDescent" => tf.train.GradientDescentOptimizer(0.1),
        "Momentum" => tf.train.MomentumOptimizer(0.1, 0.9),
        "Nesterov" => tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov: true),
        "Adagrad" => tf.train.AdagradOptimizer(0.3),
        "AdagradDA" => tf.train.AdagradDAOptimizer(0.3, tf.train.get_or_create_global_step(), l1_regularization_strength: 0.01, l2_regularization_strength: 0.02),
        "Adadelta" => tf.train.AdadeltaOptimizer(1.0),
        "Ftrl" => tf.train.FtrlOptimizer(0.5, l1_regularization_strength: 0.01, l2_regularization_strength: 0.02),
        "FtrlShrinkage" => tf.train.FtrlOptimizer(0.5, l1_regularization_strength: 0.01, l2_regularization_strength: 0.02, l2_shrinkage_regularization_strength: 0.05),
        "ProximalGradientDescent" => tf.train.ProximalGradientDescentOptimizer(0.2, l1_regularization_strength: 0.01, l2_regularization_strength: 0.02),
        "ProximalAdagrad" => tf.train.ProximalAdagradOptimizer(0.3, l1_regularization_strength: 0.01, l2_regularization_strength: 0.02),
        "RMSProp" => tf.train.RMSPropOptimizer(0.05),
        "RMSPropMomentum" => tf.train.RMSPropOptimizer(0.05, momentum: 0.5),
        "CenteredRMSProp" => tf.train.RMSPropOptimizer(0.05, momentum: 0.5, centered: true),
        "Adam" => tf.train.AdamOptimizer(0.1),
        _ => throw new ArgumentException(name),
    };

    private static readonly double[,] Initial = { { 1.0, -2.0 }, { 0.5, 3.0 }, { -1.5, 0.25 }, { 2.0, -0.5 }, { 0.75, 1.25 } };

    /// <summary>Trains for <see cref="Steps"/> steps; the loss reaches the variable through a gather (sparse) or a dense matmul with a one-hot matrix (dense).</summary>
    private static (List<double[,]> Values, List<double[,]> Slots, string[] UpdateOps) Train(string optimizer, bool sparse)
    {
        using var g = TestGraph.Enter();
        var w = tf.Variable(tf.constant(Initial, tf.float64), name: "embeddings");
        var target = tf.constant(new[,] { { 0.3, 0.1 }, { -0.7, 2.0 }, { 0.2, 0.4 }, { 1.0, -1.0 } }, tf.float64);
        Tensor rows;
        if (sparse) rows = tf.gather(w, tf.constant(Ids));
        else
        {
            var hot = new double[Ids.Length, 5];
            for (var i = 0; i < Ids.Length; i++) hot[i, Ids[i]] = 1;
            rows = tf.matmul(tf.constant(hot, tf.float64), w);
        }
        var loss = tf.reduce_sum(tf.square(rows - target) * tf.constant(new[,] { { 1.0, 2.0 }, { 0.5, 1.0 }, { 3.0, 0.25 }, { 1.5, 1.0 } }, tf.float64));
        var opt = Make(optimizer);
        var gradsAndVars = opt.compute_gradients(loss, [w]);
        Assert.Equal(sparse, gradsAndVars[0].grad is IndexedSlices);
        var train = opt.apply_gradients(gradsAndVars, optimizer == "AdagradDA" ? null : tf.train.get_or_create_global_step());
        Tensor step = tf.train.get_or_create_global_step();
        var increment = optimizer == "AdagradDA" ? tf.assign_add((Variable)step, 1) : null;
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var values = new List<double[,]>();
        var slots = new List<double[,]>();
        for (var s = 0; s < Steps; s++)
        {
            sess.run(train);
            if (increment is not null) sess.run(increment);
            values.Add(To2D(sess.run(w)));
            foreach (var name in opt.get_slot_names()) slots.Add(To2D(sess.run(opt.get_slot(w, name)!)));
        }
        var updates = g.Graph.get_operations().Where(o => o.name.StartsWith(opt.get_name() + "/update_embeddings", StringComparison.Ordinal)).Select(o => o.type).ToArray();
        return (values, slots, updates);
    }

    private static double[,] To2D(NDArray a)
    {
        var flat = a.ToArray<double>();
        var r = new double[5, 2];
        for (var i = 0; i < 10; i++) r[i / 2, i % 2] = flat[i];
        return r;
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void TouchedRowsMoveAsTheDenseUpdateAndTheOthersStay(string optimizer)
    {
        var dense = Train(optimizer, sparse: false);
        var sparse = Train(optimizer, sparse: true);
        int[] touched = [0, 1, 3];
        for (var s = 0; s < Steps; s++)
            for (var r = 0; r < 5; r++)
                for (var c = 0; c < 2; c++)
                {
                    var expected = touched.Contains(r) ? dense.Values[s][r, c] : Initial[r, c];
                    Assert.True(Math.Abs(sparse.Values[s][r, c] - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)),
                        $"{optimizer} step {s + 1} row {r} col {c}: sparse {sparse.Values[s][r, c]:R}, expected {expected:R}");
                }
        // The slots' touched rows match the dense update's too.
        Assert.Equal(dense.Slots.Count, sparse.Slots.Count);
        for (var k = 0; k < dense.Slots.Count; k++)
            foreach (var r in touched)
                for (var c = 0; c < 2; c++)
                    Assert.True(Math.Abs(sparse.Slots[k][r, c] - dense.Slots[k][r, c]) <= 1e-12 * Math.Max(1, Math.Abs(dense.Slots[k][r, c])), $"{optimizer} slot {k} row {r}");
    }

    [Theory]
    [InlineData("Momentum", "SparseApplyMomentum")]
    [InlineData("Adagrad", "SparseApplyAdagrad")]
    [InlineData("AdagradDA", "SparseApplyAdagradDA")]
    [InlineData("Adadelta", "SparseApplyAdadelta")]
    [InlineData("Ftrl", "SparseApplyFtrl")]
    [InlineData("FtrlShrinkage", "SparseApplyFtrlV2")]
    [InlineData("ProximalGradientDescent", "SparseApplyProximalGradientDescent")]
    [InlineData("ProximalAdagrad", "SparseApplyProximalAdagrad")]
    [InlineData("RMSProp", "SparseApplyRMSProp")]
    [InlineData("CenteredRMSProp", "SparseApplyCenteredRMSProp")]
    [InlineData("GradientDescent", "ScatterSub")]
    [InlineData("Adam", "ScatterAdd")]
    public void EachOptimizerUsesTensorFlowsSparseOp(string optimizer, string opType)
    {
        var (_, _, updates) = Train(optimizer, sparse: true);
        Assert.Contains(opType, updates);
        // Repeated ids are summed first (Unique + UnsortedSegmentSum), except by gradient descent, whose
        // scatter_sub adds repeated rows up itself (TensorFlow's override of _apply_sparse_duplicate_indices).
        if (optimizer == "GradientDescent") Assert.DoesNotContain("Unique", updates);
        else Assert.Contains("Unique", updates);
    }

    [Fact]
    public void FtrlShrinkageDenseUsesApplyFtrlV2()
    {
        var (_, _, updates) = Train("FtrlShrinkage", sparse: false);
        Assert.Contains("ApplyFtrlV2", updates);
    }

    [Fact]
    public void TheSparseKernelAppliesRepeatedIndicesOneAfterTheOther()
    {
        // SparseApplyAdagrad with index 1 twice: accum += g1², var -= lr·g1/sqrt(accum), then the same with g2, as
        // TensorFlow's kernel loops over the indices.
        using var g = TestGraph.Enter();
        var v = tf.Variable(tf.constant(new[] { 1.0, 2.0, 3.0 }, tf.float64), name: "v");
        var accum = tf.Variable(tf.constant(new[] { 0.1, 0.1, 0.1 }, tf.float64), name: "accum");
        var update = SharpFlow.Ops.Training.SparseApplyAdagrad.Def.Apply([v, accum, tf.constant(0.5, tf.float64), tf.constant(new[] { 0.3, -0.4 }, tf.float64), tf.constant(new[] { 1, 1 })], useLocking: false);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        sess.run(update);
        double a = 0.1, w = 2.0;
        foreach (var gi in new[] { 0.3, -0.4 })
        {
            a += gi * gi;
            w -= 0.5 * gi / Math.Sqrt(a);
        }
        Assert.Equal([1.0, w, 3.0], sess.run(v).ToArray<double>());
        Assert.Equal([0.1, a, 0.1], sess.run(accum).ToArray<double>());
    }

    [Fact]
    public void AnIndexOutOfRangeNamesTheOpAndChangesNothing()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(tf.constant(new[,] { { 1.0f, 2.0f }, { 3.0f, 4.0f } }), name: "v");
        var accum = tf.Variable(tf.ones(new Shape(2, 2)), name: "accum");
        var update = SharpFlow.Ops.Training.SparseApplyAdagrad.Def.Apply([v, accum, tf.constant(0.5f), tf.ones(new Shape(2, 2)), tf.constant(new[] { 0, 5 })], useLocking: false, name: "bad_update");
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(update));
        Assert.Contains("Index 5 at offset 1 in indices is out of range", e.Message);
        Assert.Contains("bad_update", e.Message);
        Assert.Equal([1f, 2f, 3f, 4f], sess.run(v).ToArray<float>());
        Assert.Equal([1f, 1f, 1f, 1f], sess.run(accum).ToArray<float>());
    }

    [Fact]
    public void MismatchedGradRowsAreRefusedWhenBuilt()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(tf.zeros(new Shape(4, 3)), name: "v");
        var accum = tf.Variable(tf.zeros(new Shape(4, 3)), name: "accum");
        var e = Assert.Throws<ValueError>(() => SharpFlow.Ops.Training.SparseApplyAdagrad.Def.Apply([v, accum, tf.constant(0.5f), tf.zeros(new Shape(2, 2)), tf.constant(new[] { 0, 1 })], useLocking: false));
        Assert.Contains("SparseApplyAdagrad", e.Message);
        var e2 = Assert.Throws<ValueError>(() => SharpFlow.Ops.Training.SparseApplyAdagrad.Def.Apply([v, accum, tf.constant(0.5f), tf.zeros(new Shape(2, 3)), tf.constant(new[] { 0, 1, 2 })], useLocking: false));
        Assert.Contains("indices and grad", e2.Message);
    }

    [Fact]
    public void ApplyFtrlV2FollowsTensorFlowsKernel()
    {
        // TensorFlow's ApplyFtrlV2 CPU kernel (training_ops.cc), step by step in float64.
        using var g = TestGraph.Enter();
        double[] w0 = [0.5, -1.0, 2.0], g0 = [0.3, -0.2, 0.05];
        var v = tf.Variable(tf.constant(w0, tf.float64), name: "v");
        var accum = tf.Variable(tf.constant(new[] { 0.1, 0.1, 0.1 }, tf.float64), name: "accum");
        var linear = tf.Variable(tf.constant(new[] { 0.0, 0.2, -0.1 }, tf.float64), name: "linear");
        double lr = 0.4, l1 = 0.05, l2 = 0.1, shrink = 0.2, power = -0.6;
        var update = SharpFlow.Ops.Training.ApplyFtrlV2.Def.Apply([v, accum, linear, tf.constant(g0, tf.float64), tf.constant(lr, tf.float64), tf.constant(l1, tf.float64), tf.constant(l2, tf.float64), tf.constant(shrink, tf.float64), tf.constant(power, tf.float64)], false, null);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        double[] w = [.. w0], a = [0.1, 0.1, 0.1], l = [0.0, 0.2, -0.1];
        for (var step = 0; step < 3; step++)
        {
            sess.run(update);
            for (var i = 0; i < 3; i++)
            {
                var gs = g0[i] + 2 * shrink * w[i];
                var next = a[i] + gs * gs;
                l[i] += gs - (Math.Pow(next, -power) - Math.Pow(a[i], -power)) / lr * w[i];
                var quadratic = Math.Pow(next, -power) / lr + 2 * l2;
                w[i] = Math.Abs(l[i]) > l1 ? (Math.Sign(l[i]) * l1 - l[i]) / quadratic : 0;
                a[i] = next;
            }
            var actual = sess.run(v).ToArray<double>();
            for (var i = 0; i < 3; i++) Assert.Equal(w[i], actual[i], 1e-12);
        }
    }
}
