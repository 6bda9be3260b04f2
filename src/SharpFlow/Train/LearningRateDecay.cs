using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;

namespace SharpFlow.Train;

/// <summary>
/// TensorFlow 1.x's learning-rate schedules (<c>tf.train.exponential_decay</c>, ...): each is a scalar tensor of
/// the global step, computed in the learning rate's dtype.
/// </summary>
public static class LearningRateDecay
{
    /// <summary><c>lr * decay_rate^(global_step / decay_steps)</c>, the exponent floored when <paramref name="staircase"/>.</summary>
    public static Tensor Exponential(TensorLike learningRate, Tensor? globalStep, TensorLike decaySteps, TensorLike decayRate, bool staircase, string? name)
    {
        if (globalStep is null) throw new ValueError("global_step is required for exponential_decay.");
        using var b = OpBuilder.Begin(name, "ExponentialDecay", learningRate, globalStep, decaySteps, decayRate);
        var lr = b.Convert(learningRate, "learning_rate");
        var p = Progress(b, lr.dtype, globalStep, decaySteps, staircase);
        var rate = Cast.Build(b.Convert(decayRate, "decay_rate"), lr.dtype);
        return b.Graph.CreateOp(Mul.Def, b.Scope, [lr, Pow.Build(rate, p)], new Dictionary<string, object> { { BinaryElementwiseOp.T, lr.dtype } }).outputs[0];
    }

    /// <summary>
    /// <c>(lr - end) * (1 - min(step, decay_steps)/decay_steps)^power + end</c>; with <paramref name="cycle"/> the
    /// decay restarts every <c>decay_steps * ceil(step/decay_steps)</c>.
    /// </summary>
    public static Tensor Polynomial(TensorLike learningRate, Tensor? globalStep, TensorLike decaySteps, double endLearningRate, double power, bool cycle, string? name)
    {
        if (globalStep is null) throw new ValueError("global_step is required for polynomial_decay.");
        using var b = OpBuilder.Begin(name, "PolynomialDecay", learningRate, globalStep, decaySteps);
        var lr = b.Convert(learningRate, "learning_rate");
        var dtype = lr.dtype;
        var end = Const.Create(b.Graph, Literal.ToNDArray(endLearningRate, dtype), "end_learning_rate");
        var step = Cast.Build(globalStep, dtype);
        var steps = Cast.Build(b.Convert(decaySteps, "decay_steps"), dtype);
        if (cycle)
        {
            // ceil(x) = -floor(-x); a step of 0 counts as the first cycle.
            var ceil = Neg.Build(Floor.Build(Neg.Build(RealDiv.Build(step, steps))));
            var multiplier = Select.Build(Equal.Build(step, Literal.ToNDArray(0, dtype)), Literal.ToNDArray(1, dtype), ceil);
            steps = Mul.Build(steps, multiplier);
        }
        else step = Minimum.Build(step, steps);
        var p = RealDiv.Build(step, steps);
        var decayed = Mul.Build(Sub.Build(lr, end), Pow.Build(Sub.Build(Literal.ToNDArray(1, dtype), p), Literal.ToNDArray(power, dtype)));
        return b.Graph.CreateOp(Add.Def, b.Scope, [decayed, end], new Dictionary<string, object> { { BinaryElementwiseOp.T, dtype } }).outputs[0];
    }

    /// <summary>
    /// <c>lr * exp(-decay_rate)^(global_step / decay_steps)</c> (TensorFlow 1.15 computes <c>lr * e^(-rate*p)</c>
    /// this way), the exponent floored when <paramref name="staircase"/>.
    /// </summary>
    public static Tensor NaturalExp(TensorLike learningRate, Tensor? globalStep, TensorLike decaySteps, TensorLike decayRate, bool staircase, string? name)
    {
        if (globalStep is null) throw new ValueError("global_step is required for natural_exp_decay.");
        using var b = OpBuilder.Begin(name, "NaturalExpDecay", learningRate, globalStep, decaySteps, decayRate);
        var lr = b.Convert(learningRate, "learning_rate");
        var rate = Exp.Build(Neg.Build(Cast.Build(b.Convert(decayRate, "decay_rate"), lr.dtype)));
        var p = Progress(b, lr.dtype, globalStep, decaySteps, staircase);
        return b.Graph.CreateOp(Mul.Def, b.Scope, [lr, Pow.Build(rate, p)], new Dictionary<string, object> { { BinaryElementwiseOp.T, lr.dtype } }).outputs[0];
    }

