using System.Numerics;

namespace SharpFlow.Ops.Training;

/// <summary>ApplyProximalAdagrad: <c>accum += g²</c>; <c>lr' = lr/sqrt(accum)</c>; then the proximal step of ApplyProximalGradientDescent with <c>lr'</c>.</summary>
internal sealed class ApplyProximalAdagrad : ApplyOp
{
    public static readonly ApplyProximalAdagrad Def = new();

    public override string Type => "ApplyProximalAdagrad";

    protected override string[] InputNames { get; } = ["var", "accum", "lr", "l1", "l2", "grad"];

    protected override int RefCount => 2;

    protected override int GradIndex => 5;

    protected override void Validate(double[] scalars, Func<string, Exception> error)
    {
        if (!(scalars[1] >= 0)) throw error($"l1 regularization strength is not a non-negative scalar: {scalars[1]}");
        if (!(scalars[2] >= 0)) throw error($"l2 regularization strength is not a non-negative scalar: {scalars[2]}");
    }

    protected override void Update<T>(SlotSpans<T> refs, T[] s, ReadOnlySpan<T> g)
    {
        var v = refs[0];
        var accum = refs[1];
        var (lr, l1, l2) = (s[0], s[1], s[2]);
        for (var i = 0; i < v.Length; i++)
        {
            accum[i] += g[i] * g[i];
            var rate = lr / T.Sqrt(accum[i]);
            var prox = v[i] - g[i] * rate;
            v[i] = l1 > T.Zero
                ? T.CreateChecked(T.Sign(prox)) * T.Max(T.Abs(prox) - rate * l1, T.Zero) / (T.One + l2 * rate)
                : prox / (T.One + l2 * rate);
        }
    }
}
