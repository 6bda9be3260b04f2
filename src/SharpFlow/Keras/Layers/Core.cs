using SharpFlow.Keras.Engine;
using SharpFlow.Functions;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using SharpFlow.Ops.State;
using SharpFlow.Ops.Initializers;

namespace SharpFlow.Keras.Layers;

/// <summary>
/// <c>Dense</c>: <c>activation(inputs · kernel + bias)</c>, kernel <c>[in, units]</c> (glorot_uniform) and bias
/// <c>[units]</c> (zeros), named <c>dense/kernel:0</c> and <c>dense/bias:0</c>; inputs of higher rank are
/// multiplied along their last axis.
/// </summary>
public class Dense(int units, ActivationSpec? activation = null, bool use_bias = true, InitializerSpec? kernel_initializer = null,
    InitializerSpec? bias_initializer = null, KerasRegularizer? kernel_regularizer = null, KerasRegularizer? bias_regularizer = null,
    KerasRegularizer? activity_regularizer = null, int[]? input_shape = null, string? name = null, bool trainable = true, int? input_dim = null, KerasConstraint? kernel_constraint = null, KerasConstraint? bias_constraint = null)
    : Layer(name, trainable, input_shape ?? (input_dim is { } d ? [d] : null))
{
    /// <summary>The number of outputs.</summary>
    public int units { get; } = units > 0 ? units : throw new ValueError($"units must be positive, got {units}");

    /// <summary>The activation.</summary>
    public ActivationSpec activation { get; } = activation ?? ActivationSpec.Linear;

    /// <summary>The kernel, once built.</summary>
    public Variable? kernel { get; private set; }

    /// <summary>The bias, once built (null without one).</summary>
    public Variable? bias { get; private set; }

    /// <inheritdoc />
    public override void build(Shape input_shape)
    {
        ArgumentNullException.ThrowIfNull(input_shape);
        if (!input_shape.IsKnownRank || input_shape[input_shape.ndims - 1] < 0)
            throw new ValueError("The last dimension of the inputs to `Dense` should be defined. Found `None`.");
        var inDim = input_shape[input_shape.ndims - 1];
        kernel = add_weight("kernel", new Shape(inDim, units), initializer: kernel_initializer ?? "glorot_uniform", regularizer: kernel_regularizer, constraint: kernel_constraint);
        if (use_bias) bias = add_weight("bias", new Shape(units), initializer: bias_initializer ?? "zeros", regularizer: bias_regularizer, constraint: bias_constraint);
        built = true;
    }

    /// <inheritdoc />
    public override Tensor call(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        Tensor y;
        var rank = inputs.shape.ndims;
        if (rank <= 2) y = BatchMatMulV2.MatMulOrBatch(inputs, kernel!, false, false, false, false, null);
        else
        {
            y = LinearAlgebra.Tensordot(inputs, kernel!, new[] { new[] { rank - 1 }, new[] { 0 } }, null);
            var dims = inputs.shape.Dims;
            dims[^1] = units;
            y.SetShape(new Shape(dims));
        }
        if (bias is not null) y = BiasAdd.Build(y, bias);
        y = activation.Apply(y);
        if (activity_regularizer is not null)
            using (inputs.graph.name_scope("ActivityRegularizer"))
                add_loss(activity_regularizer.Call(y) / Cast.Build(Shape_.Build(y)[0], y.dtype));
        return y;
    }

    /// <inheritdoc />
    public override Shape compute_output_shape(Shape input_shape)
    {
        ArgumentNullException.ThrowIfNull(input_shape);
        var d = input_shape.Dims;
        d[^1] = units;
        return new Shape(d);
    }
}

/// <summary><c>Activation</c>: applies an activation function.</summary>
public class Activation(ActivationSpec activation, int[]? input_shape = null, string? name = null) : Layer(name, input_shape: input_shape)
{
    /// <summary>The activation.</summary>
    public ActivationSpec activation { get; } = activation;

    /// <inheritdoc />
    public override Tensor call(Tensor inputs) => activation.Apply(inputs);

    /// <inheritdoc />
    public override Shape compute_output_shape(Shape input_shape) => input_shape;
}

/// <summary>
/// <c>Dropout</c>: while training (the learning phase, or <c>training: true</c>), zeroes a fraction
/// <c>rate</c> of the inputs and scales the rest by <c>1/(1 − rate)</c>; a <c>tf.cond</c> on the learning phase.
/// </summary>
public class Dropout(double rate, int[]? noise_shape = null, int? seed = null, int[]? input_shape = null, string? name = null) : Layer(name, input_shape: input_shape)
{
    /// <summary>The fraction dropped.</summary>
    public double rate { get; } = rate;

    /// <inheritdoc />
    public override bool uses_learning_phase => rate > 0 && rate < 1;

    /// <inheritdoc />
    public override Tensor call(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (!(rate > 0 && rate < 1)) return Identity.Build(inputs);
        Tensor Dropped()
        {
            Tensor? ns = null;
            if (noise_shape is not null)
            {
                var dynamic = Shape_.Build(inputs);
                ns = Pack.Build([.. noise_shape.Select((d, i) => d < 0 ? dynamic[i] : Const.Build(d)).ToArray()]);
            }
            return SharpFlow.Functions.Dropout.Build(inputs, 1 - rate, ns is null ? (SharpFlow.Ops.RandomOps.ShapeInput?)null : ns, seed, null);
        }
        return LearningPhase.InTrainPhase(Dropped, () => Identity.Build(inputs), Training);
    }

