using System.Numerics;

namespace SharpFlow.Ops.Training;

/// <summary>ApplyAdadelta: <c>accum = rho*accum + (1-rho)g²</c>; <c>u = sqrt(accum_update+eps)/sqrt(accum+eps)*g</c>; <c>var -= lr*u</c>; <c>accum_update = rho*accum_update + (1-rho)u²</c>.</summary>
internal sealed class ApplyAdadelta : ApplyOp
{
    public static readonly ApplyAdadelta Def = new();

    public override string Type => "ApplyAdadelta";

    protected override string[] InputNames { get; } = ["var", "accum", "accum_update", "lr", "rho", "epsilon", "grad"];

    protected override int RefCount => 3;

    protected override int GradIndex => 6;

    protected override void Update<T>(SlotSpans<T> refs, T[] s, ReadOnlySpan<T> g)
    {
        var v = refs[0];
        var accum = refs[1];
        var update = refs[2];
        var (lr, rho, eps) = (s[0], s[1], s[2]);
        for (var i = 0; i < v.Length; i++)
        {
            accum[i] = accum[i] * rho + g[i] * g[i] * (T.One - rho);
            var u = T.Sqrt(update[i] + eps) / T.Sqrt(accum[i] + eps) * g[i];
            v[i] -= u * lr;
            update[i] = update[i] * rho + u * u * (T.One - rho);
        }
    }
}
