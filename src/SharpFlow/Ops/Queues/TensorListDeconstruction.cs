namespace SharpFlow;

/// <summary>
/// Unpacks a list of tensors as Python unpacks a tuple: <c>var (images, labels) = tf.train.batch([image, label], 32);</c>.
/// The list must have exactly as many tensors as there are variables.
/// </summary>
public static class TensorListDeconstruction
{
    /// <summary>Two tensors.</summary>
    public static void Deconstruct(this IReadOnlyList<Tensor> tensors, out Tensor first, out Tensor second)
    {
        Check(tensors, 2);
        (first, second) = (tensors[0], tensors[1]);
    }

    /// <summary>Three tensors.</summary>
    public static void Deconstruct(this IReadOnlyList<Tensor> tensors, out Tensor first, out Tensor second, out Tensor third)
    {
        Check(tensors, 3);
        (first, second, third) = (tensors[0], tensors[1], tensors[2]);
    }

    /// <summary>Four tensors.</summary>
    public static void Deconstruct(this IReadOnlyList<Tensor> tensors, out Tensor first, out Tensor second, out Tensor third, out Tensor fourth)
    {
        Check(tensors, 4);
        (first, second, third, fourth) = (tensors[0], tensors[1], tensors[2], tensors[3]);
    }

    private static void Check(IReadOnlyList<Tensor> tensors, int count)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count != count) throw new ValueError($"too many values to unpack (expected {count}, got {tensors.Count})");
    }
}
