#pragma warning disable CS8981
using SharpFlow.Functions;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class nn
        {
            /// <summary>
            /// 3-D convolution of NDHWC <paramref name="input"/> with a <c>[depth, height, width, in_channels, out_channels]</c>
            /// <paramref name="filter"/>; <paramref name="strides"/> and <paramref name="dilations"/> are <c>[1, d, h, w, 1]</c>.
            /// </summary>
            public static Tensor conv3d(TensorLike input, TensorLike filter, int[] strides, string padding, string data_format = "NDHWC", int[]? dilations = null, string? name = null) =>
                Convolutions.Conv3D(input, filter, strides, padding, data_format, dilations, name);

            /// <summary>3-D max pooling over <paramref name="ksize"/> windows (<c>[1, d, h, w, 1]</c>) of NDHWC volumes.</summary>
            public static Tensor max_pool3d(TensorLike input, int[] ksize, int[] strides, string padding, string data_format = "NDHWC", string? name = null) =>
                Convolutions.MaxPool3D(input, ksize, strides, padding, data_format, name);

            /// <summary>3-D average pooling over <paramref name="ksize"/> windows; padding is not counted in the mean.</summary>
            public static Tensor avg_pool3d(TensorLike input, int[] ksize, int[] strides, string padding, string data_format = "NDHWC", string? name = null) =>
                Convolutions.AvgPool3D(input, ksize, strides, padding, data_format, name);
        }
    }
}
