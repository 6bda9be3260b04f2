namespace SharpFlow.Ops;

/// <summary>
/// Reads the small integer arguments ops take as tensors (axes, depths, shapes) with the checks TensorFlow's
/// kernels make, so a bad value is reported through the op's own error instead of an index or cast failure.
/// </summary>
internal static class OpValues
{
    /// <summary>The value of a one-element integer or float tensor.</summary>
    public static long Scalar(NDArray value, string name, Func<string, Exception> error)
    {
        if (value.size != 1) throw error($"{name} must be a scalar, not shape {value.shape.ToListString()}");
        return value.ToArray<long>()[0];
    }

    /// <summary>The value of a one-element tensor as a double.</summary>
    public static double ScalarDouble(NDArray value, string name, Func<string, Exception> error)
    {
        if (value.size != 1) throw error($"{name} must be a scalar, not shape {value.shape.ToListString()}");
        return value.ToArray<double>()[0];
    }

    /// <summary>An axis in [-rank, rank), made non-negative.</summary>
    public static int Axis(NDArray value, int rank, string name, Func<string, Exception> error)
    {
        var axis = Scalar(value, name, error);
        if (axis < -rank || axis >= rank) throw error($"Expected {name} in the range [{-rank}, {rank}), but got {axis}");
        return (int)(axis < 0 ? axis + rank : axis);
    }
}
