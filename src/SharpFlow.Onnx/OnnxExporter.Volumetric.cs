using SharpFlow.Framework;

namespace SharpFlow.Onnx;

/// <summary>
/// The exporter's volumetric ops: Conv3D, MaxPool3D and AvgPool3D in NDHWC as ONNX's NCDHW Conv, MaxPool and
/// AveragePool between two Transposes.
/// </summary>
internal sealed partial class OnnxExporter
{
    private static readonly long[] ToNcdhw = [0, 4, 1, 2, 3];
    private static readonly long[] ToNdhwc = [0, 2, 3, 4, 1];

    /// <summary>
    /// Conv3D (filter <c>[kd, kh, kw, in, out]</c> → <c>[out, in, kd, kh, kw]</c>), MaxPool3D and AvgPool3D (its
    /// mean over the window's cells inside the volume, <c>count_include_pad = 0</c>). SAME is TensorFlow's padding,
    /// the extra cell at the end: the pads it computes where the spatial size is known, else <c>SAME_UPPER</c>
    /// (without dilations, which ONNX Runtime's SAME refuses). The graph has already refused windows and strides
    /// over the batch or channel axis.
    /// </summary>
    private void Volumetric(Operation op)
    {
        var format = op.attrs.TryGetValue("data_format", out var f) && f is string text ? text : "NDHWC";
        if (format != "NDHWC")
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: data_format {format}.", op.name);
        var strides = Attr<int[]>(op, "strides");
        var conv = op.type == "Conv3D";
        NDArray? filter = conv ? ConstantOf(op, 1, "filter") : null;
        var window = conv ? [filter!.shape[0], filter.shape[1], filter.shape[2]] : Attr<int[]>(op, "ksize")[1..4].Select(k => (long)k).ToArray();
        var dilations = conv && op.attrs.TryGetValue("dilations", out var d) && d is int[] given ? given : [1, 1, 1, 1, 1];
        var input = op.inputs[0].shape;
        (string, object) padding;
        if (Attr<string>(op, "padding") == "VALID") padding = ("auto_pad", "VALID");
        else if (input.IsKnownRank && input[1] >= 0 && input[2] >= 0 && input[3] >= 0)
        {
            var (before, after) = (new long[3], new long[3]);
            for (var i = 0; i < 3; i++)
            {
                long size = input[1 + i], stride = strides[1 + i];
                var total = System.Math.Max(((size + stride - 1) / stride - 1) * stride + (window[i] - 1) * dilations[1 + i] + 1 - size, 0);
                (before[i], after[i]) = (total / 2, total - total / 2);
            }
            padding = ("pads", (long[])[.. before, .. after]);
        }
        else if (dilations.Any(x => x != 1))
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: SAME padding with dilations over an input of unknown spatial size {input}.", op.name);
        else padding = ("auto_pad", "SAME_UPPER");
        List<(string, object)> attributes = [("kernel_shape", window), ("strides", new long[] { strides[1], strides[2], strides[3] }), padding];
        List<string> inputs = [];
        string type;
        if (conv)
        {
            attributes.Add(("dilations", new long[] { dilations[1], dilations[2], dilations[3] }));
            inputs.Add(Initializer(op.name + "/weights_oidhw", OnnxTensors.Permute(filter!, [4, 3, 0, 1, 2])));
            type = "Conv";
        }
        else if (op.type == "MaxPool3D") type = "MaxPool";
        else
        {
            attributes.Add(("count_include_pad", 0L));
            type = "AveragePool";
        }
        var (ncdhw, result) = (Fresh(), Fresh());
        Node("Transpose", [Name(op.inputs[0])], [ncdhw], ("perm", ToNcdhw));
        Node(type, [ncdhw, .. inputs], [result], [.. attributes]);
        Node("Transpose", [result], [Out(op.outputs[0])], ("perm", ToNdhwc));
    }
}
