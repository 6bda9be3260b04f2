using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;

namespace SharpFlow.Tests.Gradients;

/// <summary>One gradient check: a function of float64 inputs, the point, and the largest error allowed.</summary>
public sealed record GradientCase(string Family, string Name, Func<Tensor[], Tensor> F, NDArray[] Inputs, bool Dynamic = false, double Tolerance = 1e-6)
{
    public override string ToString() => $"{Family}: {Name}{(Dynamic ? " (run-time shapes)" : "")}";
}

/// <summary>
/// The table of gradient checks: every differentiable op, with several shapes, broadcasting, every transpose
/// flag, run-time shapes and second derivatives. Inputs keep away from kinks (0 for relu and abs, ties for
/// max) by more than the finite-difference step.
/// </summary>
public static partial class GradientCases
{
    // Per thread: tests that enumerate the table at the same time (the gradient checks, the OpDef conformance
    // checks) must each draw the same inputs.
    [ThreadStatic] private static int _seed;

    /// <summary>Uniform values in [low, high).</summary>
    public static NDArray U(Shape shape, double low = -1, double high = 1)
    {
        var r = new Random(_seed++);
        var v = new double[shape.NumElements];
        for (var i = 0; i < v.Length; i++) v[i] = low + (high - low) * r.NextDouble();
        return NDArray.FromFlat(v, shape);
    }

    /// <summary>Values of magnitude in [0.2, 1.5] with random signs: away from 0.</summary>
    public static NDArray Away(Shape shape)
    {
        var r = new Random(_seed++);
        var v = new double[shape.NumElements];
        for (var i = 0; i < v.Length; i++) v[i] = (0.2 + 1.3 * r.NextDouble()) * (r.Next(2) == 0 ? -1 : 1);
        return NDArray.FromFlat(v, shape);
    }

    /// <summary>Distinct values (a shuffled grid with spacing 0.1 plus noise well under it): no ties.</summary>
    public static NDArray Distinct(Shape shape)
    {
        var r = new Random(_seed++);
        var n = (int)shape.NumElements;
        var order = Enumerable.Range(0, n).ToArray();
        r.Shuffle(order);
        return NDArray.FromFlat(order.Select(i => i * 0.1 - n * 0.05 + 0.01 * r.NextDouble()).ToArray(), shape);
    }

    private static GradientCase C(string family, string name, Func<Tensor[], Tensor> f, params NDArray[] inputs) => new(family, name, f, inputs);

