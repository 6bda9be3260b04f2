using SharpFlow.FeatureColumns;
using SharpFlow.Train;
using SharpFlow.Functions;
using SharpFlow.Layers;
using SharpFlow.Ops.Control;
using SharpFlow.Ops.Initializers;
using SharpFlow.Ops.NN;
using SharpFlow.Ops.State;

namespace SharpFlow.Estimators;

/// <summary>What the canned estimators share: the head for n_classes, optimizers by name or object.</summary>
internal static class CannedUtil
{
    public static Head ClassifierHead(int nClasses) => nClasses switch
    {
        < 2 => throw new ValueError($"n_classes must be > 1 for classification: {nClasses}"),
        2 => new BinaryHead(),
        _ => new MultiClassHead(nClasses),
    };

    public static Head RegressorHead(int labelDimension) =>
        labelDimension < 1 ? throw new ValueError($"Invalid label_dimension {labelDimension}.") : new RegressionHead(labelDimension);

    /// <summary>An optimizer: one given, or TensorFlow's by name ("Adagrad", "Adam", "Ftrl", "RMSProp", "SGD") with <paramref name="learningRate"/>.</summary>
    public static Optimizer Optimizer(object? optimizer, string defaultName, double learningRate) => optimizer switch
    {
        null => ByName(defaultName, learningRate),
        string name => ByName(name, learningRate),
        Optimizer o => o,
        Func<Optimizer> f => f(),
        _ => throw new ValueError($"The given object is not an Optimizer instance. Given: {optimizer}"),
    };

    private static Optimizer ByName(string name, double lr) => name switch
    {
        "Adagrad" => new AdagradOptimizer(lr, 0.1, false, "Adagrad"),
        "Adam" => new AdamOptimizer(lr, 0.9, 0.999, 1e-8, false, "Adam"),
        "Ftrl" => new FtrlOptimizer(lr, -0.5, 0.1, 0.0, 0.0, false, "Ftrl", 0.0),
        "RMSProp" => new RMSPropOptimizer(lr, 0.9, 0.0, 1e-10, false, false, "RMSProp"),
        "SGD" => new GradientDescentOptimizer(lr, false, "GradientDescent"),
        _ => throw new ValueError($"Unsupported optimizer name: {name}. Supported names are: ['Adagrad', 'Adam', 'Ftrl', 'RMSProp', 'SGD']"),
    };

    public static List<FeatureColumn> Columns(IEnumerable<FeatureColumn>? columns, string what)
    {
        var list = columns?.ToList() ?? [];
        if (list.Count == 0) throw new ValueError($"{what} should not be empty.");
        return list;
    }

    /// <summary>The DNN's logits (dnn.py's <c>_dnn_logit_fn_builder</c>): input layer, hidden layers, logits layer.</summary>
    public static Tensor DnnLogits(Dictionary<string, Tensor> features, string mode, IReadOnlyList<FeatureColumn> columns, IReadOnlyList<int> hiddenUnits,
        int units, Func<Tensor, Tensor> activation, double? dropout)
    {
        Tensor net;
        using (VariableScopes.Enter("input_from_feature_columns", null, null, null, null, true))
            net = FeatureLayers.input_layer(features, columns);
        for (var i = 0; i < hiddenUnits.Count; i++)
        {
            net = Dense.Apply(net, hiddenUnits[i], activation, true, new GlorotUniformInitializer(null, null), null, null, null, true, $"hiddenlayer_{i}", null);
            if (dropout is not null && mode == ModeKeys.TRAIN) net = DropoutLayer.Apply(net, dropout.Value, true, null, null, null);
        }
        return Dense.Apply(net, units, null, true, new GlorotUniformInitializer(null, null), null, null, null, true, "logits", null);
    }

    public static ITensorOrOperation Minimize(Optimizer optimizer, Tensor loss, IEnumerable<Variable>? varList = null) =>
        optimizer.minimize(loss, global_step: TrainingUtil.GetGlobalStep(null), var_list: varList);
}

/// <summary><c>tf.estimator.DNNClassifier</c> (and, with a regression head, <c>DNNRegressor</c>): a feed-forward network on feature columns.</summary>
public sealed class DNNEstimator : Estimator
{
    private readonly Head _head;
    private readonly IReadOnlyList<int> _hiddenUnits;
    private readonly List<FeatureColumn> _columns;
    private readonly object? _optimizer;
    private readonly Func<Tensor, Tensor> _activation;
    private readonly double? _dropout;

    internal DNNEstimator(Head head, IReadOnlyList<int> hidden_units, IEnumerable<FeatureColumn> feature_columns, string? model_dir, object? optimizer,
        Func<Tensor, Tensor>? activation_fn, double? dropout, RunConfig? config)
        : base((_, _, _, _, _) => throw new InvalidOperationException("unreachable"), model_dir, config)
    {
        _head = head;
        _hiddenUnits = hidden_units?.ToArray() ?? throw new ValueError("hidden_units should not be None.");
        _columns = CannedUtil.Columns(feature_columns, "feature_columns");
        _optimizer = optimizer;
        _activation = activation_fn ?? (t => Relu.Build(t, null));
        _dropout = dropout;
    }

    /// <inheritdoc/>
    protected override EstimatorSpec CallModelFn(Dictionary<string, Tensor> features, Tensor? labels, string mode)
    {
        Tensor logits;
        using (VariableScopes.Enter("dnn", null, null, null, null, true))
            logits = CannedUtil.DnnLogits(features, mode, _columns, _hiddenUnits, _head.LogitsDimension, _activation, _dropout);
        return _head.Create(mode, logits, labels, loss => CannedUtil.Minimize(CannedUtil.Optimizer(_optimizer, "Adagrad", 0.05), loss));
    }
}

