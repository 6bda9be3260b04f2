using System.Numerics;

namespace SharpFlow.Ops.Training;

/// <summary>ApplyAdagradDA (dual averaging): <c>g_acc += g</c>; <c>gg_acc += g²</c>; <c>var = -lr*sign(g_acc)*max(|g_acc| - l1*t, 0)/(l2*t*lr + sqrt(gg_acc))</c> with <c>t</c> the global step input (the l1 term only when l1 &gt; 0).</summary>
internal sealed class ApplyAdagradDA : ApplyOp
{
    public static readonly ApplyAdagradDA Def = new();

    public override string Type => "ApplyAdagradDA";

    protected override string[] InputNames { get; } = ["var", "gradient_accumulator", "gradient_squared_accumulator", "grad", "lr", "l1", "l2", "global_step"];

    protected override int RefCount => 3;

    protected override int GradIndex => 3;

    protected override bool IsIntegerInput(int index) => index == 7;

    protected override void Update<T>(SlotSpans<T> refs, T[] s, ReadOnlySpan<T> g)
    {
        var v = refs[0];
        var acc = refs[1];
        var sq = refs[2];
        var (lr, l1, l2, step) = (s[0], s[1], s[2], s[3]);
        for (var i = 0; i < v.Length; i++)
        {
            acc[i] += g[i];
            sq[i] += g[i] * g[i];
            var denominator = l2 * step * lr + T.Sqrt(sq[i]);
            v[i] = l1 > T.Zero
                ? -lr * T.CreateChecked(T.Sign(acc[i])) * T.Max(T.Abs(acc[i]) - l1 * step, T.Zero) / denominator
                : -lr * acc[i] / denominator;
        }
    }
}
