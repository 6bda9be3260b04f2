using SharpFlow.Ops.NN;

namespace SharpFlow.Tests.Gradients;

/// <summary>The GraphIO area's gradient checks: the ops that come only from imported TensorFlow graphs.</summary>
public static partial class GradientCases
{
    private static IEnumerable<GradientCase> GraphIOCases()
    {
        // This area draws its inputs where it stands, then puts the random sequence back, so no other area's inputs move.
        var seed = _seed;
        // BatchNormWithGlobalNormalization (the 2015 Inception graph's batch norm): t, mean, variance (positive), beta, gamma.
        foreach (var scale in new[] { true, false })
            yield return C("nn", $"BatchNormWithGlobalNormalization scale_after_normalization={scale}",
                x => BatchNormWithGlobalNormalization.Build(x[0], x[1], x[2], x[3], x[4], 0.001, scale),
                U(new Shape(2, 2, 3, 3)), U(new Shape(3)), U(new Shape(3), 0.5, 1.5), U(new Shape(3)), U(new Shape(3))) with { Tolerance = 1e-5 };
        _seed = seed;
    }
}
