namespace SharpFlow.Ops.RandomOps;

/// <summary>
/// The <c>shape</c> argument of the random functions: a static shape (made into the constant <c>shape</c>, as
/// TensorFlow does) or an int32/int64 vector tensor computed at run time (<c>tf.shape(x)</c>).
/// </summary>
internal readonly struct ShapeInput
{
    private ShapeInput(Shape? fixedShape, Tensor? tensor)
    {
        Fixed = fixedShape;
        Tensor = tensor;
    }

    public Shape? Fixed { get; }

    public Tensor? Tensor { get; }

    public static implicit operator ShapeInput(Shape shape) => new(shape ?? throw new ArgumentNullException(nameof(shape)), null);

    public static implicit operator ShapeInput(Tensor shape) => new(null, shape ?? throw new ArgumentNullException(nameof(shape)));

    /// <summary>The shape as a tensor in <paramref name="graph"/>.</summary>
    public Tensor ToTensor(Graph graph)
    {
        if (Tensor is { } t)
        {
            if (!ReferenceEquals(t.graph, graph)) throw new ValueError($"{t} must be from the same graph as the random op's other inputs.");
            if (!t.dtype.is_integer) throw new TypeError($"A shape tensor must be int32 or int64, got {t.dtype.name}: {t}");
            return t.AsInput();
        }
        var shape = Fixed!;
        if (!shape.IsFullyDefined) throw new ValueError($"Random ops need a fully defined shape, got {shape}; pass a shape tensor for dynamic shapes.");
        return ArrayOps.Const.Create(graph, NDArray.FromFlat(shape.Dims, new Shape(shape.ndims)), "shape");
    }
}
