using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.Control;
using SharpFlow.Ops.MathOps;

namespace SharpFlow.Train;

/// <summary>
/// Moving averages of variables and tensors (<c>tf.train.ExponentialMovingAverage</c>): <see cref="apply"/> creates
/// for each variable a non-trainable shadow <c>var/ExponentialMovingAverage</c> initialized to the variable's value
/// (for a tensor: initialized to zeros, and with <c>zero_debias</c> debiased as TensorFlow does) and returns an op
/// that updates every shadow by <c>shadow -= (1 - decay) * (shadow - var)</c>. With <c>num_updates</c> the decay is
/// <c>min(decay, (1 + n) / (10 + n))</c>, so early averages move faster.
/// </summary>
public sealed class ExponentialMovingAverage
{
    private readonly double _decay;
    private readonly Tensor? _numUpdates;
    private readonly bool _zeroDebias;
    private readonly Dictionary<Tensor, Variable> _averages = [];
    private readonly HashSet<Variable> _zeroDebiased = [];

    /// <summary>Creates the averager.</summary>
    public ExponentialMovingAverage(double decay, Tensor? num_updates = null, bool zero_debias = false, string name = "ExponentialMovingAverage")
    {
        // zero_debias applies to averages of tensors; averages of variables ignore it, as in TensorFlow.
        _zeroDebias = zero_debias;
        ArgumentException.ThrowIfNullOrEmpty(name);
        _decay = decay;
        _numUpdates = num_updates;
        this.name = name;
    }

    /// <summary>The averager's name: the scope of its update op and the suffix of its shadows.</summary>
    public string name { get; }

    /// <summary>
    /// Creates the shadows of <paramref name="var_list"/> (by default the trainable variables; tensors too, whose
    /// shadows start at zero) and returns the op that updates them all.
    /// </summary>
    public Operation apply(IEnumerable<Tensor>? var_list = null)
    {
        var given = var_list?.ToList();
        var graph = given is { Count: > 0 } ? given[0].graph : _numUpdates?.graph ?? Graph.get_default();
        var vars = given ?? [.. graph.get_collection(GraphKeys.TRAINABLE_VARIABLES).OfType<Variable>()];
        using var graphScope = graph.as_default();
        foreach (var v in vars)
        {
            if (!v.dtype.is_floating) throw new TypeError($"The variables must be half, float, or double: {v.name}");
            if (_averages.ContainsKey(v)) throw new ValueError($"Moving average already computed for: {v.name}");
        }
        foreach (var v in vars)
        {
            using (graph.control_dependencies(null))
            using (graph.name_scope(null))
            {
                if (v is Variable variable)
                {
                    _averages[v] = Variable.Create(null, variable.initialized_value, trainable: false, collections: null,
                        validateShape: v.shape.IsFullyDefined, name: v.op.name + "/" + name, dtype: v.dtype);
                    graph.add_to_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, v);
                }
                else
                {
                    // TensorFlow's slot_creator.create_zeros_slot: zeros of the tensor's shape.
                    var shape = v.shape;
                    var tensor = v;
                    var shadow = Variable.Create(null,
                        () => shape.IsFullyDefined ? Fill.Constant(shape, tensor.dtype, one: false, "zeros") : Fill.Dynamic(Shape_.Build(tensor), tensor.dtype, one: false, "zeros"),
                        trainable: false, collections: null, validateShape: shape.IsFullyDefined, name: v.op.name + "/" + name, dtype: v.dtype);
                    _averages[v] = shadow;
                    if (_zeroDebias) _zeroDebiased.Add(shadow);
                }
            }
        }
        using (graph.name_scope(name, out var scope))
        {
            Tensor decay = Const.Create(graph, Literal.ToNDArray(_decay, DType.float32), "decay");
            if (_numUpdates is not null)
            {
                var n = Cast.Build(_numUpdates, DType.float32, "num_updates");
                decay = Minimum.Build(decay, RealDiv.Build(Add.Build(1.0, n), Add.Build(10.0, n)));
            }
            var updates = new List<ITensorOrOperation>();
            foreach (var v in vars)
            {
                var shadow = _averages[v];
                updates.Add(MovingAverages.AssignMovingAverage(shadow, v, decay, _zeroDebiased.Contains(shadow), null));
            }
            return NoOp.Group(updates, scope);
        }
    }

    /// <summary>The shadow of <paramref name="var"/>, or null when <see cref="apply"/> did not cover it.</summary>
    public Variable? average(Tensor var) => _averages.TryGetValue(var, out var shadow) ? shadow : null;

    /// <summary>The name of the shadow of <paramref name="var"/>: <c>var/ExponentialMovingAverage</c> (its actual name once created).</summary>
    public string average_name(Tensor var)
    {
        ArgumentNullException.ThrowIfNull(var);
        // A shadow renamed to stay unique (w/ExponentialMovingAverage_1) is known by its real name.
        return _averages.TryGetValue(var, out var shadow) ? shadow.op.name : var.op.name + "/" + name;
    }

    /// <summary>
    /// The names under which a Saver should restore each variable so that it receives its moving average:
    /// <c>{"w/ExponentialMovingAverage": w}</c> for averaged (by default the trainable and moving-average)
    /// variables, <c>{"other": other}</c> for every other global variable.
    /// </summary>
    public Dictionary<string, Variable> variables_to_restore(IEnumerable<Variable>? moving_avg_variables = null)
    {
        var graph = Graph.get_default();
        var averaged = (moving_avg_variables ?? graph.get_collection(GraphKeys.TRAINABLE_VARIABLES).OfType<Variable>()
            .Concat(graph.get_collection(GraphKeys.MOVING_AVERAGE_VARIABLES).OfType<Variable>())).Distinct().ToList();
        var map = new Dictionary<string, Variable>();
        foreach (var v in averaged) map[average_name(v)] = v;
        var averagedNames = averaged.Select(v => v.name).ToHashSet();
        foreach (var v in graph.get_collection(GraphKeys.GLOBAL_VARIABLES).OfType<Variable>())
            if (!averagedNames.Contains(v.name) && !map.ContainsKey(v.op.name)) map[v.op.name] = v;
        return map;
    }
}
