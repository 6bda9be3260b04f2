using SharpFlow.Train;
using SharpFlow.Functions;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using SharpFlow.Ops.RandomOps;
using SharpFlow.Ops.State;
using SharpFlow.Ops.Initializers;

namespace SharpFlow.Slim;

/// <summary>
/// contrib's <c>optimize_loss</c>, slim's <c>learning.create_train_op</c> and slim's variable helpers
/// (<c>get_variables</c>, <c>get_model_variables</c>, <c>get_variables_to_restore</c>,
/// <c>assign_from_checkpoint_fn</c>), as TF 1.15 writes them.
/// </summary>
internal static class SlimTraining
{
    private static readonly string[] OptimizerSummaries = ["learning_rate", "loss", "gradients", "gradient_norm", "global_gradient_norm"];
    private static readonly string[] OptimizerNames = ["Adagrad", "Adam", "Ftrl", "Momentum", "RMSProp", "SGD"];

    public static Tensor OptimizeLoss(Tensor loss, Variable? globalStep, TensorLike? learningRate, object optimizer, double? gradientNoiseScale,
        IReadOnlyDictionary<Variable, double>? gradientMultipliers, object? clipGradients, Func<Tensor, Tensor, Tensor>? learningRateDecayFn,
        IEnumerable<ITensorOrOperation>? updateOps, IEnumerable<Variable>? variables, string? name, IEnumerable<string>? summaries, bool incrementGlobalStep)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (!loss.shape.IsKnownRank || loss.shape.ndims != 0)
            throw new ValueError($"Expected scalar shape for {loss.name}, saw shape: {loss.shape}.");
        globalStep ??= TrainingUtil.GetGlobalStep(loss.graph);
        if (globalStep is not null && !globalStep.dtype.is_integer)
            throw new TypeError($"Existing \"global_step\" does not have integer type: {globalStep.dtype.name}");
        using var scope = VariableScopes.Enter(name, name is null ? "OptimizeLoss" : null);
        var updates = updateOps?.ToList() ?? [.. loss.graph.get_collection(GraphKeys.UPDATE_OPS).OfType<ITensorOrOperation>().Distinct()];
        if (updates.Count > 0)
            using (GraphFunctions.ControlDependencies(updates)) loss = Identity.Build(loss, "control_dependency");

        Tensor? lr = null;
        if (learningRate is { } given)
        {
            switch (given.Value)
            {
                case Tensor t when t.shape.IsKnownRank && t.shape.ndims == 0: lr = t; break;
                case double or float:
                    var value = Convert.ToDouble(given.Value, System.Globalization.CultureInfo.InvariantCulture);
                    if (value < 0) throw new ValueError($"Invalid learning_rate {value}.");
                    lr = VariableScopes.GetVariable("learning_rate", new Shape(), null, new ConstantInitializer(value), false, null, true, null);
                    break;
                default:
                    throw new ValueError($"Learning rate should be 0d Tensor or float. Got {given.Value} of type {given.Value?.GetType().Name}");
            }
        }
        var summaryList = summaries?.ToList() ?? ["loss", "learning_rate", "global_gradient_norm"];
        foreach (var s in summaryList)
            if (!OptimizerSummaries.Contains(s)) throw new ValueError($"Summaries should be one of [{string.Join(", ", OptimizerSummaries)}], you provided {s}.");
        if (lr is not null && learningRateDecayFn is not null)
        {
            if (globalStep is null) throw new ValueError("global_step is required for learning_rate_decay_fn.");
            lr = learningRateDecayFn(lr, globalStep);
            if (summaryList.Contains("learning_rate")) Summaries.SummaryOps.ScalarSummary.Build("learning_rate", lr);
        }

        Optimizer opt = optimizer switch
        {
            string s => lr is null
                ? throw new ValueError($"Learning rate is None, but should be specified if optimizer is string ({s}).")
                : s switch
                {
                    "Adagrad" => new AdagradOptimizer(lr),
                    "Adam" => new AdamOptimizer(lr),
                    "Ftrl" => new FtrlOptimizer(lr),
                    "Momentum" => new MomentumOptimizer(lr, 0.9),
                    "RMSProp" => new RMSPropOptimizer(lr),
                    "SGD" => new GradientDescentOptimizer(lr),
                    _ => throw new ValueError($"Optimizer name should be one of [{string.Join(", ", OptimizerNames)}], you provided {s}."),
                },
            Optimizer o => o,
            Func<Tensor, Optimizer> f => lr is null ? throw new ValueError("Unrecognized optimizer: a function of the learning rate needs a learning_rate.") : f(lr),
            Func<Optimizer> f0 => f0(),
            Type type when typeof(Optimizer).IsAssignableFrom(type) => lr is null
                ? throw new ValueError($"Learning rate is None, but should be specified if optimizer is class ({type.Name}).")
                : (Optimizer)Activator.CreateInstance(type, [(TensorLike)lr], null)!,
            _ => throw new ValueError($"Unrecognized optimizer: should be string, subclass of Optimizer, instance of subclass of Optimizer or function with one argument. Got {optimizer}."),
        };

