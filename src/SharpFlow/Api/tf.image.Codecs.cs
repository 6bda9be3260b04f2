#pragma warning disable CS8981
using SharpFlow.Ops.Image;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class image
        {
            /// <summary>
            /// Decodes a JPEG (or, as TensorFlow 1.x does, a PNG or GIF) string into a uint8 [height, width, channels]
            /// image; <paramref name="channels"/> 0 keeps the file's, 1 is grey, 3 RGB; <paramref name="ratio"/> 1, 2, 4
            /// or 8 shrinks it (<c>tf.image.decode_jpeg</c>).
            /// </summary>
            public static Tensor decode_jpeg(TensorLike contents, int channels = 0, int ratio = 1, bool fancy_upscaling = true,
                bool try_recover_truncated = false, float acceptable_fraction = 1, string dct_method = "", string? name = null) =>
                DecodeJpeg.Build(contents, channels, ratio, fancy_upscaling, try_recover_truncated, acceptable_fraction, dct_method, name);

            /// <summary>
            /// Decodes a PNG (or JPEG, GIF) string into [height, width, channels] (<c>tf.image.decode_png</c>);
            /// <paramref name="dtype"/> uint8 (the default; a 16-bit file keeps each sample's high byte) or
            /// <c>tf.uint16</c> (a 16-bit file's samples, an 8-bit file's times 257; JPEG and GIF refused).
            /// </summary>
            public static Tensor decode_png(TensorLike contents, int channels = 0, DType? dtype = null, string? name = null) =>
                DecodePng.Build(contents, channels, dtype, name);

            /// <summary>Decodes a BMP string into uint8 [height, width, channels] (<c>tf.image.decode_bmp</c>).</summary>
            public static Tensor decode_bmp(TensorLike contents, int channels = 0, string? name = null) => DecodeBmp.Build(contents, channels, name);

            /// <summary>Decodes every frame of a GIF into uint8 [frames, height, width, 3] (<c>tf.image.decode_gif</c>).</summary>
            public static Tensor decode_gif(TensorLike contents, string? name = null) => DecodeGif.Build(contents, name);

            /// <summary>
            /// Decodes a JPEG, PNG, GIF or BMP string, told apart by its first bytes (<c>tf.image.decode_image</c>);
            /// a GIF keeps its frames when <paramref name="expand_animations"/> is set.
            /// </summary>
            public static Tensor decode_image(TensorLike contents, int channels = 0, DType? dtype = null, string? name = null, bool expand_animations = true) =>
                DecodeImage.Build(contents, channels, dtype, expand_animations, name);

            /// <summary>Encodes a uint8 [height, width, 1 or 3] image as a JPEG string (<c>tf.image.encode_jpeg</c>).</summary>
            public static Tensor encode_jpeg(TensorLike image, string format = "", int quality = 95, bool progressive = false, bool optimize_size = false,
                bool chroma_downsampling = true, string density_unit = "in", int x_density = 300, int y_density = 300, string xmp_metadata = "", string? name = null) =>
                EncodeJpeg.Build(image, format, quality, progressive, optimize_size, chroma_downsampling, density_unit, x_density, y_density, xmp_metadata, name);

            /// <summary>Encodes a uint8 (8-bit PNG) or uint16 (16-bit PNG) [height, width, 1..4] image as a PNG string (<c>tf.image.encode_png</c>).</summary>
            public static Tensor encode_png(TensorLike image, int compression = -1, string? name = null) => EncodePng.Build(image, compression, name);
        }
    }
}
