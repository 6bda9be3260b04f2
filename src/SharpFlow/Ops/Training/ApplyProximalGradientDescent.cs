using System.Numerics;

namespace SharpFlow.Ops.Training;

/// <summary>ApplyProximalGradientDescent: <c>prox = var - alpha*delta</c>; <c>var = sign(prox)*max(|prox| - alpha*l1, 0)/(1 + alpha*l2)</c> (without the l1 term when l1 = 0).</summary>
internal sealed class ApplyProximalGradientDescent : ApplyOp
{
    public static readonly ApplyProximalGradientDescent Def = new();

    public override string Type => "ApplyProximalGradientDescent";

    protected override string[] InputNames { get; } = ["var", "alpha", "l1", "l2", "delta"];

    protected override int RefCount => 1;

    protected override int GradIndex => 4;

    protected override void Validate(double[] scalars, Func<string, Exception> error)
    {
        if (!(scalars[1] >= 0)) throw error($"l1 regularization strength is not a non-negative scalar: {scalars[1]}");
        if (!(scalars[2] >= 0)) throw error($"l2 regularization strength is not a non-negative scalar: {scalars[2]}");
    }

    protected override void Update<T>(SlotSpans<T> refs, T[] s, ReadOnlySpan<T> g)
    {
        var v = refs[0];
        var (lr, l1, l2) = (s[0], s[1], s[2]);
        for (var i = 0; i < v.Length; i++)
        {
            var prox = v[i] - g[i] * lr;
            v[i] = l1 > T.Zero
                ? T.CreateChecked(T.Sign(prox)) * T.Max(T.Abs(prox) - lr * l1, T.Zero) / (T.One + l2 * lr)
                : prox / (T.One + l2 * lr);
        }
    }
}
