using System.Numerics;

namespace SharpFlow.Kernels.Image;

/// <summary>
/// TensorFlow's CropAndResize and its two gradients (core/kernels/crop_and_resize_op.cc): box <c>b</c> =
/// [y1, x1, y2, x2] in normalized coordinates of image <c>box_ind[b]</c> is sampled on a crop_h × crop_w grid,
/// <c>in_y = y1·(H-1) + y·(y2-y1)·(H-1)/(crop_h-1)</c> (the box's centre when crop_h is 1); samples outside the image
/// take <c>extrapolation_value</c>; bilinear or nearest (rounded) sampling; all arithmetic in float32 as TensorFlow's.
/// </summary>
internal static class CropAndResizeKernels
{
    private readonly record struct Geometry(float HeightScale, float WidthScale, float Y1, float X1, float Y2, float X2, int ImageH, int ImageW, int CropH, int CropW)
    {
        public static Geometry Of(ReadOnlySpan<float> boxes, int b, int imageH, int imageW, int cropH, int cropW)
        {
            var (y1, x1, y2, x2) = (boxes[b * 4], boxes[b * 4 + 1], boxes[b * 4 + 2], boxes[b * 4 + 3]);
            var hs = cropH > 1 ? (y2 - y1) * (imageH - 1) / (cropH - 1) : 0f;
            var ws = cropW > 1 ? (x2 - x1) * (imageW - 1) / (cropW - 1) : 0f;
            return new Geometry(hs, ws, y1, x1, y2, x2, imageH, imageW, cropH, cropW);
        }

        public float InY(int y) => CropH > 1 ? Y1 * (ImageH - 1) + y * HeightScale : 0.5f * (Y1 + Y2) * (ImageH - 1);

        public float InX(int x) => CropW > 1 ? X1 * (ImageW - 1) + x * WidthScale : 0.5f * (X1 + X2) * (ImageW - 1);
    }

    private static (float, float, float, float) Corners<T>(ReadOnlySpan<T> image, int bin, int imageH, int imageW, int depth, int d, int top, int bottom, int left, int right)
        where T : INumber<T>
    {
        var (t, b) = ((bin * imageH + top) * imageW, (bin * imageH + bottom) * imageW);
        return (float.CreateTruncating(image[(t + left) * depth + d]), float.CreateTruncating(image[(t + right) * depth + d]),
            float.CreateTruncating(image[(b + left) * depth + d]), float.CreateTruncating(image[(b + right) * depth + d]));
    }

    public static void Forward<T>(ReadOnlySpan<T> image, ReadOnlySpan<float> boxes, ReadOnlySpan<int> boxIndex, Span<float> crops,
        int imageH, int imageW, int depth, int cropH, int cropW, bool bilinear, float extrapolation) where T : INumber<T>
    {
        if (!bilinear)
        {
            Nearest(image, boxes, boxIndex, crops, imageH, imageW, depth, cropH, cropW, extrapolation);
            return;
        }
        for (var b = 0; b < boxIndex.Length; b++)
        {
            var g = Geometry.Of(boxes, b, imageH, imageW, cropH, cropW);
            var bin = boxIndex[b];
            for (var y = 0; y < cropH; y++)
            {
                var inY = g.InY(y);
                for (var x = 0; x < cropW; x++)
                {
                    var o = ((b * cropH + y) * cropW + x) * depth;
                    var inX = g.InX(x);
                    if (inY < 0 || inY > imageH - 1 || inX < 0 || inX > imageW - 1)
                    {
                        crops.Slice(o, depth).Fill(extrapolation);
                        continue;
                    }
                    var (top, bottom) = ((int)MathF.Floor(inY), (int)MathF.Ceiling(inY));
                    var (left, right) = ((int)MathF.Floor(inX), (int)MathF.Ceiling(inX));
                    var (yl, xl) = (inY - top, inX - left);
                    for (var d = 0; d < depth; d++)
                    {
                        var (tl, tr, bl, br) = Corners(image, bin, imageH, imageW, depth, d, top, bottom, left, right);
                        var topValue = tl + (tr - tl) * xl;
                        var bottomValue = bl + (br - bl) * xl;
                        crops[o + d] = topValue + (bottomValue - topValue) * yl;
                    }
                }
            }
        }
    }

    // Nearest-neighbour sampling with each box's source columns worked out once, not once per row.
    private static void Nearest<T>(ReadOnlySpan<T> image, ReadOnlySpan<float> boxes, ReadOnlySpan<int> boxIndex, Span<float> crops,
        int imageH, int imageW, int depth, int cropH, int cropW, float extrapolation) where T : INumber<T>
    {
        var columns = cropW <= 1024 ? stackalloc int[cropW] : new int[cropW];
        for (var b = 0; b < boxIndex.Length; b++)
        {
            var g = Geometry.Of(boxes, b, imageH, imageW, cropH, cropW);
            var bin = boxIndex[b];
            for (var x = 0; x < cropW; x++)
            {
                var inX = g.InX(x);
                columns[x] = inX < 0 || inX > imageW - 1 ? -1 : (int)MathF.Round(inX, MidpointRounding.AwayFromZero);
            }
            for (var y = 0; y < cropH; y++)
            {
                var row = crops.Slice((b * cropH + y) * cropW * depth, cropW * depth);
                var inY = g.InY(y);
                if (inY < 0 || inY > imageH - 1)
                {
                    row.Fill(extrapolation);
                    continue;
                }
                var source = image.Slice((bin * imageH + (int)MathF.Round(inY, MidpointRounding.AwayFromZero)) * imageW * depth, imageW * depth);
                for (var x = 0; x < cropW; x++)
                {
                    var target = row.Slice(x * depth, depth);
                    if (columns[x] < 0) target.Fill(extrapolation);
                    else
                        for (var d = 0; d < depth; d++) target[d] = float.CreateTruncating(source[columns[x] * depth + d]);
                }
            }
        }
    }

