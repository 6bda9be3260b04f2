using System.Numerics;
using System.Numerics.Tensors;
using SharpFlow.Framework;

namespace SharpFlow.Ops.Training;

/// <summary>
/// ApplyAdam: <c>a = lr*sqrt(1-beta2^t)/(1-beta1^t)</c>; <c>m += (g-m)(1-beta1)</c>; <c>v += (g²-v)(1-beta2)</c>;
/// <c>var -= a*m/(sqrt(v)+eps)</c>, or with <c>use_nesterov</c> <c>var -= (g(1-beta1) + beta1*m)*a/(sqrt(v)+eps)</c>
/// (TensorFlow's CPU functor).
/// </summary>
internal sealed class ApplyAdam : ApplyOp
{
    public static readonly ApplyAdam Def = new(nesterov: false);
    internal static readonly OpAttr<bool> UseNesterov = new("use_nesterov", false);

    /// <summary>The variant with <c>use_nesterov=True</c>.</summary>
    public static readonly ApplyAdam Nesterov = new(nesterov: true);

    private readonly bool _nesterov;

    private ApplyAdam(bool nesterov) => _nesterov = nesterov;

    internal override ApplyOp RuleFor(Operation op) => ApplyMomentum.UsesNesterov(op) ? Nesterov : Def;

    public override string Type => "ApplyAdam";

    protected override string[] InputNames { get; } = ["var", "m", "v", "beta1_power", "beta2_power", "lr", "beta1", "beta2", "epsilon", "grad"];

    protected override int RefCount => 3;

    protected override int GradIndex => 9;

    protected override void Update<T>(SlotSpans<T> refs, T[] s, ReadOnlySpan<T> g)
    {
        var x = refs[0];
        var m = refs[1];
        var v = refs[2];
        var (beta1Power, beta2Power, lr, beta1, beta2, eps) = (s[0], s[1], s[2], s[3], s[4], s[5]);
        var alpha = lr * T.Sqrt(T.One - beta2Power) / (T.One - beta1Power);
        // Vectorized in blocks, each step one correctly rounded operation in the scalar rule's order, so the
        // results equal the element-by-element loop.
        const int Block = 4096;
        var buffer = System.Buffers.ArrayPool<T>.Shared.Rent(2 * Block);
        try
        {
            for (var start = 0; start < x.Length; start += Block)
            {
                var n = System.Math.Min(Block, x.Length - start);
                var xs = x.Slice(start, n);
                var ms = m.Slice(start, n);
                var vs = v.Slice(start, n);
                var gs = g.Slice(start, n);
                var a = buffer.AsSpan(0, n);
                var b = buffer.AsSpan(Block, n);
                TensorPrimitives.Subtract(gs, ms, a);             // g - m
                TensorPrimitives.Multiply(a, T.One - beta1, a);   // (g - m)(1 - beta1)
                TensorPrimitives.Add(ms, a, ms);                  // m += ...
                TensorPrimitives.Multiply(gs, gs, a);             // g²
                TensorPrimitives.Subtract(a, vs, a);              // g² - v
                TensorPrimitives.Multiply(a, T.One - beta2, a);   // (g² - v)(1 - beta2)
                TensorPrimitives.Add(vs, a, vs);                  // v += ...
                if (_nesterov)
                {
                    TensorPrimitives.Multiply(gs, T.One - beta1, a);  // g(1 - beta1)
                    TensorPrimitives.Multiply(ms, beta1, b);          // beta1·m
                    TensorPrimitives.Add(a, b, a);
                    TensorPrimitives.Multiply(a, alpha, a);           // (...)·alpha
                }
                else
                {
                    TensorPrimitives.Multiply(ms, alpha, a);          // m·alpha
                }
                TensorPrimitives.Sqrt(vs, b);                     // sqrt(v)
                TensorPrimitives.Add(b, eps, b);                  // sqrt(v) + eps
                TensorPrimitives.Divide(a, b, a);                 // m·alpha / (sqrt(v) + eps)
                TensorPrimitives.Subtract(xs, a, xs);             // var -= ...
            }
        }
        finally
        {
            System.Buffers.ArrayPool<T>.Shared.Return(buffer);
        }
    }
}
