using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.Control;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.State;

namespace SharpFlow.Metrics;

/// <summary>
/// TensorFlow 1.x's <c>tf.metrics</c> (metrics_impl.py): each metric is a composite of ordinary ops over
/// LOCAL (and METRIC) variables initialised to zero. It returns the metric's value, read from the variables, and
/// an update op that accumulates one batch and yields the new value. <c>tf.local_variables_initializer()</c>
/// resets them.
/// </summary>
internal static class MetricsImpl
{
    /// <summary><c>metric_variable</c>: a zero-initialised, non-trainable variable in LOCAL_VARIABLES and METRIC_VARIABLES.</summary>
    public static Variable MetricVariable(Shape shape, DType dtype, string name, bool validateShape = true) =>
        Variable.Create(null, () => Fill.Constant(shape, dtype, one: false, null), trainable: false,
            [GraphKeys.LOCAL_VARIABLES, GraphKeys.METRIC_VARIABLES], validateShape, name, dtype);

    /// <summary>Opens TensorFlow's <c>variable_scope(name, default_name, values)</c> in the graph of the values.</summary>
    private static Both Scope(string? name, string defaultName, params ReadOnlySpan<TensorLike> values)
    {
        var graph = OpBuilder.GraphOf(values);
        var asDefault = graph.as_default();
        var scope = VariableScopes.Enter(name, defaultName, null, null, null);
        return new Both(scope, asDefault);
    }

    private sealed class Both(IDisposable inner, IDisposable outer) : IDisposable
    {
        public void Dispose()
        {
            inner.Dispose();
            outer.Dispose();
        }
    }

    private static Tensor ToTensor(TensorLike value, string name, DType? dtype = null) =>
        value.Value is Tensor t ? t.AsInput() : Const.Build(value.Value!, dtype, name: name);

    private static void AddToCollections(IEnumerable<string>? collections, object value)
    {
        if (collections is null) return;
        var graph = value is Tensor t ? t.graph : Graph.get_default();
        graph.add_to_collections(collections, value);
    }

    /// <summary><c>math_ops.div_no_nan</c>: <c>x / y</c>, 0 where <c>y</c> is 0 (x and y of one shape, or y a scalar).</summary>
    internal static Tensor DivNoNan(Tensor x, Tensor y, string? name = null)
    {
        var nonZero = NotEqual.Build(y, ZerosLike.Def.Apply(y, null, true, null));
        var safe = Select.Build(nonZero, y, OnesLike.Def.Apply(y, null, true, null));
        var q = RealDiv.Build(x, safe);
        // A scalar condition chooses the whole of q or of its zeros, as y is one number.
        return Select.Build(nonZero, q, ZerosLike.Def.Apply(q, null, true, null), name);
    }

    /// <summary><c>shape.assert_is_compatible_with</c>.</summary>
    private static void AssertCompatible(Shape a, Shape b)
    {
        if (!a.IsCompatibleWith(b)) throw new ValueError($"Shapes {a} and {b} are incompatible");
    }

    /// <summary><c>confusion_matrix.remove_squeezable_dimensions</c> (static ranks): drops a last dimension of 1 from the operand one rank too high.</summary>
    internal static (Tensor Labels, Tensor Predictions) RemoveSqueezableDimensions(Tensor labels, Tensor predictions, int expectedRankDiff = 0)
    {
        var ps = predictions.shape;
        var ls = labels.shape;
        if (ls.IsKnownRank && ps.IsKnownRank)
        {
            var diff = ps.ndims - ls.ndims;
            if (diff == expectedRankDiff + 1 && ps[ps.ndims - 1] is 1 or -1) predictions = Squeeze.Build(predictions, [-1]);
            else if (diff == expectedRankDiff - 1 && ls[ls.ndims - 1] is 1 or -1) labels = Squeeze.Build(labels, [-1]);
        }
        return (labels, predictions);
    }

    /// <summary><c>metrics_impl._remove_squeezable_dimensions</c>: squeezes labels/predictions, then fits the weights' rank to the predictions'.</summary>
    private static (Tensor Predictions, Tensor? Labels, Tensor? Weights) RemoveSqueezable(Tensor predictions, Tensor? labels, Tensor? weights)
    {
        if (labels is not null)
        {
            (labels, predictions) = RemoveSqueezableDimensions(labels, predictions);
            AssertCompatible(predictions.shape, labels.shape);
        }
        if (weights is null) return (predictions, labels, null);
        var wr = weights.shape.ndims;
        if (wr == 0) return (predictions, labels, weights);
        var pr = predictions.shape.ndims;
        if (pr >= 0 && wr >= 0)
        {
            if (wr - pr == 1) weights = Squeeze.Build(weights, [-1]);
            else if (pr - wr == 1) weights = ExpandDims.Build(weights, -1);
        }
        return (predictions, labels, weights);
    }

