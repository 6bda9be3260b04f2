using System.Reflection;
using SharpFlow.Ops.Initializers;

namespace SharpFlow.Keras.Engine;

/// <summary>
/// <c>tf.keras.layers.Layer</c> in graph mode: a callable object that creates its weights in <see cref="build(Shape)"/>
/// on its first call (named <c>layer_name/weight</c>, as <c>dense/kernel:0</c>) and adds its ops to the default
/// graph under its name scope on every call. Subclass it and override <see cref="build(Shape)"/>,
/// <see cref="call(Tensor)"/> and <see cref="compute_output_shape(Shape)"/>; layers held in fields of a subclass
/// are tracked, so their weights are the subclass's weights.
/// </summary>
public abstract class Layer
{
    private readonly List<Variable> _trainable = [];
    private readonly List<Variable> _nonTrainable = [];
    private readonly List<Tensor> _losses = [];
    private readonly List<ITensorOrOperation> _updates = [];
    private readonly string _name;

    [ThreadStatic] private static bool? _training;

    /// <summary>Creates a layer; <paramref name="input_shape"/> (without the batch axis) lets it start a Sequential model.</summary>
    protected Layer(string? name = null, bool trainable = true, int[]? input_shape = null, int? batch_size = null, DType? dtype = null)
    {
        weights = new WeightList(AllWeights);
        _name = name ?? Backend.UniqueObjectName(Backend.ToSnakeCase(GetType().Name));
        this.trainable = trainable;
        this.dtype = dtype ?? DType.float32;
        if (input_shape is not null) batch_input_shape = [batch_size ?? -1, .. input_shape];
    }

    /// <summary>The layer's unique name: <c>dense</c>, <c>dense_1</c>, ... unless given.</summary>
    public string name => _name;

    /// <summary>Whether its weights are trained (a frozen layer's weights are non-trainable).</summary>
    public bool trainable { get; set; }

    /// <summary>The dtype of its weights.</summary>
    public DType dtype { get; }

    /// <summary>Whether <see cref="build(Shape)"/> has run.</summary>
    public bool built { get; protected set; }

    /// <summary>The shape of its input with the batch axis (-1 for None), when given at construction.</summary>
    public int[]? batch_input_shape { get; protected set; }

    internal void SetBatchInputShape(int[] shape) => batch_input_shape = shape;

    /// <summary>Whether the layer behaves differently in training (reads the learning phase).</summary>
    public virtual bool uses_learning_phase => false;

    internal List<Node> inbound_nodes { get; } = [];

    /// <summary>While a call runs: the <c>training</c> argument, or null to follow the learning phase.</summary>
    protected static bool? Training => _training;

    /// <summary>The layers this one holds (in fields, or added with <see cref="TrackLayer"/>).</summary>
    protected internal virtual IEnumerable<Layer> SubLayers
    {
        get
        {
            var seen = new HashSet<Layer>(ReferenceEqualityComparer.Instance);
            foreach (var l in _tracked) if (seen.Add(l)) yield return l;
            for (var t = GetType(); t is not null && t != typeof(Layer); t = t.BaseType)
                foreach (var f in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    var v = f.GetValue(this);
                    if (v is Layer l && !ReferenceEquals(l, this) && seen.Add(l)) yield return l;
                    else if (v is IEnumerable<Layer> many)
                        foreach (var m in many) if (!ReferenceEquals(m, this) && seen.Add(m)) yield return m;
                }
        }
    }

    private readonly List<Layer> _tracked = [];

    /// <summary>Tracks <paramref name="layer"/> as part of this one (its weights become this layer's).</summary>
    protected T TrackLayer<T>(T layer) where T : Layer { _tracked.Add(layer); return layer; }

    /// <summary>The trainable weights: its own and those of the layers it holds (none when not trainable).</summary>
    public virtual List<Variable> trainable_weights =>
        !trainable ? [] : Distinct(_trainable.Concat(SubLayers.SelectMany(l => l.trainable_weights)));

    /// <summary>The non-trainable weights (all of them when the layer is not trainable).</summary>
    public virtual List<Variable> non_trainable_weights => trainable
        ? Distinct(_nonTrainable.Concat(SubLayers.SelectMany(l => l.non_trainable_weights)))
        : Distinct(_trainable.Concat(_nonTrainable).Concat(SubLayers.SelectMany(l => l.variables)));

    /// <summary>All weights, trainable first (a live view: it lists the weights when read).</summary>
#pragma warning disable CA1051 // a property named weights would reserve get_weights, which Keras's method uses
    public readonly WeightList weights;
#pragma warning restore CA1051

    /// <summary>All weights, as <see cref="weights"/>.</summary>
    public List<Variable> variables => AllWeights();

