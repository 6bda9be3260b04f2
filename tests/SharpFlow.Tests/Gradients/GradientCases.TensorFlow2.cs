using SharpFlow.Ops.MathOps;

namespace SharpFlow.Tests.Gradients;

/// <summary>Gradient checks of the ops TensorFlow 2 writes into V1 graphs (AddV2, SelectV2, DivNoNan).</summary>
public static partial class GradientCases
{
    private static IEnumerable<GradientCase> TensorFlow2Cases()
    {
        yield return C("tf2 ops", "AddV2 with broadcasting", x => AddV2.Build(x[0], x[1]), U(new Shape(2, 3)), U(new Shape(3)));
        yield return C("tf2 ops", "where_v2, condition and y broadcast", x => tf.where_v2(tf.constant(new[] { true, false, true }), x[0], x[1]), U(new Shape(2, 3)), U(new Shape(1)));
        yield return C("tf2 ops", "where_v2, condition broadcast over rows", x => tf.where_v2(tf.constant(new[,] { { true }, { false } }), x[0], x[1]), U(new Shape(2, 3)), U(new Shape(2, 3)));
        yield return C("tf1 ops", "BatchMatMul", x => BatchMatMul.Build(x[0], x[1]), U(new Shape(2, 2, 3)), U(new Shape(2, 3, 4)));
        yield return C("tf1 ops", "BatchMatMul adj_x adj_y", x => BatchMatMul.Build(x[0], x[1], adjX: true, adjY: true), U(new Shape(2, 3, 2)), U(new Shape(2, 4, 3)));
        yield return C("tf2 ops", "div_no_nan", x => tf.div_no_nan(x[0], x[1]), U(new Shape(2, 3)), U(new Shape(3), 1, 2));
        yield return C("tf2 ops", "div_no_nan where y is 0", x => tf.div_no_nan(x[0], x[1] * tf.constant(new[] { 1.0, 0.0, 1.0 }, tf.float64)), U(new Shape(2, 3)), U(new Shape(3), 1, 2));
    }
}