    /// <summary><c>weights_broadcast_ops.broadcast_weights</c> with its static checks (<c>assert_broadcastable</c>).</summary>
    internal static Tensor BroadcastWeights(Tensor weights, Tensor values)
    {
        const string prefix = "weights can not be broadcast to values.";
        var ws = weights.shape;
        var vs = values.shape;
        if (ws.IsKnownRank && vs.IsKnownRank && ws.ndims != 0)
        {
            if (ws.ndims != vs.ndims)
                throw new ValueError($"{prefix} values.rank={vs.ndims}. weights.rank={ws.ndims}. values.shape={vs}. weights.shape={ws}.");
            if (ws.IsFullyDefined && vs.IsFullyDefined)
                for (var i = 0; i < vs.ndims; i++)
                    if (ws[i] != 1 && ws[i] != vs[i])
                        throw new ValueError($"{prefix} Mismatch at dim {i}. values.shape=[{string.Join(' ', vs.Dims)}] weights.shape=[{string.Join(' ', ws.Dims)}].");
        }
        if (ws.IsFullyDefined && vs.IsFullyDefined && ws == vs) return weights;
        return Mul.Build(weights, OnesLike.Def.Apply(values, null, true, null));
    }

    private static TensorLike? Opt(Tensor? t) => t is null ? (TensorLike?)null : t;

    private static Tensor? Weights(TensorLike? weights) => weights is { IsEmpty: false } w ? ToTensor(w, "weights") : null;

    // ----- mean and the metrics built on it -----

    public static (Tensor, Tensor) Mean(TensorLike values, TensorLike? weights, IEnumerable<string>? metricsCollections,
        IEnumerable<string>? updatesCollections, string? name, string defaultName = "mean")
    {
        using var scope_ = Scope(name, defaultName, values, weights ?? default);
        var v = Cast.Build(ToTensor(values, "values"), DType.float32);
        var total = MetricVariable(Shape.Scalar, DType.float32, "total");
        var count = MetricVariable(Shape.Scalar, DType.float32, "count");
        Tensor numValues;
        var w = Weights(weights);
        if (w is null) numValues = Cast.Build(Size.Build(v), DType.float32);
        else
        {
            (v, _, w) = RemoveSqueezable(v, null, w);
            w = BroadcastWeights(Cast.Build(w!, DType.float32), v);
            v = Mul.Build(v, w);
            numValues = Sum.Build(w);
        }
        var updateTotal = total.assign_add(Sum.Build(v));
        // TensorFlow orders this after `values` with a control dependency; the order changes no number, and a
        // control input on a fed placeholder cannot run here, so it is left out.
        var updateCount = count.assign_add(numValues);
        var meanT = DivNoNan(total.value(), Maximum.Build(count.value(), 0f), "value");
        AddToCollections(metricsCollections, meanT);
        var update = DivNoNan(updateTotal, Maximum.Build(updateCount, 0f), "update_op");
        AddToCollections(updatesCollections, update);
        return (meanT, update);
    }

    public static (Tensor, Tensor) MeanTensor(TensorLike values, TensorLike? weights, IEnumerable<string>? metricsCollections,
        IEnumerable<string>? updatesCollections, string? name)
    {
        using var scope_ = Scope(name, "mean", values, weights ?? default);
        var v = Cast.Build(ToTensor(values, "values"), DType.float32);
        var total = MetricVariable(v.shape, DType.float32, "total_tensor");
        var count = MetricVariable(v.shape, DType.float32, "count_tensor");
        Tensor numValues = OnesLike.Def.Apply(v, null, true, null);
        var w = Weights(weights);
        if (w is not null)
        {
            (v, _, w) = RemoveSqueezable(v, null, w);
            w = BroadcastWeights(Cast.Build(w!, DType.float32), v);
            v = Mul.Build(v, w);
            numValues = Mul.Build(numValues, w);
        }
        var updateTotal = total.assign_add(v);
        // TensorFlow orders this after `values` with a control dependency; the order changes no number, and a
        // control input on a fed placeholder cannot run here, so it is left out.
        var updateCount = count.assign_add(numValues);
        var meanT = RealDiv.Build(total.value(), Maximum.Build(count.value(), 1f), "mean");
        AddToCollections(metricsCollections, meanT);
        var update = RealDiv.Build(updateTotal, Maximum.Build(updateCount, 1f), "update_op");
        AddToCollections(updatesCollections, update);
        return (meanT, update);
    }

    public static (Tensor, Tensor) Accuracy(TensorLike labels, TensorLike predictions, TensorLike? weights,
        IEnumerable<string>? metricsCollections, IEnumerable<string>? updatesCollections, string? name)
    {
        var graph = OpBuilder.GraphOf([labels, predictions, weights ?? default]);
        using var _ = graph.as_default();
        var (p, l, w) = RemoveSqueezable(ToTensor(predictions, "predictions"), ToTensor(labels, "labels"), Weights(weights));
        AssertCompatible(p.shape, l!.shape);
        if (l.dtype != p.dtype) p = Cast.Build(p, l.dtype);
        var isCorrect = Cast.Build(Equal.Build(p, l), DType.float32);
        return Mean(isCorrect, Opt(w), metricsCollections, updatesCollections, name ?? "accuracy");
    }

