using SharpFlow.Keras.Engine;
using SharpFlow.Functions;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using SharpFlow.Ops.RandomOps;
using SharpFlow.Ops.State;
using SharpFlow.Ops.Initializers;

namespace SharpFlow.Keras.Layers;

/// <summary>
/// <c>BatchNormalization</c> over the last axis: <c>gamma</c>, <c>beta</c>, <c>moving_mean</c>, <c>moving_variance</c>.
/// While training (the learning phase) it normalizes with the batch's statistics and its updates move the moving
/// ones by <c>1 − momentum</c> (4-D inputs: the unbiased variance, as TensorFlow's fused kernel); otherwise it uses
/// the moving statistics. <c>fused</c> (TensorFlow 1.x's default null: when possible) normalizes 4-D float32 NHWC
/// (axis -1 or 3) or NCHW (axis 1) inputs with one FusedBatchNormV3 op per mode.
/// </summary>
public class BatchNormalization(int axis = -1, double momentum = 0.99, double epsilon = 1e-3, bool center = true, bool scale = true,
    InitializerSpec? beta_initializer = null, InitializerSpec? gamma_initializer = null, InitializerSpec? moving_mean_initializer = null,
    InitializerSpec? moving_variance_initializer = null, int[]? input_shape = null, string? name = null, bool trainable = true, bool? fused = null)
    : Layer(name, trainable, input_shape)
{
    private Variable? _gamma, _beta, _mean, _variance;
    private string? _fusedFormat;

    /// <inheritdoc />
    public override bool uses_learning_phase => true;

    /// <inheritdoc />
    public override void build(Shape input_shape)
    {
        ArgumentNullException.ThrowIfNull(input_shape);
        var rank = input_shape.ndims;
        // TensorFlow 1.x: fused (None means when possible) for 4-D NHWC (axis -1 or 3) and NCHW (axis 1) float32 inputs.
        _fusedFormat = (fused ?? true) && dtype == DType.float32 ? SharpFlow.Layers.FusedBatchNormLayer.DataFormat(rank, axis, DType.float32) : null;
        if (_fusedFormat is null && axis != -1 && axis != rank - 1)
            throw new ValueError($"BatchNormalization normalizes over the last axis only (axis=-1 or {rank - 1}), got axis={axis}");
        var c = _fusedFormat == "NCHW"
            ? (input_shape[1] >= 0 ? input_shape[1] : throw new ValueError($"Input has undefined `axis` dimension. Input shape: {input_shape}"))
            : ConvUtil.Channels(input_shape, "BatchNormalization");
        var shape = new Shape(c);
        if (scale) _gamma = add_weight("gamma", shape, initializer: gamma_initializer ?? "ones");
        if (center) _beta = add_weight("beta", shape, initializer: beta_initializer ?? "zeros");
        _mean = add_weight("moving_mean", shape, initializer: moving_mean_initializer ?? "zeros", trainable: false);
        _variance = add_weight("moving_variance", shape, initializer: moving_variance_initializer ?? "ones", trainable: false);
        built = true;
    }

    /// <inheritdoc />
    public override Tensor call(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var rank = inputs.shape.ndims;
        if (_fusedFormat is not null && inputs.dtype == DType.float32)
            return SharpFlow.Layers.FusedBatchNormLayer.Apply(inputs, _gamma, _beta, _mean!, _variance!, epsilon, momentum,
                Training is { } fixedTraining ? (TensorLike)fixedTraining : Backend.learning_phase(), _fusedFormat, add_update);
        if (Training == false)
            return Functions.Moments.Normalize(inputs, _mean!, _variance!, _beta, _gamma, epsilon, "batchnorm");
        var axes = Enumerable.Range(0, rank - 1).ToArray();
        var (mean, variance) = Functions.Moments.Build(inputs, axes, keepDims: false, "moments");
        Tensor useMean = mean, useVariance = variance;
        TensorLike flag = true;
        if (Training is null)
        {
            var phase = Backend.learning_phase();
            flag = phase;
            useMean = Ops.Control.ControlFlowOps.SmartCond(phase, () => mean, () => Identity.Build(_mean!), "cond");
            useVariance = Ops.Control.ControlFlowOps.SmartCond(phase, () => variance, () => Identity.Build(_variance!), "cond_1");
        }
        var y = Functions.Moments.Normalize(inputs, useMean, useVariance, _beta, _gamma, epsilon, "batchnorm");
        Tensor target = variance;
        if (rank == 4)
        {
            var n = Cast.Build(Prod.Build(Shape_.Build(inputs)[..(rank - 1)]), inputs.dtype);
            target = variance * (n / SharpFlow.Ops.MathOps.Maximum.Build(n - Const.Build(1f), Const.Build(1f)));
        }
        var decay = Const.Build((float)(1 - momentum));
        var updateMean = Ops.Control.ControlFlowOps.SmartCond(flag, () => _mean!.assign_sub((_mean! - mean) * decay, name: "AssignMovingAvg"),
            () => Identity.Build(_mean!), "cond_2");
        var updateVariance = Ops.Control.ControlFlowOps.SmartCond(flag, () => _variance!.assign_sub((_variance! - target) * decay, name: "AssignMovingAvg_1"),
            () => Identity.Build(_variance!), "cond_3");
        add_update(updateMean);
        add_update(updateVariance);
        return y;
    }
}

