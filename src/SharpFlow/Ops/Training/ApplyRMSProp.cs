using System.Numerics;

namespace SharpFlow.Ops.Training;

/// <summary>ApplyRMSProp: <c>ms += (g²-ms)(1-rho)</c>; <c>mom = mom*momentum + lr*g/sqrt(ms+eps)</c>; <c>var -= mom</c>.</summary>
internal sealed class ApplyRMSProp : ApplyOp
{
    public static readonly ApplyRMSProp Def = new();

    public override string Type => "ApplyRMSProp";

    protected override string[] InputNames { get; } = ["var", "ms", "mom", "lr", "rho", "momentum", "epsilon", "grad"];

    protected override int RefCount => 3;

    protected override int GradIndex => 7;

    protected override void Update<T>(SlotSpans<T> refs, T[] s, ReadOnlySpan<T> g)
    {
        var v = refs[0];
        var ms = refs[1];
        var mom = refs[2];
        var (lr, rho, momentum, eps) = (s[0], s[1], s[2], s[3]);
        for (var i = 0; i < v.Length; i++)
        {
            ms[i] += (g[i] * g[i] - ms[i]) * (T.One - rho);
            mom[i] = mom[i] * momentum + g[i] * lr / T.Sqrt(ms[i] + eps);
            v[i] -= mom[i];
        }
    }
}
