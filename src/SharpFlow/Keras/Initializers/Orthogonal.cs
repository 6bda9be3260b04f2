namespace SharpFlow.Keras.Initializers;

/// <summary>
/// <c>tf.keras.initializers.Orthogonal(gain, seed)</c> (TensorFlow's <c>init_ops.Orthogonal</c>): the Q factor of
/// a matrix of standard normals, shaped <c>[prod(shape[:-1]), shape[-1]]</c> (transposed when it is wide), its
/// columns signed so R's diagonal is positive, times <c>gain</c>. The recurrent kernels' default. The factor is
/// computed when the graph is built (modified Gram–Schmidt) and enters the graph as a constant; with a graph seed
/// (or <paramref name="seed"/>) it is reproducible.
/// </summary>
public sealed class Orthogonal(double gain = 1.0, int? seed = null) : Initializer
{
    /// <summary>The scale.</summary>
    public double gain { get; } = gain;

    /// <summary>The seed, or null for the graph's.</summary>
    public int? seed { get; } = seed;

    /// <inheritdoc />
    public override Tensor Call(Shape shape, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (!shape.IsFullyDefined || shape.ndims < 2)
            throw new ValueError("The tensor to initialize must be at least two-dimensional");
        var dims = shape.Dims;
        var rows = dims[..^1].Aggregate(1, (a, d) => checked(a * d));
        var cols = dims[^1];
        var (m, n) = rows < cols ? (cols, rows) : (rows, cols);
        var graph = Graph.get_default();
        var rng = seed is { } s ? new Random(s)
            : graph.seed is { } gs ? new Random(unchecked(gs * 1000003 + graph.LastId)) : new Random();
        var a = new double[m, n];
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                var u1 = 1.0 - rng.NextDouble();
                var u2 = rng.NextDouble();
                a[i, j] = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            }
        // Modified Gram–Schmidt on the columns: Q with R's diagonal (the norms) positive, as q *= sign(diag(r)).
        for (var j = 0; j < n; j++)
        {
            for (var k = 0; k < j; k++)
            {
                double dot = 0;
                for (var i = 0; i < m; i++) dot += a[i, k] * a[i, j];
                for (var i = 0; i < m; i++) a[i, j] -= dot * a[i, k];
            }
            double norm = 0;
            for (var i = 0; i < m; i++) norm += a[i, j] * a[i, j];
            norm = Math.Sqrt(norm);
            for (var i = 0; i < m; i++) a[i, j] = norm > 0 ? a[i, j] / norm : 0;
        }
        var flat = new double[rows * cols];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
                flat[r * cols + c] = gain * (rows < cols ? a[c, r] : a[r, c]);
        var value = NDArray.FromFlat(flat, shape).Cast(dtype ?? this.dtype);
        return Ops.ArrayOps.Const.Create(graph, value, "Const");
    }
}
