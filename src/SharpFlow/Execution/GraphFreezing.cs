using SharpFlow.GraphIO;

namespace SharpFlow.Execution;

/// <summary>
/// <c>tf.graph_util.convert_variables_to_constants</c> (freezing): GraphIO picks the variables of the sub-graph and
/// rewrites it; their values are read here, in the session.
/// </summary>
internal static class GraphFreezing
{
    /// <summary>
    /// Freezes: the sub-graph that computes <paramref name="outputNodeNames"/>, with every variable it reads
    /// (<c>VariableV2</c>, <c>VarHandleOp</c>) replaced by a <c>Const</c> of its value in <paramref name="sess"/>
    /// (and a resource variable's <c>ReadVariableOp</c> by an <c>Identity</c>).
    /// </summary>
    public static Tensorflow.GraphDef ConvertVariablesToConstants(Session sess, Tensorflow.GraphDef inputGraphDef, IReadOnlyList<string> outputNodeNames,
        IReadOnlyCollection<string>? whitelist, IReadOnlyCollection<string>? blacklist)
    {
        ArgumentNullException.ThrowIfNull(sess);
        var (inference, variables) = GraphUtil.VariablesToFreeze(inputGraphDef, outputNodeNames, whitelist, blacklist);
        var tensors = variables.Select(v => sess.graph.get_tensor_by_name(v.Tensor)).ToList();
        var values = tensors.Count > 0 ? sess.run(tensors) : [];
        var found = new Dictionary<string, NDArray>(StringComparer.Ordinal);
        for (var i = 0; i < variables.Count; i++) found[variables[i].Node] = values[i];
        return GraphUtil.ReplaceVariablesWithConstants(inference, found);
    }
}
