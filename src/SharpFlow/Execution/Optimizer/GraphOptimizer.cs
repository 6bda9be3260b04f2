namespace SharpFlow.Execution.Optimizer;

/// <summary>
/// SharpFlow's Grappler: rewrites a copy of each run's pruned graph before the plan is built from it, once per
/// plan (plans are cached per fetch/target/feed signature). The passes, in order: dependency optimization
/// (Identity, StopGradient and NoOp removal), common subexpression elimination, transpose sinking (element-wise ops
/// moved above Transposes that then cancel, with the arithmetic optimizer's switch), batch norm folding (before constant
/// folding, which turns the folded filters of constant weights into constants), constant folding, arithmetic
/// simplification, dependency optimization again, Pad folding into convolution and max pooling padding, and remapping (MatMul/Conv2D + BiasAdd + activation fused into
/// <c>_FusedMatMul</c>/<c>_FusedConv2D</c>). Each is switched by <see cref="RewriterConfig"/>
/// (<c>config.graph_options.rewrite_options</c>); <c>SHARPFLOW_GRAPH_OPTIMIZER=0</c> turns all of them off.
/// </summary>
internal static class GraphOptimizer
{
    /// <summary>The environment variable that turns the optimizer off when set to 0.</summary>
    public const string EnvironmentVariable = "SHARPFLOW_GRAPH_OPTIMIZER";

    /// <summary>Whether any rewrite runs with these options.</summary>
    public static bool IsEnabled(RewriterConfig? config)
    {
        if (config is null || config.disable_meta_optimizer) return false;
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is "0" or "false" or "off") return false;
        return On(config.dependency_optimization) || On(config.common_subgraph_elimination) || On(config.constant_folding)
            || On(config.arithmetic_optimization) || On(config.remapping) || On(config.batchnorm_folding) || On(config.pad_folding);
    }

    private static bool On(RewriterConfig.Toggle toggle) => toggle != RewriterConfig.Toggle.OFF;

    /// <summary>Runs the switched-on passes over a copy of the pruned graph <paramref name="ordered"/>.</summary>
    public static OptimizedGraph Optimize(IReadOnlyList<Operation> ordered, IReadOnlyList<Tensor> fetches, IReadOnlyList<Operation> targets,
        IReadOnlyList<Tensor> feeds, RewriterConfig config)
    {
        var g = new OptimizedGraph(ordered, fetches, targets, feeds);
        void Run(RewriterConfig.Toggle toggle, Action<OptimizedGraph> pass)
        {
            if (!On(toggle)) return;
            pass(g);
            g.Prune();
        }
        Run(config.dependency_optimization, DependencyOptimizer.Run);
        Run(config.common_subgraph_elimination, CommonSubexpressionElimination.Run);
        Run(config.arithmetic_optimization, TransposeSinking.Run);
        Run(config.batchnorm_folding, BatchNormFolding.Run);
        Run(config.constant_folding, ConstantFolding.Run);
        Run(config.arithmetic_optimization, ArithmeticOptimizer.Run);
        Run(config.dependency_optimization, DependencyOptimizer.Run);
        Run(config.pad_folding, PadFolding.Run);
        Run(config.remapping, Remapper.Run);
        g.Prune();
        return g;
    }
}
