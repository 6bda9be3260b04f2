using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>ONNX's convolutions, pooling, normalizations and resizing, imported, give ONNX Runtime's outputs.</summary>
public sealed class OnnxSpatialTests
{
    [Fact]
    public void ConvolutionsIn1D2D3DWithGroupsStridesDilationsAndAutoPad()
    {
        Agrees("Conv", 13, [("strides", new[] { 2, 2 }), ("dilations", new[] { 2, 2 }), ("pads", new[] { 1, 1, 1, 1 })], [F(1, 1, 2, 9, 9), Const(F(2, 3, 2, 3, 3))], tolerance: 1e-4);
        Agrees("Conv", 13, [("group", 2)], [F(3, 1, 4, 6, 6), Const(F(4, 6, 2, 3, 3)), Const(F(5, 6))], tolerance: 1e-4);
        Agrees("Conv", 13, [("group", 3), ("strides", new[] { 2, 1 })], [F(3, 1, 3, 6, 6), Const(F(4, 6, 1, 3, 3))], tolerance: 1e-4);
        foreach (var pad in new[] { "SAME_UPPER", "SAME_LOWER", "VALID" })
            Agrees("Conv", 13, [("auto_pad", pad), ("strides", new[] { 2, 2 })], [F(6, 1, 2, 7, 8), Const(F(7, 3, 2, 2, 3))], tolerance: 1e-4);
        Agrees("Conv", 13, [("strides", new[] { 2 }), ("pads", new[] { 2, 1 }), ("dilations", new[] { 2 })], [F(8, 2, 3, 11), Const(F(9, 4, 3, 3))], tolerance: 1e-4);
        Agrees("Conv", 13, [("group", 2), ("auto_pad", "SAME_UPPER")], [F(8, 2, 4, 9), Const(F(9, 4, 2, 3))], tolerance: 1e-4);
        Agrees("Conv", 13, [("pads", new[] { 1, 0, 1, 0, 1, 1 })], [F(10, 1, 2, 4, 5, 5), Const(F(11, 3, 2, 2, 3, 3)), Const(F(12, 3))], tolerance: 1e-4);
        // A filter given as a graph input.
        Agrees("Conv", 13, [("pads", new[] { 1, 1, 1, 1 })], [F(13, 1, 2, 5, 5), F(14, 3, 2, 3, 3)], tolerance: 1e-4, dynamicBatch: false);
    }

    [Fact]
    public void ConvTransposeWithStridesPadsOutputPaddingAndGroups()
    {
        Agrees("ConvTranspose", 13, [("strides", new[] { 2, 2 })], [F(15, 1, 2, 4, 4), Const(F(16, 2, 3, 3, 3))], tolerance: 1e-4);
        Agrees("ConvTranspose", 13, [("strides", new[] { 2, 2 }), ("pads", new[] { 1, 1, 1, 1 }), ("output_padding", new[] { 1, 1 })], [F(15, 1, 2, 4, 4), Const(F(16, 2, 3, 3, 3)), Const(F(17, 3))], tolerance: 1e-4);
        Agrees("ConvTranspose", 13, [("strides", new[] { 3 }), ("dilations", new[] { 2 })], [F(18, 2, 2, 5), Const(F(19, 2, 2, 3))], tolerance: 1e-4);
        Agrees("ConvTranspose", 13, [("group", 2), ("strides", new[] { 2, 1 })], [F(20, 1, 4, 3, 3), Const(F(21, 4, 1, 2, 2))], tolerance: 1e-4);
        Agrees("ConvTranspose", 13, [("strides", new[] { 2, 2 }), ("output_shape", new[] { 9, 9 })], [F(15, 1, 2, 4, 4), Const(F(16, 2, 3, 3, 3))], tolerance: 1e-4);
    }

