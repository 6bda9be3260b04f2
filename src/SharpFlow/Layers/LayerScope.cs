using SharpFlow.Framework;
using SharpFlow.Ops.Initializers;
using SharpFlow.Ops.State;

namespace SharpFlow.Layers;

/// <summary>
/// What every <c>tf.layers</c> function does first: enter the layer's variable scope (its <c>name</c>, or a unique
/// default such as <c>dense</c>, <c>dense_1</c>) so its variables are <c>dense/kernel</c>, <c>dense/bias</c> and
/// <c>reuse</c> shares them, and its ops are named under the same scope (<c>dense/MatMul</c>).
/// </summary>
internal static class LayerScope
{
    /// <summary>Enters the scope; dispose the result to leave it.</summary>
    public static VariableScopeContext Enter(string? name, string defaultName, Reuse? reuse) =>
        VariableScopes.Enter(name, name is null ? defaultName : null, reuse, null, null);

    /// <summary>A layer variable through <c>get_variable</c> (so scopes and reuse apply).</summary>
    public static Variable Weight(string name, Shape shape, DType dtype, Initializer? initializer, Functions.Regularizer? regularizer, bool trainable) =>
        VariableScopes.GetVariable(name, shape, dtype, initializer, trainable, null, true, regularizer is null ? null : w => regularizer(w));

    /// <summary>The static size of the last axis, which a layer needs to size its weights.</summary>
    public static int LastDimension(Tensor inputs, string layer)
    {
        var s = inputs.shape;
        if (!s.IsKnownRank || s.ndims == 0 || s[s.ndims - 1] < 0)
            throw new ValueError($"The last dimension of the inputs to `{layer}` should be defined. Found `None`: {inputs}");
        return s[s.ndims - 1];
    }

    /// <summary>Layers compute in a float dtype.</summary>
    public static void CheckFloat(Tensor inputs, string layer)
    {
        if (!inputs.dtype.is_floating) throw new TypeError($"`{layer}` needs float inputs, got {inputs.dtype.name}: {inputs}");
    }

    /// <summary>Layers take "valid"/"same" in any case; the ops take upper case.</summary>
    public static string Padding(string padding) => padding?.ToUpperInvariant() switch
    {
        "VALID" => "VALID",
        "SAME" => "SAME",
        _ => throw new ValueError($"The `padding` argument must be one of \"valid\", \"same\". Received: {padding}"),
    };
}
