using System.Numerics;

namespace SharpFlow.Ops.Training;

/// <summary>ApplyFtrl (follow the regularized leader): <c>new = accum + g²</c>; <c>linear += g - (new^-p - accum^-p)/lr*var</c>; <c>var = |linear| &gt; l1 ? (l1*sign(linear) - linear)/(new^-p/lr + 2*l2) : 0</c>; <c>accum = new</c>.</summary>
internal sealed class ApplyFtrl : ApplyOp
{
    public static readonly ApplyFtrl Def = new();

    public override string Type => "ApplyFtrl";

    protected override string[] InputNames { get; } = ["var", "accum", "linear", "grad", "lr", "l1", "l2", "lr_power"];

    protected override int RefCount => 3;

    protected override int GradIndex => 3;

    protected override void Validate(double[] scalars, Func<string, Exception> error)
    {
        if (!(scalars[0] > 0)) throw error($"lr is not a positive scalar: {scalars[0]}");
        if (!(scalars[1] >= 0)) throw error($"l1 regularization strength is not a non-negative scalar: {scalars[1]}");
        if (!(scalars[2] >= 0)) throw error($"l2 regularization strength is not a non-negative scalar: {scalars[2]}");
        if (!(scalars[3] <= 0)) throw error($"lr_power is not a non-positive scalar: {scalars[3]}");
    }

    protected override void Update<T>(SlotSpans<T> refs, T[] s, ReadOnlySpan<T> g)
    {
        var v = refs[0];
        var accum = refs[1];
        var linear = refs[2];
        var (lr, l1, l2, power) = (s[0], s[1], s[2], s[3]);
        var half = power == T.CreateChecked(-0.5);
        for (var i = 0; i < v.Length; i++)
        {
            var next = accum[i] + g[i] * g[i];
            var (pNext, pOld) = half ? (T.Sqrt(next), T.Sqrt(accum[i])) : (T.Pow(next, -power), T.Pow(accum[i], -power));
            linear[i] += g[i] - (pNext - pOld) / lr * v[i];
            var x = l1 * T.CreateChecked(T.Sign(linear[i])) - linear[i];
            var y = pNext / lr + T.CreateChecked(2) * l2;
            v[i] = T.Abs(linear[i]) > l1 ? x / y : T.Zero;
            accum[i] = next;
        }
    }
}
