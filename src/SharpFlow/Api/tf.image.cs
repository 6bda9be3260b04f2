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
            /// <summary>The interpolation of <see cref="resize_images"/>.</summary>
            public enum ResizeMethod
            {
                /// <summary>Bilinear interpolation (TensorFlow's default).</summary>
                BILINEAR = 0,
            }

            /// <summary>
            /// Resizes NHWC <paramref name="images"/> to <paramref name="size"/> = [height, width] by bilinear
            /// interpolation; the result is float32 (<c>tf.image.resize_bilinear</c>).
            /// </summary>
            public static Tensor resize_bilinear(TensorLike images, TensorLike size, bool align_corners = false, bool half_pixel_centers = false, string? name = null) =>
                ResizeBilinear.Build(images, size, align_corners, half_pixel_centers, name);

            /// <summary>
            /// <c>tf.image.resize_images(images, size, method, align_corners)</c> of TensorFlow 1.x: a batch [N, H, W, C]
            /// or one image [H, W, C], resized to float32.
            /// </summary>
            public static Tensor resize_images(Tensor images, int[] size, ResizeMethod method = ResizeMethod.BILINEAR, bool align_corners = false)
            {
                ArgumentNullException.ThrowIfNull(images);
                ArgumentNullException.ThrowIfNull(size);
                if (size.Length != 2) throw new ValueError($"'size' must be a 1-D int32 Tensor of 2 elements: new_height, new_width; got {size.Length} elements.");
                if (method != ResizeMethod.BILINEAR) throw new ValueError($"Resize method {method} is not supported.");
                var rank = images.shape.ndims;
                if (rank is not (3 or 4)) throw new ValueError($"'images' must have either 3 or 4 dimensions, got shape {images.shape}.");
                using var scope = name_scope("resize_images");
                var batch = rank == 3 ? expand_dims(images, 0) : images;
                var resized = ResizeBilinear.Build(batch, size, align_corners, false);
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
