using SharpFlow.Framework;
using SharpFlow.Framework.Dispatch;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SharpFlow;

/// <summary>
/// A concrete value: a dense, row-major buffer of one dtype with a fully defined shape. This is what
/// <c>Session.run</c> returns and what a feed dictionary takes. Plain managed memory: nothing to dispose.
/// Prints like a NumPy array: <c>[3 5]</c>, <c>[[1. 2.]\n [3. 4.]]</c>.
/// </summary>
public sealed class NDArray
{
    /// <summary>Creates an array that takes ownership of <paramref name="storage"/>.</summary>
    /// <param name="storage">A <c>float[]</c>, <c>double[]</c>, <c>int[]</c>, <c>long[]</c>, <c>byte[]</c> or <c>bool[]</c>.</param>
    /// <param name="shape">A fully defined shape whose element count equals the storage length.</param>
    public NDArray(Array storage, Shape shape)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(shape);
        if (storage.Rank != 1) throw new ArgumentException("NDArray storage must be a one-dimensional array; use NDArray.FromArray for multi-dimensional arrays.", nameof(storage));
        dtype = DType.FromClrType(storage.GetType().GetElementType()!);
        if (!shape.IsFullyDefined) throw new ValueError($"An NDArray needs a fully defined shape, got {shape}.");
        if (shape.NumElements != storage.Length)
            throw new ValueError($"Cannot make an NDArray of shape {shape} ({shape.NumElements} elements) from {storage.Length} values.");
        if (storage is byte[][] strings && strings.Any(s => s is null))
            throw new ArgumentException("A string NDArray cannot hold null elements.", nameof(storage));
        Storage = storage;
        this.shape = shape;
        _size = storage.Length;
    }

    /// <summary>
    /// An array over the first <paramref name="count"/> elements of a possibly longer buffer (a pooled buffer of a
    /// run, see <c>Execution.RunMemory</c>); every view of the array (<see cref="AsSpan{T}"/>, <see cref="size"/>,
    /// copies) covers those elements only.
    /// </summary>
    private NDArray(Array storage, Shape shape, DType dtype, int count)
    {
        Storage = storage;
        this.shape = shape;
        this.dtype = dtype;
        _size = count;
    }

    /// <summary>
    /// An array of <paramref name="shape"/> over the start of <paramref name="buffer"/>, which may be longer than the
    /// shape needs (a buffer the run's pool reuses for a smaller tensor).
    /// </summary>
    internal static NDArray OverBuffer(Array buffer, Shape shape)
    {
        if (!shape.IsFullyDefined) throw new ValueError($"An NDArray needs a fully defined shape, got {shape}.");
        var count = shape.NumElements;
        if (count > buffer.Length)
            throw new ValueError($"Cannot make an NDArray of shape {shape} ({count} elements) from {buffer.Length} values.");
        if (count == buffer.Length) return new NDArray(buffer, shape);
        return new NDArray(buffer, shape, DType.FromClrType(buffer.GetType().GetElementType()!), (int)count);
    }

    private readonly int _size;

    /// <summary>Whether the buffer is longer than the array (a pooled buffer reused for a smaller tensor).</summary>
    internal bool IsOverBuffer => Storage.Length != _size;

    /// <summary>The element type.</summary>
    public DType dtype { get; }

    /// <summary>The (fully defined) shape.</summary>
    public Shape shape { get; }

    /// <summary>Number of elements.</summary>
    public int size => _size;

    /// <summary>Number of dimensions.</summary>
    public int ndim => shape.ndims;

    /// <summary>The backing one-dimensional array (shared, not copied).</summary>
    internal Array Storage { get; }

    /// <summary>A zero-filled array.</summary>
    public static NDArray Zeros(DType dtype, Shape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return new NDArray(AllocateStorage(dtype, CheckedCount(shape, dtype)), shape);
    }

    /// <summary>Allocates the backing store for <paramref name="count"/> elements of <paramref name="dtype"/>.</summary>
    internal static Array AllocateStorage(DType dtype, int count) => dtype.Id switch
    {
        DataType.Float => new float[count],
        DataType.Double => new double[count],
        DataType.Int32 => new int[count],
        DataType.Int64 => new long[count],
        DataType.UInt8 => new byte[count],
        DataType.UInt16 => new ushort[count],
        DataType.Int8 => new sbyte[count],
        DataType.Int16 => new short[count],
        DataType.UInt32 => new uint[count],
        DataType.UInt64 => new ulong[count],
        DataType.Half => new Half[count],
        DataType.Bool => new bool[count],
        DataType.String => Enumerable.Repeat(Array.Empty<byte>(), count).ToArray(),
        DataType.Resource => new object[count],
        _ => throw new TypeError($"Cannot allocate values of dtype {dtype}."),
    };

    /// <summary>
    /// Element count of a fully defined shape, checked before allocation against <see cref="TensorLimits"/> (a
    /// <see cref="ResourceExhaustedError"/>) and the largest .NET array.
    /// </summary>
    internal static int CheckedCount(Shape shape, DType dtype)
    {
        if (!shape.IsFullyDefined) throw new ValueError($"Cannot allocate a value of partially known shape {shape}.");
        if (TensorLimits.Violation(shape, dtype) is { } violation) throw new ResourceExhaustedError($"Cannot allocate the tensor: {violation}.");
        var n = shape.NumElements;
        if (n > Array.MaxLength)
            throw new ResourceExhaustedError($"A tensor of shape {shape} has {n} elements, more than the {Array.MaxLength} one buffer can hold.");
        return (int)n;
    }

    /// <summary>A string array of UTF-8 encoded <paramref name="values"/> (a scalar for one value and no shape).</summary>
    public static NDArray FromStrings(string[] values, Shape? shape = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new NDArray(values.Select(v => System.Text.Encoding.UTF8.GetBytes(v)).ToArray(), shape ?? (values.Length == 1 ? Shape.Scalar : new Shape(values.Length)));
    }

    /// <summary>The bytes of element <paramref name="index"/> of a string array (a serialized summary).</summary>
    public byte[] StringBytes(int index = 0) => Storage is byte[][] strings
        ? strings[index]
        : throw new TypeError($"An NDArray of dtype {dtype} holds no byte strings.");

    /// <summary>A scalar.</summary>
    public static NDArray Scalar<T>(T value) where T : unmanaged => new(new[] { value }, Shape.Scalar);

    /// <summary>Wraps a one-dimensional array of values with the given shape (the array is not copied).</summary>
    public static NDArray FromFlat<T>(T[] values, Shape shape) where T : unmanaged => new(values, shape);

    /// <summary>
    /// Copies any .NET array (<c>float[,]</c>, <c>int[]</c>, <c>double[,,]</c>, ...) into a new NDArray of the
    /// matching dtype and shape.
    /// </summary>
    public static NDArray FromArray(Array array)
    {
        ArgumentNullException.ThrowIfNull(array);
        var elementType = array.GetType().GetElementType()!;
        var dtype = DType.FromClrType(elementType);
        if (dtype == DType.@string) throw new TypeError("NDArray.FromArray takes numeric or bool arrays; use NDArray.FromStrings for strings.");
        var dims = new int[array.Rank];
        for (var i = 0; i < dims.Length; i++) dims[i] = array.GetLength(i);
        var storage = AllocateStorage(dtype, array.Length);
        // Multi-dimensional .NET arrays are row-major and contiguous, exactly NDArray's layout.
        var bytes = checked(array.Length * dtype.size);
        ref var src = ref MemoryMarshal.GetArrayDataReference(array);
        ref var dst = ref MemoryMarshal.GetArrayDataReference(storage);
        Unsafe.CopyBlockUnaligned(ref dst, ref src, (uint)bytes);
        return new NDArray(storage, Shape.Own(dims));
    }

    /// <summary>The elements as a span; <typeparamref name="T"/> must match the dtype exactly.</summary>
    public Span<T> AsSpan<T>() where T : unmanaged
    {
        if (Storage is not T[] typed)
            throw new TypeError($"An NDArray of dtype {dtype} cannot be viewed as {typeof(T).Name} values.");
        return typed.AsSpan(0, _size);
    }

    /// <summary>The elements (read-only view); <typeparamref name="T"/> must match the dtype exactly.</summary>
    public ReadOnlySpan<T> AsReadOnlySpan<T>() where T : unmanaged => AsSpan<T>();

    /// <summary>A copy of the elements in row-major order, converted to <typeparamref name="T"/> if needed.</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        if (Storage is T[] typed) return typed.AsSpan(0, _size).ToArray();
        return (T[])Cast(DType.Of<T>()).Storage;
    }

    /// <summary>
    /// Copies the values into a .NET array of the array's rank and element type: <c>(float[,])a.ToMultiDimArray()</c>.
    /// </summary>
    public Array ToMultiDimArray()
    {
        if (ndim == 0) return ToFlatClone();
        if (dtype == DType.@string) throw new TypeError("ToMultiDimArray takes numeric or bool arrays; read strings with StringBytes(i).");
        var result = Array.CreateInstance(dtype.ClrType, shape.Dims);
        ref var src = ref MemoryMarshal.GetArrayDataReference(Storage);
        ref var dst = ref MemoryMarshal.GetArrayDataReference(result);
        Unsafe.CopyBlockUnaligned(ref dst, ref src, (uint)checked(size * dtype.size));
        return result;
    }

    private Array ToFlatClone()
    {
        if (!IsOverBuffer) return (Array)Storage.Clone();
        var copy = AllocateStorage(dtype, _size);
        Array.Copy(Storage, copy, _size);
        return copy;
    }

    /// <summary>The element at a multi-dimensional index, converted to <typeparamref name="T"/>.</summary>
    public T GetValue<T>(params int[] index) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(index);
        var flat = FlatIndex(index);
        return ElementAs<T>(flat);
    }

    /// <summary>The only element of a one-element array (NumPy's <c>item()</c>).</summary>
    public T item<T>() where T : unmanaged
    {
        if (size != 1) throw new ValueError($"item() needs an array of one element, this one has shape {shape}.");
        return ElementAs<T>(0);
    }

    private T ElementAs<T>(int flat) where T : unmanaged
    {
        if (Storage is T[] typed) return typed[flat];
        var one = new NDArray(AllocateStorage(dtype, 1), Shape.Scalar);
        Array.Copy(Storage, flat, one.Storage, 0, 1);
        return ((T[])one.Cast(DType.Of<T>()).Storage)[0];
    }

    private int FlatIndex(int[] index)
    {
        if (index.Length != ndim)
            throw new ArgumentException($"Index of rank {index.Length} for an array of shape {shape}.", nameof(index));
        var dims = shape.AsSpan();
        var flat = 0;
        for (var i = 0; i < index.Length; i++)
        {
            if ((uint)index[i] >= (uint)dims[i])
                throw new ArgumentOutOfRangeException(nameof(index), $"Index {index[i]} is out of bounds for axis {i} with size {dims[i]}.");
            flat = flat * dims[i] + index[i];
        }
        return flat;
    }

    /// <summary>A copy converted to another dtype with TensorFlow's <c>Cast</c> rules.</summary>
    public NDArray Cast(DType to) => Framework.Dispatch.CastKernel.Cast(this, to);

    /// <summary>A deep copy.</summary>
    public NDArray Copy() => new(ToFlatClone(), shape);

    /// <summary>
    /// The rows <paramref name="rows"/> along the first axis, copied (NumPy's <c>X[start:end]</c>):
    /// <c>X[0..8]</c>, <c>X[^10..]</c>.
    /// </summary>
    public NDArray this[Range rows]
    {
        get
        {
            if (ndim == 0) throw new ValueError("too many indices for array: array is 0-dimensional");
            var (start, count) = rows.GetOffsetAndLength(shape[0]);
            var dims = shape.Dims;
            var rowSize = dims[0] == 0 ? 0 : size / dims[0];
            dims[0] = count;
            var result = Zeros(dtype, new Shape(dims));
            var bytes = dtype.size;
            AsBytes().Slice(start * rowSize * bytes, count * rowSize * bytes)
                .CopyTo(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(result.Storage), result.size * bytes));
            return result;
        }
    }

    /// <summary>The same buffer seen with another shape of the same element count.</summary>
    public NDArray Reshape(Shape newShape)
    {
        ArgumentNullException.ThrowIfNull(newShape);
        if (!IsOverBuffer) return new NDArray(Storage, newShape);
        if (!newShape.IsFullyDefined || newShape.NumElements != _size)
            throw new ValueError($"Cannot make an NDArray of shape {newShape} ({newShape.NumElements} elements) from {_size} values.");
        return new NDArray(Storage, newShape, dtype, _size);
    }

    /// <summary>True when both arrays have the same dtype, shape and elements (NaN equals NaN).</summary>
    public bool ValueEquals(NDArray? other)
    {
        if (other is null || other.dtype != dtype || other.shape != shape) return false;
        if (Storage is byte[][] strings)
        {
            var others = (byte[][])other.Storage;
            for (var i = 0; i < strings.Length; i++)
                if (!strings[i].AsSpan().SequenceEqual(others[i])) return false;
            return true;
        }
        ref var a = ref MemoryMarshal.GetArrayDataReference(Storage);
        ref var b = ref MemoryMarshal.GetArrayDataReference(other.Storage);
        var bytes = size * dtype.size;
        return MemoryMarshal.CreateReadOnlySpan(ref a, bytes).SequenceEqual(MemoryMarshal.CreateReadOnlySpan(ref b, bytes));
    }

    /// <summary>NumPy's <c>str()</c> of the array.</summary>
    public override string ToString() => NDArrayFormatter.Format(this);

    /// <summary>NumPy's <c>repr()</c>: <c>array([3, 5], dtype=int32)</c>.</summary>
    public string Repr() => NDArrayFormatter.Repr(this);

    /// <summary>The raw bytes of the elements, writable (kernels that update a buffer in place).</summary>
    public Span<byte> AsWritableBytes()
    {
        if (dtype == DType.@string) throw new TypeError("A string array has no raw byte view.");
        ref var a = ref MemoryMarshal.GetArrayDataReference(Storage);
        return MemoryMarshal.CreateSpan(ref a, size * dtype.size);
    }

    /// <summary>The raw bytes of the elements (little-endian), for writers of file formats.</summary>
    public ReadOnlySpan<byte> AsBytes()
    {
        if (dtype == DType.@string) throw new TypeError("A string array has no raw byte view.");
        ref var a = ref MemoryMarshal.GetArrayDataReference(Storage);
        return MemoryMarshal.CreateReadOnlySpan(ref a, size * dtype.size);
    }

