using System.Runtime.InteropServices;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>All: the logical and of a bool tensor over the given axes (true for an empty reduction).</summary>
internal sealed class All : ReductionOp
{
    public static readonly All Def = new();

    public override string Type => "All";

    protected override bool HasTypeAttr => false;

    public override bool NotDifferentiable => true;

    protected override bool Accepts(DType dtype) => dtype == DType.@bool;

    protected override void Compute(NDArray x, bool[] reduce, NDArray z)
    {
        // Booleans are bytes 0 and 1: the logical and is their Min, and an empty reduction's identity becomes true.
        var output = MemoryMarshal.Cast<bool, byte>(z.AsSpan<bool>());
        Reduction.Reduce<byte, MinReducer>(MemoryMarshal.Cast<bool, byte>(x.AsReadOnlySpan<bool>()), x.shape.AsSpan(), reduce, output);
        for (var i = 0; i < output.Length; i++) output[i] = output[i] != 0 ? (byte)1 : (byte)0;
    }

    /// <summary><c>tf.reduce_all</c>.</summary>
    public static Tensor Build(TensorLike input, TensorLike? axis = null, bool keepDims = false, string? name = null) =>
        Def.Apply(input, axis, keepDims, name, "All");
}