/// <summary><c>tf.estimator.LinearClassifier</c> / <c>LinearRegressor</c>: a linear model of feature columns (Ftrl by default).</summary>
public sealed class LinearEstimator : Estimator
{
    private readonly Head _head;
    private readonly List<FeatureColumn> _columns;
    private readonly object? _optimizer;
    private readonly string _sparseCombiner;

    internal LinearEstimator(Head head, IEnumerable<FeatureColumn> feature_columns, string? model_dir, object? optimizer, RunConfig? config, string sparse_combiner)
        : base((_, _, _, _, _) => throw new InvalidOperationException("unreachable"), model_dir, config)
    {
        _head = head;
        _columns = CannedUtil.Columns(feature_columns, "feature_columns");
        _optimizer = optimizer;
        _sparseCombiner = sparse_combiner;
    }

    /// <inheritdoc/>
    protected override EstimatorSpec CallModelFn(Dictionary<string, Tensor> features, Tensor? labels, string mode)
    {
        Tensor logits;
        using (VariableScopes.Enter("linear", null, null, null, null, true))
            logits = FeatureLayers.linear_model(features, _columns, _head.LogitsDimension, _sparseCombiner);
        var lr = Math.Min(0.2, 1 / Math.Sqrt(_columns.Count));
        return _head.Create(mode, logits, labels, loss => CannedUtil.Minimize(CannedUtil.Optimizer(_optimizer, "Ftrl", lr), loss));
    }
}

/// <summary>
/// <c>tf.estimator.DNNLinearCombinedClassifier</c> / <c>Regressor</c>: the sum of a linear model's and a DNN's
/// logits, each part trained by its own optimizer (Ftrl and Adagrad by default) in one step.
/// </summary>
public sealed class DNNLinearCombinedEstimator : Estimator
{
    private readonly Head _head;
    private readonly List<FeatureColumn> _linear;
    private readonly List<FeatureColumn> _dnn;
    private readonly IReadOnlyList<int> _hiddenUnits;
    private readonly object? _linearOptimizer;
    private readonly object? _dnnOptimizer;
    private readonly Func<Tensor, Tensor> _activation;
    private readonly double? _dropout;

    internal DNNLinearCombinedEstimator(Head head, string? model_dir, IEnumerable<FeatureColumn>? linear_feature_columns, object? linear_optimizer,
        IEnumerable<FeatureColumn>? dnn_feature_columns, object? dnn_optimizer, IReadOnlyList<int>? dnn_hidden_units, Func<Tensor, Tensor>? dnn_activation_fn,
        double? dnn_dropout, RunConfig? config)
        : base((_, _, _, _, _) => throw new InvalidOperationException("unreachable"), model_dir, config)
    {
        _head = head;
        _linear = linear_feature_columns?.ToList() ?? [];
        _dnn = dnn_feature_columns?.ToList() ?? [];
        if (_linear.Count == 0 && _dnn.Count == 0)
            throw new ValueError("Either linear_feature_columns or dnn_feature_columns must be defined.");
        if (_dnn.Count > 0 && (dnn_hidden_units is null || dnn_hidden_units.Count == 0))
            throw new ValueError($"dnn_hidden_units must be defined when dnn_feature_columns is specified. dnn_feature_columns: [{string.Join(", ", _dnn)}]");
        _hiddenUnits = dnn_hidden_units ?? [];
        _linearOptimizer = linear_optimizer;
        _dnnOptimizer = dnn_optimizer;
        _activation = dnn_activation_fn ?? (t => Relu.Build(t, null));
        _dropout = dnn_dropout;
    }

    /// <inheritdoc/>
    protected override EstimatorSpec CallModelFn(Dictionary<string, Tensor> features, Tensor? labels, string mode)
    {
        Tensor? dnnLogits = null, linearLogits = null;
        List<Variable> dnnVars = [], linearVars = [];
        if (_dnn.Count > 0)
        {
            using (VariableScopes.Enter("dnn", null, null, null, null, true))
                dnnLogits = CannedUtil.DnnLogits(features, mode, _dnn, _hiddenUnits, _head.LogitsDimension, _activation, _dropout);
            dnnVars = GraphFunctions.GetCollection<Variable>(GraphKeys.TRAINABLE_VARIABLES, null).Where(v => v.op.name.StartsWith("dnn/", StringComparison.Ordinal)).ToList();
        }
        if (_linear.Count > 0)
        {
            using (VariableScopes.Enter("linear", null, null, null, null, true))
                linearLogits = FeatureLayers.linear_model(features, _linear, _head.LogitsDimension);
            linearVars = GraphFunctions.GetCollection<Variable>(GraphKeys.TRAINABLE_VARIABLES, null).Where(v => v.op.name.StartsWith("linear/", StringComparison.Ordinal)).ToList();
        }
        var logits = dnnLogits is null ? linearLogits! : linearLogits is null ? dnnLogits : dnnLogits + linearLogits;
        return _head.Create(mode, logits, labels, loss =>
        {
            var ops = new List<ITensorOrOperation>();
            if (dnnVars.Count > 0) ops.Add(CannedUtil.Optimizer(_dnnOptimizer, "Adagrad", 0.001).minimize(loss, var_list: dnnVars));
            if (linearVars.Count > 0)
                ops.Add(CannedUtil.Optimizer(_linearOptimizer, "Ftrl", Math.Min(0.005, 1 / Math.Sqrt(_linear.Count))).minimize(loss, var_list: linearVars));
            var trainOp = NoOp.Group(ops, null);
            using (GraphFunctions.ControlDependencies([trainOp]))
                return AssignAdd.Build(TrainingUtil.GetGlobalStep(null)!, 1L, false, null).op;
        });
    }
}
