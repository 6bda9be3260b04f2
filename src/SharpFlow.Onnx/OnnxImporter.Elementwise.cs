using SharpFlow.Onnx.Proto;
using static SharpFlow.Binding;

namespace SharpFlow.Onnx;

internal sealed partial class OnnxImporter
{
    private void Unary(NodeProto node, Func<Tensor, Tensor> f)
    {
        var value = In(node, 0);
        Set(node, f(Materialize(value)), value.Nhwc);
    }

    private void Binary(NodeProto node, Func<Tensor, Tensor, Tensor> f)
    {
        var (result, nhwc) = Combine(node, In(node, 0), In(node, 1), f);
        Set(node, result, nhwc);
    }

    /// <summary>Two operands with broadcasting, in NHWC when either is an NHWC image.</summary>
    private (Tensor Result, bool Nhwc) Combine(NodeProto node, Value a, Value b, Func<Tensor, Tensor, Tensor> f)
    {
        if ((a.Nhwc || b.Nhwc) && CanJoinNhwc(a) && CanJoinNhwc(b))
            return (f(AsNhwcOperand(a, node), AsNhwcOperand(b, node)), true);
        return (f(Nchw(a), Nchw(b)), false);
    }

    private bool CanJoinNhwc(Value v) => v.Nhwc || (v.Constant is { } c ? c.ndim <= 4 : Materialize(v).shape.ndims is >= 0 and <= 4);

    /// <summary>
    /// An operand broadcast against an NHWC value: NHWC itself, or a lower-rank NCHW operand (a per-channel
    /// <c>[C, 1, 1]</c> bias) padded to rank 4 with ones in front and permuted like the image.
    /// </summary>
    private Tensor AsNhwcOperand(Value v, NodeProto node)
    {
        if (v.Nhwc) return Materialize(v);
        if (v.Constant is { } c)
        {
            if (c.ndim > 4) throw Unsupported(node, $"broadcasting a rank-{c.ndim} constant against an image");
            var dims = Enumerable.Repeat(1, 4 - c.ndim).Concat(c.shape.Dims).ToArray();
            return Materialize(v.Initializer, OnnxTensors.Permute(c.Reshape(new Shape(dims)), ToNhwc));
        }
        var t = Materialize(v);
        if (t.shape.ndims is < 0 or > 4) throw Unsupported(node, "broadcasting a tensor of unknown or higher rank against an image");
        if (t.shape.ndims < 4)
            t = tf.reshape(t, Enumerable.Repeat(1, 4 - t.shape.ndims).Concat(t.shape.Dims).ToArray());
        return tf.transpose(t, ToNhwc);
    }

    private void Variadic(NodeProto node, Func<Tensor, Tensor, Tensor> f, bool mean = false)
    {
        var values = Enumerable.Range(0, node.Input.Count).Where(k => Has(node, k)).Select(k => In(node, k)).ToList();
        if (values.Count == 0) throw Invalid(node, "it has no inputs.");
        var acc = values[0];
        for (var k = 1; k < values.Count; k++)
        {
            var (t, nhwc) = Combine(node, acc, values[k], f);
            acc = new Value(t, null, nhwc && t.shape.ndims == 4);
        }
        var result = Materialize(acc);
        if (mean) result /= S(values.Count, result.dtype);
        if (values.Count == 1) result = tf.identity(result);
        Set(node, result, acc.Nhwc);
    }

    /// <summary>ONNX Div: integers truncate toward zero (C's division), floats divide.</summary>
    private static Tensor Divide(Tensor a, Tensor b)
    {
        if (a.dtype.is_floating) return a / b;
        var q = tf.floordiv(a, b);
        var inexact = tf.logical_and(tf.not_equal(tf.floormod(a, b), S(0, a.dtype)), tf.not_equal(tf.less(a, S(0, a.dtype)), tf.less(b, S(0, b.dtype))));
        return q + tf.cast(inexact, a.dtype);
    }

    /// <summary>ONNX Mod: the sign of the divisor (fmod=0, Python's %), or of the dividend (fmod=1, C's fmod).</summary>
    private static Tensor Mod(Tensor a, Tensor b, bool fmod)
    {
        var r = tf.floormod(a, b);
        if (!fmod) return r;
        // floormod and fmod differ by b where the remainder is non-zero and the signs of a and b differ.
        var differ = tf.logical_and(tf.not_equal(r, S(0, a.dtype)), tf.not_equal(tf.less(a, S(0, a.dtype)), tf.less(b, S(0, b.dtype))));
        if (a.dtype.is_floating)
        {
            // C's fmod computed directly: a - b·trunc(a/b) loses precision, so use the sign-corrected remainder of |a| by |b|.
            var m = tf.floormod(tf.abs(a), tf.abs(b));
            return tf.sign(a) * m + tf.zeros_like(b);
        }
        return tf.where(differ, r - b + tf.zeros_like(r), r);
    }

    private void IsInf(NodeProto node)
    {
        var (negative, positive) = (Attr(node, "detect_negative", 1L) != 0, Attr(node, "detect_positive", 1L) != 0);
        Unary(node, x =>
        {
            var inf = tf.is_inf(x);
            if (negative && positive) return inf;
            if (!negative && !positive) return tf.logical_and(inf, tf.logical_not(inf));
            return tf.logical_and(inf, negative ? tf.less(x, S(0, x.dtype)) : tf.greater(x, S(0, x.dtype)));
        });
    }

    private void Where(NodeProto node)
    {
        var (c, x, y) = (X(node, 0), X(node, 1), X(node, 2));
        var shape = BroadcastShape(BroadcastShape(tf.shape(c, out_type: DType.int64), tf.shape(x, out_type: DType.int64)), tf.shape(y, out_type: DType.int64));
        Set(node, tf.where(tf.broadcast_to(c, shape), tf.broadcast_to(x, shape), tf.broadcast_to(y, shape)));
    }

