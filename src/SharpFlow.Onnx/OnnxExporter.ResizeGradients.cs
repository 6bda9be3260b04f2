using SharpFlow.Framework;

namespace SharpFlow.Onnx;

/// <summary>
/// The exporter's resize gradients of training graphs: ResizeBilinearGrad and ResizeNearestNeighborGrad, each the
/// adjoint of a resize that is separable into rows and columns: two MatMuls by constant matrices.
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>
    /// The resize's matrix along one axis, <c>[resized, original]</c>: the weight of each original index in each
    /// resized one, by TensorFlow's rules (scale <c>original/resized</c>, or <c>(original − 1)/(resized − 1)</c> when
    /// aligning corners; the source coordinate <c>i·scale</c>, or with half-pixel centers <c>(i + 0.5)·scale − 0.5</c>
    /// for bilinear and <c>(i + 0.5)·scale</c> for nearest), in float32 as the kernels compute it.
    /// </summary>
    private static double[] ResizeMatrix(int original, int resized, bool bilinear, bool alignCorners, bool halfPixelCenters)
    {
        var scale = alignCorners && resized > 1 ? (original - 1) / (float)(resized - 1) : original / (float)resized;
        var m = new double[resized * original];
        for (var i = 0; i < resized; i++)
        {
            if (bilinear)
            {
                var source = halfPixelCenters ? (i + 0.5f) * scale - 0.5f : i * scale;
                var floor = MathF.Floor(source);
                var lerp = source - floor;
                m[i * original + System.Math.Max((int)floor, 0)] += 1 - lerp;
                m[i * original + System.Math.Min((int)MathF.Ceiling(source), original - 1)] += lerp;
                continue;
            }
            var nearest = halfPixelCenters ? (i + 0.5f) * scale : i * scale;
            var k = alignCorners ? (long)MathF.Round(nearest, MidpointRounding.AwayFromZero) : (long)MathF.Floor(nearest);
            if (halfPixelCenters) k = System.Math.Max(0, k);
            m[i * original + (int)System.Math.Min(k, original - 1)] = 1;
        }
        return m;
    }

    /// <summary>
    /// ResizeBilinearGrad(grads, original_image) and ResizeNearestNeighborGrad(grads, size): each resized pixel's
    /// gradient goes back to the original pixels it was read from with the resize's weights, row and column apart:
    /// <c>dx = Aᵀ_rows · dy · A_columns</c> on NCHW values, the matrices constants of the static sizes (the
    /// original's from original_image's shape, the op's or the constant size). Bilinear's float32 gradient is cast
    /// to original_image's dtype.
    /// </summary>
    private void ResizeGradOp(Operation op, string y)
    {
        var bilinear = op.type == "ResizeBilinearGrad";
        var grads = op.inputs[0].shape;
        if (!grads.IsKnownRank || grads.ndims != 4 || grads[1] < 0 || grads[2] < 0)
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: the spatial sizes of its grads are unknown ({grads}); its matrices need them.", op.name);
        var known = op.outputs[0].shape;
        int[] original = known.IsKnownRank && known[1] >= 0 && known[2] >= 0 ? [known[1], known[2]]
            : bilinear ? throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: the spatial sizes of its original_image are unknown ({known}); its matrices need them.", op.name)
            : ConstantOf(op, 1, "size").Cast(DType.int32).ToArray<int>();
        bool Flag(string name) => op.attrs.TryGetValue(name, out var v) && v is true;
        var (align, half) = (Flag("align_corners"), Flag("half_pixel_centers"));
        var dtype = op.inputs[0].dtype;
        var rows = ResizeMatrix(original[0], grads[1], bilinear, align, half);
        var transposed = new double[rows.Length];
        for (var i = 0; i < grads[1]; i++)
            for (var j = 0; j < original[0]; j++) transposed[j * grads[1] + i] = rows[i * original[0] + j];
        var rowsT = Initializer($"{op.name}/rows_{_counter++}", NDArray.FromFlat(transposed, new Shape(original[0], grads[1])).Cast(dtype));
        var columns = Initializer($"{op.name}/columns_{_counter++}", NDArray.FromFlat(ResizeMatrix(original[1], grads[2], bilinear, align, half), new Shape(grads[2], original[1])).Cast(dtype));
        var nchw = ApplyWith("Transpose", [In(op, 0)], ("perm", ToNchw));
        var spread = Apply("MatMul", Apply("MatMul", rowsT, nchw), columns);
        if (op.outputs[0].dtype == dtype) Node("Transpose", [spread], [y], ("perm", ToNhwc));
        else Node("Cast", [ApplyWith("Transpose", [spread], ("perm", ToNhwc))], [y], ("to", (long)DataTypeOf(op.outputs[0].dtype, op)));
    }
}
