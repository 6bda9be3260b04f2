namespace SharpFlow.Tests.Gradients;

/// <summary>
/// The image ops' gradients (python/ops/image_grad.py) and the differentiable tf.image compositions. The float32
/// resizes and crops are cast back to float64, so their finite differences carry float32 rounding (tolerance 1e-3).
/// </summary>
public static partial class GradientCases
{
    private static IEnumerable<GradientCase> ImagesCases()
    {
        // The other areas start from the seed this area found: it is put back at the end.
        var start = _seed;
        var image = new Shape(2, 4, 5, 2);
        yield return C("image", "resize_nearest_neighbor up", x => tf.image.resize_nearest_neighbor(x[0], new[] { 7, 9 }), U(image));
        yield return C("image", "resize_nearest_neighbor down, align_corners", x => tf.image.resize_nearest_neighbor(x[0], new[] { 3, 2 }, align_corners: true), U(image));
        yield return C("image", "resize_nearest_neighbor half_pixel_centers", x => tf.image.resize_nearest_neighbor(x[0], new[] { 6, 3 }, half_pixel_centers: true), U(image));
        yield return C("image", "resize_bilinear", x => tf.cast(tf.image.resize_bilinear(x[0], new[] { 6, 7 }), tf.float64), U(image)) with { Tolerance = 1e-3 };
        yield return C("image", "resize_bilinear align_corners", x => tf.cast(tf.image.resize_bilinear(x[0], new[] { 3, 3 }, align_corners: true), tf.float64), U(image)) with { Tolerance = 1e-3 };
        yield return C("image", "resize_bicubic", x => tf.cast(tf.image.resize_bicubic(x[0], new[] { 6, 7 }), tf.float64), U(image)) with { Tolerance = 1e-3 };
        yield return C("image", "resize_bicubic align_corners down", x => tf.cast(tf.image.resize_bicubic(x[0], new[] { 3, 3 }, align_corners: true), tf.float64), U(image)) with { Tolerance = 1e-3 };
        // Boxes whose samples keep away from whole pixels, where bilinear sampling has kinks.
        var boxes = NDArray.FromFlat(new double[] { 0.1, 0.15, 0.8, 0.9, 0.2, 0.3, 0.65, 0.72 }, new Shape(2, 4));
        yield return C("image", "crop_and_resize bilinear (image and boxes)",
            x => tf.cast(tf.image.crop_and_resize(x[0], tf.cast(x[1], tf.float32), new[] { 1, 0 }, new[] { 3, 3 }), tf.float64), U(image), boxes) with { Tolerance = 1e-2 };
        yield return C("image", "crop_and_resize nearest (image)",
            x => tf.cast(tf.image.crop_and_resize(x[0], tf.constant(new float[,] { { 0.1f, 0.15f, 0.8f, 0.9f } }), new[] { 1 }, new[] { 2, 3 }, "nearest"), tf.float64), U(image)) with { Tolerance = 1e-3 };
        yield return C("image", "total_variation of a batch", x => tf.image.total_variation(x[0]), Distinct(image));
        yield return C("image", "crop, pad and flip", x => tf.image.flip_left_right(tf.image.pad_to_bounding_box(tf.image.crop_to_bounding_box(x[0], 1, 1, 2, 3), 1, 0, 4, 4)), U(image));
        yield return C("image", "rot90 and transpose_image", x => tf.image.transpose_image(tf.image.rot90(x[0], 3)), U(new Shape(3, 4, 2)));
        yield return C("image", "per_image_standardization", x => tf.cast(tf.image.per_image_standardization(x[0]), tf.float64), U(new Shape(3, 3, 2))) with { Tolerance = 1e-2 };
        _seed = start;
    }
}
