using SharpFlow.GraphIO;
using SharpFlow.Ops.State;
using SharpFlow.Ops.Training;
using SharpFlow.Tests.Support;
using static SharpFlow.Binding;

namespace SharpFlow.Tests.Train;

/// <summary>
/// The resource forms of the optimizer update ops (ResourceApplyAdam, ResourceSparseApplyMomentum, ...) against their
/// reference-variable forms: the same inputs give bitwise the same variables and slots over several steps; and the
/// variant attributes (use_nesterov) of imported update ops are honoured.
/// </summary>
public sealed class ResourceApplyTests
{
    /// <summary>A valid value for each hyper-parameter input, by TensorFlow's input name.</summary>
    private static double Hyper(string name) => name switch
    {
        "lr" or "alpha" => 0.1,
        "l1" => 0.01,
        "l2" => 0.02,
        "l2_shrinkage" => 0.01,
        "lr_power" => -0.5,
        "momentum" => 0.9,
        "beta1" => 0.9,
        "beta2" => 0.999,
        "beta1_power" => 0.81,
        "beta2_power" => 0.998,
        "epsilon" => 1e-7,
        "rho" => 0.95,
        "decay" => 0.9,
        _ => throw new ArgumentException($"no value for {name}"),
    };

    public static TheoryData<string> DenseOps => new(ResourceApplyOp.All.Select(o => o.Type));

    public static TheoryData<string> SparseOps => new(ResourceSparseApplyOp.All.Select(o => o.Type));

    [Theory]
    [MemberData(nameof(DenseOps))]
    public void EachResourceApplyOpUpdatesLikeItsReferenceForm(string type)
    {
        var op = ResourceApplyOp.All.Single(o => o.Type == type);
        var dense = op.Dense;
        Compare(dense.Inputs, dense.Refs, i => dense.IsInteger(i), null,
            (refs, others) => dense.Apply([.. refs, .. others], useLocking: false, name: null).op,
            (handles, others) => op.Apply([.. handles, .. others], useLocking: true));
    }

    [Theory]
    [MemberData(nameof(SparseOps))]
    public void EachResourceSparseApplyOpUpdatesLikeItsReferenceForm(string type)
    {
        var op = ResourceSparseApplyOp.All.Single(o => o.Type == type);
        var sparse = op.Sparse;
        Compare(sparse.Names, sparse.Dense.Refs, i => i != sparse.IndicesIndex && sparse.Dense.IsInteger(i > sparse.IndicesIndex ? i - 1 : i), sparse.IndicesIndex,
            (refs, others) => sparse.Apply([.. refs, .. others], useLocking: false).op,
            (handles, others) => op.Apply([.. handles, .. others], useLocking: false));
    }

    private static void Compare(string[] names, int refCount, Func<int, bool> isInteger, int? indicesIndex,
        Func<Tensor[], Tensor[], Operation> reference, Func<Tensor[], Tensor[], Operation> resource)
    {
        using var g = TestGraph.Enter();
        var random = new Random(7);
        var shape = new Shape(3, 2);
        NDArray Values(Shape s, double low) => new(Enumerable.Range(0, (int)s.NumElements).Select(_ => low + random.NextDouble()).ToArray(), s);
        var refs = new Tensor[refCount];
        var handles = new Tensor[refCount];
        var inits = new List<Operation>();
        for (var i = 0; i < refCount; i++)
        {
            var init = Values(shape, i == 0 ? -0.5 : 0.1); // slots positive: accumulators are square roots' arguments
            refs[i] = tf.Variable(tf.constant(init), name: names[i]);
            handles[i] = VarHandleOp.Build(DType.float64, shape, sharedName: $"r_{names[i]}", name: $"r_{names[i]}");
            inits.Add(AssignVariableOp.Build(handles[i], tf.constant(init), DType.float64));
        }
        var others = new Tensor[names.Length - refCount];
        for (var i = refCount; i < names.Length; i++)
        {
            others[i - refCount] = names[i] switch
            {
                "grad" or "delta" => tf.constant(indicesIndex is null ? Values(shape, -0.5) : Values(new Shape(4, 2), -0.5)),
                "indices" => tf.constant(new[] { 2, 0, 2, 1 }),
                _ when isInteger(i) => tf.constant(3L),
                _ => tf.constant(Hyper(names[i]), tf.float64),
            };
        }
        var step = reference(refs, others);
        var resourceStep = resource(handles, others);
        Assert.Empty(resourceStep.outputs);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        foreach (var init in inits) sess.run(init);
        for (var s = 0; s < 3; s++)
        {
            sess.run(step);
            sess.run(resourceStep);
        }
        for (var i = 0; i < refCount; i++)
            Assert.Equal(sess.run(refs[i]).ToArray<double>(), sess.run(ReadVariableOp.Build(handles[i], DType.float64)).ToArray<double>());
    }

