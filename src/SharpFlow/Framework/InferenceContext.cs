namespace SharpFlow.Framework;

/// <summary>
/// What a shape rule sees while an op is being added to a graph: the inputs' dtypes, static shapes and (when
/// known) constant values, and the attributes. It collects the outputs the rule declares.
/// </summary>
public sealed class InferenceContext
{
    private readonly List<(DType, Shape)> _outputs = [];

    internal InferenceContext(string opType, string opName, IReadOnlyList<Tensor> inputs, IReadOnlyDictionary<string, object> attrs, OpDef? def = null)
    {
        Def = def;
        OpType = opType;
        OpName = opName;
        Inputs = inputs;
        Attrs = attrs;
    }

    /// <summary>The definition of the op being built, which declares its attributes (null for an inner rule's context).</summary>
    internal OpDef? Def { get; }

    /// <summary>The op type (<c>MatMul</c>).</summary>
    public string OpType { get; }

    /// <summary>The name the op will have (<c>dense/MatMul</c>).</summary>
    public string OpName { get; }

    /// <summary>The input tensors.</summary>
    public IReadOnlyList<Tensor> Inputs { get; }

    /// <summary>The attributes.</summary>
    public IReadOnlyDictionary<string, object> Attrs { get; }

    /// <summary>The declared outputs.</summary>
    internal IReadOnlyList<(DType DType, Shape Shape)> Outputs => _outputs;

    /// <summary>Static shape of input <paramref name="index"/>.</summary>
    public Shape InputShape(int index) => Inputs[index].shape;

    /// <summary>Dtype of input <paramref name="index"/>.</summary>
    public DType InputDType(int index) => Inputs[index].dtype;

    /// <summary>The value of input <paramref name="index"/> if it is known at build time (a constant), else null.</summary>
    public NDArray? ConstantInput(int index)
    {
        var t = Inputs[index];
        return t.op.Def.ConstantValue(t.op, t.value_index);
    }

    /// <summary>
    /// The shape described by input <paramref name="index"/> (an integer vector) as far as it is known at build
    /// time: every entry of a constant, the static shape behind a <c>Shape</c> op, or unknown entries.
    /// </summary>
    public Shape ShapeFromInput(int index)
    {
        if (ConstantInput(index) is { } value) return Shape.FromValue(value, "shape", m => Error(m));
        var t = Inputs[index];
        if (t.op.Def.PartialShapeValue(t.op, t.value_index) is { } partial) return partial;
        var s = t.shape;
        return s.IsFullyDefined && s.ndims == 1 ? Shape.UnknownDims(s[0]) : Shape.Unknown;
    }

    /// <summary>An attribute's value.</summary>
    public T Attr<T>(string name) => Attrs.TryGetValue(name, out var v) && v is T typed
        ? typed
        : throw new InternalError($"{OpType} \"{OpName}\" has no attribute '{name}' of type {typeof(T).Name}.");

    /// <summary>Declares the next output.</summary>
    public void AddOutput(DType dtype, Shape shape) => _outputs.Add((dtype, shape));

    /// <summary>A build-time error naming the op: <c>MatMul "dense/MatMul": inner dimensions differ: ...</c>.</summary>
    public ValueError Error(string message) => new($"{OpType} \"{OpName}\": {message}");

    /// <summary>A build-time dtype error naming the op.</summary>
    public TypeError TypeError(string message) => new($"{OpType} \"{OpName}\": {message}");
}