    [Fact]
    public void PoolingIn1D2D3DWithCeilModeAndPadding()
    {
        foreach (var op in new[] { "MaxPool", "AveragePool", "LpPool" })
        {
            Agrees(op, 18, [("kernel_shape", new[] { 3, 3 }), ("strides", new[] { 2, 2 }), ("pads", new[] { 1, 0, 1, 1 })], [F(22, 1, 2, 8, 7)]);
            Agrees(op, 18, [("kernel_shape", new[] { 3 }), ("strides", new[] { 2 })], [F(23, 2, 3, 9)]);
            Agrees(op, 18, [("kernel_shape", new[] { 2, 2, 2 }), ("strides", new[] { 1, 2, 2 })], [F(24, 1, 2, 3, 4, 5)]);
            Agrees(op, 18, [("kernel_shape", new[] { 3, 3 }), ("auto_pad", "SAME_LOWER"), ("strides", new[] { 2, 2 })], [F(25, 1, 2, 6, 7)]);
            if (op != "LpPool")
                Agrees(op, 18, [("kernel_shape", new[] { 3, 3 }), ("strides", new[] { 2, 2 }), ("ceil_mode", 1)], [F(26, 1, 2, 8, 8)]);
        }
        Agrees("AveragePool", 18, [("kernel_shape", new[] { 3, 3 }), ("strides", new[] { 2, 2 }), ("pads", new[] { 1, 1, 1, 1 }), ("ceil_mode", 1), ("count_include_pad", 1)], [F(27, 1, 2, 8, 8)]);
        Agrees("AveragePool", 18, [("kernel_shape", new[] { 3 }), ("pads", new[] { 1, 2 }), ("count_include_pad", 1)], [F(28, 1, 2, 8)]);
        Agrees("GlobalAveragePool", 13, [], [F(29, 2, 3, 4, 5, 2)]);
        Agrees("GlobalMaxPool", 13, [], [F(29, 2, 3, 7)]);
        Agrees("GlobalLpPool", 13, [("p", 3)], [F(29, 2, 3, 4, 5)]);
    }

    [Fact]
    public void Normalizations()
    {
        var x = F(30, 2, 4, 3, 5);
        Agrees("InstanceNormalization", 13, [("epsilon", 1e-3f)], [x, Const(F(31, 4)), Const(F(32, 4))], tolerance: 1e-4);
        Agrees("InstanceNormalization", 13, [], [F(33, 2, 3, 6), Const(F(31, 3)), Const(F(32, 3))], tolerance: 1e-4);
        Agrees("LayerNormalization", 17, [], [x, Const(F(34, 5)), Const(F(35, 5))], tolerance: 1e-4);
        Agrees("LayerNormalization", 17, [("axis", 1), ("epsilon", 1e-3f)], [x, Const(F(36, 4, 3, 5))], outputs: 3, tolerance: 1e-4);
        Agrees("GroupNormalization", 21, [("num_groups", 2)], [x, Const(F(37, 4)), Const(F(38, 4))], tolerance: 1e-4);
        Agrees("LpNormalization", 13, [], [x]);
        Agrees("LpNormalization", 13, [("axis", 1), ("p", 1)], [x]);
        Agrees("MeanVarianceNormalization", 13, [], [x], tolerance: 1e-4);
        Agrees("LRN", 13, [("size", 3)], [x]);
        Agrees("LRN", 13, [("size", 5), ("alpha", 0.01f), ("beta", 0.5f), ("bias", 2f)], [x]);
        Agrees("BatchNormalization", 15, [("epsilon", 1e-3f)], [F(39, 2, 3, 4), Const(F(40, 3)), Const(F(41, 3)), Const(F(42, 3)), Const(Uniform(43, 0.5, 1, 3))], tolerance: 1e-4);
    }

    [Fact]
    public void ResizeInEveryModeAndCoordinateTransformation()
    {
        var x = F(44, 1, 2, 4, 5);
        var up = Const(NDArray.FromFlat(new[] { 1f, 1f, 2f, 1.5f }, new Shape(4)));
        var down = Const(NDArray.FromFlat(new[] { 1f, 1f, 0.5f, 0.6f }, new Shape(4)));
        foreach (var transform in new[] { "half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric", "half_pixel_symmetric" })
        {
            foreach (var nearest in new[] { "round_prefer_floor", "round_prefer_ceil", "floor", "ceil" })
                Agrees("Resize", 19, [("mode", "nearest"), ("coordinate_transformation_mode", transform), ("nearest_mode", nearest)], [x, None, up]);
            Agrees("Resize", 19, [("mode", "linear"), ("coordinate_transformation_mode", transform)], [x, None, up]);
            Agrees("Resize", 19, [("mode", "linear"), ("coordinate_transformation_mode", transform)], [x, None, down]);
            Agrees("Resize", 19, [("mode", "cubic"), ("coordinate_transformation_mode", transform)], [x, None, up], tolerance: 1e-4);
        }
        Agrees("Resize", 19, [("mode", "cubic"), ("exclude_outside", 1), ("cubic_coeff_a", -0.5f)], [x, None, up], tolerance: 1e-4);
        Agrees("Resize", 13, [("mode", "linear")], [x, None, None, Const(L(1, 2, 7, 3))], dynamicBatch: false);
        Agrees("Resize", 18, [("mode", "nearest"), ("axes", new[] { 3, 2 })], [x, None, Const(NDArray.FromFlat(new[] { 2f, 3f }, new Shape(2)))]);
        Agrees("Resize", 10, [("mode", "nearest")], [x, up]);
        Agrees("Upsample", 9, [("mode", "nearest")], [x, up]);
        Agrees("Upsample", 9, [("mode", "linear")], [x, up]);
    }
}
