using System.Numerics;

namespace SharpFlow.Ops.Training;

/// <summary>ApplyGradientDescent: <c>var -= alpha * delta</c>.</summary>
internal sealed class ApplyGradientDescent : ApplyOp
{
    public static readonly ApplyGradientDescent Def = new();

    public override string Type => "ApplyGradientDescent";

    protected override string[] InputNames { get; } = ["var", "alpha", "delta"];

    protected override int RefCount => 1;

    protected override int GradIndex => 2;

    protected override void Update<T>(SlotSpans<T> refs, T[] s, ReadOnlySpan<T> g)
    {
        var v = refs[0];
        var lr = s[0];
        for (var i = 0; i < v.Length; i++) v[i] -= g[i] * lr;
    }
}
