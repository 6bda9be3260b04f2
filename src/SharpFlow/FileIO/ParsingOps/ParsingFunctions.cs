using SharpFlow.FileIO;
using SharpFlow.Ops;

namespace SharpFlow.FileIO.ParsingOps;

/// <summary>
/// TensorFlow's parsing_ops.py: turns feature configurations (sorted by key) into the parse ops' keys, dtypes,
/// shapes and defaults, and their outputs into dense tensors and sparse tensors.
/// </summary>
internal static class ParsingFunctions
{
    private sealed record Raw(List<(string Key, DType Type)> Sparse, List<(string Key, DType Type, Shape Shape, NDArray Default)> Dense);

    private static Raw RawParams(IReadOnlyDictionary<string, FeatureSpec> features, bool sequenceAllowed)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Count == 0) throw new ValueError("Missing: features was {}.");
        var raw = new Raw([], []);
        foreach (var key in features.Keys.Order(StringComparer.Ordinal))
        {
            switch (features[key])
            {
                case VarLenFeature v: raw.Sparse.Add((key, v.dtype)); break;
                case FixedLenFeature f: raw.Dense.Add((key, f.dtype, f.shape, FixedDefault(key, f.dtype, f.shape, f.default_value))); break;
                case FixedLenSequenceFeature s when sequenceAllowed:
                    if (!s.allow_missing) throw new ValueError("Unsupported: FixedLenSequenceFeature requires allow_missing to be True.");
                    raw.Dense.Add((key, s.dtype, new Shape(-1).Concatenate(s.shape), PaddingDefault(key, s.dtype, s.default_value)));
                    break;
                case var other: throw new ValueError($"Unsupported {other?.GetType().Name ?? "null"} for feature '{key}'.");
            }
        }
        return raw;
    }

    private static NDArray FixedDefault(string key, DType dtype, Shape shape, object? value)
    {
        if (value is null) return dtype == DType.@string ? NDArray.FromStrings([], new Shape(0)) : NDArray.Zeros(dtype, new Shape(0));
        var array = Literal.ToNDArray(value, dtype);
        if (array.size != shape.NumElements)
            throw new ValueError($"Cannot reshape a tensor with {array.size} elements to shape {shape.ToListString()} ({shape.NumElements} elements): the default_value of feature '{key}'.");
        return array.Reshape(shape);
    }

    private static NDArray PaddingDefault(string key, DType dtype, object? value)
    {
        if (value is null) return dtype == DType.@string ? NDArray.FromStrings([""], Shape.Scalar) : NDArray.Zeros(dtype, Shape.Scalar);
        var array = Literal.ToNDArray(value, dtype);
        if (array.size != 1) throw new ValueError($"The default_value of FixedLenSequenceFeature '{key}' pads the rows and must be a scalar, got {array.size} values.");
        return array.Reshape(Shape.Scalar);
    }

    private static ParsedFeatures Result(Raw raw, (Tensor[] Indices, Tensor[] Values, Tensor[] Shapes, Tensor[] Dense) o)
    {
        var dense = raw.Dense.Select((d, i) => (d.Key, o.Dense[i])).ToDictionary(p => p.Key, p => p.Item2);
        var sparse = raw.Sparse.Select((s, i) => (s.Key, new SparseTensor(o.Indices[i], o.Values[i], o.Shapes[i]))).ToDictionary(p => p.Key, p => p.Item2);
        return new ParsedFeatures(dense, sparse);
    }

    /// <summary><c>tf.parse_example(serialized, features, name, example_names)</c>.</summary>
    public static ParsedFeatures ParseExample(TensorLike serialized, IReadOnlyDictionary<string, FeatureSpec> features, string? name, TensorLike? exampleNames)
    {
        var raw = RawParams(features, sequenceAllowed: true);
        return Result(raw, ParsingOps.ParseExample.Build(serialized, exampleNames, raw.Sparse, raw.Dense, name));
    }

    /// <summary><c>tf.parse_single_example(serialized, features, name)</c>.</summary>
    public static ParsedFeatures ParseSingleExample(TensorLike serialized, IReadOnlyDictionary<string, FeatureSpec> features, string? name)
    {
        var raw = RawParams(features, sequenceAllowed: true);
        return Result(raw, ParsingOps.ParseSingleExample.Build(serialized, raw.Sparse, raw.Dense, name));
    }

    /// <summary><c>tf.parse_single_sequence_example(serialized, context_features, sequence_features, example_name, name)</c>.</summary>
    public static (ParsedFeatures Context, ParsedFeatures Sequence) ParseSingleSequenceExample(TensorLike serialized,
        IReadOnlyDictionary<string, FeatureSpec>? contextFeatures, IReadOnlyDictionary<string, FeatureSpec>? sequenceFeatures, string? exampleName, string? name)
    {
        contextFeatures ??= new Dictionary<string, FeatureSpec>();
        sequenceFeatures ??= new Dictionary<string, FeatureSpec>();
        if (contextFeatures.Count == 0 && sequenceFeatures.Count == 0) throw new ValueError("Missing features.");
        var context = contextFeatures.Count == 0 ? new Raw([], []) : RawParams(contextFeatures, sequenceAllowed: false);
        var listSparse = new List<(string, DType)>();
        var listDense = new List<(string, DType, Shape, bool)>();
        foreach (var key in sequenceFeatures.Keys.Order(StringComparer.Ordinal))
        {
            switch (sequenceFeatures[key])
            {
                case VarLenFeature v: listSparse.Add((key, v.dtype)); break;
                case FixedLenSequenceFeature s:
                    if (s.default_value is not null) throw new ValueError($"FixedLenSequenceFeature '{key}' of a SequenceExample takes no default_value (use allow_missing).");
                    listDense.Add((key, s.dtype, s.shape, s.allow_missing));
                    break;
                case var other: throw new ValueError($"Unsupported {other?.GetType().Name ?? "null"} for sequence feature '{key}': use FixedLenSequenceFeature or VarLenFeature.");
            }
        }
        var o = ParsingOps.ParseSingleSequenceExample.Build(serialized, new(context.Sparse, context.Dense, listSparse, listDense), exampleName, name);
        var (ncs, ncd, nfs) = (context.Sparse.Count, context.Dense.Count, listSparse.Count);
        var at = 0;
        Tensor[] Take(int n) { var r = o[at..(at + n)]; at += n; return r; }
        var cIdx = Take(ncs); var cVal = Take(ncs); var cShp = Take(ncs); var cDense = Take(ncd);
        var fIdx = Take(nfs); var fVal = Take(nfs); var fShp = Take(nfs); var fDense = Take(listDense.Count);
        var ctx = new ParsedFeatures(
            context.Dense.Select((d, i) => (d.Key, cDense[i])).ToDictionary(p => p.Key, p => p.Item2),
            context.Sparse.Select((s, i) => (s.Key, new SparseTensor(cIdx[i], cVal[i], cShp[i]))).ToDictionary(p => p.Key, p => p.Item2));
        var seq = new ParsedFeatures(
            listDense.Select((d, i) => (d.Item1, fDense[i])).ToDictionary(p => p.Item1, p => p.Item2),
            listSparse.Select((s, i) => (s.Item1, new SparseTensor(fIdx[i], fVal[i], fShp[i]))).ToDictionary(p => p.Item1, p => p.Item2));
        return (ctx, seq);
    }
}
