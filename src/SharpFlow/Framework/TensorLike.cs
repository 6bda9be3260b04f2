namespace SharpFlow;

/// <summary>
/// Anything an op accepts as an input, as TensorFlow's <c>convert_to_tensor</c> does: a <see cref="Tensor"/>
/// (or variable), an <see cref="NDArray"/>, a number, or a .NET array. Numbers and arrays become constants in the
/// op's graph, taking the dtype the op needs (<c>x * 2</c> with a float32 <c>x</c> makes a float32 constant);
/// on their own, integers default to int32 and floating-point numbers to float32, as Python values do.
/// </summary>
public readonly struct TensorLike
{
    private TensorLike(object value) => Value = value;

    /// <summary>The wrapped value: a Tensor, an NDArray, a scalar or an array.</summary>
    public object Value { get; }

    /// <summary>The tensor, when the value is one.</summary>
    public Tensor? AsTensor => Value as Tensor;

    /// <summary>True when no value was given (a default struct).</summary>
    public bool IsEmpty => Value is null;

#pragma warning disable CA2225 // conversions are the point of this type
    /// <summary>A tensor (a variable stands for its value).</summary>
    public static implicit operator TensorLike(Tensor value) => new(value ?? throw new ArgumentNullException(nameof(value)));
    /// <summary>
    /// An optional tensor for an optional argument: a null tensor gives no value, as <c>None</c> does in TensorFlow,
    /// instead of the null check of the conversion above.
    /// </summary>
    public static implicit operator TensorLike?(Tensor? value) => value is null ? default(TensorLike?) : new TensorLike(value);
    /// <summary>A concrete value.</summary>
    public static implicit operator TensorLike(NDArray value) => new(value ?? throw new ArgumentNullException(nameof(value)));
    /// <summary>A floating-point number (float32 unless the op needs another dtype).</summary>
    public static implicit operator TensorLike(double value) => new(value);
    /// <summary>A float32 number.</summary>
    public static implicit operator TensorLike(float value) => new(value);
    /// <summary>An integer (int32 unless the op needs another dtype).</summary>
    public static implicit operator TensorLike(int value) => new(value);
    /// <summary>An int64 integer.</summary>
    public static implicit operator TensorLike(long value) => new(value);
    /// <summary>A boolean.</summary>
    public static implicit operator TensorLike(bool value) => new(value);
    /// <summary>A vector of numbers.</summary>
    public static implicit operator TensorLike(double[] value) => new(value);
    /// <summary>A float32 vector.</summary>
    public static implicit operator TensorLike(float[] value) => new(value);
    /// <summary>An integer vector.</summary>
    public static implicit operator TensorLike(int[] value) => new(value);
    /// <summary>An int64 vector.</summary>
    public static implicit operator TensorLike(long[] value) => new(value);
    /// <summary>A boolean vector.</summary>
    public static implicit operator TensorLike(bool[] value) => new(value);
    /// <summary>A uint8 vector.</summary>
    public static implicit operator TensorLike(byte[] value) => new(value);
    /// <summary>A string scalar (UTF-8 bytes).</summary>
    public static implicit operator TensorLike(string value) => new(value ?? throw new ArgumentNullException(nameof(value)));
    /// <summary>A string vector (UTF-8 bytes).</summary>
    public static implicit operator TensorLike(string[] value) => new(value ?? throw new ArgumentNullException(nameof(value)));
    /// <summary>A matrix of numbers.</summary>
    public static implicit operator TensorLike(double[,] value) => new(value);
    /// <summary>A float32 matrix.</summary>
    public static implicit operator TensorLike(float[,] value) => new(value);
    /// <summary>An integer matrix.</summary>
    public static implicit operator TensorLike(int[,] value) => new(value);
    /// <summary>An int64 matrix.</summary>
    public static implicit operator TensorLike(long[,] value) => new(value);
    /// <summary>A boolean matrix.</summary>
    public static implicit operator TensorLike(bool[,] value) => new(value);
#pragma warning restore CA2225

    /// <inheritdoc/>
    public override string ToString() => Value?.ToString() ?? "<empty>";
}
