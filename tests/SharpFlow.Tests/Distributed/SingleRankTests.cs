using SharpFlow.Distributed;

namespace SharpFlow.Tests.Distributed;

/// <summary>
/// The distributed ops and <see cref="DistributedOptimizer"/> in this test process, a job of one rank (MPI's
/// singleton start, no mpiexec): the fused buffers, the dtype groups and the gradient are exercised, and with one
/// rank every reduction is the identity, so the results must equal the plain computations exactly.
/// </summary>
[Trait("FreshMachine", "true")] // .ci/run runs these again with the data hidden and no MPI library
public class SingleRankTests
{
    public SingleRankTests()
    {
        Mpich.SkipUnlessAvailable(launcher: false); // skipped without MPICH's library, failed with SHARPFLOW_REQUIRE_MPI=1
        hvd.init(); // once per process; MPI is never finalized here, the process ends it
    }

    [SkippableFact]
    public void AllreduceAndBroadcastOfOneRankReturnTheInputs()
    {
        Assert.Equal((0, 1), (hvd.rank(), hvd.size()));
        using var g = TestGraph.Enter();
        var a = tf.constant(new[,] { { 1f, 2f }, { 3f, 4f } });
        var b = tf.constant(new[] { 0.5f, -1f, 7f });
        var reduced = hvd.allreduce([a, b]);
        Assert.Equal("MpiAllreduce", reduced[0].op.type);
        Assert.Same(reduced[0].op, reduced[1].op); // one fused op
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, g.Eval(reduced[0]).ToArray<float>());
        Assert.Equal(new[] { 0.5f, -1f, 7f }, g.Eval(reduced[1]).ToArray<float>());
        var grad = tf.gradients(tf.reduce_sum(hvd.allreduce(a) * 3f), a)[0]!;
        Assert.Equal(new[] { 3f, 3f, 3f, 3f }, g.Eval(grad).ToArray<float>());

        var w = tf.Variable(new[] { 1.0, 2.0 }, name: "w");
        var step = tf.Variable(5L, name: "step", trainable: false);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        sess.run(hvd.broadcast_global_variables(0));
        Assert.Equal(new[] { 1.0, 2.0 }, sess.run(w.value()).ToArray<double>());
        Assert.Equal(5L, sess.run(step.value()).item<long>());
        Assert.True(Mpi.Collectives > 0);
    }

    [SkippableFact]
    public void AllgatherObjectOfOneRankReturnsItsValueUnderTheWatchdog()
    {
        var before = Mpi.Collectives;
        Assert.Equal([-5L], hvd.allgather_object(-5L, "the test's gather"));
        Assert.Equal([(1.5, 7)], hvd.allgather_object((1.5, 7)));
        Assert.Equal(before + 2, Mpi.Collectives);
    }

    [SkippableFact]
    public void ADistributedOptimizerOfOneRankTakesThePlainOptimizersSteps()
    {
        float[] Train(bool distributed)
        {
            using var g = TestGraph.Enter();
            tf.set_random_seed(3);
            var x = tf.constant(new[,] { { 1f, 2f }, { -1f, 0.5f }, { 0f, 1f } });
            var w = tf.Variable(tf.random_normal(new Shape(2, 1)), name: "w");
            var bias = tf.Variable(tf.zeros(new Shape(1), tf.float64), name: "b64"); // a second dtype: a second fused group
            var loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - 1f)) + tf.cast(tf.reduce_sum(tf.square(bias - 1.0)), tf.float32);
            var adam = tf.train.AdamOptimizer(0.1);
            var train = distributed ? hvd.DistributedOptimizer(adam).minimize(loss) : adam.minimize(loss);
            using var sess = tf.Session();
            sess.run(tf.global_variables_initializer());
            for (var i = 0; i < 5; i++) sess.run(train);
            if (distributed)
                Assert.Equal(2, g.Graph.get_operations().Count(o => o.type == "MpiAllreduce"));
            return [.. sess.run(w.value()).ToArray<float>(), (float)sess.run(bias.value()).item<double>()];
        }
        Assert.Equal(Train(distributed: false), Train(distributed: true));
    }

    [SkippableFact]
    public void ManagedExceptionsRaisedThroughSignalsStillWorkAfterMpiStarts()
    {
        // .NET turns SIGSEGV into NullReferenceException; UCX (under Debian's MPICH) would take that signal over and
        // abort the process unless Mpi.Init keeps it away.
        string? nothing = Environment.GetEnvironmentVariable("SHARPFLOW_SURELY_UNSET_VARIABLE");
        Assert.Throws<NullReferenceException>(() => nothing!.Length);
        var zero = hvd.size() - 1;
        Assert.Throws<DivideByZeroException>(() => 1 / zero);
    }

    [SkippableFact]
    public void OneRanksShardIsTheWholeBatch() =>
        Assert.Equal(new[] { 1f, 2f, 3f }, hvd.shard(NDArray.FromArray(new[,] { { 1f }, { 2f }, { 3f } })).ToArray<float>());
}
