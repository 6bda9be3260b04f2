using SharpFlow.Ops.Math;

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
    }
}
