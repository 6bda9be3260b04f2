namespace SharpFlow.Keras.Engine;

/// <summary>
/// The number of elements of a <c>tf.data</c> dataset as TensorFlow's <c>cardinality</c> gives it, read from the
/// dataset ops that built it: <see cref="Infinite"/> for a <c>repeat()</c> without count, <see cref="Unknown"/>
/// where it depends on the data (filter, flat_map, the file datasets, a map without
/// <c>preserve_cardinality</c>) or on a value not known when the graph is built.
/// </summary>
internal static class DatasetCardinality
{
    public const long Infinite = -1;
    public const long Unknown = -2;

    public static long Of(Tensor variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        var op = variant.op;
        long Input(int i) => Of(op.inputs[i]);
        switch (op.type)
        {
            case "TensorDataset":
                return 1;
            case "TensorSliceDataset":
                {
                    var n = op.inputs.Count > 0 && op.inputs[0].shape is { IsKnownRank: true, ndims: > 0 } s ? s[0] : -1;
                    return n >= 0 ? n : Unknown;
                }
            case "RangeDataset":
                {
                    if (Const(op.inputs[0]) is not { } start || Const(op.inputs[1]) is not { } stop || Const(op.inputs[2]) is not { } step || step == 0) return Unknown;
                    var count = step > 0 ? (stop - start + step - 1) / step : (start - stop - step - 1) / -step;
                    return Math.Max(0, count);
                }
            case "RepeatDataset":
                {
                    var n = Input(0);
                    if (Const(op.inputs[1]) is not { } count) return Unknown;
                    if (count < 0) return n == 0 ? 0 : Infinite;
                    if (count == 0) return 0;
                    if (n is Infinite or Unknown) return n;
                    return n * count;
                }
            case "TakeDataset":
                {
                    var n = Input(0);
                    if (Const(op.inputs[1]) is not { } count) return Unknown;
                    if (count < 0) return n;
                    if (n == Infinite) return count;
                    if (n == Unknown) return Unknown;
                    return Math.Min(n, count);
                }
            case "SkipDataset":
                {
                    var n = Input(0);
                    if (n is Infinite or Unknown) return n;
                    if (Const(op.inputs[1]) is not { } count) return Unknown;
                    return count < 0 ? 0 : Math.Max(0, n - count);
                }
            case "BatchDataset" or "BatchDatasetV2" or "PaddedBatchDataset" or "PaddedBatchDatasetV2":
                {
                    var n = Input(0);
                    if (n is Infinite or Unknown) return n;
                    if (Const(op.inputs[1]) is not { } batch || batch <= 0) return Unknown;
                    var drop = op.type.EndsWith("V2", StringComparison.Ordinal) ? ConstBool(op.inputs[^1]) : false;
                    if (drop is null) return Unknown;
                    return n / batch + (drop.Value || n % batch == 0 ? 0 : 1);
                }
            case "ShuffleDataset" or "ShuffleDatasetV2" or "PrefetchDataset" or "CacheDataset" or "CacheDatasetV2":
                return Input(0);
            case "MapDataset" or "ParallelMapDataset":
                return op.attrs.TryGetValue("preserve_cardinality", out var p) && p is true ? Input(0) : Unknown;
            case "ZipDataset":
                {
                    long result = Infinite;
                    for (var i = 0; i < op.inputs.Count; i++)
                    {
                        var n = Input(i);
                        if (n == Unknown) return Unknown;
                        if (n != Infinite) result = result == Infinite ? n : Math.Min(result, n);
                    }
                    return result;
                }
            case "ConcatenateDataset":
                {
                    long a = Input(0), b = Input(1);
                    if (a == Infinite || b == Infinite) return Infinite;
                    if (a == Unknown || b == Unknown) return Unknown;
                    return a + b;
                }
            default:
                return Unknown;
        }
    }

    private static long? Const(Tensor t) =>
        t.op.Def.ConstantValue(t.op, t.value_index) is { size: 1 } v ? v.Cast(DType.int64).ToArray<long>()[0] : null;

    private static bool? ConstBool(Tensor t) =>
        t.op.Def.ConstantValue(t.op, t.value_index) is { size: 1 } v ? v.Cast(DType.@bool).ToArray<bool>()[0] : null;
}
