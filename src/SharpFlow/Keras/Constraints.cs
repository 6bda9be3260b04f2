using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using SharpFlow.Functions;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using SharpFlow.Ops.State;
using SharpFlow.Ops.Initializers;

namespace SharpFlow.Keras;

/// <summary>
/// <c>tf.keras.constraints.Constraint</c>: a projection of a weight, applied by the optimizer after every update
/// (<c>kernel_constraint</c>, <c>bias_constraint</c>). By name (<c>"max_norm"</c>, <c>"non_neg"</c>,
/// <c>"unit_norm"</c>, <c>"min_max_norm"</c>, with Keras's defaults) or as an object.
/// </summary>
public abstract class KerasConstraint
{
    private static readonly ConditionalWeakTable<Variable, KerasConstraint> Attached = new();

    /// <summary>The projected weight.</summary>
    public abstract Tensor Call(Tensor w);

    /// <summary>Keras's class name (<c>MaxNorm</c>).</summary>
    public string class_name => GetType().Name;

    /// <summary>The constructor arguments (Keras's <c>get_config()</c>).</summary>
    public abstract JsonObject get_config();

    /// <summary>By name with Keras's defaults.</summary>
    public static implicit operator KerasConstraint(string name) => get(name);

    /// <summary>A constraint by its function or class name.</summary>
    public static KerasConstraint get(string name) => name switch
    {
        "max_norm" or "maxnorm" or "MaxNorm" => new MaxNorm(),
        "non_neg" or "nonneg" or "NonNeg" => new NonNeg(),
        "unit_norm" or "unitnorm" or "UnitNorm" => new UnitNorm(),
        "min_max_norm" or "MinMaxNorm" => new MinMaxNorm(),
        _ => throw new ValueError($"Unknown constraint: {name}"),
    };

    /// <summary>A constraint from Keras's <c>{"class_name", "config"}</c>.</summary>
    public static KerasConstraint FromJson(JsonObject node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var config = node["config"]?.AsObject() ?? [];
        double D(string key, double fallback) => (double?)config[key] ?? fallback;
        int A(int fallback) => config["axis"] is JsonValue v ? (int)v : config["axis"] is JsonArray a && a.Count > 0 ? (int)a[0]! : fallback;
        return (string?)node[nameof(class_name)] switch
        {
            "MaxNorm" => new MaxNorm(D("max_value", 2), A(0)),
            "NonNeg" => new NonNeg(),
            "UnitNorm" => new UnitNorm(A(0)),
            "MinMaxNorm" => new MinMaxNorm(D("min_value", 0), D("max_value", 1), D("rate", 1), A(0)),
            var other => throw new ValueError($"Unknown constraint: {other}"),
        };
    }

    /// <summary>Keras's weight norm along <paramref name="axis"/>, kept as a dimension.</summary>
    protected static Tensor Norms(Tensor w, int axis) => Sqrt.Build(Sum.Build(Square.Build(w), new[] { axis }, true));

    /// <summary>Keras's fuzz factor as a float32 constant.</summary>
    protected static Tensor Epsilon() => Const.Build((float)Backend.epsilon());

    internal static void Attach(Variable v, KerasConstraint c) => Attached.AddOrUpdate(v, c);

    /// <summary>The constraint of a weight made by <c>add_weight(constraint: ...)</c>, or null.</summary>
    public static KerasConstraint? Of(Variable v) => Attached.TryGetValue(v, out var c) ? c : null;
}

/// <summary><c>MaxNorm(max_value=2, axis=0)</c>: each column's (axis 0) norm is at most <c>max_value</c>: <c>w · clip(n, 0, m) / (ε + n)</c>.</summary>
public sealed class MaxNorm(double max_value = 2, int axis = 0) : KerasConstraint
{
    /// <summary>The largest norm.</summary>
    public double max_value { get; } = max_value;

    /// <summary>The axis the norms are taken over.</summary>
    public int axis { get; } = axis;

    /// <inheritdoc />
    public override Tensor Call(Tensor w)
    {
        var norms = Norms(w, axis);
        var desired = Clipping.ByValue(norms, 0f, (float)max_value, null);
        return w * (desired / (Epsilon() + norms));
    }

    /// <inheritdoc />
    public override JsonObject get_config() => new() { [nameof(max_value)] = max_value, [nameof(axis)] = axis };
}

/// <summary><c>NonNeg()</c>: negative weights become zero.</summary>
public sealed class NonNeg : KerasConstraint
{
    /// <inheritdoc />
    public override Tensor Call(Tensor w) => w * Cast.Build(GreaterEqual.Build(w, Const.Build(0f)), DType.float32);

    /// <inheritdoc />
    public override JsonObject get_config() => [];
}

/// <summary><c>UnitNorm(axis=0)</c>: <c>w / (ε + ‖w‖)</c> along the axis.</summary>
public sealed class UnitNorm(int axis = 0) : KerasConstraint
{
    /// <summary>The axis the norms are taken over.</summary>
    public int axis { get; } = axis;

    /// <inheritdoc />
    public override Tensor Call(Tensor w) => w / (Epsilon() + Norms(w, axis));

    /// <inheritdoc />
    public override JsonObject get_config() => new() { [nameof(axis)] = axis };
}

/// <summary>
/// <c>MinMaxNorm(min_value=0, max_value=1, rate=1, axis=0)</c>: the norms moved towards <c>[min, max]</c> at
/// <c>rate</c>: <c>w · (rate · clip(n, min, max) + (1 − rate) · n) / (ε + n)</c>.
/// </summary>
public sealed class MinMaxNorm(double min_value = 0.0, double max_value = 1.0, double rate = 1.0, int axis = 0) : KerasConstraint
{
    /// <summary>The smallest norm.</summary>
    public double min_value { get; } = min_value;

    /// <summary>The largest norm.</summary>
    public double max_value { get; } = max_value;

    /// <summary>How far the norms move into the range per step (1: all the way).</summary>
    public double rate { get; } = rate;

    /// <summary>The axis the norms are taken over.</summary>
    public int axis { get; } = axis;

    /// <inheritdoc />
    public override Tensor Call(Tensor w)
    {
        var norms = Norms(w, axis);
        var desired = Const.Build((float)rate) * Clipping.ByValue(norms, (float)min_value, (float)max_value, null) + Const.Build((float)(1 - rate)) * norms;
        return w * (desired / (Epsilon() + norms));
    }

    /// <inheritdoc />
    public override JsonObject get_config() => new() { [nameof(min_value)] = min_value, [nameof(max_value)] = max_value, [nameof(rate)] = rate, [nameof(axis)] = axis };
}
