using System.Numerics;

namespace SharpFlow.Ops.Training;

/// <summary>
/// ApplyFtrlV2: FTRL with shrinkage-type L2 (TensorFlow's CPU kernel): <c>gs = g + 2*l2_shrinkage*var</c>;
/// <c>new = accum + gs²</c>; <c>linear += gs - (new^-p - accum^-p)/lr*var</c>; <c>var = |linear| &gt; l1 ?
/// (l1*sign(linear) - linear)/(new^-p/lr + 2*l2) : 0</c>; <c>accum = new</c>.
/// </summary>
internal sealed class ApplyFtrlV2 : ApplyOp
{
    public static readonly ApplyFtrlV2 Def = new();

    public override string Type => "ApplyFtrlV2";

    protected override string[] InputNames { get; } = ["var", "accum", "linear", "grad", "lr", "l1", "l2", "l2_shrinkage", "lr_power"];

    protected override int RefCount => 3;

    protected override int GradIndex => 3;

    protected override void Validate(double[] scalars, Func<string, Exception> error)
    {
        if (!(scalars[0] > 0)) throw error($"lr is not a positive scalar: {scalars[0]}");
        if (!(scalars[1] >= 0)) throw error($"l1 regularization strength is not a non-negative scalar: {scalars[1]}");
        if (!(scalars[2] >= 0)) throw error($"l2 regularization strength is not a non-negative scalar: {scalars[2]}");
        if (!(scalars[3] >= 0)) throw error($"l2 shrinkage regularization strength is not a non-negative scalar: {scalars[3]}");
        if (!(scalars[4] <= 0)) throw error($"lr_power is not a non-positive scalar: {scalars[4]}");
    }

    protected override void Update<T>(SlotSpans<T> refs, T[] s, ReadOnlySpan<T> g)
    {
        var v = refs[0];
        var accum = refs[1];
        var linear = refs[2];
        var (lr, l1, l2, shrinkage, power) = (s[0], s[1], s[2], s[3], s[4]);
        var half = power == T.CreateChecked(-0.5);
        var two = T.CreateChecked(2);
        for (var i = 0; i < v.Length; i++)
        {
            var gs = g[i] + two * shrinkage * v[i];
            var next = accum[i] + gs * gs;
            var (pNext, pOld) = half ? (T.Sqrt(next), T.Sqrt(accum[i])) : (T.Pow(next, -power), T.Pow(accum[i], -power));
            linear[i] += gs - (pNext - pOld) / lr * v[i];
            var x = l1 * T.CreateChecked(T.Sign(linear[i])) - linear[i];
            var y = pNext / lr + two * l2;
            v[i] = T.Abs(linear[i]) > l1 ? x / y : T.Zero;
            accum[i] = next;
        }
    }
}