    /// <summary><c>lr / (1 + decay_rate * global_step / decay_steps)</c>, the ratio floored when <paramref name="staircase"/>.</summary>
    public static Tensor InverseTime(TensorLike learningRate, Tensor? globalStep, TensorLike decaySteps, TensorLike decayRate, bool staircase, string? name)
    {
        if (globalStep is null) throw new ValueError("global_step is required for inverse_time_decay.");
        using var b = OpBuilder.Begin(name, "InverseTimeDecay", learningRate, globalStep, decaySteps, decayRate);
        var lr = b.Convert(learningRate, "learning_rate");
        var rate = Cast.Build(b.Convert(decayRate, "decay_rate"), lr.dtype);
        var p = Progress(b, lr.dtype, globalStep, decaySteps, staircase);
        var denominator = Add.Build(Literal.ToNDArray(1, lr.dtype), Mul.Build(rate, p));
        return b.Graph.CreateOp(RealDiv.Def, b.Scope, [lr, denominator], new Dictionary<string, object> { { BinaryElementwiseOp.T, lr.dtype } }).outputs[0];
    }

    /// <summary>
    /// <c>values[0]</c> while <c>x &lt;= boundaries[0]</c>, <c>values[i]</c> while
    /// <c>boundaries[i-1] &lt; x &lt;= boundaries[i]</c>, and the last value after the last boundary.
    /// </summary>
    public static Tensor PiecewiseConstant(Tensor x, IReadOnlyList<double> boundaries, IReadOnlyList<double> values, string? name)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(boundaries);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != boundaries.Count + 1)
            throw new ValueError("The length of boundaries should be 1 less than the length of values");
        for (var i = 1; i < boundaries.Count; i++)
            if (!(boundaries[i] > boundaries[i - 1])) throw new ValueError("boundaries must be strictly increasing");
        using var b = OpBuilder.Begin(name, "PiecewiseConstant", x);
        // Boundaries are numbers; comparing in float64 is exact for any int32 step and for float steps.
        var input = b.Convert(x, "x");
        if (input.dtype != DType.float64) input = Cast.Build(input, DType.float64);
        Tensor result = Const.Create(b.Graph, Literal.ToNDArray(values[0], DType.float32), "values_0");
        for (var i = 0; i < boundaries.Count; i++)
        {
            var boundary = Literal.ToNDArray(boundaries[i], DType.float64);
            var next = Const.Create(b.Graph, Literal.ToNDArray(values[i + 1], DType.float32), $"values_{i + 1}");
            result = Select.Build(Greater.Build(input, boundary), next, result);
        }
        return Identity.Build(result, b.Scope);
    }

    /// <summary>
    /// <c>lr * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, decay_steps) / decay_steps)) + alpha)</c>
    /// (<c>tf.train.cosine_decay</c>).
    /// </summary>
    public static Tensor Cosine(TensorLike learningRate, Tensor? globalStep, TensorLike decaySteps, double alpha, string? name)
    {
        if (globalStep is null) throw new ValueError("cosine decay requires global_step");
        using var b = OpBuilder.Begin(name, "CosineDecay", learningRate, globalStep);
        var lr = b.Convert(learningRate, "learning_rate");
        var dtype = lr.dtype;
        var step = Cast.Build(b.Convert(globalStep, "global_step"), dtype);
        var steps = Cast.Build(b.Convert(decaySteps, "decay_steps"), dtype);
        step = Minimum.Build(step, steps);
        var completed = RealDiv.Build(step, steps);
        var cosine = HalfCosineBump(completed, dtype);
        // (1 - alpha) and alpha are Python numbers in TensorFlow: the difference is taken in double.
        var decayed = Add.Build(Mul.Build(C(1 - alpha, dtype), cosine), C(alpha, dtype));
        return b.Graph.CreateOp(Mul.Def, b.Scope, [lr, decayed], new Dictionary<string, object> { { BinaryElementwiseOp.T, dtype } }).outputs[0];
    }

    /// <summary>
    /// SGDR (<c>tf.train.cosine_decay_restarts</c>): a cosine decay over <paramref name="firstDecaySteps"/>, then
    /// warm restarts, each <paramref name="tMul"/> times longer and starting <paramref name="mMul"/> times lower.
    /// </summary>
    public static Tensor CosineRestarts(TensorLike learningRate, Tensor? globalStep, TensorLike firstDecaySteps, double tMul, double mMul, double alpha, string? name)
    {
        if (globalStep is null) throw new ValueError("cosine decay restarts requires global_step");
        using var b = OpBuilder.Begin(name, "SGDRDecay", learningRate, globalStep);
        var lr = b.Convert(learningRate, "initial_learning_rate");
        var dtype = lr.dtype;
        var step = Cast.Build(b.Convert(globalStep, "global_step"), dtype);
        var first = Cast.Build(b.Convert(firstDecaySteps, "first_decay_steps"), dtype);
        var alphaT = C(alpha, dtype);
        var tMulT = C(tMul, dtype);
        var mMulT = C(mMul, dtype);
        var completed = RealDiv.Build(step, first);
        Tensor restart;
        // TensorFlow's cond on t_mul == 1 (a Python number here, so decided while building).
        if (tMul == 1.0)
        {
            restart = Floor.Build(completed);
            completed = Sub.Build(completed, restart);
        }
        else
        {
            restart = Floor.Build(RealDiv.Build(
                Log.Build(Sub.Build(C(1, dtype), Mul.Build(completed, Sub.Build(C(1, dtype), tMulT)))), Log.Build(tMulT)));
            var sumR = RealDiv.Build(Sub.Build(C(1, dtype), Pow.Build(tMulT, restart)), Sub.Build(C(1, dtype), tMulT));
            completed = RealDiv.Build(Sub.Build(completed, sumR), Pow.Build(tMulT, restart));
        }
        var mFac = Pow.Build(mMulT, restart);
        var onePlusCos = Add.Build(C(1, dtype), Ops.MathOps.Cos.Build(Mul.Build(C(Math.PI, dtype), completed)));
        var cosine = Mul.Build(Mul.Build(C(0.5, dtype), mFac), onePlusCos);
        var decayed = Add.Build(Mul.Build(Sub.Build(C(1, dtype), alphaT), cosine), alphaT);
        return b.Graph.CreateOp(Mul.Def, b.Scope, [lr, decayed], new Dictionary<string, object> { { BinaryElementwiseOp.T, dtype } }).outputs[0];
    }

    /// <summary>
    /// <c>lr * ((alpha + (decay_steps - step) / decay_steps [+ noise]) * 0.5 * (1 + cos(pi * 2 * num_periods * step /
    /// decay_steps)) + beta)</c> with step capped at <c>decay_steps</c> (<c>tf.train.linear_cosine_decay</c>, and with
    /// <paramref name="noise"/> <c>tf.train.noisy_linear_cosine_decay</c>: a normal sample of variance
    /// <c>initial_variance / (1 + step)^variance_decay</c>, drawn from TensorFlow's seeded stream).
    /// </summary>
    public static Tensor LinearCosine(TensorLike learningRate, Tensor? globalStep, TensorLike decaySteps, double numPeriods, double alpha, double beta,
        (double InitialVariance, double VarianceDecay)? noise, string? name)
    {
        if (globalStep is null) throw new ValueError(noise is null ? "linear cosine decay requires global_step" : "noisy linear cosine decay requires global_step");
        using var b = OpBuilder.Begin(name, noise is null ? "LinearCosineDecay" : "NoisyLinearCosineDecay", learningRate, globalStep);
        var lr = b.Convert(learningRate, "learning_rate");
        var dtype = lr.dtype;
        var step = Cast.Build(b.Convert(globalStep, "global_step"), dtype);
        var steps = Cast.Build(b.Convert(decaySteps, "decay_steps"), dtype);
        step = Minimum.Build(step, steps);
        Tensor linear = RealDiv.Build(Sub.Build(steps, step), steps);
        if (noise is { } n)
        {
            var variance = RealDiv.Build(C(n.InitialVariance, dtype), Pow.Build(Add.Build(C(1, dtype), step), C(n.VarianceDecay, dtype)));
            var std = Sqrt.Build(variance);
            linear = Add.Build(linear, Ops.RandomOps.RandomStandardNormal.Build(Shape.Scalar, stddev: std, dtype: dtype));
        }
        var completed = RealDiv.Build(step, steps);
        var fraction = Mul.Build(Mul.Build(C(2, dtype), C(numPeriods, dtype)), completed);
        var cosine = HalfCosineBump(fraction, dtype);
        var decayed = Add.Build(Mul.Build(Add.Build(C(alpha, dtype), linear), cosine), C(beta, dtype));
        return b.Graph.CreateOp(Mul.Def, b.Scope, [lr, decayed], new Dictionary<string, object> { { BinaryElementwiseOp.T, dtype } }).outputs[0];
    }

    private static NDArray C(double value, DType dtype) => Literal.ToNDArray(value, dtype);

    /// <summary><c>0.5 * (1 + cos(pi * x))</c>, with TensorFlow's <c>constant(math.pi)</c> rounded to <paramref name="dtype"/>.</summary>
    private static Tensor HalfCosineBump(Tensor x, DType dtype) =>
        Mul.Build(C(0.5, dtype), Add.Build(C(1, dtype), Ops.MathOps.Cos.Build(Mul.Build(C(Math.PI, dtype), x))));

    private static Tensor Progress(OpBuilder b, DType dtype, Tensor globalStep, TensorLike decaySteps, bool staircase)
    {
        var step = Cast.Build(b.Convert(globalStep, "global_step"), dtype);
        var steps = Cast.Build(b.Convert(decaySteps, "decay_steps"), dtype);
        var p = RealDiv.Build(step, steps);
        return staircase ? Floor.Build(p) : p;
    }
}
