using System.Numerics;
using SharpFlow.Framework;

namespace SharpFlow.Ops.Training;

/// <summary>ApplyAdagrad: <c>accum += g²</c>; <c>var -= lr*g/sqrt(accum)</c>.</summary>
internal sealed class ApplyAdagrad : ApplyOp
{
    public static readonly ApplyAdagrad Def = new();
    internal static readonly OpAttr<bool> UpdateSlots = new("update_slots", true);

    public override string Type => "ApplyAdagrad";

    protected override string[] InputNames { get; } = ["var", "accum", "lr", "grad"];

    protected override int RefCount => 2;

    protected override int GradIndex => 3;

    protected override void Update<T>(SlotSpans<T> refs, T[] s, ReadOnlySpan<T> g)
    {
        var v = refs[0];
        var accum = refs[1];
        var lr = s[0];
        for (var i = 0; i < v.Length; i++)
        {
            accum[i] += g[i] * g[i];
            v[i] -= g[i] * lr / T.Sqrt(accum[i]);
        }
    }
}
