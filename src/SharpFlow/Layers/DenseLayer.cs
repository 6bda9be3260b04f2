using SharpFlow.Ops.Initializers;
using SharpFlow.Ops.State;
using SharpFlow.Functions;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;

namespace SharpFlow.Layers;

/// <summary>
/// TensorFlow 1.x's layer object <c>tf.layers.Dense(units, activation, use_bias, name)</c>: it picks its variable
/// scope on its first call (a unique scope named after the layer under the current one, <c>dense</c>,
/// <c>memory_layer</c>, <c>decoder/output_projection</c>) and every later call reuses its <c>kernel</c>
/// [in, units] and <c>bias</c> [units]. Inputs of rank above 2 are multiplied along their last axis.
/// </summary>
public sealed class DenseLayer(int units, Func<Tensor, Tensor>? activation = null, bool use_bias = true,
    Initializer? kernel_initializer = null, Initializer? bias_initializer = null, bool trainable = true, string? name = null)
{
    private VariableScope? _scope;

    /// <summary>The number of outputs.</summary>
    public int units { get; } = units > 0 ? units : throw new ValueError($"units must be positive, got {units}");

    /// <summary>The name given, or null for <c>dense</c>.</summary>
    public string? name { get; } = name;

    /// <summary>The kernel, once the layer has been called.</summary>
    public Variable? kernel { get; private set; }

    /// <summary>The bias (when <c>use_bias</c>), once the layer has been called.</summary>
    public Variable? bias { get; private set; }

    /// <summary>The layer's variables, once it has been called.</summary>
    public IReadOnlyList<Variable> trainable_variables => bias is null ? kernel is null ? [] : [kernel] : [kernel!, bias];

    /// <summary>The output's last dimension for an input whose last dimension is <paramref name="inputDepth"/>.</summary>
    public int compute_output_size(int inputDepth) => units;

    /// <summary><c>activation(inputs · kernel + bias)</c>.</summary>
    public Tensor __call__(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        LayerScope.CheckFloat(inputs, "Dense");
        var inDim = LayerScope.LastDimension(inputs, "Dense");
        using var s = _scope is null
            ? VariableScopes.Enter(null, name ?? "dense", null, null, null)
            : VariableScopes.Enter(_scope, Reuse.True, null, null);
        _scope ??= s.scope;
        kernel = LayerScope.Weight("kernel", new Shape(inDim, units), inputs.dtype, kernel_initializer, null, trainable);
        var rank = inputs.shape.ndims;
        Tensor y;
        if (rank == 2) y = BatchMatMulV2.MatMulOrBatch(inputs, kernel, false, false, false, false, null);
        else
        {
            var flat = Reshape.Build(inputs, new[] { -1, inDim });
            var outShape = inputs.shape.Dims;
            outShape[^1] = units;
            y = Reshape.Build(BatchMatMulV2.MatMulOrBatch(flat, kernel, false, false, false, false, null), outShape.Any(d => d < 0)
                ? ConcatV2.Build([Shape_.Build(inputs)[..(rank - 1)], Const.Build(new[] { units })], 0)
                : Const.Build(outShape));
            y.SetShape(new Shape(outShape));
        }
        if (use_bias)
        {
            bias = LayerScope.Weight("bias", new Shape(units), inputs.dtype, bias_initializer ?? new ZerosInitializer(), null, trainable);
            y = BiasAdd.Build(y, bias);
        }
        return activation is null ? y : activation(y);
    }
}
