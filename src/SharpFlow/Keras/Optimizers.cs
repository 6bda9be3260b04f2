using SharpFlow.Functions;
using SharpFlow.Gradients;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using SharpFlow.Ops.State;
using SharpFlow.Ops.Initializers;

namespace SharpFlow.Keras;

/// <summary>
/// Keras 2.2.4's optimizers (<c>tf.keras.optimizers</c>), their update rules built as graph updates: an
/// <c>iterations</c> counter (int64) and a learning-rate variable <c>lr</c> (so callbacks can change it), named
/// under the class name (<c>Adam/lr:0</c>); slots are zero variables under <c>training/Adam</c>. With
/// <c>decay</c> the rate is <c>lr / (1 + decay · iterations)</c>. The parameter updates read the iteration count
/// before it is incremented.
/// </summary>
public abstract class KerasOptimizer
{
    private readonly double _lr;
    private readonly double _decay;
    private Variable? _lrVar, _decayVar, _iterations;

    /// <summary>Sets the learning rate, decay and gradient clipping.</summary>
    protected KerasOptimizer(double lr, double decay, double? clipnorm, double? clipvalue)
    {
        _lr = lr;
        _decay = decay;
        this.clipnorm = clipnorm;
        this.clipvalue = clipvalue;
    }

    /// <summary>Clips each gradient to this L2 norm.</summary>
    public double? clipnorm { get; }

    /// <summary>Clips each gradient's elements to ±this value.</summary>
    public double? clipvalue { get; }

    /// <summary>The decay given at construction.</summary>
    public double initial_decay => _decay;

    private void MakeVariables()
    {
        if (_iterations is not null) return;
        var graph = Graph.get_default();
        using (graph.name_scope(null))
        using (graph.name_scope(GetType().Name))
        {
            _iterations = Variable.Create(NDArray.Scalar(0L), null, false, null, true, "iterations", null);
            _lrVar = Variable.Create(NDArray.Scalar((float)_lr), null, false, null, true, "lr", null);
            _decayVar = Variable.Create(NDArray.Scalar((float)_decay), null, false, null, true, "decay", null);
            MakeHyperVariables();
        }
    }

    /// <summary>Creates the optimizer's other hyper-parameter variables (beta_1, momentum, ...).</summary>
    protected virtual void MakeHyperVariables() { }

    /// <summary>A float hyper-parameter variable.</summary>
    protected static Variable Hyper(string name, double value) => Variable.Create(NDArray.Scalar((float)value), null, false, null, true, name, null);

    /// <summary>The step counter.</summary>
    public Variable iterations { get { MakeVariables(); return _iterations!; } }

    /// <summary>The learning-rate variable.</summary>
    public Variable lr { get { MakeVariables(); return _lrVar!; } }

    /// <summary>The decay variable.</summary>
    public Variable decay { get { MakeVariables(); return _decayVar!; } }

    /// <summary>The slot variables made by <see cref="get_updates"/>, after the counter.</summary>
    public List<Variable> weights { get; } = [];

    /// <summary>The gradients of <paramref name="loss"/>, clipped as asked.</summary>
    public Tensor[] get_gradients(Tensor loss, IReadOnlyList<Variable> @params)
    {
        var grads = GradientPass.Build([loss], [.. @params.Cast<Tensor>()], null, null, "gradients");
        if (grads.Any(g => g is null))
            throw new ValueError("An operation has `None` for gradient. Please make sure that all of your ops have a gradient defined (i.e. are differentiable). Common ops without gradient: K.argmax, K.round, K.eval.");
        var result = grads.Select(g => g!).ToArray();
        if (clipnorm is { } n && n > 0) result = result.Select(g => Clipping.ByNorm(g, (float)n, null, null)).ToArray();
        if (clipvalue is { } c && c > 0) result = result.Select(g => Clipping.ByValue(g, (float)-c, (float)c, null)).ToArray();
        return result;
    }