        var vars = variables?.ToList() ?? GraphFunctions.GetCollection<Variable>(GraphKeys.TRAINABLE_VARIABLES);
        var gradients = opt.compute_gradients(loss, vars);
        if (gradientNoiseScale is { } noise)
        {
            gradients = [.. gradients.Select(gv => gv.grad is null ? gv
                : (Add.Build(gv.grad, RandomStandardNormal.Build(Shape_.Build(gv.grad), 0.0, 1.0, gv.grad.dtype) * Const.Build(Literal.ToNDArray(noise, gv.grad.dtype))), gv.var))];
        }
        if (gradientMultipliers is not null)
        {
            gradients = [.. gradients.Select(gv => gv.grad is not null && gradientMultipliers.TryGetValue(gv.var, out var m)
                ? (gv.grad * Const.Build(Literal.ToNDArray(m, gv.grad.dtype)), gv.var) : gv)];
            if (gradients.Count == 0)
                throw new ValueError("Empty list of (gradient, var) pairs encountered. This is most likely to be caused by an improper value of gradient_multipliers.");
        }
        if (summaryList.Contains("global_gradient_norm") || summaryList.Contains("gradient_norm"))
            Summaries.SummaryOps.ScalarSummary.Build("global_norm/gradient_norm", Clipping.GlobalNorm(gradients.Select(g => g.grad).ToList(), null));
        switch (clipGradients)
        {
            case null: break;
            case double clip:
                var (clipped, _) = Clipping.ByGlobalNorm(gradients.Select(g => g.grad).ToList(), clip, null, null);
                gradients = [.. gradients.Select((gv, i) => (clipped[i], gv.var))];
                break;
            case Func<List<(Tensor? grad, Variable var)>, List<(Tensor? grad, Variable var)>> fn:
                gradients = fn(gradients);
                break;
            default:
                throw new ValueError($"Unknown type {clipGradients.GetType().Name} for clip_gradients");
        }
        if (summaryList.Contains("loss")) Summaries.SummaryOps.ScalarSummary.Build("loss", loss);
        foreach (var (grad, variable) in gradients)
        {
            if (grad is null) continue;
            var varName = variable.name.Replace(':', '_');
            if (summaryList.Contains("gradients")) Summaries.SummaryOps.HistogramSummary.Build($"gradients/{varName}", grad);
            if (summaryList.Contains("gradient_norm")) Summaries.SummaryOps.ScalarSummary.Build($"gradient_norm/{varName}", Clipping.GlobalNorm([grad], null));
        }
        if (clipGradients is not null && (summaryList.Contains("global_gradient_norm") || summaryList.Contains("gradient_norm")))
            Summaries.SummaryOps.ScalarSummary.Build("global_norm/clipped_gradient_norm", Clipping.GlobalNorm(gradients.Select(g => g.grad).ToList(), null));

