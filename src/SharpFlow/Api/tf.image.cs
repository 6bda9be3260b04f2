#pragma warning disable CS8981
using SharpFlow.Ops.Image;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>TensorFlow's <c>tf.image</c>: resizing and colour-space conversions of NHWC images.</summary>
        public static partial class image
        {
            /// <summary>The interpolation of <c>resize_images</c> (TensorFlow 1.x's <c>tf.image.ResizeMethod</c>).</summary>
            public enum ResizeMethod
            {
                /// <summary>Bilinear interpolation (TensorFlow's default).</summary>
                BILINEAR = 0,

                /// <summary>The nearest pixel.</summary>
                NEAREST_NEIGHBOR = 1,

                /// <summary>Cubic convolution.</summary>
                BICUBIC = 2,

                /// <summary>Area averaging.</summary>
                AREA = 3,
            }

            /// <summary>
            /// Resizes NHWC <paramref name="images"/> to <paramref name="size"/> = [height, width] by bilinear
            /// interpolation; the result is float32 (<c>tf.image.resize_bilinear</c>).
            /// </summary>
            public static Tensor resize_bilinear(TensorLike images, TensorLike size, bool align_corners = false, bool half_pixel_centers = false, string? name = null) =>
                ResizeBilinear.Build(images, size, align_corners, half_pixel_centers, name);

            /// <summary>
            /// <c>tf.image.resize_images</c> with a constant [height, width] (so that <c>[224, 224]</c> can be written as a
            /// collection expression).
            /// </summary>
            public static Tensor resize_images(TensorLike images, int[] size, ResizeMethod method = ResizeMethod.BILINEAR, bool align_corners = false,
                bool preserve_aspect_ratio = false, string? name = null) =>
                resize_images(images, (TensorLike)size, method, align_corners, preserve_aspect_ratio, name);

            /// <summary>
            /// <c>tf.image.resize_images(images, size, method, align_corners, preserve_aspect_ratio)</c> of TensorFlow 1.x: a
            /// batch [N, H, W, C] or one image [H, W, C] resized with <paramref name="method"/> (float32 out but for
            /// nearest neighbour; returned unchanged when the size is already the target).
            /// </summary>
            public static Tensor resize_images(TensorLike images, TensorLike size, ResizeMethod method = ResizeMethod.BILINEAR, bool align_corners = false,
                bool preserve_aspect_ratio = false, string? name = null)
            {
                using var scope = name_scope(name ?? "resize_images");
                var x = convert_to_tensor(images, name: "images");
                if (!x.shape.IsKnownRank) throw new ValueError("'images' contains no shape.");
                var rank = x.shape.ndims;
                if (rank is not (3 or 4)) throw new ValueError($"'images' must have either 3 or 4 dimensions, got shape {x.shape}.");
                var batch = rank == 3 ? expand_dims(x, 0) : x;
                var (height, width) = (batch.shape[1], batch.shape[2]);
                var s = convert_to_tensor(size, dtype: int32, name: "size");
                if (!s.shape.IsCompatibleWith(new Shape(2))) throw new ValueError("'size' must be a 1-D Tensor of 2 elements: new_height, new_width");
                var constant = Ops.Image.ResizeImages.ConstantSize(s);
                if (preserve_aspect_ratio && constant is { } target && height > 0 && width > 0)
                {
                    var factor = System.Math.Min(target[0] / (float)height, target[1] / (float)width);
                    constant = [(int)MathF.Round(factor * height, MidpointRounding.ToEven), (int)MathF.Round(factor * width, MidpointRounding.ToEven)];
                    s = tf.constant(constant);
                }
                else if (preserve_aspect_ratio)
                    throw new ValueError("preserve_aspect_ratio needs a constant size and images of known height and width in SharpFlow.");
                if (constant is { } c && c[0] == height && c[1] == width) return rank == 3 ? squeeze(batch, [0]) : batch;
                var resized = method switch
                {
                    ResizeMethod.BILINEAR => ResizeBilinear.Build(batch, s, align_corners, false),
                    ResizeMethod.NEAREST_NEIGHBOR => ResizeNearestNeighbor.Build(batch, s, align_corners),
                    ResizeMethod.BICUBIC => ResizeBicubic.Build(batch, s, align_corners),
                    ResizeMethod.AREA => ResizeArea.Build(batch, s, align_corners),
                    _ => throw new ValueError($"Resize method is not implemented: {method}"),
                };
                return rank == 3 ? squeeze(resized, [0]) : resized;
            }

            /// <summary>Repeats the single channel of grey images three times (<c>tf.image.grayscale_to_rgb</c>).</summary>
            public static Tensor grayscale_to_rgb(Tensor images, string? name = null)
            {
                ArgumentNullException.ThrowIfNull(images);
                var rank = images.shape.ndims;
                if (rank < 2) throw new ValueError($"A grayscale image must have at least 2 dimensions, got shape {images.shape}.");
                if (images.shape[rank - 1] is not (1 or -1))
                    throw new ValueError($"Dimension {rank - 1} of a grayscale image must be 1, got shape {images.shape}.");
                using var scope = name_scope(name ?? "grayscale_to_rgb");
                return concat(new[] { images, images, images }, rank - 1);
            }
        }
    }
}
