using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;

namespace SharpFlow.Tests.Gradients;

/// <summary>The gradient checks of the math and activation ops (branch ops-math).</summary>
public static partial class GradientCases
{
    private static IEnumerable<GradientCase> MathCases()
    {
        var s23 = new Shape(2, 3);
        foreach (var (name, f, input) in new (string, Func<Tensor, Tensor>, Func<Shape, NDArray>)[]
                 {
                     ("sin", t => tf.sin(t), s => U(s, -3, 3)), ("cos", t => tf.cos(t), s => U(s, -3, 3)), ("tan", t => tf.tan(t), s => U(s, -1.2, 1.2)),
                     ("asin", t => tf.asin(t), s => U(s, -0.9, 0.9)), ("acos", t => tf.acos(t), s => U(s, -0.9, 0.9)), ("atan", t => tf.atan(t), s => U(s, -3, 3)),
                     ("sinh", t => tf.sinh(t), s => U(s, -2, 2)), ("cosh", t => tf.cosh(t), s => U(s, -2, 2)), ("rsqrt", t => tf.rsqrt(t), s => U(s, 0.5, 2)),
                     ("reciprocal", t => tf.reciprocal(t), s => U(s, 0.5, 2)), ("erf", t => tf.erf(t), s => U(s, -2, 2)), ("erfc", t => tf.erfc(t), s => U(s, -2, 3)),
                     ("lgamma", t => tf.lgamma(t), s => U(s, 0.3, 4)), ("lgamma negative", t => tf.lgamma(t), s => U(s, -0.7, -0.3)),
                     ("digamma", t => tf.digamma(t), s => U(s, 0.8, 4)), ("expm1", t => tf.expm1(t), s => U(s, -2, 2)),
                     ("polygamma(2, x)", t => tf.polygamma(2.0, t), s => U(s, 1.5, 3)),
                     ("zeta(3, q)", t => tf.zeta(3.0, t), s => U(s, 0.5, 3)),
                 })
        {
            yield return C("math unary", $"{name} (2,3)", x => f(x[0]), input(s23)) with { Tolerance = 1e-5 };
        }
        yield return C("math binary", "atan2 (2,3)x(2,3)", x => tf.atan2(x[0], x[1]), U(s23), Away(s23)) with { Tolerance = 1e-5 };
        yield return C("math binary", "atan2 (2,3)x(3,)", x => tf.atan2(x[0], x[1]), U(s23), Away(new Shape(3))) with { Tolerance = 1e-5 };
        // Reductions and sorting.
        var s234 = new Shape(2, 3, 4);
        yield return C("reduction", "reduce_logsumexp axis 1", x => tf.reduce_logsumexp(x[0], 1), U(s234, -2, 2));
        yield return C("reduction", "reduce_logsumexp all keepdims", x => tf.reduce_logsumexp(x[0], keepdims: true), U(s23, -2, 2));
        yield return C("reduction", "top_k k=2", x => tf.nn.top_k(x[0], 2).values, Distinct(s234));
        yield return C("reduction", "top_k k=4 run-time shapes", x => tf.nn.top_k(x[0], 4).values, Distinct(s234)) with { Dynamic = true };
        yield return C("reduction", "sort axis 0 ascending", x => tf.sort(x[0], axis: 0), Distinct(s23));
        // Matrices.
        foreach (var (ta, tb) in new[] { (false, false), (false, true), (true, false), (true, true) })
        {
            var a = ta ? U(new Shape(2, 1, 4, 3)) : U(new Shape(2, 1, 3, 4));
            var b = tb ? U(new Shape(3, 2, 4)) : U(new Shape(3, 4, 2));
            yield return C("matmul", $"batch matmul broadcast adjoint_a={ta} adjoint_b={tb}", x => tf.matmul(x[0], x[1], adjoint_a: ta, adjoint_b: tb), a, b);
        }
        yield return C("matmul", "batch matmul run-time shapes", x => tf.matmul(x[0], x[1]), U(new Shape(2, 3, 4)), U(new Shape(1, 4, 2))) with { Dynamic = true };
        yield return C("matmul", "matrix_band_part", x => tf.matrix_band_part(x[0], 1, 0), U(s234));
        yield return C("matmul", "matrix_diag", x => tf.matrix_diag(x[0]), U(s23));
        yield return C("matmul", "matrix_diag_part square", x => tf.matrix_diag_part(x[0]), U(new Shape(2, 3, 3)));
        yield return C("matmul", "matrix_diag_part wide", x => tf.matrix_diag_part(x[0]), U(s234));
        yield return C("matmul", "matrix_diag_part tall", x => tf.matrix_diag_part(x[0]), U(new Shape(4, 2)));
        yield return C("matmul", "trace", x => tf.trace(x[0]), U(new Shape(2, 3, 3)));
        yield return C("matmul", "tensordot", x => tf.tensordot(x[0], x[1], new[] { new[] { 1, 2 }, new[] { 1, 0 } }), U(s234), U(new Shape(4, 3, 2)));
        yield return C("matmul", "einsum bij,bjk->bik", x => tf.einsum("bij,bjk->bik", x[0], x[1]), U(s234), U(new Shape(2, 4, 2)));
        yield return C("matmul", "einsum ijk,jl->lki", x => tf.einsum("ijk,jl->lki", x[0], x[1]), U(s234), U(new Shape(3, 2)));
        yield return C("second order", "d²/dx² batch matmul·square", x => tf.gradients(tf.reduce_sum(tf.square(tf.matmul(x[0], x[1]))), x[0])[0]!, U(s234), U(new Shape(2, 4, 2))) with { Tolerance = 1e-5 };
        // Activations.
        foreach (var (name, f, input) in new (string, Func<Tensor, Tensor>, Func<Shape, NDArray>)[]
                 {
                     ("elu", t => tf.nn.elu(t), Away), ("selu", t => tf.nn.selu(t), Away), ("leaky_relu", t => tf.nn.leaky_relu(t, alpha: 0.3), Away),
                     ("softsign", t => tf.nn.softsign(t), Away), ("crelu", t => tf.nn.crelu(t), Away), ("crelu axis 0", t => tf.nn.crelu(t, axis: 0), Away),
                     ("swish", t => tf.nn.swish(t), s => U(s, -3, 3)), ("l2_normalize axis 1", t => tf.nn.l2_normalize(t, axis: 1), Away),
                     ("l2_normalize all", t => tf.nn.l2_normalize(t), Away),
                     ("softmax axis 0", t => tf.nn.softmax(t, axis: 0), s => U(s, -2, 2)), ("log_softmax axis 0", t => tf.nn.log_softmax(t, axis: 0), s => U(s, -2, 2)),
                 })
        {
            yield return C("nn", $"{name} (2,3)", x => f(x[0]), input(s23)) with { Tolerance = 1e-5 };
        }
        yield return C("second order", "EluGrad", x => EluGrad.Def.Apply(x[0], x[1]), U(s23), Away(s23));
        yield return C("second order", "SeluGrad", x => SeluGrad.Def.Apply(x[0], x[1]), U(s23), Away(s23));
        yield return C("second order", "SoftsignGrad", x => SoftsignGrad.Def.Apply(x[0], x[1]), U(s23), Away(s23));
        yield return C("second order", "LeakyReluGrad", x => LeakyReluGrad.Build(x[0], x[1], 0.3f), U(s23), Away(s23));
        yield return C("second order", "d²/dx² elu", x => tf.gradients(tf.reduce_sum(tf.nn.elu(x[0])), x[0])[0]!, Away(s23)) with { Tolerance = 1e-4 };
        yield return C("nn", "softmax_cross_entropy_with_logits_v2 dim 0", x => tf.nn.softmax_cross_entropy_with_logits_v2(labels: tf.nn.softmax(x[1], axis: 0), logits: x[0], axis: 0), U(s23, -2, 2), U(s23));
        yield return C("nn", "softmax_cross_entropy_with_logits_v2 broadcast labels", x => tf.nn.softmax_cross_entropy_with_logits_v2(labels: tf.nn.softmax(x[1]), logits: x[0]), U(s23, -2, 2), U(new Shape(1, 3)));
        yield return C("nn", "softmax_cross_entropy_with_logits_v2 rank-1 labels, rank-3 logits", x => tf.nn.softmax_cross_entropy_with_logits_v2(labels: tf.nn.softmax(x[1]), logits: x[0]), U(s234, -2, 2), U(new Shape(4)));
        yield return C("second order", "RsqrtGrad", x => RsqrtGrad.Def.Apply(x[0], x[1]), U(s23, 0.5, 1.5), U(s23));
        yield return C("second order", "ReciprocalGrad", x => ReciprocalGrad.Def.Apply(x[0], x[1]), U(s23, 0.5, 1.5), U(s23));
        foreach (var (name, f, input) in new (string, Func<Tensor, Tensor>, Func<Shape, NDArray>)[]
                 {
                     ("sin", t => tf.sin(t), s => U(s, -3, 3)), ("tan", t => tf.tan(t), s => U(s, -1, 1)), ("asin", t => tf.asin(t), s => U(s, -0.8, 0.8)),
                     ("rsqrt", t => tf.rsqrt(t), s => U(s, 0.5, 2)), ("reciprocal", t => tf.reciprocal(t), s => U(s, 0.5, 2)),
                     ("erf", t => tf.erf(t), s => U(s, -2, 2)), ("lgamma", t => tf.lgamma(t), s => U(s, 0.5, 3)),
                 })
        {
            yield return C("second order", $"d²/dx² {name}", x => tf.gradients(tf.reduce_sum(f(x[0])), x[0])[0]!, input(s23)) with { Tolerance = 1e-4 };
        }
        // MatrixSetDiag (TensorFlow's _MatrixSetDiagGrad): both inputs, square, wide and tall, batched.
        yield return C("matmul", "matrix_set_diag square", x => tf.linalg.set_diag(x[0], x[1]), U(new Shape(2, 3, 3)), U(new Shape(2, 3)));
        yield return C("matmul", "matrix_set_diag wide", x => tf.linalg.set_diag(x[0], x[1]), U(new Shape(2, 3, 4)), U(new Shape(2, 3)));
        yield return C("matmul", "matrix_set_diag tall", x => tf.linalg.set_diag(x[0], x[1]), U(new Shape(4, 2)), U(new Shape(2)));
        // MatrixDiagV2/V3, MatrixDiagPartV2/V3, MatrixSetDiagV2/V3 (TensorFlow's _MatrixDiagV2Grad and the rest): bands, alignments.
        yield return C("matmul", "matrix_diag k=[-1,1]", x => tf.linalg.diag(x[0], k: new[] { -1, 1 }), U(new Shape(2, 3, 3)));
        yield return C("matmul", "matrix_diag k=[0,2] LEFT_RIGHT 3x5", x => tf.linalg.diag(x[0], k: new[] { 0, 2 }, num_cols: 5, align: "LEFT_RIGHT"), U(new Shape(3, 3)));
        yield return C("matmul", "matrix_diag_part k=[-1,1]", x => tf.linalg.diag_part(x[0], k: new[] { -1, 1 }), U(new Shape(2, 3, 4)));
        yield return C("matmul", "matrix_diag_part k=[-2,0] RIGHT_LEFT", x => tf.linalg.diag_part(x[0], k: new[] { -2, 0 }, padding_value: 1.0, align: "RIGHT_LEFT"), U(new Shape(4, 3)));
        yield return C("matmul", "matrix_diag_part k=1 run-time shapes", x => tf.linalg.diag_part(x[0], k: 1, align: "RIGHT_RIGHT"), U(new Shape(2, 3, 4))) with { Dynamic = true };
        yield return C("matmul", "matrix_set_diag k=[-1,1]", x => tf.linalg.set_diag(x[0], x[1], k: new[] { -1, 1 }), U(new Shape(2, 3, 4)), U(new Shape(2, 3, 3)));
        yield return C("matmul", "matrix_set_diag k=1 RIGHT_RIGHT", x => tf.linalg.set_diag(x[0], x[1], k: 1, align: "RIGHT_RIGHT"), U(new Shape(4, 3)), U(new Shape(2)));
    }
}
