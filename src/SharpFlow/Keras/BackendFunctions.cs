namespace SharpFlow.Keras;

public static partial class Backend
{
    private static string _imageDataFormat = "channels_last";

    /// <summary>The default image layout of the convolution and pooling layers: <c>"channels_last"</c> (NHWC).</summary>
    public static string image_data_format() => _imageDataFormat;

    /// <summary>
    /// Sets the default image layout. <c>"channels_first"</c> is accepted as Keras accepts it, but the convolution
    /// and pooling layers then refuse to build: TensorFlow's CPU kernels, like SharpFlow's, compute NHWC only.
    /// </summary>
    public static void set_image_data_format(string data_format)
    {
        if (data_format is not ("channels_last" or "channels_first"))
            throw new ValueError($"Unknown data_format: {data_format}");
        _imageDataFormat = data_format;
    }

    /// <summary>Sets the default float type; only <c>"float32"</c> is supported.</summary>
    public static void set_floatx(string value)
    {
        if (value is not ("float16" or "float32" or "float64")) throw new ValueError($"Unknown floatx type: {value}");
        if (value != "float32") throw new NotSupportedException($"SharpFlow's Keras layers compute in float32; floatx {value} is not supported.");
    }

    /// <summary>The static shape as a tuple of ints, null for unknown dimensions (<c>(None, 10)</c> is <c>[null, 10]</c>); null for an unknown rank.</summary>
    public static int?[]? int_shape(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var s = x.shape;
        return s.IsKnownRank ? s.Dims.Select(d => d < 0 ? (int?)null : d).ToArray() : null;
    }

    /// <summary>The rank of a tensor (null when unknown).</summary>
    public static int? ndim(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.shape.IsKnownRank ? x.shape.ndims : null;
    }

    /// <summary>The value of a tensor, computed in Keras's session.</summary>
    public static NDArray eval(Tensor x) => get_session().run(x);
}
