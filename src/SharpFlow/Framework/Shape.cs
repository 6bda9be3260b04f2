using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace SharpFlow;

/// <summary>
/// The shape of a tensor: a list of dimensions, any of which may be unknown (<c>-1</c>, printed <c>?</c>), or an
/// entirely unknown rank. Immutable. Prints as TensorFlow 1.x does: <c>(2,)</c>, <c>(?, 784)</c>, <c>()</c>,
/// <c>&lt;unknown&gt;</c>.
/// </summary>
public sealed class Shape : IEquatable<Shape>
{
    private readonly int[]? _dims;

    /// <summary>A shape of unknown rank.</summary>
    public static Shape Unknown { get; } = new(null, false);

    /// <summary>The shape of a scalar: <c>()</c>.</summary>
    public static Shape Scalar { get; } = new(Array.Empty<int>());

    /// <summary>Creates a shape from its dimensions; <c>-1</c> marks an unknown dimension.</summary>
    public Shape(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        foreach (var d in dims)
            if (d < -1)
                throw new ValueError($"Dimension {d} must be >= 0 (or -1 for unknown) in shape [{string.Join(",", dims)}].");
        _dims = (int[])dims.Clone();
    }

    private Shape(int[]? dims, bool _) => _dims = dims;

    /// <summary>Wraps an array without copying (callers hand over ownership).</summary>
    internal static Shape Own(int[] dims) => new(dims, false);

    /// <summary>A shape of <paramref name="rank"/> unknown dimensions.</summary>
    public static Shape UnknownDims(int rank)
    {
        var d = new int[rank];
        Array.Fill(d, -1);
        return new Shape(d, false);
    }

    /// <summary>
    /// The entries of an integer vector as dimensions: each in [0, int.MaxValue], or -1 where
    /// <paramref name="allowUnknown"/> (a dimension to infer).
    /// </summary>
    internal static int[] DimsFromValue(NDArray value, string name, Func<string, Exception> error, bool allowUnknown = false)
    {
        if (value.ndim != 1) throw error($"{name} must be a vector, not shape {value.shape.ToListString()}");
        var dims = new int[value.size];
        var other = value.dtype == DType.int32 || value.dtype == DType.int64 ? null : value.ToArray<long>();
        for (var i = 0; i < dims.Length; i++)
        {
            var raw = value.dtype == DType.int32 ? value.AsReadOnlySpan<int>()[i]
                : value.dtype == DType.int64 ? value.AsReadOnlySpan<long>()[i] : other![i];
            if ((raw < 0 && !(allowUnknown && raw == -1)) || raw > int.MaxValue)
                throw error($"{name}[{i}] = {raw} is not a valid dimension (0 to {int.MaxValue}{(allowUnknown ? ", or -1" : "")})");
            dims[i] = (int)raw;
        }
        return dims;
    }

    /// <summary>
    /// The shape described by an integer vector value (a shape given as a tensor), checked as <see cref="DimsFromValue"/>;
    /// shapes of rank 4 or less come from <see cref="Interned"/>, so a kernel that reads the same shape at every run
    /// allocates nothing for it.
    /// </summary>
    internal static Shape FromValue(NDArray value, string name, Func<string, Exception> error)
    {
        if (value.ndim != 1 || value.size > InternRank || (value.dtype != DType.int32 && value.dtype != DType.int64))
            return Own(DimsFromValue(value, name, error));
        Span<int> dims = stackalloc int[value.size];
        for (var i = 0; i < dims.Length; i++)
        {
            var raw = value.dtype == DType.int32 ? value.AsReadOnlySpan<int>()[i] : value.AsReadOnlySpan<long>()[i];
            if (raw < 0 || raw > int.MaxValue) return Own(DimsFromValue(value, name, error)); // its message
            dims[i] = (int)raw;
        }
        return Interned(dims);
    }

    private const int InternRank = 4;
    private const int InternCapacity = 4096;

    private readonly record struct InternKey(int Rank, int D0, int D1, int D2, int D3);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<InternKey, Shape> InternTable = new();