    /// <summary>The ops that apply one step to <paramref name="params"/> and advance the counter.</summary>
    public List<ITensorOrOperation> get_updates(Tensor loss, IReadOnlyList<Variable> @params)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(@params);
        MakeVariables();
        var graph = loss.graph;
        using (graph.name_scope("training"))
        using (graph.name_scope(GetType().Name))
        {
            var grads = get_gradients(loss, @params);
            Tensor lrT = _lrVar!;
            if (_decay > 0)
                lrT = lrT * (Const.Build(1f) / (Const.Build(1f) + _decayVar! * Cast.Build(_iterations!, DType.float32)));
            var t = Cast.Build(_iterations!, DType.float32) + Const.Build(1f);
            weights.Clear();
            weights.Add(_iterations!);
            var updates = ParameterUpdates(@params, grads, lrT, t);
            // Constraints project the updated weights, after all the step's assignments (as TensorFlow's
            // optimizers apply var.constraint; Keras's own project the new value before assigning it: the same value).
            var constrained = @params.Where(p => KerasConstraint.Of(p) is not null).ToList();
            if (constrained.Count > 0)
                using (graph.control_dependencies(updates.ToList()))
                    foreach (var p in constrained)
                        updates.Add(p.assign(KerasConstraint.Of(p)!.Call(p)));
            using (graph.control_dependencies(updates))
                updates.Add(_iterations!.assign_add(NDArray.Scalar(1L)));
            return updates;
        }
    }

    /// <summary>The rule: the assignments of the slots and parameters for one step.</summary>
    protected abstract List<ITensorOrOperation> ParameterUpdates(IReadOnlyList<Variable> @params, Tensor[] grads, Tensor lr, Tensor t);

    /// <summary>A zero slot variable shaped like <paramref name="p"/>.</summary>
    protected Variable Slot(Variable p)
    {
        var v = Variable.Create(NDArray.Zeros(p.dtype, p.shape), null, false, null, true, null, null);
        weights.Add(v);
        return v;
    }

    /// <summary>A constant of the parameter dtype.</summary>
    protected static Tensor C(double value) => Const.Build((float)value);

    /// <summary>Keras's optimizer by name with its defaults.</summary>
    public static KerasOptimizer get(string name) => name.ToLowerInvariant() switch
    {
        "sgd" => new SGD(),
        "rmsprop" => new RMSprop(),
        "adagrad" => new Adagrad(),
        "adadelta" => new Adadelta(),
        "adam" => new Adam(),
        "adamax" => new Adamax(),
        "nadam" => new Nadam(),
        _ => throw new ValueError($"Unknown optimizer: {name}"),
    };
}

/// <summary>SGD with momentum and Nesterov momentum: <c>v = μ·m − lr·g; p += v</c> (or <c>p += μ·v − lr·g</c>).</summary>
public sealed class SGD(double lr = 0.01, double momentum = 0.0, double decay = 0.0, bool nesterov = false, double? clipnorm = null, double? clipvalue = null)
    : KerasOptimizer(lr, decay, clipnorm, clipvalue)
{
    private Variable? _momentum;

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool nesterov { get; } = nesterov;

    /// <inheritdoc />
    protected override void MakeHyperVariables() => _momentum = Hyper("momentum", momentum);

    /// <inheritdoc />
    protected override List<ITensorOrOperation> ParameterUpdates(IReadOnlyList<Variable> @params, Tensor[] grads, Tensor lr, Tensor t)
    {
        var updates = new List<ITensorOrOperation>();
        for (var i = 0; i < @params.Count; i++)
        {
            var (p, g) = (@params[i], grads[i]);
            var m = Slot(p);
            var v = _momentum! * m - lr * g;
            updates.Add(m.assign(v));
            var newP = nesterov ? p + _momentum! * v - lr * g : p + v;
            updates.Add(p.assign(newP));
        }
        return updates;
    }
}

/// <summary>RMSprop: <c>a = ρ·a + (1−ρ)·g²; p −= lr·g / (√a + ε)</c>.</summary>
public sealed class RMSprop(double lr = 0.001, double rho = 0.9, double? epsilon = null, double decay = 0.0, double? clipnorm = null, double? clipvalue = null)
    : KerasOptimizer(lr, decay, clipnorm, clipvalue)
{
    private readonly double _eps = epsilon ?? Backend.epsilon();
    private Variable? _rho;

    /// <inheritdoc />
    protected override void MakeHyperVariables() => _rho = Hyper("rho", rho);

    /// <inheritdoc />
    protected override List<ITensorOrOperation> ParameterUpdates(IReadOnlyList<Variable> @params, Tensor[] grads, Tensor lr, Tensor t)
    {
        var updates = new List<ITensorOrOperation>();
        for (var i = 0; i < @params.Count; i++)
        {
            var (p, g) = (@params[i], grads[i]);
            var a = Slot(p);
            var newA = _rho! * a + (C(1) - _rho!) * Square.Build(g);
            updates.Add(a.assign(newA));
            updates.Add(p.assign(p - lr * g / (Sqrt.Build(newA) + C(_eps))));
        }
        return updates;
    }
}