    private List<Variable> AllWeights() => Distinct(trainable_weights.Concat(non_trainable_weights));

    /// <summary>The regularization losses of its weights and those added with <see cref="add_loss"/>.</summary>
    public virtual List<Tensor> losses => _losses.Concat(SubLayers.SelectMany(l => l.losses)).Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>().ToList();

    /// <summary>The update ops (moving averages) to run with each training step.</summary>
    public virtual List<ITensorOrOperation> updates => _updates.Concat(SubLayers.SelectMany(l => l.updates)).Distinct(ReferenceEqualityComparer.Instance).Cast<ITensorOrOperation>().ToList();

    private static List<Variable> Distinct(IEnumerable<Variable> vars) => vars.Distinct(ReferenceEqualityComparer.Instance).Cast<Variable>().ToList();

    /// <summary>Adds a loss tensor (a regularization penalty) to the layer.</summary>
    public void add_loss(Tensor loss) => _losses.Add(loss);

    /// <summary>Adds an update op run with each training step.</summary>
    public void add_update(ITensorOrOperation update) => _updates.Add(update);

    /// <summary>
    /// Creates a weight <c>layer_name/name</c> (a variable in the layer's name scope), initialized by
    /// <paramref name="initializer"/> (glorot_uniform when null), its penalty added to <see cref="losses"/>, its
    /// <paramref name="constraint"/> applied by the optimizer after each update.
    /// </summary>
    public Variable add_weight(string name, Shape shape, DType? dtype = null, InitializerSpec? initializer = null,
        KerasRegularizer? regularizer = null, bool trainable = true, KerasConstraint? constraint = null)
    {
        var d = dtype ?? this.dtype;
        var init = initializer?.Initializer ?? new GlorotUniformInitializer();
        var v = Variable.Create(null, () => init.Call(shape, d), trainable, null, true, name, d);
        (trainable ? _trainable : _nonTrainable).Add(v);
        if (constraint is not null) KerasConstraint.Attach(v, constraint);
        if (regularizer is not null)
        {
            using (v.graph.name_scope(name + "/Regularizer"))
                _losses.Add(regularizer.Call(v));
        }
        return v;
    }

    /// <summary>Creates the weights for inputs of <paramref name="input_shape"/> (with the batch axis).</summary>
    public virtual void build(Shape input_shape) => built = true;

    /// <summary>Creates the weights for several inputs; by default only one input is accepted.</summary>
    public virtual void build(Shape[] input_shapes)
    {
        ArgumentNullException.ThrowIfNull(input_shapes);
        if (input_shapes.Length != 1) throw new ValueError($"Layer {name} expects 1 input, but it received {input_shapes.Length} input tensors.");
        build(input_shapes[0]);
    }

    /// <summary>The layer's computation on one input.</summary>
    public virtual Tensor call(Tensor inputs) => throw new NotImplementedException($"Layer {GetType().Name} does not implement call().");