#pragma warning disable CA2225 // conversions mirror NumPy's np.asarray on .NET values
    /// <summary>A float32 scalar.</summary>
    public static implicit operator NDArray(float v) => Scalar(v);
    /// <summary>A float64 scalar.</summary>
    public static implicit operator NDArray(double v) => Scalar(v);
    /// <summary>An int32 scalar.</summary>
    public static implicit operator NDArray(int v) => Scalar(v);
    /// <summary>An int64 scalar.</summary>
    public static implicit operator NDArray(long v) => Scalar(v);
    /// <summary>A bool scalar.</summary>
    public static implicit operator NDArray(bool v) => Scalar(v);
    /// <summary>A float32 vector (copied).</summary>
    public static implicit operator NDArray(float[] v) => FromArray(v);
    /// <summary>A float64 vector (copied).</summary>
    public static implicit operator NDArray(double[] v) => FromArray(v);
    /// <summary>An int32 vector (copied).</summary>
    public static implicit operator NDArray(int[] v) => FromArray(v);
    /// <summary>An int64 vector (copied).</summary>
    public static implicit operator NDArray(long[] v) => FromArray(v);
    /// <summary>A uint8 vector (copied).</summary>
    public static implicit operator NDArray(byte[] v) => FromArray(v);
    /// <summary>A bool vector (copied).</summary>
    public static implicit operator NDArray(bool[] v) => FromArray(v);
    /// <summary>A float32 matrix (copied).</summary>
    public static implicit operator NDArray(float[,] v) => FromArray(v);
    /// <summary>A float64 matrix (copied).</summary>
    public static implicit operator NDArray(double[,] v) => FromArray(v);
    /// <summary>An int32 matrix (copied).</summary>
    public static implicit operator NDArray(int[,] v) => FromArray(v);
    /// <summary>An int64 matrix (copied).</summary>
    public static implicit operator NDArray(long[,] v) => FromArray(v);
    /// <summary>A bool matrix (copied).</summary>
    public static implicit operator NDArray(bool[,] v) => FromArray(v);
    /// <summary>A float32 rank-3 array (copied).</summary>
    public static implicit operator NDArray(float[,,] v) => FromArray(v);
    /// <summary>A float32 rank-4 array (copied).</summary>
    public static implicit operator NDArray(float[,,,] v) => FromArray(v);

    /// <summary>The value of a one-element array as float.</summary>
    public static explicit operator float(NDArray a) => (a ?? throw new ArgumentNullException(nameof(a))).item<float>();
    /// <summary>The value of a one-element array as double.</summary>
    public static explicit operator double(NDArray a) => (a ?? throw new ArgumentNullException(nameof(a))).item<double>();
    /// <summary>The value of a one-element array as int.</summary>
    public static explicit operator int(NDArray a) => (a ?? throw new ArgumentNullException(nameof(a))).item<int>();
    /// <summary>The value of a one-element array as long.</summary>
    public static explicit operator long(NDArray a) => (a ?? throw new ArgumentNullException(nameof(a))).item<long>();
    /// <summary>The value of a one-element array as bool.</summary>
    public static explicit operator bool(NDArray a) => (a ?? throw new ArgumentNullException(nameof(a))).item<bool>();
#pragma warning restore CA2225
}
