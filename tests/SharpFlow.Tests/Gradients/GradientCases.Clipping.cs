namespace SharpFlow.Tests.Gradients;

public static partial class GradientCases
{
    /// <summary>clip_by_norm (all axes and one), global_norm and clip_by_global_norm, above and below the clip norm.</summary>
    private static IEnumerable<GradientCase> ClippingCases()
    {
        var s23 = new Shape(2, 3);
        yield return C("clipping", "clip_by_norm, clipped", x => tf.clip_by_norm(x[0], 0.5), U(s23));
        yield return C("clipping", "clip_by_norm, not clipped", x => tf.clip_by_norm(x[0], 10.0), U(s23));
        yield return C("clipping", "clip_by_norm axes 1", x => tf.clip_by_norm(x[0], 0.8, new[] { 1 }), U(s23));
        yield return C("clipping", "global_norm", x => tf.global_norm([x[0], x[1]]), U(s23), U(new Shape(4)));
        yield return C("clipping", "clip_by_global_norm", x => tf.clip_by_global_norm([x[0], x[1]], 1.0).list_clipped[1]!, U(s23), U(new Shape(4)));
    }
}
