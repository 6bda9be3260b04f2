using SharpFlow.Framework;
using SharpFlow.Ops.Initializers;

namespace SharpFlow.Train;

/// <summary>The global step: an int64 scalar variable <c>global_step</c> in the GLOBAL_STEP collection.</summary>
public static class TrainingUtil
{
    /// <summary>The graph's global step, or null (<c>tf.train.get_global_step</c>).</summary>
    public static Variable? GetGlobalStep(Graph? graph = null)
    {
        graph ??= Graph.get_default();
        var found = graph.get_collection(GraphKeys.GLOBAL_STEP).OfType<Variable>().ToList();
        if (found.Count > 1) throw new TypeError("There should only be one global step: " + string.Join(", ", found));
        return found.Count == 1 ? found[0] : null;
    }

    /// <summary>Creates the global step (<c>tf.train.create_global_step</c>); it must not exist yet.</summary>
    public static Variable CreateGlobalStep(Graph? graph = null)
    {
        graph ??= Graph.get_default();
        if (GetGlobalStep(graph) is not null) throw new ValueError("\"global_step\" already exists.");
        using var _ = graph.as_default();
        using var scope = graph.name_scope(null);
        return Ops.State.VariableScopes.GetVariable(GraphKeys.GLOBAL_STEP, Shape.Scalar, DType.int64, new ZerosInitializer(), trainable: false,
            collections: [GraphKeys.GLOBAL_VARIABLES, GraphKeys.GLOBAL_STEP], validateShape: true);
    }

    /// <summary>The global step, created when missing (<c>tf.train.get_or_create_global_step</c>).</summary>
    public static Variable GetOrCreateGlobalStep(Graph? graph = null) => GetGlobalStep(graph) ?? CreateGlobalStep(graph);
}