    public static IEnumerable<GradientCase> All()
    {
        _seed = 1;
        var s23 = new Shape(2, 3);
        // Binary element-wise, with broadcasting.
        foreach (var (name, f) in new (string, Func<Tensor, Tensor, Tensor>)[]
                 {
                     ("add", (a, b) => a + b), ("sub", (a, b) => a - b), ("mul", (a, b) => a * b),
                     ("squared_difference", (a, b) => tf.squared_difference(a, b)),
                 })
        {
            yield return C("math binary", $"{name} (2,3)x(2,3)", x => f(x[0], x[1]), U(s23), U(s23));
            yield return C("math binary", $"{name} (2,3)x(3,)", x => f(x[0], x[1]), U(s23), U(new Shape(3)));
            yield return C("math binary", $"{name} (2,1)x(1,3)", x => f(x[0], x[1]), U(new Shape(2, 1)), U(new Shape(1, 3)));
            yield return C("math binary", $"{name} ()x(2,3)", x => f(x[0], x[1]), U(Shape.Scalar), U(s23));
            yield return C("math binary", $"{name} (2,1)x(3,) run-time shapes", x => f(x[0], x[1]), U(new Shape(2, 1)), U(new Shape(3))) with { Dynamic = true };
        }
        // Central differences of x/y err by about h²·x/y⁴: divisors stay in [0.5, 1.5].
        yield return C("math binary", "realdiv (2,3)x(2,3)", x => x[0] / x[1], U(s23), U(s23, 0.5, 1.5)) with { Tolerance = 1e-5 };
        yield return C("math binary", "realdiv (2,3)x(3,)", x => x[0] / x[1], U(s23), U(new Shape(3), 0.5, 1.5)) with { Tolerance = 1e-5 };
        yield return C("math binary", "realdiv (3,) run-time shapes", x => x[0] / x[1], U(new Shape(2, 3)), U(new Shape(3), 0.5, 1.5)) with { Dynamic = true, Tolerance = 1e-5 };
        yield return C("math binary", "maximum (2,3)x(2,3)", x => tf.maximum(x[0], x[1]), Distinct(s23), Distinct(s23));
        yield return C("math binary", "maximum (2,3)x(3,)", x => tf.maximum(x[0], x[1]), Distinct(s23), Distinct(new Shape(3)));
        yield return C("math binary", "minimum (2,3)x(2,3)", x => tf.minimum(x[0], x[1]), Distinct(s23), Distinct(s23));
        yield return C("math binary", "minimum (2,1)x(1,3)", x => tf.minimum(x[0], x[1]), Distinct(new Shape(2, 1)), Distinct(new Shape(1, 3)));
        yield return C("math binary", "pow (2,3)x(2,3)", x => tf.pow(x[0], x[1]), U(s23, 0.5, 2), U(s23, -2, 2)) with { Tolerance = 1e-5 };
        yield return C("math binary", "pow (2,3)x()", x => tf.pow(x[0], x[1]), U(s23, 0.5, 2), U(Shape.Scalar, 1, 3)) with { Tolerance = 1e-5 };
        yield return C("math binary", "floormod (2,3)x()", x => tf.floormod(x[0], x[1]), U(s23, 0.1, 0.9), U(Shape.Scalar, 1.5, 2));

        // Unary element-wise.
        foreach (var (name, f, input) in new (string, Func<Tensor, Tensor>, Func<Shape, NDArray>)[]
                 {
                     ("neg", t => -t, s => U(s)), ("abs", t => tf.abs(t), Away), ("square", t => tf.square(t), s => U(s)),
                     ("sqrt", t => tf.sqrt(t), s => U(s, 0.5, 2)), ("exp", t => tf.exp(t), s => U(s)), ("log", t => tf.log(t), s => U(s, 0.5, 2)),
                     ("log1p", t => tf.log1p(t), s => U(s, -0.5, 2)), ("sigmoid", t => tf.sigmoid(t), s => U(s, -3, 3)), ("tanh", t => tf.tanh(t), s => U(s, -2, 2)),
                     ("sign", t => tf.sign(t), Away), ("relu", t => tf.nn.relu(t), Away), ("relu6", t => tf.nn.relu6(t), s => U(s, -2, 5.5)),
                     ("softplus", t => tf.nn.softplus(t), s => U(s, -3, 3)), ("identity", t => tf.identity(t), s => U(s)),
                     ("cast float64 to float64", t => tf.cast(t, tf.float64), s => U(s)),
                 })
        {
            yield return C("math unary", $"{name} (2,3)", x => f(x[0]), input(s23)) with { Tolerance = 1e-5 };
            yield return C("math unary", $"{name} (4,)", x => f(x[0]), input(new Shape(4))) with { Tolerance = 1e-5 };
        }

        // Matrix product, every transpose combination.
        foreach (var (ta, tb) in new[] { (false, false), (false, true), (true, false), (true, true) })
        {
            var a = ta ? U(new Shape(4, 2)) : U(new Shape(2, 4));
            var b = tb ? U(new Shape(3, 4)) : U(new Shape(4, 3));
            yield return C("matmul", $"matmul transpose_a={ta} transpose_b={tb}", x => tf.matmul(x[0], x[1], transpose_a: ta, transpose_b: tb), a, b);
        }
        yield return C("matmul", "matmul run-time shapes", x => tf.matmul(x[0], x[1]), U(new Shape(2, 4)), U(new Shape(4, 3))) with { Dynamic = true };

        // Reductions.
        var s234 = new Shape(2, 3, 4);
        yield return C("reduction", "reduce_sum all", x => tf.reduce_sum(x[0]), U(s234));
        yield return C("reduction", "reduce_sum axis 1", x => tf.reduce_sum(x[0], 1), U(s234));
        yield return C("reduction", "reduce_sum axes [0,2] keepdims", x => tf.reduce_sum(x[0], new[] { 0, 2 }, keepdims: true), U(s234));
        yield return C("reduction", "reduce_sum axis -1 run-time shapes", x => tf.reduce_sum(x[0], -1), U(s234)) with { Dynamic = true };
        yield return C("reduction", "reduce_mean all", x => tf.reduce_mean(x[0]), U(s234));
        yield return C("reduction", "reduce_mean axis 0", x => tf.reduce_mean(x[0], 0), U(s234));
        yield return C("reduction", "reduce_mean axis 1 run-time shapes", x => tf.reduce_mean(x[0], 1), U(s234)) with { Dynamic = true };
        yield return C("reduction", "reduce_max axis 1", x => tf.reduce_max(x[0], 1), Distinct(s234));
        yield return C("reduction", "reduce_max all", x => tf.reduce_max(x[0]), Distinct(s23));
        yield return C("reduction", "reduce_min axis 0 keepdims", x => tf.reduce_min(x[0], 0, keepdims: true), Distinct(s234));
        yield return C("reduction", "reduce_prod axis 1", x => tf.reduce_prod(x[0], 1), U(s234, 0.5, 1.5));
        yield return C("reduction", "reduce_prod all with a zero", x => tf.reduce_prod(x[0]), NDArray.FromFlat(new[] { 0.0, 1.5, -2, 0.7, 1.1, 0.9 }, s23));
        yield return C("reduction", "reduce_prod axes [0,2] run-time shapes", x => tf.reduce_prod(x[0], new[] { 0, 2 }), U(s234, 0.5, 1.5)) with { Dynamic = true };
        yield return C("reduction", "cumsum axis 1", x => tf.cumsum(x[0], 1), U(s234));
        yield return C("reduction", "cumsum exclusive reverse", x => tf.cumsum(x[0], 0, exclusive: true, reverse: true), U(s23));
        yield return C("reduction", "cumprod axis 1", x => tf.cumprod(x[0], 1), U(s234, 0.5, 1.5));
        yield return C("reduction", "cumprod exclusive reverse", x => tf.cumprod(x[0], -1, exclusive: true, reverse: true), U(s23, 0.5, 1.5));
        yield return C("reduction", "add_n", x => tf.add_n(new[] { x[0], x[1], x[0] }), U(s23), U(s23));

        // Array ops.
        yield return C("array", "reshape (2,3)->(3,2)", x => tf.reshape(x[0], new[] { 3, 2 }), U(s23));
        yield return C("array", "reshape run-time shapes", x => tf.reshape(x[0], new[] { -1 }), U(s23)) with { Dynamic = true };
        yield return C("array", "transpose", x => tf.transpose(x[0], new[] { 2, 0, 1 }), U(s234));
        yield return C("array", "gather axis 0, repeated indices", x => tf.gather(x[0], new[] { 3, 0, 3, 1 }), U(new Shape(4, 3)));
        yield return C("array", "gather axis 1, 2-D indices", x => tf.gather(x[0], new[,] { { 2, 0 }, { 2, 2 } }, 1), U(s234));
        yield return C("array", "gather axis -1", x => tf.gather(x[0], new long[] { 3, 1 }, -1), U(s234));
        yield return C("array", "check_numerics", x => tf.check_numerics(x[0], "x") * x[0], U(s234));
        yield return C("math", "unsorted_segment_sum", x => tf.unsorted_segment_sum(x[0], new[] { 1, 0, 1 }, 4), U(new Shape(3, 2)));
        yield return C("math", "unsorted_segment_sum, a dropped negative id, 2-D int64 ids", x => tf.unsorted_segment_sum(x[0], new long[,] { { 1, -1 }, { 0, 1 } }, 3), U(new Shape(2, 2, 3)));
        yield return C("array", "transpose default", x => tf.transpose(x[0]), U(s23));
        yield return C("array", "expand_dims", x => tf.expand_dims(x[0], 1), U(s23));
        yield return C("array", "squeeze", x => tf.squeeze(x[0]), U(new Shape(2, 1, 3)));
        yield return C("array", "concat axis 0", x => tf.concat(new[] { x[0], x[1] }, 0), U(s23), U(new Shape(1, 3)));
        yield return C("array", "concat axis -1", x => tf.concat(new[] { x[0], x[1], x[0] }, -1), U(s23), U(new Shape(2, 2)));
        yield return C("array", "concat run-time shapes", x => tf.concat(new[] { x[0], x[1] }, 1), U(s23), U(new Shape(2, 2))) with { Dynamic = true };
        yield return C("array", "slice", x => tf.slice(x[0], new[] { 0, 1, 1 }, new[] { 2, -1, 2 }), U(s234));
        yield return C("array", "pad", x => tf.pad(x[0], new[,] { { 1, 0 }, { 2, 1 } }), U(s23));
        yield return C("array", "broadcast_to", x => tf.broadcast_to(x[0], new[] { 2, 2, 3 }), U(new Shape(1, 3)));
        yield return C("array", "fill", x => tf.fill(new[] { 2, 3 }, x[0]), U(Shape.Scalar));
        yield return C("array", "where (select)", x => tf.where(tf.constant(new[,] { { true, false, true }, { false, false, true } }), x[0], x[1]), U(s23), U(s23));
        yield return C("array", "placeholder_with_default", x => tf.placeholder_with_default(x[0], s23), U(s23));

        // Neural-network ops.
        yield return C("nn", "bias_add", x => tf.nn.bias_add(x[0], x[1]), U(s234), U(new Shape(4)));
        yield return C("nn", "softmax", x => tf.nn.softmax(x[0]), U(s23, -2, 2));
        yield return C("nn", "softmax rank 3", x => tf.nn.softmax(x[0]), U(s234, -2, 2));
        yield return C("nn", "log_softmax", x => tf.nn.log_softmax(x[0]), U(s23, -2, 2));
        yield return C("nn", "softmax_cross_entropy_with_logits_v2 (logits and labels)", x => tf.nn.softmax_cross_entropy_with_logits_v2(labels: tf.nn.softmax(x[1]), logits: x[0]), U(s23, -2, 2), U(s23));
        yield return C("nn", "softmax_cross_entropy_with_logits rank 3", x => tf.nn.softmax_cross_entropy_with_logits(labels: tf.constant(Hot(2, 2, 4)), logits: x[0]), U(new Shape(2, 2, 4), -2, 2));
        yield return C("nn", "sparse_softmax_cross_entropy_with_logits", x => tf.nn.sparse_softmax_cross_entropy_with_logits(labels: tf.constant(new[] { 2, 0 }), logits: x[0]), U(s23, -2, 2));
        yield return C("nn", "sigmoid_cross_entropy_with_logits", x => tf.nn.sigmoid_cross_entropy_with_logits(labels: x[1], logits: x[0]), Away(s23), U(s23, 0, 1));
        yield return C("nn", "l2_loss", x => tf.nn.l2_loss(x[0]), U(s23));
        yield return C("nn", "clip_by_value", x => tf.clip_by_value(x[0], -0.5, 0.5), NDArray.FromFlat(new[] { -0.9, -0.3, 0.1, 0.4, 0.7, 0.2 }, s23));
        // tf.losses computes in float32, as TensorFlow does.
        // ResizeBilinear's result is float32, as TensorFlow's: the central differences see float32 rounding.
        yield return C("image", "resize_bilinear 3x4 to 5x7", x => tf.cast(tf.image.resize_bilinear(x[0], new[] { 5, 7 }), tf.float64), U(new Shape(2, 3, 4, 2))) with { Tolerance = 1e-3 };
        yield return C("image", "resize_bilinear 6x6 to 4x3 aligned", x => tf.cast(tf.image.resize_bilinear(x[0], new[] { 4, 3 }, align_corners: true), tf.float64), U(new Shape(1, 6, 6, 1))) with { Tolerance = 1e-3 };
        yield return C("nn", "mean_squared_error", x => tf.cast(tf.losses.mean_squared_error(x[1], x[0], loss_collection: null), tf.float64), U(s23), U(s23)) with { Tolerance = 1e-3 };

        // Convolutions and pooling: odd sizes, strides 1-3, SAME and VALID, dilations, channel multipliers.
        foreach (var (h, w, k, stride, padding, dilation) in new[]
                 {
                     (5, 5, 3, 1, "VALID", 1), (5, 6, 3, 1, "SAME", 1), (7, 6, 3, 2, "SAME", 1), (6, 7, 2, 2, "VALID", 1),
                     (7, 7, 3, 3, "SAME", 1), (6, 6, 2, 1, "SAME", 2), (7, 5, 3, 1, "VALID", 2), (4, 4, 1, 2, "SAME", 1),
                 })
        {
            var label = $"{h}x{w} k{k} s{stride} {padding} d{dilation}";
            int[] strides = [1, stride, stride, 1], dilations = [1, dilation, dilation, 1];
            var image = new Shape(2, h, w, 2);
            yield return C("conv", $"conv2d {label}", x => tf.nn.conv2d(x[0], x[1], strides, padding, dilations), U(image), U(new Shape(k, k, 2, 3)));
            yield return C("conv", $"depthwise_conv2d {label}", x => tf.nn.depthwise_conv2d(x[0], x[1], strides, padding, [dilation, dilation]), U(image), U(new Shape(k, k, 2, 2)));
            if (dilation > 1) continue;
            int[] ksize = [1, k, k, 1];
            yield return C("pool", $"max_pool {label}", x => tf.nn.max_pool(x[0], ksize, strides, padding), Distinct(image));
            yield return C("pool", $"avg_pool {label}", x => tf.nn.avg_pool(x[0], ksize, strides, padding), U(image));
        }
        yield return C("conv", "conv2d rectangular window and strides", x => tf.nn.conv2d(x[0], x[1], [1, 2, 1, 1], "SAME"), U(new Shape(1, 5, 4, 2)), U(new Shape(3, 2, 2, 2)));
        yield return C("conv", "conv2d 1x1 (pointwise)", x => tf.nn.conv2d(x[0], x[1], [1, 1, 1, 1], "VALID"), U(new Shape(2, 3, 3, 4)), U(new Shape(1, 1, 4, 3)));
        yield return C("conv", "conv2d_transpose", x => tf.nn.conv2d_transpose(x[0], x[1], new[] { 2, 7, 7, 2 }, [1, 2, 2, 1], "SAME"), U(new Shape(2, 4, 4, 3)), U(new Shape(3, 3, 2, 3)));
        {
            WindowAttrs conv = WindowAttrs.ForConv([1, 2, 2, 1], "SAME", null), pool = WindowAttrs.ForPool([1, 2, 2, 1], [1, 2, 2, 1], "SAME");
            var image = new Shape(1, 5, 5, 2);
            Tensor Sizes(int[] v) => tf.constant(v);
            yield return C("second order", "Conv2DBackpropInput", x => Conv2DBackpropInput.Def.Build(Sizes([1, 5, 5, 2]), x[0], x[1], conv), U(new Shape(3, 3, 2, 3)), U(new Shape(1, 3, 3, 3)));
            yield return C("second order", "Conv2DBackpropFilter", x => Conv2DBackpropFilter.Def.Build(x[0], Sizes([3, 3, 2, 3]), x[1], conv), U(image), U(new Shape(1, 3, 3, 3)));
            yield return C("second order", "DepthwiseConv2dNativeBackpropInput", x => DepthwiseConv2dNativeBackpropInput.Def.Build(Sizes([1, 5, 5, 2]), x[0], x[1], conv), U(new Shape(3, 3, 2, 2)), U(new Shape(1, 3, 3, 4)));
            yield return C("second order", "DepthwiseConv2dNativeBackpropFilter", x => DepthwiseConv2dNativeBackpropFilter.Def.Build(x[0], Sizes([3, 3, 2, 2]), x[1], conv), U(image), U(new Shape(1, 3, 3, 4)));
            yield return C("second order", "AvgPoolGrad", x => AvgPoolGrad.Build(Sizes([1, 5, 5, 2]), x[0], pool), U(new Shape(1, 3, 3, 2)));
            var fixedInput = Distinct(image);
            yield return C("second order", "MaxPoolGrad", x =>
            {
                var input = tf.constant(fixedInput);
                return MaxPoolGrad.Build(input, MaxPool.Build(input, [1, 2, 2, 1], [1, 2, 2, 1], "SAME"), x[0], pool);
            }, U(new Shape(1, 3, 3, 2)));
            yield return C("second order", "MaxPoolGradGrad", x =>
            {
                var input = tf.constant(fixedInput);
                return MaxPoolGradGrad.Build(input, MaxPool.Build(input, [1, 2, 2, 1], [1, 2, 2, 1], "SAME"), x[0], pool);
            }, U(image));
        }

        // The fused gradient ops, and second derivatives (gradients are ops, so they are differentiated again).
        yield return C("second order", "ReluGrad", x => ReluGrad.Def.Apply(x[0], x[1]), U(s23), Away(s23));
        yield return C("second order", "Relu6Grad", x => Relu6Grad.Def.Apply(x[0], x[1]), U(s23), U(s23, 0.5, 5.5));
        yield return C("second order", "SoftplusGrad", x => SoftplusGrad.Def.Apply(x[0], x[1]), U(s23), U(s23, -2, 2));
        yield return C("second order", "SigmoidGrad", x => SigmoidGrad.Def.Apply(x[0], x[1]), U(s23, 0.1, 0.9), U(s23));
        yield return C("second order", "TanhGrad", x => TanhGrad.Def.Apply(x[0], x[1]), U(s23, -0.9, 0.9), U(s23));
        yield return C("second order", "BiasAddGrad", x => BiasAddGrad.Build(x[0]), U(s234));
        foreach (var (name, f, input) in new (string, Func<Tensor, Tensor>, Func<Shape, NDArray>)[]
                 {
                     ("x³", t => t * t * t, s => U(s)), ("sigmoid", t => tf.sigmoid(t), s => U(s, -2, 2)), ("tanh", t => tf.tanh(t), s => U(s, -2, 2)),
                     ("softplus", t => tf.nn.softplus(t), s => U(s, -2, 2)), ("exp", t => tf.exp(t), s => U(s)), ("log", t => tf.log(t), s => U(s, 0.5, 2)),
                     ("sqrt", t => tf.sqrt(t), s => U(s, 0.5, 2)), ("x/(1+x²)", t => t / (1.0 + tf.square(t)), s => U(s)),
                     ("pow(x, 3)", t => tf.pow(t, 3.0), s => U(s, 0.5, 1.5)), ("softmax", t => tf.nn.softmax(t), s => U(s, -2, 2)),
                     ("log_softmax", t => tf.nn.log_softmax(t), s => U(s, -2, 2)),
                 })
        {
            yield return C("second order", $"d²/dx² {name}", x => tf.gradients(tf.reduce_sum(f(x[0])), x[0])[0]!, input(s23)) with { Tolerance = 1e-4 };
        }
        yield return C("second order", "d²/dlogits² softmax_cross_entropy", x => tf.gradients(tf.reduce_sum(tf.nn.softmax_cross_entropy_with_logits_v2(labels: tf.constant(Hot(1, 2, 3).Reshape(new Shape(2, 3))), logits: x[0])), x[0])[0]!, U(s23)) with { Tolerance = 1e-5 };
        yield return C("second order", "d²/dx² matmul·square", x => tf.gradients(tf.reduce_sum(tf.square(tf.matmul(x[0], x[1]))), x[0])[0]!, U(s23), U(new Shape(3, 2))) with { Tolerance = 1e-5 };

        // Each area's cases live in its own file (GradientCases.<Area>.cs), listed here. Every area draws its inputs
        // from the same point of the random sequence, so adding an area changes no other area's inputs.
        foreach (var c in FusedBatchNormCases()) yield return c;
        foreach (var c in ExplicitCases()) yield return c;
        foreach (var c in GraphIOCases()) yield return c;
        foreach (var c in FusedRnnCases()) yield return c;
        foreach (var c in ImagesCases()) yield return c;
        foreach (var c in RecordsCases()) yield return c;
        foreach (var c in ResourceVariablesCases()) yield return c;
        var areaSeed = _seed;
        foreach (var area in new Func<IEnumerable<GradientCase>>[] { ControlFlowCases, NNCases, MathCases, ArrayCases, ClippingCases, RnnCases, ScatterCases, SparseCases, Seq2SeqCases, TensorFlow2Cases })
        {
            _seed = areaSeed;
            foreach (var c in area()) yield return c;
        }
    }

    private static NDArray Hot(int a, int b, int classes)
    {
        var v = new double[a * b * classes];
        for (var i = 0; i < a * b; i++) v[i * classes + (i * 7 + 1) % classes] = 1;
        return NDArray.FromFlat(v, new Shape(a, b, classes));
    }
}
