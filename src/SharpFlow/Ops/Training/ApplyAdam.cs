using System.Numerics;

namespace SharpFlow.Ops.Training;

/// <summary>ApplyAdam: <c>a = lr*sqrt(1-beta2^t)/(1-beta1^t)</c>; <c>m += (g-m)(1-beta1)</c>; <c>v += (g²-v)(1-beta2)</c>; <c>var -= a*m/(sqrt(v)+eps)</c>.</summary>
internal sealed class ApplyAdam : ApplyOp
{
    public static readonly ApplyAdam Def = new();

    public override string Type => "ApplyAdam";

    protected override string[] InputNames { get; } = ["var", "m", "v", "beta1_power", "beta2_power", "lr", "beta1", "beta2", "epsilon", "grad"];

    protected override int RefCount => 3;

    protected override int GradIndex => 9;

    protected override void Update<T>(NDArray[] refs, T[] s, ReadOnlySpan<T> g)
    {
        var x = refs[0].AsSpan<T>();
        var m = refs[1].AsSpan<T>();
        var v = refs[2].AsSpan<T>();
        var (beta1Power, beta2Power, lr, beta1, beta2, eps) = (s[0], s[1], s[2], s[3], s[4], s[5]);
        var alpha = lr * T.Sqrt(T.One - beta2Power) / (T.One - beta1Power);
        for (var i = 0; i < x.Length; i++)
        {
            m[i] += (g[i] - m[i]) * (T.One - beta1);
            v[i] += (g[i] * g[i] - v[i]) * (T.One - beta2);
            x[i] -= m[i] * alpha / (T.Sqrt(v[i]) + eps);
        }
    }
}
