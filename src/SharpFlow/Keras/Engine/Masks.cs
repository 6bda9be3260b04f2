using System.Runtime.CompilerServices;

namespace SharpFlow.Keras.Engine;

/// <summary>
/// Keras's <c>_keras_mask</c>: a boolean <c>[batch, time]</c> tensor attached to a layer's output tensor by a layer
/// that makes a mask (<c>Embedding(mask_zero: true)</c>, <c>Masking</c>) and read by the layers that use one (the
/// recurrent layers skip the masked steps), or passed on by those that keep the time axis.
/// </summary>
public static class KerasMasks
{
    private static readonly ConditionalWeakTable<Tensor, Tensor> Table = [];

    /// <summary>The mask attached to <paramref name="tensor"/>, or null.</summary>
    public static Tensor? Get(Tensor tensor) => tensor is not null && Table.TryGetValue(tensor, out var m) ? m : null;

    /// <summary>Attaches <paramref name="mask"/> to <paramref name="tensor"/> (nothing when null).</summary>
    public static void Set(Tensor tensor, Tensor? mask)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (mask is null) Table.Remove(tensor); else Table.AddOrUpdate(tensor, mask);
    }
}