    /// <summary>The broadcast of two shapes (NumPy's rule), computed in the graph.</summary>
    private static Tensor BroadcastShape(Tensor a, Tensor b)
    {
        // Zeros of both shapes added: the sum has the broadcast shape.
        var za = tf.fill(a, S(0, DType.int32));
        var zb = tf.fill(b, S(0, DType.int32));
        return tf.shape(za + zb, out_type: DType.int64);
    }

    /// <summary>ONNX Expand: <paramref name="x"/> broadcast with a shape in both directions.</summary>
    private static Tensor Broadcast(Tensor x, Tensor shape) =>
        tf.broadcast_to(x, BroadcastShape(tf.shape(x, out_type: DType.int64), tf.cast(shape, DType.int64)));

    /// <summary>ONNX Clip: the bounds come from inputs (opset 11+) or attributes; a missing one leaves that side open.</summary>
    private void Clip(NodeProto node)
    {
        Unary(node, x =>
        {
            Tensor? Bound(int input, string attribute)
            {
                if (Has(node, input)) return X(node, input);
                var a = AttrOf(node, attribute);
                return a is null ? null : S(a.F, x.dtype);
            }
            var (min, max) = (Bound(1, "min"), Bound(2, "max"));
            if (min is not null) x = tf.maximum(x, min);
            if (max is not null) x = tf.minimum(x, max);
            return x;
        });
    }

    private static Tensor LeakyRelu(Tensor x, float alpha) => tf.where(tf.less(x, S(0, x.dtype)), x * S(alpha, x.dtype), x);

    private static Tensor Elu(Tensor x, float alpha) =>
        alpha == 1f ? tf.nn.elu(x) : tf.where(tf.less(x, S(0, x.dtype)), S(alpha, x.dtype) * (tf.exp(x) - S(1, x.dtype)), x);

    private static Tensor Celu(Tensor x, float alpha) =>
        tf.maximum(x, S(0, x.dtype)) + tf.minimum(S(0, x.dtype), S(alpha, x.dtype) * (tf.exp(x / S(alpha, x.dtype)) - S(1, x.dtype)));

    private static Tensor HardSigmoid(Tensor x, float alpha, float beta) =>
        tf.maximum(S(0, x.dtype), tf.minimum(S(1, x.dtype), x * S(alpha, x.dtype) + S(beta, x.dtype)));

    private static Tensor Shrink(Tensor x, float lambd, float bias) =>
        tf.where(tf.less(x, S(-lambd, x.dtype)), x + S(bias, x.dtype), tf.where(tf.greater(x, S(lambd, x.dtype)), x - S(bias, x.dtype), tf.zeros_like(x)));

    private static Tensor Gelu(OnnxImporter self, NodeProto node, Tensor x)
    {
        var approximate = Attr(node, "approximate", "none");
        var half = S(0.5, x.dtype);
        return approximate switch
        {
            "none" => half * x * (S(1, x.dtype) + tf.erf(x * S(1 / System.Math.Sqrt(2), x.dtype))),
            "tanh" => half * x * (S(1, x.dtype) + tf.tanh(S(System.Math.Sqrt(2 / System.Math.PI), x.dtype) * (x + S(0.044715, x.dtype) * x * x * x))),
            _ => throw self.Unsupported(node, "approximate", approximate),
        };
    }

    private static Tensor Hardmax(Tensor x, int axis) =>
        tf.one_hot(tf.argmax(x, axis), tf.shape(x)[axis], on_value: S(1, x.dtype), off_value: S(0, x.dtype), axis: axis);

    /// <summary>
    /// Softmax, LogSoftmax and Hardmax: before opset 13 over the input coerced to 2-D at <c>axis</c> (default 1), from
    /// opset 13 over the one axis (default -1).
    /// </summary>
    private void SoftmaxLike(NodeProto node, Func<Tensor, int, Tensor> f)
    {
        var x = X(node, 0);
        var rank = RankOf(node, x, this);
        var axis = Axis((int)Attr(node, "axis", Opset >= 13 ? -1L : 1L), rank);
        if (axis < 0 || axis >= System.Math.Max(rank, 1)) throw Invalid(node, $"axis {Attr(node, "axis", Opset >= 13 ? -1L : 1L)} is out of range for a rank-{rank} input.");
        if (Opset >= 13 || axis == rank - 1)
        {
            Set(node, f(x, axis));
            return;
        }
        var shape = tf.shape(x, out_type: DType.int64);
        var outer = tf.reduce_prod(tf.slice(shape, new[] { 0 }, new[] { axis }), keepdims: true);
        var inner = tf.reduce_prod(tf.slice(shape, new[] { axis }, new[] { rank - axis }), keepdims: true);
        var flat = tf.reshape(x, tf.concat(new[] { outer, inner }, 0));
        Set(node, tf.reshape(f(flat, 1), shape));
    }

    private static Tensor CastTo(Tensor x, DType dtype)
    {
        if (x.dtype == dtype) return tf.identity(x);
        // ONNX casts a float to bool as "non-zero" and a bool to a number as 0/1, which tf.cast also does.
        return tf.cast(x, dtype);
    }

    private void Cast(NodeProto node)
    {
        var to = (int)Attr(node, "to", 0L);
        var dtype = DTypeOf(to, $"{_model.Source}: node '{NodeName(node)}' (Cast) attribute 'to'", NodeName(node));
        var value = In(node, 0);
        Set(node, CastTo(Materialize(value), dtype), value.Nhwc);
    }
}
