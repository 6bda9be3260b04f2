using SharpFlow.Onnx.Proto;
using static SharpFlow.Binding;

namespace SharpFlow.Onnx;

internal sealed partial class OnnxImporter
{
    /// <summary>
    /// The random generators: a new draw each run, as in ONNX Runtime (whose generator SharpFlow does not reproduce,
    /// so only shapes, dtypes and the distribution's range agree). A seed attribute seeds the op.
    /// </summary>
    private void Random(NodeProto node, bool normal, bool like)
    {
        int? seed = AttrOf(node, "seed") is { } s ? (int)s.F : null;
        DType dtype;
        Tensor shape;
        if (like)
        {
            var x = X(node, 0);
            dtype = AttrOf(node, "dtype") is { } a ? FloatDType(node, (int)a.I) : x.dtype;
            if (!dtype.is_floating) throw Unsupported(node, "dtype", dtype.name, "random values of a non-float type");
            shape = tf.shape(x);
        }
        else
        {
            dtype = FloatDType(node, (int)Attr(node, "dtype", 1L));
            var dims = IntsOrNull(node, "shape") ?? throw Invalid(node, "it has no shape.");
            shape = tf.constant(dims);
        }
        Set(node, normal
            ? tf.random_normal(shape, Attr(node, "mean", 0f), Attr(node, "scale", 1f), dtype, seed)
            : tf.random_uniform(shape, S(Attr(node, "low", 0f), dtype), S(Attr(node, "high", 1f), dtype), dtype, seed));
    }

    private DType FloatDType(NodeProto node, int elemType)
    {
        var dtype = DTypeOf(elemType, $"{_model.Source}: node '{NodeName(node)}' ({node.OpType}) attribute 'dtype'", NodeName(node));
        return dtype.is_floating ? dtype : throw Unsupported(node, "dtype", dtype.name, "random values of a non-float type");
    }

    /// <summary>ONNX Bernoulli: 1 with the input's probability, else 0, in the input's dtype or the attribute's.</summary>
    private void Bernoulli(NodeProto node)
    {
        var p = X(node, 0);
        int? seed = AttrOf(node, "seed") is { } s ? (int)s.F : null;
        var dtype = AttrOf(node, "dtype") is { } a ? DTypeOf((int)a.I, $"{_model.Source}: node '{NodeName(node)}' (Bernoulli) attribute 'dtype'", NodeName(node)) : p.dtype;
        var u = tf.random_uniform(tf.shape(p), S(0, p.dtype), S(1, p.dtype), p.dtype, seed);
        Set(node, tf.cast(tf.less(u, p), dtype));
    }

    /// <summary>
    /// The signal windows of opset 17: Hann, Hamming and Blackman over <c>size</c> points, periodic (over size + 1
    /// points, the last dropped) or symmetric; computed in float64 and cast to <c>output_datatype</c>.
    /// </summary>
    private void Window(NodeProto node, double a0, double a1, double a2)
    {
        var dtype = DTypeOf((int)Attr(node, "output_datatype", 1L), $"{_model.Source}: node '{NodeName(node)}' ({node.OpType}) attribute 'output_datatype'", NodeName(node));
        var size = tf.cast(tf.reshape(X(node, 0), Array.Empty<int>()), DType.int64);
        var n = tf.cast(tf.range(S(0, DType.int64), size, S(1, DType.int64)), DType.float64);
        var periodic = Attr(node, "periodic", 1L) != 0;
        var span = tf.cast(periodic ? size : size - S(1, DType.int64), DType.float64);
        var angle = S(2 * System.Math.PI, DType.float64) * n / span;
        var w = S(a0, DType.float64) - S(a1, DType.float64) * tf.cos(angle) + S(a2, DType.float64) * tf.cos(S(2, DType.float64) * angle);
        Set(node, tf.cast(w, dtype));
    }

    /// <summary>A per-tensor (scalar) or per-axis (1-D) scale or zero point, shaped to broadcast along <paramref name="axis"/> of a rank-<paramref name="rank"/> input.</summary>
    private Tensor AlongAxis(NodeProto node, Tensor t, int axis, int rank)
    {
        if (t.shape.ndims <= 0 || (t.shape.ndims == 1 && t.shape[0] == 1 && rank == 0)) return tf.reshape(t, Array.Empty<int>());
        if (t.shape.ndims != 1) throw Unsupported(node, $"a scale or zero point of rank {t.shape.ndims} (blocked quantization)");
        var a = Axis(axis, rank);
        if (a < 0 || a >= rank) throw Invalid(node, $"axis {axis} is out of range for a rank-{rank} input.");
        var dims = Enumerable.Repeat(1, rank).ToArray();
        dims[a] = -1;
        return tf.reshape(t, dims);
    }

    /// <summary>ONNX DequantizeLinear: (x − zero_point) · scale, per tensor or per axis, in the scale's dtype.</summary>
    private void DequantizeLinear(NodeProto node)
    {
        var x = X(node, 0);
        var rank = RankOf(node, x, this);
        var axis = (int)Attr(node, "axis", 1L);
        var scale = AlongAxis(node, X(node, 1), axis, rank);
        var shifted = tf.cast(x, scale.dtype);
        if (Has(node, 2)) shifted -= tf.cast(AlongAxis(node, X(node, 2), axis, rank), scale.dtype);
        Set(node, shifted * scale);
    }

    /// <summary>
    /// ONNX QuantizeLinear: round(x / scale) (halves to even) + zero_point, saturated to the zero point's type
    /// (uint8 when absent; int8 and the 8-bit floats have no SharpFlow dtype).
    /// </summary>
    private void QuantizeLinear(NodeProto node)
    {
        var x = X(node, 0);
        var rank = RankOf(node, x, this);
        var axis = (int)Attr(node, "axis", 1L);
        var scale = AlongAxis(node, X(node, 1), axis, rank);
        var zeroPoint = Has(node, 2) ? X(node, 2) : null;
        var dtype = zeroPoint?.dtype ?? DType.uint8;
        if (dtype != DType.uint8) throw Unsupported(node, $"a zero point of {dtype.name} (SharpFlow.Onnx quantizes to uint8)");
        var q = tf.round(x / tf.cast(scale, x.dtype));
        if (zeroPoint is not null) q += tf.cast(AlongAxis(node, zeroPoint, axis, rank), x.dtype);
        Set(node, tf.cast(tf.clip_by_value(q, S(0, x.dtype), S(255, x.dtype)), DType.uint8));
    }
}
