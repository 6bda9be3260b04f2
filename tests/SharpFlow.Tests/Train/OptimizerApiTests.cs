namespace SharpFlow.Tests.Train;

/// <summary>Slots, names, the global step and the errors of the optimizer API.</summary>
public class OptimizerApiTests
{
    [Fact]
    public void AdamCreatesNamedSlotsAndBetaPowers()
    {
        using var g = TestGraph.Enter();
        var w = tf.Variable(tf.ones((2, 2)), name: "w");
        var b = tf.Variable(tf.zeros(new Shape(2)), name: "b");
        var loss = tf.reduce_sum(tf.matmul(tf.ones((1, 2)), w) + b);
        var opt = tf.train.AdamOptimizer();
        var train = opt.minimize(loss);
        Assert.Equal("Adam", train.name);
        Assert.Equal(["m", "v"], opt.get_slot_names());
        Assert.Equal("w/Adam:0", opt.get_slot(w, "m")!.name);
        Assert.Equal("w/Adam_1:0", opt.get_slot(w, "v")!.name);
        Assert.Equal("b/Adam:0", opt.get_slot(b, "m")!.name);
        Assert.Null(opt.get_slot(w, "nope"));
        Assert.Contains(tf.global_variables(), v => v.name == "beta1_power:0");
        Assert.Contains(tf.global_variables(), v => v.name == "beta2_power:0");
        Assert.DoesNotContain(tf.trainable_variables(), v => v.name.Contains("Adam", StringComparison.Ordinal));
        Assert.Equal(["beta1_power:0", "beta2_power:0", "b/Adam:0", "b/Adam_1:0", "w/Adam:0", "w/Adam_1:0"], opt.variables().Select(v => v.name));
        Assert.Contains(g.Graph.get_operations(), op => op.name == "Adam/update_w/ApplyAdam" && op.type == "ApplyAdam");

        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        sess.run(train);
        // After one step the beta powers have advanced once.
        Assert.Equal(0.81f, (float)sess.run(g.Graph.get_tensor_by_name("beta1_power:0")), 1e-6);
    }

    [Fact]
    public void RmsPropSlotStartsAtOneAndCenteredAddsMg()
    {
        using var g = TestGraph.Enter();
        var w = tf.Variable(new[] { 1.0f, 2.0f }, name: "w");
        var opt = tf.train.RMSPropOptimizer(0.1, centered: true);
        opt.minimize(tf.reduce_sum(tf.square(w)));
        Assert.Equal(["mg", "momentum", "rms"], opt.get_slot_names());
        Assert.Equal("w/RMSProp:0", opt.get_slot(w, "rms")!.name);
        Assert.Equal("w/RMSProp_1:0", opt.get_slot(w, "mg")!.name);
        Assert.Equal("w/RMSProp_2:0", opt.get_slot(w, "momentum")!.name);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        AssertArray.Equal(new[] { 1f, 1f }, sess.run(opt.get_slot(w, "rms")!));
    }

    [Fact]
    public void GlobalStepIsIncrementedAfterTheUpdates()
    {
        using var g = TestGraph.Enter();
        var step = tf.train.get_or_create_global_step();
        Assert.Equal("global_step:0", step.name);
        Assert.Equal(tf.int64, step.dtype);
        Assert.Same(step, tf.train.get_or_create_global_step());
        Assert.Same(step, tf.train.get_global_step());
        Assert.Throws<ValueError>(() => tf.train.create_global_step());
        var w = tf.Variable(3.0f, name: "w");
        var train = tf.train.GradientDescentOptimizer(0.5).minimize(tf.square(w), global_step: step);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        for (var i = 0; i < 3; i++) sess.run(train);
        Assert.Equal(3L, tf.train.global_step(sess, step));
        Assert.Equal(0f, (float)sess.run(w));
    }

    [Fact]
    public void VarListLimitsWhatIsTrained()
    {
        using var g = TestGraph.Enter();
        var a = tf.Variable(1.0f, name: "a");
        var b = tf.Variable(1.0f, name: "b");
        var train = tf.train.GradientDescentOptimizer(0.1).minimize(tf.square(a) + tf.square(b), var_list: [a]);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        sess.run(train);
        Assert.Equal(0.8f, (float)sess.run(a), 1e-6);
        Assert.Equal(1.0f, (float)sess.run(b));
    }

