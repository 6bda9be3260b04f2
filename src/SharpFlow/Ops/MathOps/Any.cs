using System.Runtime.InteropServices;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Any: the logical or of a bool tensor over the given axes (false for an empty reduction).</summary>
internal sealed class Any : ReductionOp
{
    public static readonly Any Def = new();

    public override string Type => "Any";

    protected override bool HasTypeAttr => false;

    public override bool NotDifferentiable => true;

    protected override bool Accepts(DType dtype) => dtype == DType.@bool;

    protected override void Compute(NDArray x, bool[] reduce, NDArray z)
    {
        // Booleans are bytes 0 and 1: the logical or is their Max, and an empty reduction's identity becomes false.
        var output = MemoryMarshal.Cast<bool, byte>(z.AsSpan<bool>());
        Reduction.Reduce<byte, MaxReducer>(MemoryMarshal.Cast<bool, byte>(x.AsReadOnlySpan<bool>()), x.shape.AsSpan(), reduce, output);
        for (var i = 0; i < output.Length; i++) output[i] = output[i] != 0 ? (byte)1 : (byte)0;
    }

    /// <summary><c>tf.reduce_any</c>.</summary>
    public static Tensor Build(TensorLike input, TensorLike? axis = null, bool keepDims = false, string? name = null) =>
        Def.Apply(input, axis, keepDims, name, "Any");
}
