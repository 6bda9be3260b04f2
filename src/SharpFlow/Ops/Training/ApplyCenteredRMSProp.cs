using System.Numerics;

namespace SharpFlow.Ops.Training;

/// <summary>ApplyCenteredRMSProp: RMSProp that also tracks the mean gradient <c>mg += (g-mg)(1-rho)</c> and divides by <c>sqrt(ms - mg² + eps)</c>.</summary>
internal sealed class ApplyCenteredRMSProp : ApplyOp
{
    public static readonly ApplyCenteredRMSProp Def = new();

    public override string Type => "ApplyCenteredRMSProp";

    protected override string[] InputNames { get; } = ["var", "mg", "ms", "mom", "lr", "rho", "momentum", "epsilon", "grad"];

    protected override int RefCount => 4;

    protected override int GradIndex => 8;

    protected override void Update<T>(SlotSpans<T> refs, T[] s, ReadOnlySpan<T> g)
    {
        var v = refs[0];
        var mg = refs[1];
        var ms = refs[2];
        var mom = refs[3];
        var (lr, rho, momentum, eps) = (s[0], s[1], s[2], s[3]);
        for (var i = 0; i < v.Length; i++)
        {
            ms[i] += (g[i] * g[i] - ms[i]) * (T.One - rho);
            mg[i] += (g[i] - mg[i]) * (T.One - rho);
            mom[i] = mom[i] * momentum + g[i] * lr / T.Sqrt(ms[i] - mg[i] * mg[i] + eps);
            v[i] -= mom[i];
        }
    }
}