    public static (Tensor, Tensor) MeanAbsoluteError(TensorLike labels, TensorLike predictions, TensorLike? weights,
        IEnumerable<string>? metricsCollections, IEnumerable<string>? updatesCollections, string? name)
    {
        var graph = OpBuilder.GraphOf([labels, predictions, weights ?? default]);
        using var _ = graph.as_default();
        var (p, l, w) = RemoveSqueezable(ToTensor(predictions, "predictions"), ToTensor(labels, "labels"), Weights(weights));
        var errors = Abs.Build(Sub.Build(p, l!));
        return Mean(errors, Opt(w), metricsCollections, updatesCollections, name ?? "mean_absolute_error");
    }

    public static (Tensor, Tensor) MeanSquaredError(TensorLike labels, TensorLike predictions, TensorLike? weights,
        IEnumerable<string>? metricsCollections, IEnumerable<string>? updatesCollections, string? name)
    {
        var graph = OpBuilder.GraphOf([labels, predictions, weights ?? default]);
        using var _ = graph.as_default();
        var (p, l, w) = RemoveSqueezable(ToTensor(predictions, "predictions"), ToTensor(labels, "labels"), Weights(weights));
        var errors = SquaredDifference.Build(l!, p);
        return Mean(errors, Opt(w), metricsCollections, updatesCollections, name ?? "mean_squared_error");
    }

    public static (Tensor, Tensor) RootMeanSquaredError(TensorLike labels, TensorLike predictions, TensorLike? weights,
        IEnumerable<string>? metricsCollections, IEnumerable<string>? updatesCollections, string? name)
    {
        var graph = OpBuilder.GraphOf([labels, predictions, weights ?? default]);
        using var _ = graph.as_default();
        var (p, l, w) = RemoveSqueezable(ToTensor(predictions, "predictions"), ToTensor(labels, "labels"), Weights(weights));
        var errors = SquaredDifference.Build(l!, p);
        var (mse, updateMse) = Mean(errors, Opt(w), null, null, name ?? "root_mean_squared_error");
        var rmse = Sqrt.Build(mse);
        AddToCollections(metricsCollections, rmse);
        var update = Sqrt.Build(updateMse);
        AddToCollections(updatesCollections, update);
        return (rmse, update);
    }

    public static (Tensor, Tensor) PercentageBelow(TensorLike values, double threshold, TensorLike? weights,
        IEnumerable<string>? metricsCollections, IEnumerable<string>? updatesCollections, string? name)
    {
        var graph = OpBuilder.GraphOf([values, weights ?? default]);
        using var _ = graph.as_default();
        var v = ToTensor(values, "values");
        var below = Cast.Build(Less.Build(v, Cast.Build(threshold, v.dtype)), DType.float32);
        return Mean(below, weights, metricsCollections, updatesCollections, name ?? "percentage_below_threshold");
    }

    // ----- counts: true/false positives/negatives, precision, recall -----

    private static (Tensor, Tensor) CountCondition(Tensor values, Tensor? weights, IEnumerable<string>? metricsCollections, IEnumerable<string>? updatesCollections)
    {
        if (values.dtype != DType.@bool) throw new TypeError($"{values.name} must be of type <dtype: 'bool'>; got {values.dtype.name}");
        var count = MetricVariable(Shape.Scalar, DType.float32, "count");
        var v = Cast.Build(values, DType.float32);
        if (weights is not null)
        {
            if (weights.shape.IsKnownRank && values.shape.IsKnownRank && weights.shape.ndims != 0 && weights.shape.ndims != values.shape.ndims)
                throw new ValueError($"weights can not be broadcast to values. values.rank={values.shape.ndims}. weights.rank={weights.shape.ndims}.");
            v = Mul.Build(v, Cast.Build(weights, DType.float32));
        }
        var value = Identity.Build(count.value());
        AddToCollections(metricsCollections, value);
        var update = count.assign_add(Sum.Build(v));
        AddToCollections(updatesCollections, update);
        return (value, update);
    }