    /// <summary>
    /// The shape of <paramref name="dims"/> (all known), one shared instance per distinct shape of rank 4 or less (up to
    /// 4,096 of them; past that, a new one each time): the output shapes kernels compute at every run without
    /// allocating. Shapes are immutable, so sharing one is safe.
    /// </summary>
    internal static Shape Interned(ReadOnlySpan<int> dims)
    {
        if (dims.Length > InternRank) return new Shape(dims.ToArray());
        var key = new InternKey(dims.Length, dims.Length > 0 ? dims[0] : 0, dims.Length > 1 ? dims[1] : 0, dims.Length > 2 ? dims[2] : 0, dims.Length > 3 ? dims[3] : 0);
        if (InternTable.TryGetValue(key, out var shape)) return shape;
        foreach (var d in dims)
            if (d < 0) throw new ValueError($"Dimension {d} must be >= 0 in shape [{string.Join(",", dims.ToArray())}].");
        shape = Own(dims.ToArray());
        if (InternTable.Count < InternCapacity) InternTable.TryAdd(key, shape);
        return shape;
    }

    /// <summary>Number of dimensions, or -1 when the rank is unknown (TensorFlow's <c>ndims</c> is None).</summary>
    public int ndims => _dims?.Length ?? -1;

    /// <summary>Same as <see cref="ndims"/>.</summary>
    public int Rank => ndims;

    /// <summary>True when the rank is known.</summary>
    public bool IsKnownRank => _dims is not null;

    /// <summary>True when the rank and every dimension are known.</summary>
    public bool IsFullyDefined => _dims is not null && Array.TrueForAll(_dims, d => d >= 0);

    /// <summary>The dimensions (a copy); -1 marks unknown ones. Throws for an unknown rank.</summary>
    public int[] Dims => _dims is null ? throw new ValueError("Shape has an unknown rank.") : (int[])_dims.Clone();

    /// <summary>TensorFlow's <c>as_list()</c>.</summary>
    public int[] as_list() => Dims;

    /// <summary>The dimensions without copying.</summary>
    public ReadOnlySpan<int> AsSpan() => _dims ?? throw new ValueError("Shape has an unknown rank.");

    /// <summary>Dimension <paramref name="index"/> (negative indices count from the end); -1 when unknown.</summary>
    public int this[int index]
    {
        get
        {
            var d = _dims ?? throw new ValueError("Cannot index a shape of unknown rank.");
            var i = index < 0 ? index + d.Length : index;
            if (i < 0 || i >= d.Length)
                throw new ArgumentOutOfRangeException(nameof(index), $"Dimension index {index} is out of range for shape {this}.");
            return d[i];
        }
    }

    /// <summary>
    /// Number of elements (checked arithmetic), or -1 when some dimension or the rank is unknown.
    /// </summary>
    public long NumElements
    {
        get
        {
            if (!IsFullyDefined) return -1;
            long n = 1;
            foreach (var d in _dims!)
            {
                try { n = checked(n * d); }
                catch (OverflowException) { throw new ValueError($"The number of elements of shape {this} overflows a 64-bit integer."); }
            }
            return n;
        }
    }

    /// <summary>TensorFlow's <c>num_elements()</c>: null when not fully defined.</summary>
    public long? num_elements() => IsFullyDefined ? NumElements : null;

    /// <summary>True when both shapes could describe the same tensor.</summary>
    public bool IsCompatibleWith(Shape other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (_dims is null || other._dims is null) return true;
        if (_dims.Length != other._dims.Length) return false;
        for (var i = 0; i < _dims.Length; i++)
            if (_dims[i] >= 0 && other._dims[i] >= 0 && _dims[i] != other._dims[i]) return false;
        return true;
    }

    /// <summary>TensorFlow's <c>is_compatible_with</c>.</summary>
    public bool is_compatible_with(Shape other) => IsCompatibleWith(other);

