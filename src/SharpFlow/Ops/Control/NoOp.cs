using SharpFlow.Framework;

namespace SharpFlow.Ops.Control;

/// <summary>
/// NoOp: does nothing; with control inputs it groups operations (<c>tf.group</c>, the <c>init</c> op of
/// <c>tf.global_variables_initializer</c>).
/// </summary>
internal sealed class NoOp : OpDef
{
    public static readonly NoOp Def = new();

    public override string Type => "NoOp";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx) { }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(_ => { });

    /// <summary><c>tf.no_op(name)</c>.</summary>
    public static Operation Build(string? name = null)
    {
        using var b = OpBuilder.Begin(Graph.get_default(), name, "NoOp");
        return b.Create(Def, []);
    }

    /// <summary>
    /// <c>tf.group(inputs)</c>: an operation that runs after all of <paramref name="inputs"/> (a NoOp with them as
    /// control inputs).
    /// </summary>
    public static Operation Group(IEnumerable<ITensorOrOperation> inputs, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var ops = inputs.Select(i => i?.op ?? throw new TypeError("tf.group needs Operations or Tensors, got null.")).Distinct().ToList();
        var graph = ops.Count > 0 ? ops[0].graph : Graph.get_default();
        foreach (var op in ops)
            if (!ReferenceEquals(op.graph, graph)) throw new ValueError($"{op.name} must be from the same graph as {ops[0].name}.");
        using var b = OpBuilder.Begin(graph, name, "group_deps");
        return b.Create(Def, [], controlInputs: ops);
    }
}
