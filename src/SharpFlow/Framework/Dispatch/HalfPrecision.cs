namespace SharpFlow.Framework.Dispatch;

/// <summary>
/// float16 runs as TensorFlow's CPU kernels run Eigen's half: the inputs widened to float32, the float32 kernel, the
/// result rounded to half (to nearest even) once.
/// </summary>
internal static class HalfPrecision
{
    /// <summary><paramref name="d"/> (float16) = <paramref name="kernel"/>(<paramref name="x"/> as float32).</summary>
    public static void ViaFloat32(NDArray x, NDArray d, Action<NDArray, NDArray> kernel)
    {
        var wide = NDArray.Zeros(DType.float32, d.shape);
        kernel(x.Cast(DType.float32), wide);
        CastKernel.Cast(wide, d);
    }

    /// <summary><paramref name="d"/> (float16) = <paramref name="kernel"/>(<paramref name="x"/>, <paramref name="y"/> as float32).</summary>
    public static void ViaFloat32(NDArray x, NDArray y, NDArray d, Action<NDArray, NDArray, NDArray> kernel)
    {
        var wide = NDArray.Zeros(DType.float32, d.shape);
        kernel(x.Cast(DType.float32), y.Cast(DType.float32), wide);
        CastKernel.Cast(wide, d);
    }
}
