using SharpFlow.Ops.Initializers;
using SharpFlow.Functions;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using SharpFlow.Ops.State;

namespace SharpFlow.Keras;

/// <summary>An activation given by name (<c>"relu"</c>) or as a function, as Keras's <c>activations.get</c> takes it.</summary>
public sealed class ActivationSpec
{
    private ActivationSpec(string name, Func<Tensor, Tensor>? fn) { Name = name; Fn = fn; }

    /// <summary>The activation's name (<c>linear</c> for none).</summary>
    public string Name { get; }

    /// <summary>The function, null for linear.</summary>
    public Func<Tensor, Tensor>? Fn { get; }

    /// <summary>Applies the activation.</summary>
    public Tensor Apply(Tensor x) => Fn is null ? x : Fn(x);

    /// <summary>An activation by Keras's name.</summary>
    public static implicit operator ActivationSpec(string name) => Get(name);

    /// <summary>An activation function.</summary>
    public static implicit operator ActivationSpec(Func<Tensor, Tensor> fn) => new(fn.Method.Name, fn);

    internal static ActivationSpec Linear { get; } = new("linear", null);

    /// <summary>Keras's <c>activations.get(name)</c>.</summary>
    public static ActivationSpec Get(string? name) => name switch
    {
        null or "linear" => Linear,
        "relu" => new(name, x => Relu.Build(x)),
        "softmax" => new(name, x => Activations.Softmax(x, -1, log: false, null)),
        "sigmoid" => new(name, x => Sigmoid.Build(x)),
        "tanh" => new(name, x => Tanh.Build(x)),
        "elu" => new(name, x => Elu.Build(x)),
        "selu" => new(name, x => Selu.Build(x)),
        "softplus" => new(name, x => Softplus.Build(x)),
        "softsign" => new(name, x => Softsign.Build(x)),
        "relu6" => new(name, x => Relu6.Build(x)),
        "exponential" => new(name, x => Exp.Build(x)),
        "hard_sigmoid" => new(name, x => Clipping.ByValue(x * 0.2f + 0.5f, 0f, 1f, null)),
        _ => throw new ValueError($"Unknown activation function:{name}"),
    };
}

/// <summary>An initializer given by Keras's name (<c>"he_normal"</c>) or as an <see cref="Initializer"/>.</summary>
public sealed class InitializerSpec
{
    private InitializerSpec(Initializer init) => Initializer = init;

    /// <summary>The initializer.</summary>
    public Initializer Initializer { get; }

    /// <summary>An initializer by name.</summary>
    public static implicit operator InitializerSpec(string name) => new(Get(name));

    /// <summary>An initializer object.</summary>
    public static implicit operator InitializerSpec(Initializer init) => new(init);

    /// <summary>Keras's <c>initializers.get(name)</c> (TensorFlow 1.x's defaults: "normal" is truncated).</summary>
    public static Initializer Get(string name) => name switch
    {
        "glorot_uniform" => new GlorotUniformInitializer(),
        "glorot_normal" => new GlorotNormalInitializer(),
        "he_normal" => new VarianceScalingInitializer(2.0, "fan_in", "truncated_normal"),
        "he_uniform" => new VarianceScalingInitializer(2.0, "fan_in", "uniform"),
        "lecun_normal" => new VarianceScalingInitializer(1.0, "fan_in", "truncated_normal"),
        "lecun_uniform" => new VarianceScalingInitializer(1.0, "fan_in", "uniform"),
        "zeros" or "zero" => new ZerosInitializer(),
        "ones" or "one" => new OnesInitializer(),
        "random_normal" or "normal" => new RandomNormalInitializer(0, 0.05),
        "random_uniform" or "uniform" => new RandomUniformInitializer(-0.05, 0.05),
        "orthogonal" => new Keras.Initializers.Orthogonal(),
        "truncated_normal" => new TruncatedNormalInitializer(0, 0.05),
        _ => throw new ValueError($"Unknown initializer: {name}"),
    };
}

/// <summary>Keras's weight regularizers: a penalty added to the model's loss.</summary>
public sealed class KerasRegularizer
{
    /// <summary>The L1 and L2 factors.</summary>
    public KerasRegularizer(double l1 = 0, double l2 = 0) { this.l1 = l1; this.l2 = l2; }

    /// <summary>The L1 factor.</summary>
    public double l1 { get; }

    /// <summary>The L2 factor.</summary>
    public double l2 { get; }

    /// <summary><c>l1·Σ|w| + l2·Σw²</c> (Keras's L1L2: no halving).</summary>
    public Tensor Call(Tensor x)
    {
        Tensor regularization = Const.Build(0f);
        if (l1 != 0) regularization = regularization + Sum.Build(Abs.Build(x) * (float)l1);
        if (l2 != 0) regularization = regularization + Sum.Build(Square.Build(x) * (float)l2);
        return regularization;
    }

    /// <summary>By name: <c>"l1"</c>, <c>"l2"</c>, <c>"l1_l2"</c> with Keras's default factor 0.01.</summary>
    public static implicit operator KerasRegularizer(string name) => name switch
    {
        "l1" => new(l1: 0.01),
        "l2" => new(l2: 0.01),
        "l1_l2" => new(0.01, 0.01),
        _ => throw new ValueError($"Unknown regularizer: {name}"),
    };
}
