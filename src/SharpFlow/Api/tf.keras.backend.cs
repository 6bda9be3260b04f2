#pragma warning disable CS8981
using SharpFlow.Keras;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class keras
        {
            public static partial class backend
            {
                /// <summary>"channels_last" (NHWC), the layout of the convolution and pooling layers.</summary>
                public static string image_data_format() => Backend.image_data_format();
                /// <summary>Sets the image layout ("channels_first" makes the convolution layers refuse to build: CPU kernels are NHWC).</summary>
                public static void set_image_data_format(string data_format) => Backend.set_image_data_format(data_format);
                /// <summary>Sets the default float type (only "float32").</summary>
                public static void set_floatx(string value) => Backend.set_floatx(value);
                /// <summary>Sets the fuzz factor.</summary>
                public static void set_epsilon(double value) => Backend.set_epsilon(value);
                /// <summary>The static shape, null for unknown dimensions.</summary>
                public static int?[]? int_shape(Tensor x) => Backend.int_shape(x);
                /// <summary>The rank.</summary>
                public static int? ndim(Tensor x) => Backend.ndim(x);
                /// <summary>The value of a tensor in Keras's session.</summary>
                public static NDArray eval(Tensor x) => Backend.eval(x);
            }
        }
    }
}
