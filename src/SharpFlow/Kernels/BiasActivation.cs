using System.Numerics;
using System.Numerics.Tensors;

namespace SharpFlow.Kernels;

/// <summary>The activation a fused op (<c>_FusedMatMul</c>, <c>_FusedConv2D</c>) applies after its bias.</summary>
public enum FusedActivation
{
    /// <summary>Bias only.</summary>
    None,

    /// <summary>max(x, 0).</summary>
    Relu,

    /// <summary>min(max(x, 0), 6).</summary>
    Relu6,

    /// <summary>x where x &gt; 0, e^x - 1 elsewhere.</summary>
    Elu,

    /// <summary>tanh(x).</summary>
    Tanh,

    /// <summary>1 / (1 + e^-x).</summary>
    Sigmoid,
}

/// <summary>
/// The epilogue of the fused ops: the bias added along the last axis and the activation applied, in place on the
/// product a GEMM or convolution just wrote, block by block while each block is in cache. It performs the same
/// float operations per element as BiasAdd's kernel followed by the activation's, so fused and separate results are
/// bitwise the same. Tanh and Sigmoid, whose vectorised forms round their last elements differently, are left to
/// the caller (the activation's own kernel over the whole tensor).
/// </summary>
public static class BiasActivation
{
    /// <summary>True for the activations <see cref="Apply{T}"/> applies itself.</summary>
    public static bool AppliesInBlocks(FusedActivation activation) => activation is FusedActivation.None or FusedActivation.Relu or FusedActivation.Relu6 or FusedActivation.Elu;

    /// <summary>
    /// <c>y[r, c] = act(y[r, c] + bias[c])</c> in place, for an activation <see cref="AppliesInBlocks"/> takes (for
    /// Tanh and Sigmoid: the bias only).
    /// </summary>
    public static unsafe void Apply<T>(Span<T> y, ReadOnlySpan<T> bias, FusedActivation activation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c = bias.Length;
        if (c == 0 || y.Length == 0) return;
        if (y.Length % c != 0) throw new ArgumentException($"bias add: {y.Length} elements are not rows of {c}");
        var rowsPerBlock = Math.Max(1, 2048 / c);
        var block = rowsPerBlock * c;
        var pattern = System.Buffers.ArrayPool<T>.Shared.Rent(block);
        for (var r = 0; r < rowsPerBlock; r++) bias.CopyTo(pattern.AsSpan(r * c));
        var blocks = (y.Length + block - 1) / block;
        fixed (T* py = y)
        {
            Partition.For(blocks, block, (Y: (nint)py, N: y.Length, Pattern: pattern, Block: block, Activation: activation),
                static (in (nint Y, int N, T[] Pattern, int Block, FusedActivation Activation) p, int s, int e) =>
                {
                    for (var i = s; i < e; i++)
                    {
                        var start = i * p.Block;
                        var length = Math.Min(p.Block, p.N - start);
                        var span = new Span<T>((T*)p.Y + start, length);
                        TensorPrimitives.Add(span, p.Pattern.AsSpan(0, length), span);
                        switch (p.Activation)
                        {
                            case FusedActivation.Relu: ReluOperator.Invoke<T>(span, span); break;
                            case FusedActivation.Relu6: Relu6Operator.Invoke<T>(span, span); break;
                            case FusedActivation.Elu: EluOperator.Invoke<T>(span, span); break;
                        }
                    }
                });
        }
        System.Buffers.ArrayPool<T>.Shared.Return(pattern);
    }
}