    [Fact]
    public void ResourceApplyOpsRefuseInputsOfTheWrongDTypeOrKind()
    {
        using var g = TestGraph.Enter();
        var handle = VarHandleOp.Build(DType.float32, new Shape(2), name: "v");
        // Hyper-parameters of another dtype than the variable's: convert_to_tensor's ValueError.
        var e = Assert.Throws<ValueError>(() => ResourceApplyOp.GradientDescent.Apply([handle, tf.constant(0.1, tf.float64), tf.constant(new[] { 1.0, 2.0 }, tf.float64)], false, name: "step"));
        Assert.Contains("Tensor conversion requested dtype float32 for Tensor with dtype float64", e.Message);
        // A tensor where the handle belongs.
        var notAHandle = Assert.Throws<TypeError>(() => ResourceApplyOp.GradientDescent.Apply([tf.constant(new[] { 1f, 2f }), tf.constant(0.1f), tf.constant(new[] { 1f, 2f })], false, name: "step2"));
        Assert.Contains("must be a resource handle", notAHandle.Message);
        Assert.Contains("step2", notAHandle.Message);
    }

    [Fact]
    public void AResourceApplyOpOnAnUninitializedVariableIsAFailedPreconditionError()
    {
        using var g = TestGraph.Enter();
        var handle = VarHandleOp.Build(DType.float32, new Shape(2), sharedName: "v", name: "v");
        var step = ResourceApplyOp.GradientDescent.Apply([handle, tf.constant(0.1f), tf.constant(new[] { 1f, 2f })], false, name: "step");
        using var sess = tf.Session();
        var e = Assert.Throws<FailedPreconditionError>(() => sess.run(step));
        Assert.Contains("Error while reading resource variable v", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ImportedMomentumAndAdamUpdatesFollowTheirUseNesterovAttribute(bool nesterov)
    {
        // An imported op is found by its type alone; its use_nesterov attribute must choose the rule.
        var graph = new Graph();
        using (graph.as_default())
        {
            var v = tf.Variable(tf.constant(new[] { 1.0, -2.0 }, tf.float64), name: "v");
            var accum = tf.Variable(tf.constant(new[] { 0.5, 0.25 }, tf.float64), name: "accum");
            var w = tf.Variable(tf.constant(new[] { 1.0, -2.0 }, tf.float64), name: "w");
            var m = tf.Variable(tf.constant(new[] { 0.1, 0.2 }, tf.float64), name: "m");
            var s = tf.Variable(tf.constant(new[] { 0.3, 0.4 }, tf.float64), name: "s");
            var grad = tf.constant(new[] { 0.3, -0.7 }, tf.float64);
            (nesterov ? ApplyMomentum.Nesterov : ApplyMomentum.Def).Apply([v, accum, tf.constant(0.1, tf.float64), grad, tf.constant(0.9, tf.float64)], false, "momentum", new() { ["use_nesterov"] = nesterov });
            (nesterov ? ApplyAdam.Nesterov : ApplyAdam.Def).Apply([w, m, s, tf.constant(0.81, tf.float64), tf.constant(0.998, tf.float64), tf.constant(0.1, tf.float64), tf.constant(0.9, tf.float64), tf.constant(0.999, tf.float64), tf.constant(1e-7, tf.float64), grad],
                false, "adam", new() { ["use_nesterov"] = nesterov });
        }
        var expectedV = new[] { 1.0, -2.0 };
        var expectedW = new[] { 1.0, -2.0 };
        double[] a = [0.5, 0.25], mm = [0.1, 0.2], ss = [0.3, 0.4], gv = [0.3, -0.7];
        var alpha = 0.1 * Math.Sqrt(1 - 0.998) / (1 - 0.81);
        for (var i = 0; i < 2; i++)
        {
            a[i] = a[i] * 0.9 + gv[i];
            expectedV[i] -= nesterov ? gv[i] * 0.1 + a[i] * 0.9 * 0.1 : a[i] * 0.1;
            mm[i] += (gv[i] - mm[i]) * (1 - 0.9);
            ss[i] += (gv[i] * gv[i] - ss[i]) * (1 - 0.999);
            expectedW[i] -= (nesterov ? (gv[i] * (1 - 0.9) + 0.9 * mm[i]) * alpha : mm[i] * alpha) / (Math.Sqrt(ss[i]) + 1e-7);
        }
        using var g = TestGraph.Enter();
        tf.import_graph_def(graph.as_graph_def(), name: "");
        using var sess = tf.Session();
        sess.run(tf.get_default_graph().get_operations().Where(o => o.name.EndsWith("/Assign", StringComparison.Ordinal)).ToArray());
        sess.run(new[] { tf.get_default_graph().get_operation_by_name("momentum"), tf.get_default_graph().get_operation_by_name("adam") });
        var vAfter = sess.run(tf.get_default_graph().get_tensor_by_name("v:0")).ToArray<double>();
        var wAfter = sess.run(tf.get_default_graph().get_tensor_by_name("w:0")).ToArray<double>();
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(expectedV[i], vAfter[i], 1e-12);
            Assert.Equal(expectedW[i], wAfter[i], 1e-12);
        }
        Assert.NotNull(OpRegistry.Find("ResourceApplyAdam"));
    }
}