    /// <summary>The layer's computation on several inputs; by default only one input is accepted.</summary>
    public virtual Tensor[] call(Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length != 1) throw new ValueError($"Layer {name} expects 1 input, but it received {inputs.Length} input tensors.");
        return [call(inputs[0])];
    }

    /// <summary>The output shape for an input shape (the static shape of the call's result by default).</summary>
    public virtual Shape compute_output_shape(Shape input_shape) => throw new NotImplementedException($"Layer {GetType().Name} does not implement compute_output_shape().");

    /// <summary>Calls the layer on a tensor (Python's <c>layer(x)</c>).</summary>
    public Tensor Apply(Tensor inputs, bool? training = null) => Single(Apply([inputs], training));

    /// <summary>Calls the layer on several tensors (a merge layer's list, a model's inputs).</summary>
    public Tensor[] Apply(Tensor[] inputs, bool? training = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length == 0) throw new ValueError($"Layer {name} was called with no inputs.");
        var graph = inputs[0].graph;
        var old = _training;
        _training = training ?? _training;
        try
        {
            using (graph.name_scope(name))
            {
                if (!built)
                {
                    CheckInputs(inputs);
                    var shapes = inputs.Select(t => t.shape).ToArray();
                    if (shapes.Length == 1) build(shapes[0]); else build(shapes);
                    built = true;
                }
                var outputs = call(inputs);
                if (outputs.Any(o => inputs.Contains(o)))
                    outputs = outputs.Select(o => inputs.Contains(o) ? Ops.ArrayOps.Identity.Build(o, "Identity") : o).ToArray();
                inbound_nodes.Add(new Node(this, inputs, outputs));
                return outputs;
            }
        }
        finally { _training = old; }
    }

    /// <summary>Checks the inputs against the layer's declared input shape.</summary>
    protected virtual void CheckInputs(Tensor[] inputs) { }

    internal static Tensor Single(Tensor[] outputs) =>
        outputs.Length == 1 ? outputs[0] : throw new ValueError($"The layer returned {outputs.Length} tensors; use the overload taking and returning arrays.");

    internal static NDArray SingleArray(NDArray[] outputs) =>
        outputs.Length == 1 ? outputs[0] : throw new ValueError($"The model has {outputs.Length} outputs; use the overload taking and returning arrays.");

    /// <summary>The output of its only call (Keras raises when it was called more than once).</summary>
    public Tensor output => Single(OnlyNode("output").output_tensors.ToArray());

    /// <summary>The input of its only call.</summary>
    public Tensor input => Single(OnlyNode("input").input_tensors.ToArray());

    /// <summary>The input shapes of its calls, when they agree.</summary>
    public virtual Shape input_shape => CommonShape(n => n.input_tensors, "input");

    /// <summary>The output shape of its calls, when they agree.</summary>
    public virtual Shape output_shape => CommonShape(n => n.output_tensors, "output");

    private Shape CommonShape(Func<Node, IReadOnlyList<Tensor>> pick, string what)
    {
        if (inbound_nodes.Count == 0) throw new AttributeError($"The layer has never been called and thus has no defined {what} shape.");
        var shapes = inbound_nodes.Select(n => pick(n)[0].shape).Distinct().ToList();
        if (shapes.Count != 1 || inbound_nodes.Any(n => pick(n).Count != 1))
            throw new AttributeError($"The layer \"{name}\" has multiple inbound nodes, with different {what} shapes. Hence the notion of \"{what} shape\" is ill-defined for the layer.");
        return shapes[0];
    }

    private Node OnlyNode(string what)
    {
        if (inbound_nodes.Count == 0) throw new AttributeError($"Layer {name} is not connected, no {what} to return.");
        if (inbound_nodes.Count > 1) throw new AttributeError($"Layer {name} has multiple inbound nodes, hence the notion of \"layer {what}\" is ill-defined. Use `get_{what}_at(node_index)` instead.");
        return inbound_nodes[0];
    }

    /// <summary>The number of scalars in its weights.</summary>
    public long count_params()
    {
        if (!built) throw new ValueError($"You tried to call `count_params` on {name}, but the layer isn't built. You can build it manually via: `{name}.build(batch_input_shape)`.");
        return variables.Sum(w => w.shape.NumElements);
    }

    /// <summary>The values of its weights, from Keras's session.</summary>
    public List<NDArray> get_weights()
    {
        var w = variables;
        return w.Count == 0 ? [] : Backend.get_session().run(w.Cast<Tensor>().ToList()).ToList();
    }

    /// <summary>Sets its weights from arrays of the same shapes, in <see cref="weights"/>' order.</summary>
    public void set_weights(IReadOnlyList<NDArray> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var w = variables;
        if (values.Count != w.Count)
            throw new ValueError($"You called `set_weights(weights)` on layer \"{name}\" with a weight list of length {values.Count}, but the layer was expecting {w.Count} weights.");
        for (var i = 0; i < w.Count; i++)
            if (!w[i].shape.Equals(values[i].shape))
                throw new ValueError($"Layer weight shape {ShapeText(w[i].shape)} not compatible with provided weight shape {ShapeText(values[i].shape)}");
        Backend.batch_set_value(w.Zip(values));
    }

    /// <summary>A shape as Python prints a tuple: <c>(None, 10)</c>, <c>(3,)</c>.</summary>
    public static string ShapeText(Shape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (!shape.IsKnownRank) return "None";
        var dims = shape.Dims.Select(d => d < 0 ? "None" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return dims.Count == 1 ? $"({dims[0]},)" : $"({string.Join(", ", dims)})";
    }

    /// <inheritdoc />
    public override string ToString() => $"<{GetType().Name} name={name}>";
}

/// <summary>Python's AttributeError (a layer's input or output asked for when it has none or several).</summary>
public sealed class AttributeError(string message) : InvalidOperationException(message);

/// <summary>A layer's weights, listed afresh each time it is read (Keras's <c>layer.weights</c>).</summary>
public sealed class WeightList : IReadOnlyList<Variable>
{
    private readonly Func<List<Variable>> _list;

    internal WeightList(Func<List<Variable>> list) => _list = list;

    /// <inheritdoc />
    public Variable this[int index] => _list()[index];

    /// <inheritdoc />
    public int Count => _list().Count;

    /// <inheritdoc />
    public IEnumerator<Variable> GetEnumerator() => _list().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