        var gradUpdates = opt.apply_gradients(gradients, incrementGlobalStep ? globalStep : null, name: "train");
        using (GraphFunctions.ControlDependencies([gradUpdates])) return Identity.Build(loss, "control_dependency_1");
    }

    /// <summary>slim's <c>learning.create_train_op</c> (through <c>tf.contrib.training.create_train_op</c>).</summary>
    public static Tensor CreateTrainOp(Tensor totalLoss, Optimizer optimizer, object? globalStep, IEnumerable<ITensorOrOperation>? updateOps,
        IEnumerable<Variable>? variablesToTrain, double clipGradientNorm, bool summarizeGradients, IReadOnlyDictionary<Variable, double>? gradientMultipliers,
        bool checkNumerics)
    {
        ArgumentNullException.ThrowIfNull(totalLoss);
        ArgumentNullException.ThrowIfNull(optimizer);
        var graph = totalLoss.graph;
        var step = globalStep switch
        {
            null => TrainingUtil.GetOrCreateGlobalStep(graph),
            Variable v => v,
            NoneType => null,
            _ => throw new TypeError($"global_step must be a Variable or slim.None, got {globalStep}"),
        };
        var globalUpdates = graph.get_collection(GraphKeys.UPDATE_OPS).OfType<ITensorOrOperation>().Distinct().ToList();
        var updates = updateOps?.Distinct().ToList() ?? globalUpdates;
        if (updates.Count > 0)
        {
            Operation barrier;
            using (GraphFunctions.ControlDependencies(updates)) barrier = Ops.Control.NoOp.Build("update_barrier");
            using (GraphFunctions.ControlDependencies([barrier])) totalLoss = Identity.Build(totalLoss, "control_dependency");
        }
        var vars = variablesToTrain?.ToList() ?? GraphFunctions.GetCollection<Variable>(GraphKeys.TRAINABLE_VARIABLES);
        if (vars.Count == 0) throw new ValueError("create_train_op: there are no variables to train (variables_to_train is empty)");
        var grads = optimizer.compute_gradients(totalLoss, vars);
        if (gradientMultipliers is { Count: > 0 })
            using (Graph.get_default().name_scope("multiply_grads"))
                grads = [.. grads.Select(gv => gv.grad is not null && gradientMultipliers.TryGetValue(gv.var, out var m)
                    ? (gv.grad * Const.Build(Literal.ToNDArray(m, gv.grad.dtype)), gv.var) : gv)];
        if (clipGradientNorm > 0)
            using (Graph.get_default().name_scope("clip_grads"))
                grads = [.. grads.Select(gv => gv.grad is null ? gv : (Clipping.ByNorm(gv.grad, clipGradientNorm, null, null), gv.var))];
        if (summarizeGradients)
        {
            using (Graph.get_default().name_scope("summarize_grads"))
                foreach (var (grad, v) in grads)
                {
                    if (grad is null) continue;
                    Summaries.SummaryOps.HistogramSummary.Build(v.op.name + "/gradient", grad);
                    Summaries.SummaryOps.ScalarSummary.Build(v.op.name + "/gradient_norm", Clipping.GlobalNorm([grad], null));
                }
        }
        var gradUpdates = optimizer.apply_gradients(grads, step);
        Tensor trainOp;
        using (Graph.get_default().name_scope("train_op"))
        {
            if (checkNumerics) totalLoss = CheckNumerics.Build(totalLoss, "LossTensor is inf or nan");
            using (GraphFunctions.ControlDependencies([gradUpdates])) trainOp = Identity.Build(totalLoss, "control_dependency");
        }
        var trainOps = graph.get_collection_ref(GraphKeys.TRAIN_OP);
        if (!trainOps.Contains(trainOp)) trainOps.Add(trainOp);
        return trainOp;
    }

    /// <summary>slim's <c>get_variables(scope, suffix, collection)</c>.</summary>
    public static List<Variable> GetVariables(string? scope, string? suffix, string collection)
    {
        var graph = Graph.get_default();
        var vars = graph.get_collection(collection, scope).OfType<Variable>();
        if (suffix is not null) vars = vars.Where(v => v.op.name.EndsWith(suffix, StringComparison.Ordinal));
        return [.. vars];
    }

    /// <summary>slim's <c>get_variables_to_restore(include, exclude)</c>: the variables under the included scopes, less those under the excluded ones.</summary>
    public static List<Variable> GetVariablesToRestore(IEnumerable<string>? include, IEnumerable<string>? exclude)
    {
        var included = include is null
            ? GetVariables(null, null, GraphKeys.GLOBAL_VARIABLES)
            : include.SelectMany(s => GetVariables(s, null, GraphKeys.GLOBAL_VARIABLES)).ToList();
        var excluded = new HashSet<Variable>(ReferenceEqualityComparer.Instance);
        if (exclude is not null)
            foreach (var s in exclude) excluded.UnionWith(GetVariables(s, null, GraphKeys.GLOBAL_VARIABLES));
        return [.. included.Where(v => !excluded.Contains(v))];
    }

    /// <summary>
    /// slim's <c>assign_from_checkpoint_fn</c>: a function that restores <paramref name="varList"/> (by their op names,
    /// or by the dictionary's checkpoint names) from <paramref name="modelPath"/>; with
    /// <paramref name="ignoreMissingVars"/>, names missing in the checkpoint are skipped (with a warning); null when
    /// nothing is left to restore.
    /// </summary>
    public static Action<Session>? AssignFromCheckpointFn(string modelPath, IReadOnlyDictionary<string, Variable> varList, bool ignoreMissingVars)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        if (varList is null || varList.Count == 0) throw new ValueError("var_list cannot be empty");
        var available = new Dictionary<string, Variable>(varList);
        if (ignoreMissingVars)
        {
            var reader = new Checkpoints.CheckpointReader(modelPath);
            foreach (var name in varList.Keys)
            {
                if (reader.has_tensor(name)) continue;
                available.Remove(name);
                Console.Error.WriteLine($"WARNING: Variable {name} missing in checkpoint {modelPath}");
            }
        }
        if (available.Count == 0)
        {
            Console.Error.WriteLine("WARNING: No Variables to restore");
            return null;
        }
        var saver = new Saver(available);
        return session => saver.restore(session, modelPath);
    }
}