/// <summary>
/// <c>Embedding</c>: integer ids to rows of <c>embeddings</c> <c>[input_dim, output_dim]</c> (uniform ±0.05). With
/// <c>mask_zero</c>, id 0 is padding: the output carries the mask <c>ids != 0</c>, which the recurrent layers use.
/// </summary>
public class Embedding(int input_dim, int output_dim, InitializerSpec? embeddings_initializer = null, KerasRegularizer? embeddings_regularizer = null,
    int? input_length = null, string? name = null, bool trainable = true, bool mask_zero = false)
    : Layer(name, trainable, input_length is { } n ? [n] : null, dtype: DType.float32)
{
    private Variable? _embeddings;

    /// <summary>Whether id 0 masks its step.</summary>
    public bool mask_zero { get; } = mask_zero;

    /// <summary>The number of ids.</summary>
    public int input_dim { get; } = input_dim;

    /// <summary>The size of a row.</summary>
    public int output_dim { get; } = output_dim;

    /// <summary>The length of the sequences, when fixed.</summary>
    public int? input_length { get; } = input_length;

    /// <summary>The table, once built.</summary>
    public Variable? embeddings => _embeddings;

    /// <inheritdoc />
    public override void build(Shape input_shape)
    {
        _embeddings = add_weight("embeddings", new Shape(input_dim, output_dim), initializer: embeddings_initializer ?? "uniform", regularizer: embeddings_regularizer);
        built = true;
    }

    /// <inheritdoc />
    public override Tensor call(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var ids = inputs.dtype == DType.int32 || inputs.dtype == DType.int64 ? inputs : Cast.Build(inputs, DType.int32);
        var y = SharpFlow.Functions.Embedding.Lookup([_embeddings!], ids, "mod", null, null);
        if (mask_zero) KerasMasks.Set(y, NotEqual.Build(ids, Const.Build(0, ids.dtype)));
        return y;
    }
}

/// <summary><c>GaussianNoise</c>: adds N(0, stddev²) noise while training.</summary>
public class GaussianNoise(double stddev, int[]? input_shape = null, string? name = null) : Layer(name, input_shape: input_shape)
{
    /// <inheritdoc />
    public override bool uses_learning_phase => true;

    /// <inheritdoc />
    public override Tensor call(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return LearningPhase.InTrainPhase(() => inputs + RandomStandardNormal.Build(Shape_.Build(inputs), 0, stddev, inputs.dtype), () => Identity.Build(inputs), Training);
    }
}

/// <summary>The merge layers: they take a list of tensors of the same shape.</summary>
public abstract class Merge(string? name) : Layer(name)
{
    /// <summary>Combines the inputs.</summary>
    protected abstract Tensor MergeFunction(Tensor[] inputs);

    /// <inheritdoc />
    public override Tensor[] call(Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length < 2)
            throw new ValueError($"A merge layer should be called on a list of at least 2 inputs. Got {inputs.Length} inputs.");
        return [MergeFunction(inputs)];
    }

    /// <inheritdoc />
    public override void build(Shape[] input_shapes) => built = true;
}

/// <summary><c>Add</c>.</summary>
public class Add(string? name = null) : Merge(name)
{
    /// <inheritdoc />
    protected override Tensor MergeFunction(Tensor[] inputs) => inputs.Skip(1).Aggregate(inputs[0], (a, b) => a + b);
}