/// <summary>Adagrad: <c>a += g²; p −= lr·g / (√a + ε)</c> (accumulators start at 0).</summary>
public sealed class Adagrad(double lr = 0.01, double? epsilon = null, double decay = 0.0, double? clipnorm = null, double? clipvalue = null)
    : KerasOptimizer(lr, decay, clipnorm, clipvalue)
{
    private readonly double _eps = epsilon ?? Backend.epsilon();

    /// <inheritdoc />
    protected override List<ITensorOrOperation> ParameterUpdates(IReadOnlyList<Variable> @params, Tensor[] grads, Tensor lr, Tensor t)
    {
        var updates = new List<ITensorOrOperation>();
        for (var i = 0; i < @params.Count; i++)
        {
            var (p, g) = (@params[i], grads[i]);
            var a = Slot(p);
            var newA = a + Square.Build(g);
            updates.Add(a.assign(newA));
            updates.Add(p.assign(p - lr * g / (Sqrt.Build(newA) + C(_eps))));
        }
        return updates;
    }
}

/// <summary>Adadelta: <c>a = ρa + (1−ρ)g²; u = g·√(d + ε)/√(a + ε); p −= lr·u; d = ρd + (1−ρ)u²</c>.</summary>
public sealed class Adadelta(double lr = 1.0, double rho = 0.95, double? epsilon = null, double decay = 0.0, double? clipnorm = null, double? clipvalue = null)
    : KerasOptimizer(lr, decay, clipnorm, clipvalue)
{
    private readonly double _eps = epsilon ?? Backend.epsilon();

    /// <inheritdoc />
    protected override List<ITensorOrOperation> ParameterUpdates(IReadOnlyList<Variable> @params, Tensor[] grads, Tensor lr, Tensor t)
    {
        var updates = new List<ITensorOrOperation>();
        var accumulators = @params.Select(Slot).ToList();
        var deltas = @params.Select(Slot).ToList();
        for (var i = 0; i < @params.Count; i++)
        {
            var (p, g, a, d) = (@params[i], grads[i], accumulators[i], deltas[i]);
            var newA = C(rho) * a + C(1 - rho) * Square.Build(g);
            updates.Add(a.assign(newA));
            var update = g * Sqrt.Build(d + C(_eps)) / Sqrt.Build(newA + C(_eps));
            updates.Add(p.assign(p - lr * update));
            updates.Add(d.assign(C(rho) * d + C(1 - rho) * Square.Build(update)));
        }
        return updates;
    }
}

/// <summary>Adam: <c>lr_t = lr·√(1−β₂ᵗ)/(1−β₁ᵗ); p −= lr_t·m/(√v + ε)</c>, optionally AMSGrad.</summary>
public sealed class Adam(double lr = 0.001, double beta_1 = 0.9, double beta_2 = 0.999, double? epsilon = null, double decay = 0.0, bool amsgrad = false,
    double? clipnorm = null, double? clipvalue = null) : KerasOptimizer(lr, decay, clipnorm, clipvalue)
{
    private readonly double _eps = epsilon ?? Backend.epsilon();
    private Variable? _b1, _b2;

    /// <inheritdoc />
    protected override void MakeHyperVariables() { _b1 = Hyper("beta_1", beta_1); _b2 = Hyper("beta_2", beta_2); }

    /// <inheritdoc />
    protected override List<ITensorOrOperation> ParameterUpdates(IReadOnlyList<Variable> @params, Tensor[] grads, Tensor lr, Tensor t)
    {
        var updates = new List<ITensorOrOperation>();
        var lrT = lr * (Sqrt.Build(C(1) - Pow.Build(_b2!, t)) / (C(1) - Pow.Build(_b1!, t)));
        var ms = @params.Select(Slot).ToList();
        var vs = @params.Select(Slot).ToList();
        var vhats = amsgrad ? @params.Select(Slot).ToList() : null;
        for (var i = 0; i < @params.Count; i++)
        {
            var (p, g, m, v) = (@params[i], grads[i], ms[i], vs[i]);
            var mT = _b1! * m + (C(1) - _b1!) * g;
            var vT = _b2! * v + (C(1) - _b2!) * Square.Build(g);
            Tensor pT;
            if (vhats is not null)
            {
                var vhatT = SharpFlow.Ops.MathOps.Maximum.Build(vhats[i], vT);
                pT = p - lrT * mT / (Sqrt.Build(vhatT) + C(_eps));
                updates.Add(vhats[i].assign(vhatT));
            }
            else pT = p - lrT * mT / (Sqrt.Build(vT) + C(_eps));
            updates.Add(m.assign(mT));
            updates.Add(v.assign(vT));
            updates.Add(p.assign(pT));
        }
        return updates;
    }
}

