using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// TensorFlow's <c>_slice_helper</c> (<c>tensor[slice_spec]</c>): one begin/end/stride triple per index, with the
/// masks that say which bounds are absent, which index is an ellipsis, a new axis or a single element; the
/// triples are stacked into three vectors and passed to a StridedSlice named <c>strided_slice</c>.
/// </summary>
internal static class SliceHelper
{
    public static Tensor Apply(Tensor tensor, object?[]? slices)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        // Python's None is tf.newaxis: x[null] (C# passes a null array) and x[null, ..] insert a dimension.
        slices ??= [SliceMarker.NewAxis];
        // Indices given as int64 tensors make every vector int64, as TensorFlow casts them.
        var wide = slices.Any(s => s is Tensor { dtype.Id: DataType.Int64 }
                                   || (s is SliceSpec sp && new[] { sp.start, sp.stop, sp.step }.Any(v => v?.Value is Tensor { dtype.Id: DataType.Int64 })));
        TensorLike Number(long v) => wide ? (TensorLike)v : (TensorLike)checked((int)v);
        TensorLike Bound(TensorLike v) => v.Value switch
        {
            Tensor t => Checked(t),
            int i => Number(i),
            long l => Number(l),
            _ => throw IndexError(v.Value),
        };

        var (begin, end, strides) = (new List<TensorLike>(), new List<TensorLike>(), new List<TensorLike>());
        int beginMask = 0, endMask = 0, ellipsisMask = 0, newAxisMask = 0, shrinkMask = 0;
        for (var index = 0; index < slices.Length; index++)
        {
            var bit = 1 << index;
            switch (slices[index])
            {
                case System.Range r:
                    // C#'s 0.. and .. cannot be told apart; a begin mask gives Python's x[:n] for both.
                    if (!r.Start.IsFromEnd && r.Start.Value == 0) { begin.Add(Number(0)); beginMask |= bit; }
                    else begin.Add(Number(r.Start.IsFromEnd ? (r.Start.Value == 0 ? int.MaxValue : -r.Start.Value) : r.Start.Value));
                    if (r.End.IsFromEnd && r.End.Value == 0) { end.Add(Number(0)); endMask |= bit; }
                    else end.Add(Number(r.End.IsFromEnd ? -r.End.Value : r.End.Value));
                    strides.Add(Number(1));
                    break;
                case SliceSpec s:
                    if (s.start is { } start) begin.Add(Bound(start)); else { begin.Add(Number(0)); beginMask |= bit; }
                    if (s.stop is { } stop) end.Add(Bound(stop)); else { end.Add(Number(0)); endMask |= bit; }
                    strides.Add(s.step is { } step ? Bound(step) : Number(1));
                    break;
                case null:
                case SliceMarker:
                    begin.Add(Number(0));
                    end.Add(Number(0));
                    strides.Add(Number(1));
                    if (ReferenceEquals(slices[index], SliceMarker.Ellipsis)) ellipsisMask |= bit; else newAxisMask |= bit;
                    break;
                case Tensor t:
                    begin.Add(Checked(t));
                    end.Add(t + 1);
                    strides.Add(Number(1));
                    shrinkMask |= bit;
                    break;
                default:
                    var i = slices[index] switch
                    {
                        int v => v,
                        long v => v,
                        Index x => x.IsFromEnd ? (x.Value == 0 ? int.MaxValue : -(long)x.Value) : x.Value,
                        var other => throw IndexError(other),
                    };
                    begin.Add(Number(i));
                    end.Add(Number(i + 1));
                    strides.Add(Number(1));
                    shrinkMask |= bit;
                    break;
            }
        }

        var inputs = new List<TensorLike> { tensor };
        inputs.AddRange(begin.Concat(end).Concat(strides).Where(v => v.Value is Tensor));
        using var b = OpBuilder.Begin(null, "strided_slice", [.. inputs]);
        Tensor packedBegin, packedEnd, packedStrides;
        if (begin.Count > 0)
        {
            packedBegin = Pack.Build(begin, 0, "stack");
            packedEnd = Pack.Build(end, 0, "stack");
            packedStrides = Pack.Build(strides, 0, "stack");
        }
        else packedBegin = packedEnd = packedStrides = Const.Create(b.Graph, NDArray.FromFlat(System.Array.Empty<int>(), new Shape(0)));
        return StridedSlice.Create(b, b.Convert(tensor, "input"), packedBegin, packedEnd, packedStrides,
            new StridedSliceSpec.Masks(beginMask, endMask, ellipsisMask, newAxisMask, shrinkMask));
    }

    private static Tensor Checked(Tensor t) =>
        t.dtype == DType.int32 || t.dtype == DType.int64 ? t : throw IndexError(t);

    private static TypeError IndexError(object? value) =>
        new("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar tf.int32/tf.int64 tensors are valid indices, " +
            $"got {(value is Tensor t ? t.ToString() : value?.ToString() ?? "None")}");
}