    /// <summary>CropAndResizeGradImage: the crops' gradients added back to the pixels they were sampled from.</summary>
    public static void GradImage<T>(ReadOnlySpan<float> grads, ReadOnlySpan<float> boxes, ReadOnlySpan<int> boxIndex, Span<T> image,
        int imageH, int imageW, int depth, int cropH, int cropW, bool bilinear) where T : INumber<T>
    {
        image.Clear();
        for (var b = 0; b < boxIndex.Length; b++)
        {
            var g = Geometry.Of(boxes, b, imageH, imageW, cropH, cropW);
            var bin = boxIndex[b];
            for (var y = 0; y < cropH; y++)
            {
                var inY = g.InY(y);
                if (inY < 0 || inY > imageH - 1) continue;
                for (var x = 0; x < cropW; x++)
                {
                    var inX = g.InX(x);
                    if (inX < 0 || inX > imageW - 1) continue;
                    var o = ((b * cropH + y) * cropW + x) * depth;
                    int At(int yy, int xx) => ((bin * imageH + yy) * imageW + xx) * depth;
                    if (bilinear)
                    {
                        var (top, bottom) = ((int)MathF.Floor(inY), (int)MathF.Ceiling(inY));
                        var (left, right) = ((int)MathF.Floor(inX), (int)MathF.Ceiling(inX));
                        var (yl, xl) = (inY - top, inX - left);
                        for (var d = 0; d < depth; d++)
                        {
                            var dtop = (1 - yl) * grads[o + d];
                            var dbottom = yl * grads[o + d];
                            image[At(top, left) + d] += T.CreateTruncating((1 - xl) * dtop);
                            image[At(top, right) + d] += T.CreateTruncating(xl * dtop);
                            image[At(bottom, left) + d] += T.CreateTruncating((1 - xl) * dbottom);
                            image[At(bottom, right) + d] += T.CreateTruncating(xl * dbottom);
                        }
                    }
                    else
                    {
                        var (cy, cx) = ((int)MathF.Round(inY, MidpointRounding.AwayFromZero), (int)MathF.Round(inX, MidpointRounding.AwayFromZero));
                        for (var d = 0; d < depth; d++) image[At(cy, cx) + d] += T.CreateTruncating(grads[o + d]);
                    }
                }
            }
        }
    }

    /// <summary>CropAndResizeGradBoxes: how each box corner moves the bilinear samples, weighted by the crops' gradients.</summary>
    public static void GradBoxes<T>(ReadOnlySpan<float> grads, ReadOnlySpan<T> image, ReadOnlySpan<float> boxes, ReadOnlySpan<int> boxIndex, Span<float> output,
        int imageH, int imageW, int depth, int cropH, int cropW) where T : INumber<T>
    {
        output.Clear();
        for (var b = 0; b < boxIndex.Length; b++)
        {
            var g = Geometry.Of(boxes, b, imageH, imageW, cropH, cropW);
            var bin = boxIndex[b];
            var heightRatio = cropH > 1 ? (imageH - 1) / (float)(cropH - 1) : 0f;
            var widthRatio = cropW > 1 ? (imageW - 1) / (float)(cropW - 1) : 0f;
            for (var y = 0; y < cropH; y++)
            {
                var inY = g.InY(y);
                if (inY < 0 || inY > imageH - 1) continue;
                var (top, bottom) = ((int)MathF.Floor(inY), (int)MathF.Ceiling(inY));
                var yl = inY - top;
                for (var x = 0; x < cropW; x++)
                {
                    var inX = g.InX(x);
                    if (inX < 0 || inX > imageW - 1) continue;
                    var (left, right) = ((int)MathF.Floor(inX), (int)MathF.Ceiling(inX));
                    var xl = inX - left;
                    var o = ((b * cropH + y) * cropW + x) * depth;
                    for (var d = 0; d < depth; d++)
                    {
                        var (tl, tr, bl, br) = Corners(image, bin, imageH, imageW, depth, d, top, bottom, left, right);
                        var gradY = ((1 - xl) * (bl - tl) + xl * (br - tr)) * grads[o + d];
                        var gradX = ((1 - yl) * (tr - tl) + yl * (br - bl)) * grads[o + d];
                        if (cropH > 1)
                        {
                            output[b * 4] += gradY * (imageH - 1 - y * heightRatio);
                            output[b * 4 + 2] += gradY * (y * heightRatio);
                        }
                        else
                        {
                            output[b * 4] += gradY * 0.5f * (imageH - 1);
                            output[b * 4 + 2] += gradY * 0.5f * (imageH - 1);
                        }
                        if (cropW > 1)
                        {
                            output[b * 4 + 1] += gradX * (imageW - 1 - x * widthRatio);
                            output[b * 4 + 3] += gradX * (x * widthRatio);
                        }
                        else
                        {
                            output[b * 4 + 1] += gradX * 0.5f * (imageW - 1);
                            output[b * 4 + 3] += gradX * 0.5f * (imageW - 1);
                        }
                    }
                }
            }
        }
    }
}