/// <summary><c>Subtract</c>: exactly two inputs.</summary>
public class Subtract(string? name = null) : Merge(name)
{
    /// <inheritdoc />
    protected override Tensor MergeFunction(Tensor[] inputs) =>
        inputs.Length == 2 ? inputs[0] - inputs[1] : throw new ValueError("A `Subtract` layer should be called on exactly 2 inputs");
}

/// <summary><c>Multiply</c>.</summary>
public class Multiply(string? name = null) : Merge(name)
{
    /// <inheritdoc />
    protected override Tensor MergeFunction(Tensor[] inputs) => inputs.Skip(1).Aggregate(inputs[0], (a, b) => a * b);
}

/// <summary><c>Average</c>.</summary>
public class Average(string? name = null) : Merge(name)
{
    /// <inheritdoc />
    protected override Tensor MergeFunction(Tensor[] inputs) =>
        inputs.Skip(1).Aggregate(inputs[0], (a, b) => a + b) / Const.Build((float)inputs.Length);
}

/// <summary><c>Maximum</c>.</summary>
public class Maximum(string? name = null) : Merge(name)
{
    /// <inheritdoc />
    protected override Tensor MergeFunction(Tensor[] inputs) => inputs.Skip(1).Aggregate(inputs[0], (a, b) => SharpFlow.Ops.MathOps.Maximum.Build(a, b));
}

/// <summary><c>Minimum</c>.</summary>
public class Minimum(string? name = null) : Merge(name)
{
    /// <inheritdoc />
    protected override Tensor MergeFunction(Tensor[] inputs) => inputs.Skip(1).Aggregate(inputs[0], (a, b) => SharpFlow.Ops.MathOps.Minimum.Build(a, b));
}

/// <summary><c>Concatenate</c> along <c>axis</c> (the last by default).</summary>
public class Concatenate(int axis = -1, string? name = null) : Merge(name)
{
    /// <inheritdoc />
    protected override Tensor MergeFunction(Tensor[] inputs)
    {
        var rank = inputs[0].shape.ndims;
        return ConcatV2.Build([.. inputs], axis < 0 ? rank + axis : axis);
    }
}

/// <summary><c>Dot</c>: the dot product of two <c>[batch, n]</c> inputs along <c>axes</c> (optionally L2-normalized: cosine).</summary>
public class Dot(int axes, bool normalize = false, string? name = null) : Merge(name)
{
    /// <inheritdoc />
    protected override Tensor MergeFunction(Tensor[] inputs)
    {
        if (inputs.Length != 2) throw new ValueError("A `Dot` layer should be called on exactly 2 inputs");
        var (a, b) = (inputs[0], inputs[1]);
        if (normalize) { a = Activations.L2Normalize(a, axes, 1e-12, null); b = Activations.L2Normalize(b, axes, 1e-12, null); }
        if (a.shape.ndims != 2 || b.shape.ndims != 2 || axes != 1)
            throw new NotImplementedException("Dot supports 2-D inputs along axis 1.");
        return Sum.Build(a * b, 1, true);
    }
}

/// <summary><c>LayerNormalization</c>: each sample normalized over its last axis, then scaled by <c>gamma</c> and shifted by <c>beta</c>.</summary>
public class LayerNormalization(double epsilon = 1e-3, bool center = true, bool scale = true, int[]? input_shape = null, string? name = null, bool trainable = true)
    : Layer(name, trainable, input_shape)
{
    private Variable? _gamma, _beta;

    /// <inheritdoc />
    public override void build(Shape input_shape)
    {
        ArgumentNullException.ThrowIfNull(input_shape);
        var c = ConvUtil.Channels(input_shape, "LayerNormalization");
        if (scale) _gamma = add_weight("gamma", new Shape(c), initializer: "ones");
        if (center) _beta = add_weight("beta", new Shape(c), initializer: "zeros");
        built = true;
    }

    /// <inheritdoc />
    public override Tensor call(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var (mean, variance) = Functions.Moments.Build(inputs, [inputs.shape.ndims - 1], keepDims: true, "moments");
        return Functions.Moments.Normalize(inputs, mean, variance, _beta, _gamma, epsilon, "batchnorm");
    }
}
