using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.State;

namespace SharpFlow.Train;

/// <summary>
/// TensorFlow 1.x's <c>moving_averages.py</c>: <c>assign_moving_average</c> (with TensorFlow's zero-debiasing of
/// averages that start at zero) and <c>weighted_moving_average</c>.
/// </summary>
public static class MovingAverages
{
    /// <summary>
    /// <c>variable -= (variable - value) * (1 - decay)</c> in a name scope <c>AssignMovingAvg</c>; returns the
    /// updated variable. With <paramref name="zeroDebias"/> the average of an all-zero start is debiased as in
    /// TensorFlow: a <c>biased</c> average and a <c>local_step</c> count (variables <c>VARIABLE/biased</c> and
    /// <c>VARIABLE/local_step</c>) are kept, and the variable becomes <c>biased / (1 - decay^local_step)</c>.
    /// </summary>
    public static Tensor AssignMovingAverage(Variable variable, TensorLike value, TensorLike decay, bool zeroDebias, string? name)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var graph = variable.graph;
        using var graphScope = graph.as_default();
        using (graph.name_scope(string.IsNullOrEmpty(name) ? "AssignMovingAvg" : name, out var scope))
        {
            var dtype = variable.dtype;
            // TensorFlow: decay = convert_to_tensor(1.0 - decay, name="decay"), a Python difference for a number.
            Tensor oneMinusDecay = decay.AsTensor is { } d
                ? Sub.Build(Literal.ToNDArray(1.0, d.dtype), d, "decay")
                : Const.Create(graph, Literal.ToNDArray(1.0 - Convert.ToDouble(decay.Value, System.Globalization.CultureInfo.InvariantCulture), DType.float32), "decay");
            if (oneMinusDecay.dtype != dtype) oneMinusDecay = Cast.Build(oneMinusDecay, dtype);
            var valueTensor = value.AsTensor ?? Const.Create(graph, Literal.ToNDArray(value.Value, dtype), "value");
            var delta = zeroDebias ? ZeroDebias(variable, valueTensor, oneMinusDecay) : Mul.Build(Sub.Build(variable, valueTensor), oneMinusDecay);
            return AssignSub.Build(variable, delta, useLocking: false, name: scope);
        }
    }

    /// <summary>
    /// TensorFlow's <c>_zero_debias</c>: updates a zero-started <c>biased</c> average and a <c>local_step</c>, and
    /// returns the delta that takes <paramref name="unbiased"/> to <c>biased / (1 - (1 - oneMinusDecay)^local_step)</c>.
    /// </summary>
    private static Tensor ZeroDebias(Variable unbiased, Tensor value, Tensor oneMinusDecay)
    {
        var graph = unbiased.graph;
        var prefix = unbiased.op.name;
        var existing = graph.get_collection(GraphKeys.GLOBAL_VARIABLES).OfType<Variable>().Select(v => v.op.name).ToHashSet();
        string Unique(string name)
        {
            var full = prefix + "/" + name;
            if (!existing.Contains(full)) return full;
            var i = 1;
            while (existing.Contains($"{full}_{i}")) i++;
            return $"{full}_{i}";
        }
        Variable biased, localStep;
        using (graph.name_scope(null))
        {
            var shape = unbiased.shape;
            biased = Variable.Create(null, () => shape.IsFullyDefined ? Fill.Constant(shape, unbiased.dtype, one: false, "zeros") : Fill.Dynamic(Shape_.Build(unbiased), unbiased.dtype, one: false, "zeros"),
                trainable: false, collections: null, validateShape: shape.IsFullyDefined, name: Unique("biased"), dtype: unbiased.dtype);
            localStep = Variable.Create(null, () => Fill.Constant(Shape.Scalar, unbiased.dtype, one: false, "zeros"),
                trainable: false, collections: null, validateShape: true, name: Unique("local_step"), dtype: unbiased.dtype);
        }
        using (graph.name_scope(prefix))
        {
            var updateBiased = AssignSub.Build(biased, Mul.Build(Sub.Build(biased, value), oneMinusDecay), useLocking: false);
            var updateLocalStep = AssignAdd.Build(localStep, Literal.ToNDArray(1, unbiased.dtype), useLocking: false);
            using (graph.control_dependencies([updateBiased.op, updateLocalStep.op]))
            {
                // The new values of both: read after the updates.
                var biasedNow = biased.read_value();
                var stepNow = localStep.read_value();
                var correction = Sub.Build(Literal.ToNDArray(1, unbiased.dtype), Pow.Build(Sub.Build(Literal.ToNDArray(1, unbiased.dtype), oneMinusDecay), stepNow));
                return Sub.Build(unbiased, RealDiv.Build(biasedNow, correction));
            }
        }
    }

    /// <summary>
    /// TensorFlow's <c>weighted_moving_average</c>: moving averages (without debiasing) of <c>value * weight</c> and of
    /// <paramref name="weight"/> in non-trainable variables <c>SCOPE/value_x_weight</c> and <c>SCOPE/weight</c>
    /// (scope <c>WeightedMovingAvg</c>), and their ratio.
    /// </summary>
    public static Tensor WeightedMovingAverage(Tensor value, TensorLike decay, Tensor weight, bool truediv, IEnumerable<string>? collections, string? name)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(weight);
        var graph = value.graph;
        using var graphScope = graph.as_default();
        var names = collections?.ToList() ?? [GraphKeys.GLOBAL_VARIABLES];
        using var scope = VariableScopes.Enter(name, "WeightedMovingAvg", null, null, null);
        var scopeName = VariableScopes.Current(graph).name;
        Variable Zeros(string variableName, Tensor like)
        {
            using (graph.name_scope(null))
            {
                var shape = like.shape;
                return Variable.Create(null, () => shape.IsFullyDefined ? Fill.Constant(shape, like.dtype, one: false, "zeros") : Fill.Dynamic(Shape_.Build(like), like.dtype, one: false, "zeros"),
                    trainable: false, collections: names, validateShape: shape.IsFullyDefined, name: scopeName + "/" + variableName, dtype: like.dtype);
            }
        }
        var valueXWeight = Zeros("value_x_weight", value);
        var weightVar = Zeros("weight", weight);
        var numerator = AssignMovingAverage(valueXWeight, Mul.Build(value, weight), decay, zeroDebias: false, name: null);
        var denominator = AssignMovingAverage(weightVar, weight, decay, zeroDebias: false, name: null);
        return truediv || value.dtype.is_floating
            ? RealDiv.Build(numerator, denominator, scopeName.Split('/')[^1])
            : FloorDiv.Build(numerator, denominator, scopeName.Split('/')[^1]);
    }
}
