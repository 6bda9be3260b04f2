using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
        if (typeof(T) == typeof(float))
        {
            UpdateSingle(Floats(x), Floats(m), Floats(v), MemoryMarshal.Cast<T, float>(g), float.CreateTruncating(T.One - beta1),
                float.CreateTruncating(T.One - beta2), float.CreateTruncating(beta1), float.CreateTruncating(alpha), float.CreateTruncating(eps), _nesterov);
            return;
        }
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

    private static Span<float> Floats<T>(Span<T> values) where T : unmanaged => MemoryMarshal.Cast<T, float>(values);

    /// <summary>
    /// The float32 rule in one pass, 16 (or 8) elements at a time, each step the same correctly rounded operation in
    /// the same order as the scalar rule, and with TensorFlow's floating-point mode: its executor and thread pool run
    /// every CPU kernel with flush-to-zero and denormals-are-zero set, so a denormal operand counts as (signed) zero
    /// and a denormal result becomes one (<see cref="Flush(float)"/> after every operation). Without it, the first
    /// moments of weights whose gradient stays zero (units behind a dead ReLU) decay through the denormal range, where
    /// each operation takes a microcode assist: LeNet-5's 48,000-weight update took 0.49 ms instead of 0.06.
    /// Limits: only this float32 dense rule flushes (float64 updates and the sparse form's ops keep gradual underflow,
    /// as every other kernel here does), and a result that rounds up to 2^-126 from just below it stays 2^-126 where
    /// the processor's flush-to-zero, which tests the unrounded result, would give zero.
    /// </summary>
    internal static void UpdateSingle(Span<float> x, Span<float> m, Span<float> v, ReadOnlySpan<float> g, float oneMinusBeta1, float oneMinusBeta2,
        float beta1, float alpha, float eps, bool nesterov)
    {
        if (m.Length != x.Length || v.Length != x.Length || g.Length != x.Length)
            throw new ArgumentException($"ApplyAdam: var, m, v and grad have {x.Length}, {m.Length}, {v.Length} and {g.Length} elements.");
        (oneMinusBeta1, oneMinusBeta2, beta1, alpha, eps) = (Flush(oneMinusBeta1), Flush(oneMinusBeta2), Flush(beta1), Flush(alpha), Flush(eps));
        var n = x.Length;
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var mr = ref MemoryMarshal.GetReference(m);
        ref var vr = ref MemoryMarshal.GetReference(v);
        ref var gr = ref MemoryMarshal.GetReference(g);
        var i = 0;
        if (Wide512)
        {
            var (c1, c2, b1, a, e) = (Vector512.Create(oneMinusBeta1), Vector512.Create(oneMinusBeta2), Vector512.Create(beta1),
                Vector512.Create(alpha), Vector512.Create(eps));
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var at = (nuint)i;
                var gv = Flush(Vector512.LoadUnsafe(ref gr, at));
                var mv = Flush(Vector512.LoadUnsafe(ref mr, at));
                var vv = Flush(Vector512.LoadUnsafe(ref vr, at));
                mv = Flush(mv + Flush(Flush(gv - mv) * c1));
                vv = Flush(vv + Flush(Flush(Flush(gv * gv) - vv) * c2));
                var step = nesterov ? Flush(Flush(Flush(gv * c1) + Flush(mv * b1)) * a) : Flush(mv * a);
                mv.StoreUnsafe(ref mr, at);
                vv.StoreUnsafe(ref vr, at);
                Flush(Flush(Vector512.LoadUnsafe(ref xr, at)) - Flush(step / Flush(Vector512.Sqrt(vv) + e))).StoreUnsafe(ref xr, at);
            }
        }
        if (Wide256)
        {
            var (c1, c2, b1, a, e) = (Vector256.Create(oneMinusBeta1), Vector256.Create(oneMinusBeta2), Vector256.Create(beta1),
                Vector256.Create(alpha), Vector256.Create(eps));
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var at = (nuint)i;
                var gv = Flush(Vector256.LoadUnsafe(ref gr, at));
                var mv = Flush(Vector256.LoadUnsafe(ref mr, at));
                var vv = Flush(Vector256.LoadUnsafe(ref vr, at));
                mv = Flush(mv + Flush(Flush(gv - mv) * c1));
                vv = Flush(vv + Flush(Flush(Flush(gv * gv) - vv) * c2));
                var step = nesterov ? Flush(Flush(Flush(gv * c1) + Flush(mv * b1)) * a) : Flush(mv * a);
                mv.StoreUnsafe(ref mr, at);
                vv.StoreUnsafe(ref vr, at);
                Flush(Flush(Vector256.LoadUnsafe(ref xr, at)) - Flush(step / Flush(Vector256.Sqrt(vv) + e))).StoreUnsafe(ref xr, at);
            }
        }
        for (; i < n; i++)
        {
            var gi = Flush(g[i]);
            var mi = Flush(m[i]);
            var vi = Flush(v[i]);
            mi = Flush(mi + Flush(Flush(gi - mi) * oneMinusBeta1));
            vi = Flush(vi + Flush(Flush(Flush(gi * gi) - vi) * oneMinusBeta2));
            var step = nesterov ? Flush(Flush(Flush(gi * oneMinusBeta1) + Flush(mi * beta1)) * alpha) : Flush(mi * alpha);
            (m[i], v[i]) = (mi, vi);
            x[i] = Flush(Flush(x[i]) - Flush(step / Flush(MathF.Sqrt(vi) + eps)));
        }
    }

    /// <summary>
    /// Whether <see cref="UpdateSingle"/> takes 16 and then 8 elements at a time (where the machine has the vectors);
    /// tests set them to run each loop, in the runtime's software vectors where the machine lacks them.
    /// </summary>
    internal static bool Wide512 = Vector512.IsHardwareAccelerated, Wide256 = Vector256.IsHardwareAccelerated;

    private const int MinNormalBits = 0x00800000; // 2^-126, the smallest normal float32

    /// <summary>A denormal value as the zero of its sign (flush-to-zero, denormals-are-zero); others unchanged.</summary>
    internal static float Flush(float value) =>
        (BitConverter.SingleToInt32Bits(value) & 0x7FFFFFFF) < MinNormalBits ? BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(value) & unchecked((int)0x80000000)) : value;

    private static Vector512<float> Flush(Vector512<float> value) =>
        Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(value), Vector512.Create(BitConverter.Int32BitsToSingle(MinNormalBits))),
            value & Vector512.Create(-0f), value);

    private static Vector256<float> Flush(Vector256<float> value) =>
        Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(value), Vector256.Create(BitConverter.Int32BitsToSingle(MinNormalBits))),
            value & Vector256.Create(-0f), value);
}