/// <summary>Adamax: <c>lr_t = lr/(1−β₁ᵗ); u = max(β₂u, |g|); p −= lr_t·m/(u + ε)</c>.</summary>
public sealed class Adamax(double lr = 0.002, double beta_1 = 0.9, double beta_2 = 0.999, double? epsilon = null, double decay = 0.0,
    double? clipnorm = null, double? clipvalue = null) : KerasOptimizer(lr, decay, clipnorm, clipvalue)
{
    private readonly double _eps = epsilon ?? Backend.epsilon();
    private Variable? _b1, _b2;

    /// <inheritdoc />
    protected override void MakeHyperVariables() { _b1 = Hyper("beta_1", beta_1); _b2 = Hyper("beta_2", beta_2); }

    /// <inheritdoc />
    protected override List<ITensorOrOperation> ParameterUpdates(IReadOnlyList<Variable> @params, Tensor[] grads, Tensor lr, Tensor t)
    {
        var updates = new List<ITensorOrOperation>();
        var lrT = lr / (C(1) - Pow.Build(_b1!, t));
        var ms = @params.Select(Slot).ToList();
        var us = @params.Select(Slot).ToList();
        for (var i = 0; i < @params.Count; i++)
        {
            var (p, g, m, u) = (@params[i], grads[i], ms[i], us[i]);
            var mT = _b1! * m + (C(1) - _b1!) * g;
            var uT = SharpFlow.Ops.MathOps.Maximum.Build(_b2! * u, Abs.Build(g));
            updates.Add(m.assign(mT));
            updates.Add(u.assign(uT));
            updates.Add(p.assign(p - lrT * mT / (uT + C(_eps))));
        }
        return updates;
    }
}

/// <summary>Nadam: Adam with Nesterov momentum and Keras's momentum schedule (0.96^(t·schedule_decay)).</summary>
public sealed class Nadam(double lr = 0.002, double beta_1 = 0.9, double beta_2 = 0.999, double? epsilon = null, double schedule_decay = 0.004,
    double? clipnorm = null, double? clipvalue = null) : KerasOptimizer(lr, 0, clipnorm, clipvalue)
{
    private readonly double _eps = epsilon ?? Backend.epsilon();
    private Variable? _b1, _b2, _mSchedule;

    /// <inheritdoc />
    protected override void MakeHyperVariables()
    {
        _mSchedule = Hyper("m_schedule", 1.0);
        _b1 = Hyper("beta_1", beta_1);
        _b2 = Hyper("beta_2", beta_2);
    }

    /// <inheritdoc />
    protected override List<ITensorOrOperation> ParameterUpdates(IReadOnlyList<Variable> @params, Tensor[] grads, Tensor lr, Tensor t)
    {
        var updates = new List<ITensorOrOperation>();
        var cacheT = _b1! * (C(1) - C(0.5) * Pow.Build(C(0.96), t * C(schedule_decay)));
        var cacheT1 = _b1! * (C(1) - C(0.5) * Pow.Build(C(0.96), (t + C(1)) * C(schedule_decay)));
        var mScheduleNew = _mSchedule! * cacheT;
        var mScheduleNext = _mSchedule! * cacheT * cacheT1;
        updates.Add(_mSchedule!.assign(mScheduleNew));
        var ms = @params.Select(Slot).ToList();
        var vs = @params.Select(Slot).ToList();
        for (var i = 0; i < @params.Count; i++)
        {
            var (p, g, m, v) = (@params[i], grads[i], ms[i], vs[i]);
            var gPrime = g / (C(1) - mScheduleNew);
            var mT = _b1! * m + (C(1) - _b1!) * g;
            var mTPrime = mT / (C(1) - mScheduleNext);
            var vT = _b2! * v + (C(1) - _b2!) * Square.Build(g);
            var vTPrime = vT / (C(1) - Pow.Build(_b2!, t));
            var mTBar = (C(1) - cacheT) * gPrime + cacheT1 * mTPrime;
            updates.Add(m.assign(mT));
            updates.Add(v.assign(vT));
            updates.Add(p.assign(p - lr * mTBar / (Sqrt.Build(vTPrime) + C(_eps))));
        }
        return updates;
    }
}

/// <summary>A <c>tf.train</c> optimizer used by a Keras model (Keras's <c>TFOptimizer</c>): its apply step advances <c>iterations</c>.</summary>
public sealed class TFOptimizer(Train.Optimizer optimizer) : KerasOptimizer(0, 0, null, null)
{
    /// <summary>The wrapped optimizer.</summary>
    public Train.Optimizer optimizer { get; } = optimizer;

    /// <inheritdoc />
    protected override List<ITensorOrOperation> ParameterUpdates(IReadOnlyList<Variable> @params, Tensor[] grads, Tensor lr, Tensor t)
    {
        var apply = optimizer.apply_gradients(grads.Zip(@params, (g, v) => ((Tensor?)g, v)));
        return [apply];
    }
}