    [Fact]
    public void ComputeAndApplyGradientsSeparately()
    {
        using var g = TestGraph.Enter();
        var a = tf.Variable(2.0f, name: "a");
        var b = tf.Variable(5.0f, name: "b");
        var opt = tf.train.GradientDescentOptimizer(0.5);
        var gv = opt.compute_gradients(tf.square(a));
        Assert.Equal(2, gv.Count);
        Assert.NotNull(gv.Single(p => p.var == a).grad);
        Assert.Null(gv.Single(p => p.var == b).grad);
        // Clip the gradient before applying it, as TensorFlow users do.
        var clipped = gv.Select(p => (p.grad is null ? null : tf.clip_by_value(p.grad, -1.0, 1.0), p.var));
        var train = opt.apply_gradients(clipped);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        sess.run(train);
        Assert.Equal(1.5f, (float)sess.run(a));
        Assert.Equal(5.0f, (float)sess.run(b));
    }

    [Fact]
    public void ATrainableIntegerGlobalStepIsSkippedByComputeGradientsAndIncrementedByMinimize()
    {
        // The book's recipe: `global_step = tf.Variable(0)` is an int32 variable, trainable by default, so it is in
        // var_list; TensorFlow checks only the variables that received a gradient.
        using var g = TestGraph.Enter();
        var w = tf.Variable(2.0f, name: "w");
        var global_step = tf.Variable(0, name: "global_step");
        Assert.Contains(global_step, tf.trainable_variables());
        var loss = tf.square(w);
        var optimizer = tf.train.GradientDescentOptimizer(0.25);
        var pairs = optimizer.compute_gradients(loss);
        Assert.Equal(2, pairs.Count);
        Assert.NotNull(pairs.Single(p => ReferenceEquals(p.var, w)).grad);
        Assert.Null(pairs.Single(p => ReferenceEquals(p.var, global_step)).grad);
        var train = optimizer.minimize(loss, global_step: global_step);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        for (var step = 0; step < 3; step++) sess.run(train);
        Assert.Equal(3, (int)sess.run(global_step.value()));
        Assert.Equal(2.0f * 0.5f * 0.5f * 0.5f, (float)sess.run(w.value())); // w -= 0.25 * 2w: halves each step
        // A learning rate decayed by the integer step, as the book writes it.
        using var g2 = TestGraph.Enter();
        var v = tf.Variable(1.0f, name: "v");
        var step2 = tf.Variable(0, name: "step");
        var lr = tf.train.exponential_decay(0.1, step2, 1, 0.5, staircase: true);
        var train2 = tf.train.GradientDescentOptimizer(lr).minimize(tf.square(v), global_step: step2);
        using var sess2 = tf.Session();
        sess2.run(tf.global_variables_initializer());
        sess2.run(train2);
        sess2.run(train2);
        Assert.Equal(2, (int)sess2.run(step2.value()));
        Assert.Equal(1.0f * (1 - 0.2f) * (1 - 0.1f), (float)sess2.run(v.value()), 1e-6);
    }

    [Fact]
    public void ErrorsNameTheProblem()
    {
        using var g = TestGraph.Enter();
        var w = tf.Variable(1.0f, name: "w");
        var unrelated = tf.constant(3.0f) * 2.0f;
        var e = Assert.Throws<ValueError>(() => tf.train.GradientDescentOptimizer(0.1).minimize(unrelated));
        Assert.Contains("No gradients provided for any variable", e.Message);
        Assert.Contains("w:0", e.Message);
        var i = tf.Variable(1, name: "i");
        // TensorFlow: an integer variable gets no gradient (Cast's gradient stops at integers), so nothing to apply.
        Assert.Contains("No gradients provided for any variable", Assert.Throws<ValueError>(() => tf.train.GradientDescentOptimizer(0.1).minimize(tf.cast(i, tf.float32) * w, var_list: [i])).Message);
        Assert.Contains("Invalid type tf.int32", Assert.Throws<ValueError>(() => tf.train.GradientDescentOptimizer(0.1).minimize(i * 2)).Message);
        Assert.Throws<ValueError>(() => tf.train.AdagradOptimizer(0.1, initial_accumulator_value: 0));
        Assert.Throws<ValueError>(() => tf.train.FtrlOptimizer(0.1, learning_rate_power: 0.5));

        using var g2 = TestGraph.Enter();
        var v = tf.Variable(1.0f, name: "v");
        var train = tf.train.AdamOptimizer().minimize(tf.square(v));
        using var sess = tf.Session();
        sess.run(v.initializer);
        var err = Assert.Throws<FailedPreconditionError>(() => sess.run(train));
        Assert.Contains("Attempting to use uninitialized value", err.Message);
    }

    [Fact]
    public void LearningRateMayBeATensor()
    {
        using var g = TestGraph.Enter();
        var lr = tf.placeholder(tf.float32, Shape.Scalar, name: "lr");
        var w = tf.Variable(1.0f, name: "w");
        var train = tf.train.GradientDescentOptimizer(lr).minimize(w * 2.0f);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        sess.run(train, new FeedDict { [lr] = 0.25f });
        Assert.Equal(0.5f, (float)sess.run(w));
    }
}