    /// <summary>The four count metrics: which label and prediction values (true/false) they count.</summary>
    public static (Tensor, Tensor) Count(string kind, TensorLike labels, TensorLike predictions, TensorLike? weights,
        IEnumerable<string>? metricsCollections, IEnumerable<string>? updatesCollections, string? name)
    {
        var (labelValue, predictionValue) = kind switch
        {
            "true_positives" => (true, true),
            "false_positives" => (false, true),
            "true_negatives" => (false, false),
            "false_negatives" => (true, false),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        using var scope_ = Scope(name, kind, predictions, labels, weights ?? default);
        var (p, l, w) = RemoveSqueezable(Cast.Build(ToTensor(predictions, "predictions"), DType.@bool),
            Cast.Build(ToTensor(labels, "labels"), DType.@bool), Weights(weights));
        var condition = LogicalAnd.Build(Equal.Build(l!, labelValue), Equal.Build(p, predictionValue));
        return CountCondition(condition, w, metricsCollections, updatesCollections);
    }

    /// <summary><c>tf.metrics.precision</c> (<paramref name="recall"/> false) or <c>tf.metrics.recall</c>.</summary>
    public static (Tensor, Tensor) PrecisionOrRecall(bool recall, TensorLike labels, TensorLike predictions, TensorLike? weights,
        IEnumerable<string>? metricsCollections, IEnumerable<string>? updatesCollections, string? name)
    {
        using var scope_ = Scope(name, recall ? "recall" : "precision", predictions, labels, weights ?? default);
        var (p, l, w) = RemoveSqueezable(Cast.Build(ToTensor(predictions, "predictions"), DType.@bool),
            Cast.Build(ToTensor(labels, "labels"), DType.@bool), Weights(weights));
        var (tp, tpUpdate) = Count("true_positives", l!, p, Opt(w), null, null, null);
        var (other, otherUpdate) = Count(recall ? "false_negatives" : "false_positives", l!, p, Opt(w), null, null, null);
        Tensor Compute(Tensor a, Tensor b, string n)
        {
            var sum = Add.Build(a, b);
            return Select.Build(Greater.Build(sum, 0f), RealDiv.Build(a, sum), ZerosLike.Def.Apply(a, null, true, null), n);
        }
        var value = Compute(tp, other, "value");
        AddToCollections(metricsCollections, value);
        var update = Compute(tpUpdate, otherUpdate, "update_op");
        AddToCollections(updatesCollections, update);
        return (value, update);
    }

    // ----- at thresholds and AUC -----

    private static readonly string[] AllIncludes = ["tp", "fn", "tn", "fp"];

    /// <summary><c>_confusion_matrix_at_thresholds</c>: per-threshold counts of tp/fn/tn/fp (prediction &gt; threshold is positive).</summary>
    internal static (Dictionary<string, Tensor> Values, Dictionary<string, Tensor> Updates) ConfusionMatrixAtThresholds(
        TensorLike labels, TensorLike predictions, IReadOnlyList<double> thresholds, TensorLike? weights, IReadOnlyList<string>? includes = null)
    {
        includes ??= AllIncludes;
        foreach (var include in includes)
            if (!AllIncludes.Contains(include)) throw new ValueError($"Invalid key: {include}.");
        var pt = ToTensor(predictions, "predictions");
        Tensor p, l;
        Tensor? w;
        var checks = new ITensorOrOperation[]
        {
            AssertThat(All.Build(GreaterEqual.Build(pt, Cast.Build(0.0, pt.dtype))), "predictions must be in [0, 1]", pt, "assert_greater_equal"),
            AssertThat(All.Build(LessEqual.Build(pt, Cast.Build(1.0, pt.dtype))), "predictions must be in [0, 1]", pt, "assert_less_equal"),
        };
        using (pt.graph.control_dependencies(checks))
        {
            Tensor? lt;
            (p, lt, w) = RemoveSqueezable(Cast.Build(pt, DType.float32), Cast.Build(ToTensor(labels, "labels"), DType.@bool), Weights(weights));
            // Cast.Build passes a tensor of the right dtype through; an Identity carries the checks.
            p = Identity.Build(p);
            l = lt!;
        }
        var n = thresholds.Count;
        var predictions2d = Reshape.Build(p, new[] { -1, 1 });
        var labels2d = Reshape.Build(l, new[] { 1, -1 });
        Tensor numPredictions = predictions2d.shape[0] >= 0 ? Const.Build(predictions2d.shape[0]) : StridedSliceFirst(Shape_.Build(predictions2d));
        var threshTiled = Tile.Build(ExpandDims.Build(Const.Build(thresholds.Select(t => (float)t).ToArray()), new[] { 1 }),
            Pack.Build([1, numPredictions]));
        var predIsPos = Greater.Build(Tile.Build(Transpose.Build(predictions2d), new[] { n, 1 }), threshTiled);
        var predIsNeg = includes.Contains("fn") || includes.Contains("tn") ? LogicalNot.Build(predIsPos) : null;
        var labelIsPos = Tile.Build(labels2d, new[] { n, 1 });
        var labelIsNeg = includes.Contains("fp") || includes.Contains("tn") ? LogicalNot.Build(labelIsPos) : null;
        Tensor? weightsTiled = null;
        if (w is not null)
        {
            var bw = BroadcastWeights(Cast.Build(w, DType.float32), p);
            weightsTiled = Tile.Build(Reshape.Build(bw, new[] { 1, -1 }), new[] { n, 1 });
            AssertCompatible(threshTiled.shape, weightsTiled.shape);
        }
        var values = new Dictionary<string, Tensor>();
        var updates = new Dictionary<string, Tensor>();
        void Add(string key, string varName, Tensor label, Tensor pred)
        {
            var variable = MetricVariable(new Shape(n), DType.float32, varName);
            var isTrue = Cast.Build(LogicalAnd.Build(label, pred), DType.float32);
            if (weightsTiled is not null) isTrue = Mul.Build(isTrue, weightsTiled);
            updates[key] = variable.assign_add(Sum.Build(isTrue, 1));
            values[key] = variable.value();
        }
        if (includes.Contains("tp")) Add("tp", "true_positives", labelIsPos, predIsPos);
        if (includes.Contains("fn")) Add("fn", "false_negatives", labelIsPos, predIsNeg!);
        if (includes.Contains("tn")) Add("tn", "true_negatives", labelIsNeg!, predIsNeg!);
        if (includes.Contains("fp")) Add("fp", "false_positives", labelIsNeg!, predIsPos);
        return (values, updates);
    }

    private static Tensor StridedSliceFirst(Tensor vector) => Reshape.Build(Slice.Build(vector, new[] { 0 }, new[] { 1 }), Array.Empty<int>());

    /// <summary>An Assert that fails with <paramref name="message"/> and the first values of <paramref name="x"/>.</summary>
    internal static Operation AssertThat(Tensor condition, string message, Tensor x, string name) =>
        Assert.Build(condition, [message, $"Condition x did not hold element-wise:", $"x ({x.name}) = ", x], name: name);

    public static (Tensor, Tensor) CountAtThresholds(string key, TensorLike labels, TensorLike predictions, IReadOnlyList<double> thresholds,
        TensorLike? weights, IEnumerable<string>? metricsCollections, IEnumerable<string>? updatesCollections, string? name)
    {
        var defaultName = key switch
        {
            "tp" => "true_positives", "fp" => "false_positives", "tn" => "true_negatives", "fn" => "false_negatives",
            _ => throw new ArgumentOutOfRangeException(nameof(key)),
        };
        using var scope_ = Scope(name, defaultName, predictions, labels, weights ?? default);
        var (values, updates) = ConfusionMatrixAtThresholds(labels, predictions, thresholds, weights, [key]);
        var value = Identity.Build(values[key]);
        AddToCollections(metricsCollections, value);
        AddToCollections(updatesCollections, updates[key]);
        return (value, updates[key]);
    }

    public static (Tensor, Tensor) PrecisionOrRecallAtThresholds(bool recall, TensorLike labels, TensorLike predictions, IReadOnlyList<double> thresholds,
        TensorLike? weights, IEnumerable<string>? metricsCollections, IEnumerable<string>? updatesCollections, string? name)
    {
        var which = recall ? "recall" : "precision";
        using var scope_ = Scope(name, which + "_at_thresholds", predictions, labels, weights ?? default);
        var other = recall ? "fn" : "fp";
        var (values, updates) = ConfusionMatrixAtThresholds(labels, predictions, thresholds, weights, ["tp", other]);
        const float epsilon = 1e-7f;
        Tensor Compute(Tensor tp, Tensor o, string n) => RealDiv.Build(tp, Add.Build(Add.Build(epsilon, tp), o), which + "_" + n);
        var value = Compute(values["tp"], values[other], "value");
        AddToCollections(metricsCollections, value);
        var update = Compute(updates["tp"], updates[other], "update_op");
        AddToCollections(updatesCollections, update);
        return (value, update);
    }

    public static (Tensor, Tensor) Auc(TensorLike labels, TensorLike predictions, TensorLike? weights, int numThresholds,
        IEnumerable<string>? metricsCollections, IEnumerable<string>? updatesCollections, string curve, string? name,
        string summationMethod, IReadOnlyList<double>? thresholds)
    {
        using var scope_ = Scope(name, "auc", labels, predictions, weights ?? default);
        if (curve != "ROC" && curve != "PR") throw new ValueError($"curve must be either ROC or PR, {curve} unknown");
        const double kepsilon = 1e-7;
        List<double> inner;
        if (thresholds is not null)
        {
            inner = thresholds.OrderBy(t => t).ToList();
            numThresholds = inner.Count + 2;
        }
        else
        {
            if (numThresholds < 2) throw new ValueError($"num_thresholds must be > 1, got {numThresholds}.");
            inner = Enumerable.Range(0, numThresholds - 2).Select(i => (i + 1) * 1.0 / (numThresholds - 1)).ToList();
        }
        var all = new List<double> { 0.0 - kepsilon };
        all.AddRange(inner);
        all.Add(1.0 + kepsilon);
        if (summationMethod is not ("trapezoidal" or "careful_interpolation" or "minoring" or "majoring"))
            throw new ValueError($"Invalid summation_method: {summationMethod}");
        var (values, updates) = ConfusionMatrixAtThresholds(labels, predictions, all, weights);
        var k = numThresholds;
        const float epsilon = 1.0e-6f;
        Tensor Head(Tensor t) => Slice.Build(t, new[] { 0 }, new[] { k - 1 });
        Tensor Tail(Tensor t) => Slice.Build(t, new[] { 1 }, new[] { k - 1 });

        Tensor InterpolatePrAuc(Tensor tp, Tensor fp, Tensor fn)
        {
            var dtp = Sub.Build(Head(tp), Tail(tp));
            var p = Add.Build(tp, fp);
            var precSlope = DivNoNan(dtp, Maximum.Build(Sub.Build(Head(p), Tail(p)), 0f), "prec_slope");
            var intercept = Sub.Build(Tail(tp), Mul.Build(precSlope, Tail(p)));
            var safePRatio = Select.Build(LogicalAnd.Build(Greater.Build(Head(p), 0f), Greater.Build(Tail(p), 0f)),
                DivNoNan(Head(p), Maximum.Build(Tail(p), 0f), "recall_relative_ratio"), OnesLike.Def.Apply(Tail(p), null, true, null));
            return Sum.Build(DivNoNan(Mul.Build(precSlope, Add.Build(dtp, Mul.Build(intercept, Log.Build(safePRatio)))),
                Maximum.Build(Add.Build(Tail(tp), Tail(fn)), 0f), "pr_auc_increment"), name: "interpolate_pr_auc");
        }

        Tensor Compute(Tensor tp, Tensor fn, Tensor tn, Tensor fp, string n)
        {
            if (curve == "PR")
            {
                if (summationMethod == "trapezoidal")
                    Console.Error.WriteLine("WARNING: Trapezoidal rule is known to produce incorrect PR-AUCs; please switch to \"careful_interpolation\" instead.");
                else if (summationMethod == "careful_interpolation") return InterpolatePrAuc(tp, fp, fn);
            }
            var rec = RealDiv.Build(Add.Build(tp, epsilon), Add.Build(Add.Build(tp, fn), epsilon));
            Tensor x, y;
            if (curve == "ROC")
            {
                x = RealDiv.Build(fp, Add.Build(Add.Build(fp, tn), epsilon));
                y = rec;
            }
            else
            {
                x = rec;
                y = RealDiv.Build(Add.Build(tp, epsilon), Add.Build(Add.Build(tp, fp), epsilon));
            }
            var dx = Sub.Build(Head(x), Tail(x));
            var height = summationMethod switch
            {
                "minoring" => Minimum.Build(Head(y), Tail(y)),
                "majoring" => Maximum.Build(Head(y), Tail(y)),
                _ => RealDiv.Build(Add.Build(Head(y), Tail(y)), 2f),
            };
            return Sum.Build(Mul.Build(dx, height), name: n);
        }

        var value = Compute(values["tp"], values["fn"], values["tn"], values["fp"], "value");
        AddToCollections(metricsCollections, value);
        var update = Compute(updates["tp"], updates["fn"], updates["tn"], updates["fp"], "update_op");
        AddToCollections(updatesCollections, update);
        return (value, update);
    }

    // ----- confusion matrices: mean_iou, mean_per_class_accuracy -----

    private static Tensor AssertAll(Tensor x, Tensor condition, string message, string name)
    {
        var check = AssertThat(All.Build(condition), message, x, name);
        using (x.graph.control_dependencies([check]))
            return Identity.Build(x);
    }

    /// <summary><c>tf.confusion_matrix</c>: rows are labels, columns predictions, entries counts (or summed weights).</summary>
    public static Tensor ConfusionMatrix(TensorLike labels, TensorLike predictions, TensorLike? numClasses, TensorLike? weights, DType dtype, string? name)
    {
        using var b = OpBuilder.Begin(name, "confusion_matrix", predictions, labels, numClasses ?? default, weights ?? default);
        var (l, p) = RemoveSqueezableDimensions(b.Convert(labels, "labels"), b.Convert(predictions, "predictions"));
        p = Cast.Build(p, DType.int64);
        l = Cast.Build(l, DType.int64);
        l = AssertAll(l, GreaterEqual.Build(l, 0L), "`labels` contains negative values", "assert_non_negative");
        p = AssertAll(p, GreaterEqual.Build(p, 0L), "`predictions` contains negative values", "assert_non_negative_1");
        Tensor n;
        if (numClasses is null || numClasses.Value.IsEmpty)
            n = Add.Build(Maximum.Build(Max.Build(p), Max.Build(l)), 1L);
        else
        {
            n = Cast.Build(b.Convert(numClasses.Value, "num_classes"), DType.int64);
            l = AssertAll(l, Less.Build(l, n), "`labels` out of bound", "assert_less");
            p = AssertAll(p, Less.Build(p, n), "`predictions` out of bound", "assert_less_1");
        }
        Tensor values;
        if (weights is { IsEmpty: false } wl)
        {
            var w = b.Convert(wl, "weights");
            AssertCompatible(p.shape, w.shape);
            values = Cast.Build(w, dtype);
        }
        else values = OnesLike.Def.Apply(p, dtype, true, null);
        var indices = Pack.Build([l, p], 1);
        return ScatterNd.Build(indices, values, Pack.Build([n, n]), b.Scope);
    }

    private static (Variable, Tensor) StreamingConfusionMatrix(Tensor labels, Tensor predictions, int numClasses, Tensor? weights)
    {
        var totalCm = MetricVariable(new Shape(numClasses, numClasses), DType.float64, "total_confusion_matrix");
        predictions = Cast.Build(predictions, DType.int64);
        labels = Cast.Build(labels, DType.int64);
        if (predictions.shape.ndims > 1) predictions = Reshape.Build(predictions, new[] { -1 });
        if (labels.shape.ndims > 1) labels = Reshape.Build(labels, new[] { -1 });
        if (weights is not null && weights.shape.ndims > 1) weights = Reshape.Build(weights, new[] { -1 });
        var current = ConfusionMatrix(labels, predictions, (long)numClasses, Opt(weights), DType.float64, null);
        return (totalCm, totalCm.assign_add(current));
    }

    public static (Tensor, Tensor) MeanIou(TensorLike labels, TensorLike predictions, int numClasses, TensorLike? weights,
        IEnumerable<string>? metricsCollections, IEnumerable<string>? updatesCollections, string? name)
    {
        using var scope_ = Scope(name, "mean_iou", predictions, labels, weights ?? default);
        var p = ToTensor(predictions, "predictions");
        var l = ToTensor(labels, "labels");
        AssertCompatible(p.shape, l.shape);
        var (totalCm, update) = StreamingConfusionMatrix(l, p, numClasses, Weights(weights));
        var cm = totalCm.value();
        var sumOverRow = Cast.Build(Sum.Build(cm, 0), DType.float32);
        var sumOverCol = Cast.Build(Sum.Build(cm, 1), DType.float32);
        var diag = Cast.Build(MatrixDiagPart.Build(cm), DType.float32);
        var denominator = Sub.Build(Add.Build(sumOverRow, sumOverCol), diag);
        var numValid = Sum.Build(Cast.Build(NotEqual.Build(denominator, 0f), DType.float32));
        denominator = Select.Build(Greater.Build(denominator, 0f), denominator, OnesLike.Def.Apply(denominator, null, true, null));
        var iou = RealDiv.Build(diag, denominator);
        var value = Select.Build(Greater.Build(numValid, 0f), RealDiv.Build(Sum.Build(iou, name: "mean_iou"), numValid), 0f);
        AddToCollections(metricsCollections, value);
        AddToCollections(updatesCollections, update);
        return (value, update);
    }

    public static (Tensor, Tensor) MeanPerClassAccuracy(TensorLike labels, TensorLike predictions, int numClasses, TensorLike? weights,
        IEnumerable<string>? metricsCollections, IEnumerable<string>? updatesCollections, string? name)
    {
        using var scope_ = Scope(name, "mean_accuracy", predictions, labels, weights ?? default);
        var l = Cast.Build(ToTensor(labels, "labels"), DType.int64);
        var p = ToTensor(predictions, "predictions");
        if (l.shape.ndims > 1) l = Reshape.Build(l, new[] { -1 });
        if (p.shape.ndims > 1) p = Reshape.Build(p, new[] { -1 });
        AssertCompatible(p.shape, l.shape);
        var total = MetricVariable(new Shape(numClasses), DType.float32, "total");
        var count = MetricVariable(new Shape(numClasses), DType.float32, "count");
        Tensor ones = Fill.Dynamic(Reshape.Build(Size.Build(l), new[] { 1 }), DType.float32, one: true, null);
        if (l.dtype != p.dtype) p = Cast.Build(p, l.dtype);
        var isCorrect = Cast.Build(Equal.Build(p, l), DType.float32);
        var w = Weights(weights);
        if (w is not null)
        {
            if (w.shape.ndims > 1) w = Reshape.Build(w, new[] { -1 });
            w = Cast.Build(w, DType.float32);
            isCorrect = Mul.Build(isCorrect, w);
            ones = Mul.Build(ones, w);
        }
        var updateTotal = ScatterAdd.Build(total, l, ones);
        var updateCount = ScatterAdd.Build(count, l, isCorrect);
        var perClass = DivNoNan(count.value(), Maximum.Build(total.value(), 0f));
        var value = Ops.MathOps.Mean.Build(perClass, name: "mean_accuracy");
        AddToCollections(metricsCollections, value);
        var update = DivNoNan(updateCount, Maximum.Build(updateTotal, 0f), "update_op");
        AddToCollections(updatesCollections, update);
        return (value, update);
    }

    // ----- precision_at_k / recall_at_k -----

    private static string AtKName(string name, int? k, int? classId)
    {
        if (k is not null) name = $"{name}_at_{k}";
        if (classId is not null) name = $"{name}_class{classId}";
        return name;
    }

    /// <summary>
    /// <c>tf.metrics.precision_at_k</c> / <c>recall_at_k</c> with dense labels (<c>[batch]</c> or <c>[batch, num_labels]</c>
    /// class ids): the top-<paramref name="k"/> classes of each row are compared with its set of labels.
    /// </summary>
    public static (Tensor, Tensor) AtK(bool recall, TensorLike labels, TensorLike predictions, int k, int? classId, TensorLike? weights,
        IEnumerable<string>? metricsCollections, IEnumerable<string>? updatesCollections, string? name)
    {
        if (k < 1) throw new ValueError($"k must be positive, got {k}.");
        var which = recall ? "recall" : "precision";
        using var b = OpBuilder.Begin(name, AtKName(which, k, classId), predictions, labels, weights ?? default);
        var p = b.Convert(predictions, "predictions");
        var l = Cast.Build(b.Convert(labels, "labels"), DType.int64);
        var pr = p.shape.ndims;
        if (pr >= 0 && l.shape.ndims == pr - 1) l = ExpandDims.Build(l, -1, "expand_labels");
        else if (pr >= 0 && l.shape.ndims >= 0 && l.shape.ndims != pr)
            throw new ValueError($"Unexpected labels shape {l.shape} for predictions shape {p.shape}. Predictions rank should be the same rank as labels rank or labels rank plus one .");
        var topK = Cast.Build(Ops.NN.TopKV2.Build(p, k).Indices, DType.int64);
        // [.., k, 1] == [.., 1, n]: whether each predicted class is among the row's labels, and each label among the predictions.
        var eq = Equal.Build(ExpandDims.Build(topK, -1), ExpandDims.Build(l, -2));
        Tensor tp, other;
        if (classId is { } c)
        {
            var predicted = Any.Build(Equal.Build(topK, (long)c), -1);
            var labelled = Any.Build(Equal.Build(l, (long)c), -1);
            tp = Cast.Build(LogicalAnd.Build(predicted, labelled), DType.float64);
            other = recall ? Cast.Build(LogicalAnd.Build(labelled, LogicalNot.Build(predicted)), DType.float64)
                : Cast.Build(LogicalAnd.Build(predicted, LogicalNot.Build(labelled)), DType.float64);
        }
        else
        {
            var hit = Cast.Build(Any.Build(eq, -1), DType.float64);
            tp = Sum.Build(hit, -1);
            if (recall)
            {
                // Distinct labels of the row: a label counts unless an earlier one equals it.
                var n = l.shape.IsKnownRank ? l.shape[l.shape.ndims - 1] : -1;
                if (n < 0) throw new ValueError($"recall_at_k needs the number of labels per row (the last dimension of labels) known, got {l.shape}.");
                var same = Equal.Build(ExpandDims.Build(l, -1), ExpandDims.Build(l, -2));
                var earlier = new bool[n, n];
                for (var i = 0; i < n; i++) for (var j = 0; j < i; j++) earlier[i, j] = true;
                var dup = Any.Build(LogicalAnd.Build(same, Const.Build(earlier)), -1);
                var distinct = Sum.Build(Cast.Build(LogicalNot.Build(dup), DType.float64), -1);
                other = Sub.Build(distinct, tp);
            }
            else other = Sub.Build(Cast.Build(k, DType.float64), tp);
        }
        var w = Weights(weights);
        if (w is not null)
        {
            w = Cast.Build(w, DType.float64);
            if (w.shape.ndims == tp.shape.ndims + 1) w = Squeeze.Build(w, [-1]);
            tp = Mul.Build(tp, w);
            other = Mul.Build(other, w);
        }
        var tpVar = MetricVariable(Shape.Scalar, DType.float64, AtKName("true_positive", k, classId));
        var otherVar = MetricVariable(Shape.Scalar, DType.float64, AtKName(recall ? "false_negative" : "false_positive", k, classId));
        var tpUpdate = tpVar.assign_add(Sum.Build(tp), name: "update");
        var otherUpdate = otherVar.assign_add(Sum.Build(other), name: "update_1");
        var value = RealDiv.Build(tpVar.value(), Add.Build(tpVar.value(), otherVar.value()), "value");
        AddToCollections(metricsCollections, value);
        var update = RealDiv.Build(tpUpdate, Add.Build(tpUpdate, otherUpdate), "update");
        AddToCollections(updatesCollections, update);
        return (value, update);
    }
}
