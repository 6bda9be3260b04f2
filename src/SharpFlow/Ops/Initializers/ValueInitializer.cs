namespace SharpFlow.Ops.Initializers;

/// <summary>A tensor or value used as an initializer: <c>get_variable</c> takes its shape and value.</summary>
public sealed class ValueInitializer : Initializer
{
    internal ValueInitializer(TensorLike value) : base(null) => Value = value;

    /// <summary>The value.</summary>
    public TensorLike Value { get; }

    /// <summary>The dtype of the value (a literal takes TensorFlow's default for its kind).</summary>
    internal DType ValueDType => Value.Value is Tensor t ? t.AsInput().dtype : Literal.ToNDArray(Value.Value).dtype;

    /// <summary>The static shape of the value.</summary>
    internal Shape ValueShape => Value.Value is Tensor t ? t.AsInput().shape : Literal.ToNDArray(Value.Value).shape;

    /// <inheritdoc/>
    public override Tensor Call(Shape shape, DType? dtype = null)
    {
        if (Value.Value is Tensor t) return t.AsInput();
        return Ops.ArrayOps.Const.Build(Value.Value, dtype, name: "initial_value");
    }
}