    /// <inheritdoc />
    public override Shape compute_output_shape(Shape input_shape) => input_shape;
}

/// <summary>Keras's <c>in_train_phase</c>: a fixed choice for a bool, else a <c>tf.cond</c> on the learning phase.</summary>
internal static class LearningPhase
{
    public static Tensor InTrainPhase(Func<Tensor> train, Func<Tensor> test, bool? training)
    {
        if (training is { } t) return t ? train() : test();
        return Ops.Control.ControlFlowOps.SmartCond(Backend.learning_phase(), train, test, "cond");
    }
}

/// <summary><c>Flatten</c>: <c>[batch, d1, d2, ...]</c> to <c>[batch, d1·d2·...]</c>.</summary>
public class Flatten(int[]? input_shape = null, string? name = null) : Layer(name, input_shape: input_shape)
{
    /// <inheritdoc />
    public override Tensor call(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var rest = inputs.shape.Dims[1..];
        if (rest.All(d => d >= 0))
        {
            var n = rest.Aggregate(1, (a, d) => checked(a * d));
            var y = SharpFlow.Ops.ArrayOps.Reshape.Build(inputs, new[] { -1, n });
            y.SetShape(new Shape(inputs.shape[0], n));
            return y;
        }
        return SharpFlow.Ops.ArrayOps.Reshape.Build(inputs, Pack.Build([Shape_.Build(inputs)[0], Const.Build(-1)]));
    }

    /// <inheritdoc />
    public override Shape compute_output_shape(Shape input_shape)
    {
        ArgumentNullException.ThrowIfNull(input_shape);
        var rest = input_shape.Dims[1..];
        return new Shape(input_shape[0], rest.Any(d => d < 0) ? -1 : rest.Aggregate(1, (a, d) => a * d));
    }
}

/// <summary><c>Reshape</c>: each sample to <c>target_shape</c> (one entry may be -1).</summary>
public class Reshape(int[] target_shape, int[]? input_shape = null, string? name = null) : Layer(name, input_shape: input_shape)
{
    /// <summary>The shape of each sample.</summary>
    public int[] target_shape { get; } = target_shape;

    /// <inheritdoc />
    public override Tensor call(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var outShape = compute_output_shape(inputs.shape);
        var y = SharpFlow.Ops.ArrayOps.Reshape.Build(inputs, ConcatV2.Build([Shape_.Build(inputs)[..1], Const.Build(outShape.Dims[1..])], 0));
        y.SetShape(outShape);
        return y;
    }

    /// <inheritdoc />
    public override Shape compute_output_shape(Shape input_shape)
    {
        ArgumentNullException.ThrowIfNull(input_shape);
        var target = (int[])target_shape.Clone();
        var unknown = Array.IndexOf(target, -1);
        var rest = input_shape.Dims[1..];
        if (unknown >= 0 && rest.All(d => d >= 0))
        {
            var known = target.Where(d => d >= 0).Aggregate(1, (a, d) => a * d);
            var total = rest.Aggregate(1, (a, d) => a * d);
            if (known == 0 || total % known != 0) throw new ValueError("total size of new array must be unchanged");
            target[unknown] = total / known;
        }
        else if (rest.All(d => d >= 0) && rest.Aggregate(1, (a, d) => a * d) != target.Aggregate(1, (a, d) => a * d))
            throw new ValueError("total size of new array must be unchanged");
        return new Shape([input_shape[0], .. target]);
    }
}

/// <summary><c>Permute</c>: permutes the non-batch axes (<c>dims</c> counts from 1).</summary>
public class Permute(int[] dims, int[]? input_shape = null, string? name = null) : Layer(name, input_shape: input_shape)
{
    /// <inheritdoc />
    public override Tensor call(Tensor inputs) => Transpose.Build(inputs, new[] { 0 }.Concat(dims).ToArray());

    /// <inheritdoc />
    public override Shape compute_output_shape(Shape input_shape)
    {
        ArgumentNullException.ThrowIfNull(input_shape);
        return new Shape([input_shape[0], .. dims.Select(d => input_shape[d])]);
    }
}

/// <summary><c>RepeatVector</c>: <c>[batch, features]</c> to <c>[batch, n, features]</c>.</summary>
public class RepeatVector(int n, int[]? input_shape = null, string? name = null) : Layer(name, input_shape: input_shape)
{
    /// <inheritdoc />
    public override Tensor call(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var y = Tile.Build(ExpandDims.Build(inputs, 1), new[] { 1, n, 1 });
        y.SetShape(compute_output_shape(inputs.shape));
        return y;
    }

    /// <inheritdoc />
    public override Shape compute_output_shape(Shape input_shape)
    {
        ArgumentNullException.ThrowIfNull(input_shape);
        return new Shape(input_shape[0], n, input_shape[1]);
    }
}

/// <summary><c>Lambda</c>: wraps a function of tensors as a layer.</summary>
public class Lambda(Func<Tensor, Tensor> function, int[]? lambda_output_shape = null, int[]? input_shape = null, string? name = null) : Layer(name, input_shape: input_shape)
{
    /// <inheritdoc />
    public override Tensor call(Tensor inputs) => function(inputs);

    /// <inheritdoc />
    public override Shape compute_output_shape(Shape input_shape)
    {
        ArgumentNullException.ThrowIfNull(input_shape);
        return lambda_output_shape is null ? input_shape : new Shape([input_shape[0], .. lambda_output_shape]);
    }
}
