namespace SharpFlow.Ops.ArrayOps;

/// <summary>The index rows of GatherNd and ScatterNd: each row of the innermost dimension names one slice of a shape.</summary>
internal static class NdIndices
{
    /// <summary>
    /// The slice number (row-major over the first r dimensions of <paramref name="shape"/>) of every index row,
    /// or TensorFlow's error for a row outside the shape: <c>indices[1] = [5, 0] does not index into param shape [3,2]</c>.
    /// </summary>
    public static int[] Offsets(NDArray indices, Shape shape, string indicesName, string shapeName, Func<string, Exception> error)
    {
        var r = indices.shape[indices.shape.ndims - 1];
        var rows = checked((int)indices.shape.Dims[..^1].Aggregate(1L, (a, d) => a * d));
        var values = indices.ToArray<long>();
        var dims = shape.AsSpan();
        var result = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            long flat = 0;
            for (var k = 0; k < r; k++)
            {
                var v = values[i * r + k];
                if (v < 0 || v >= dims[k])
                {
                    var row = string.Join(", ", values.AsSpan(i * r, r).ToArray());
                    throw error($"{indicesName}{GatherV2.Coordinates(i, Shape.Own(indices.shape.Dims[..^1]))} = [{row}] does not index into {shapeName} {shape.ToListString()}");
                }
                flat = flat * dims[k] + v;
            }
            result[i] = checked((int)flat);
        }
        return result;
    }
}