    /// <summary>The most specific shape compatible with both; throws when they are incompatible.</summary>
    public Shape MergeWith(Shape other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (_dims is null) return other;
        if (other._dims is null) return this;
        if (!IsCompatibleWith(other))
            throw new ValueError($"Shapes {this} and {other} are not compatible");
        var d = new int[_dims.Length];
        for (var i = 0; i < d.Length; i++) d[i] = _dims[i] >= 0 ? _dims[i] : other._dims[i];
        return new Shape(d, false);
    }

    /// <summary>True when this shape fits a concrete shape (unknown dims match anything).</summary>
    public bool Accepts(Shape concrete) => IsCompatibleWith(concrete);

    /// <summary>A new shape with the given dimensions appended.</summary>
    public Shape Concatenate(Shape other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (_dims is null || other._dims is null) return Unknown;
        return new Shape([.. _dims, .. other._dims], false);
    }

    /// <summary>The NumPy broadcast of two shapes, or null when they cannot broadcast.</summary>
    public static Shape? TryBroadcast(Shape a, Shape b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a._dims is null || b._dims is null) return Unknown;
        var rank = Math.Max(a._dims.Length, b._dims.Length);
        var r = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i < rank - a._dims.Length ? 1 : a._dims[i - (rank - a._dims.Length)];
            var db = i < rank - b._dims.Length ? 1 : b._dims[i - (rank - b._dims.Length)];
            if (da == 1) r[i] = db;
            else if (db == 1) r[i] = da;
            else if (da == -1 && db == -1) r[i] = -1;
            else if (da == -1) r[i] = db;
            else if (db == -1) r[i] = da;
            else if (da == db) r[i] = da;
            else return null;
        }
        return new Shape(r, false);
    }

    /// <summary>TensorFlow's Python form: <c>(2,)</c>, <c>(?, 784)</c>, <c>()</c>, <c>&lt;unknown&gt;</c>.</summary>
    public override string ToString()
    {
        if (_dims is null) return "<unknown>";
        if (_dims.Length == 1) return $"({Dim(_dims[0])},)";
        var sb = new StringBuilder("(");
        for (var i = 0; i < _dims.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(Dim(_dims[i]));
        }
        return sb.Append(')').ToString();
    }

    /// <summary>TensorFlow's C++ form used in run-time messages: <c>[?,784]</c>, <c>[]</c>, <c>&lt;unknown&gt;</c>.</summary>
    public string ToListString() => _dims is null ? "<unknown>" : "[" + string.Join(",", _dims.Select(Dim)) + "]";

    private static string Dim(int d) => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public bool Equals([NotNullWhen(true)] Shape? other)
    {
        if (other is null) return false;
        if (_dims is null || other._dims is null) return _dims is null && other._dims is null;
        return _dims.AsSpan().SequenceEqual(other._dims);
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Shape s && Equals(s);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        if (_dims is null) return -1;
        var h = new HashCode();
        foreach (var d in _dims) h.Add(d);
        return h.ToHashCode();
    }

    /// <summary>Shape equality (same rank, same dimensions, unknown equal to unknown).</summary>
    public static bool operator ==(Shape? a, Shape? b) => a is null ? b is null : a.Equals(b);

    /// <summary>Shape inequality.</summary>
    public static bool operator !=(Shape? a, Shape? b) => !(a == b);

    /// <summary>A shape from its dimensions: <c>new[] { -1, 784 }</c>.</summary>
    public static implicit operator Shape(int[] dims) => new(dims);

    /// <summary>A rank-1 shape from a tuple-less single dimension is deliberately not offered; use <c>new[] { n }</c>.</summary>
    public static implicit operator Shape((int, int) d) => new(d.Item1, d.Item2);

    /// <summary>A rank-3 shape: <c>(2, 3, 4)</c>.</summary>
    public static implicit operator Shape((int, int, int) d) => new(d.Item1, d.Item2, d.Item3);

    /// <summary>A rank-4 shape: <c>(64, 28, 28, 1)</c>.</summary>
    public static implicit operator Shape((int, int, int, int) d) => new(d.Item1, d.Item2, d.Item3, d.Item4);
}
