using System.Numerics;
using SharpFlow.Framework;

namespace SharpFlow.Ops.Training;

/// <summary>ApplyMomentum: <c>accum = accum*momentum + g</c>; <c>var -= lr*accum</c>, or with Nesterov <c>var -= lr*g + lr*momentum*accum</c>.</summary>
internal sealed class ApplyMomentum : ApplyOp
{
    public static readonly ApplyMomentum Def = new(nesterov: false);

    internal static readonly OpAttr<bool> UseNesterovAttr = new("use_nesterov", false);

    public override string Type => "ApplyMomentum";

    protected override string[] InputNames { get; } = ["var", "accum", "lr", "grad", "momentum"];

    protected override int RefCount => 2;

    protected override int GradIndex => 3;

    private readonly bool _nesterov;

    private ApplyMomentum(bool nesterov = false) => _nesterov = nesterov;

    /// <summary>The variant with <c>use_nesterov=True</c>.</summary>
    public static readonly ApplyMomentum Nesterov = new(nesterov: true);

    private bool UseNesterov => _nesterov;

    internal override ApplyOp RuleFor(Operation op) => UsesNesterov(op) ? Nesterov : Def;

    /// <summary>The node's <c>use_nesterov</c> attribute (false when absent, TensorFlow's default).</summary>
    internal static bool UsesNesterov(Operation op) => UseNesterovAttr.Of(op);

    protected override void Update<T>(SlotSpans<T> refs, T[] s, ReadOnlySpan<T> g)
    {
        var v = refs[0];
        var accum = refs[1];
        var (lr, momentum) = (s[0], s[1]);
        for (var i = 0; i < v.Length; i++)
        {
            accum[i] = accum[i] * momentum + g[i];
            v[i] -= UseNesterov ? g[i] * lr + accum[i] * momentum * lr : accum[i] * lr;
        }
    }
}
