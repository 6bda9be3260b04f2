using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.Sparse;

/// <summary>
/// SparseCross with hashed output (<c>tf.sparse.cross_hashed</c>), for dense inputs (TensorFlow's
/// <c>dense_inputs</c>; SharpFlow has no sparse inputs to give it, N = 0): for each row, every combination of one
/// value per input (the last input varying fastest) hashes to <c>FingerprintCat64</c> of the running hash (starting at
/// <c>hash_key</c>) and each value's hash (Fingerprint64 of a string, an integer itself), then modulo
/// <c>num_buckets</c> (or int64's max when 0), as sparse_cross_op.cc. The outputs are TensorFlow's sparse triple.
/// </summary>
internal sealed class SparseCross : OpDef
{
    public static readonly SparseCross Def = new();

    private static readonly OpAttr<long> NAttr = new("N");
    private static readonly OpAttr<bool> HashedOutput = new("hashed_output");
    private static readonly OpAttr<long> NumBuckets = new("num_buckets");
    private static readonly OpAttr<long> HashKey = new("hash_key");
    internal static readonly OpAttr<DType> OutType = new("out_type");
    internal static readonly OpAttr<DType> InternalType = new("internal_type");

    /// <summary>sparse_ops._DEFAULT_HASH_KEY.</summary>
    public const long DefaultHashKey = 0xDECAFCAFFE;

    public override string Type => "SparseCross";

    public override bool AcceptsStrings => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (NAttr.Of(ctx) != 0) throw ctx.Error("SharpFlow's SparseCross crosses dense inputs only (N must be 0)");
        if (!HashedOutput.Of(ctx)) throw ctx.Error("SharpFlow's SparseCross computes hashed_output=True only");
        if (NumBuckets.Of(ctx) < 0) throw ctx.Error($"Value for attr 'num_buckets' of {NumBuckets.Of(ctx)} must be at least minimum 0");
        if (ctx.Inputs.Count == 0) throw ctx.Error("needs at least one input to cross");
        for (var i = 0; i < ctx.Inputs.Count; i++)
        {
            var t = ctx.InputDType(i);
            if (t != DType.@string && t != DType.int64 && t != DType.int32) throw ctx.TypeError($"dense_inputs[{i}] must be string, int32 or int64, got {t.name}");
            var s = ctx.InputShape(i);
            if (s.IsKnownRank && s.ndims != 2) throw ctx.Error($"Dense inputs should be a matrix but received shape {s.ToListString()} at position {i}");
        }
        ctx.AddOutput(DType.int64, new Shape(-1, 2));
        ctx.AddOutput(DType.int64, new Shape(-1));
        ctx.AddOutput(DType.int64, new Shape(2));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var buckets = NumBuckets.Of(op);
        var hashKey = (ulong)HashKey.Of(op);
        return OpKernel.From(ctx =>
        {
            var n = ctx.InputCount;
            var inputs = new NDArray[n];
            long batch = -1;
            for (var i = 0; i < n; i++)
            {
                inputs[i] = ctx.Input(i);
                if (inputs[i].ndim != 2) throw ctx.InvalidArgument($"Dense inputs should be a matrix but received shape {inputs[i].shape.ToListString()} at position {i}");
                if (batch < 0) batch = inputs[i].shape[0];
                else if (inputs[i].shape[0] != batch)
                    throw ctx.InvalidArgument($"Expected batch size {batch} got {inputs[i].shape[0]}");
            }
            var counts = inputs.Select(a => (long)a.shape[1]).ToArray();
            var per = counts.Aggregate(1L, (x, c) => checked(x * c));
            var total = checked(batch * per);
            // Each value's hash, per input: [batch, k].
            var hashes = new ulong[n][];
            for (var i = 0; i < n; i++)
            {
                var a = inputs[i];
                hashes[i] = new ulong[a.size];
                if (a.dtype == DType.@string)
                {
                    var s = Elements.Strings(a);
                    for (var j = 0; j < s.Length; j++) hashes[i][j] = Farmhash.Fingerprint64(s[j]);
                }
                else if (a.dtype == DType.int64)
                {
                    var v = a.AsReadOnlySpan<long>();
                    for (var j = 0; j < v.Length; j++) hashes[i][j] = (ulong)v[j];
                }
                else
                {
                    var v = a.AsReadOnlySpan<int>();
                    for (var j = 0; j < v.Length; j++) hashes[i][j] = (ulong)(long)v[j];
                }
            }
            var indices = ctx.AllocateUninitializedOutput(0, DType.int64, new Shape(checked((int)total), 2)).AsSpan<long>();
            var values = ctx.AllocateUninitializedOutput(1, DType.int64, new Shape(checked((int)total))).AsSpan<long>();
            var shape = ctx.AllocateUninitializedOutput(2, DType.int64, new Shape(2)).AsSpan<long>();
            shape[0] = batch;
            shape[1] = per;
            var perm = new long[n];
            var o = 0;
            for (long b = 0; b < batch; b++)
            {
                System.Array.Clear(perm);
                for (long p = 0; p < per; p++, o++)
                {
                    var h = hashKey;
                    for (var i = 0; i < n; i++) h = FingerprintCat64(h, hashes[i][b * counts[i] + perm[i]]);
                    values[o] = (long)(buckets > 0 ? h % (ulong)buckets : h % long.MaxValue);
                    indices[2 * o] = b;
                    indices[2 * o + 1] = p;
                    for (var i = n - 1; i >= 0; i--)
                    {
                        if (++perm[i] < counts[i]) break;
                        perm[i] = 0;
                    }
                }
            }
        });
    }

    /// <summary>TensorFlow's FingerprintCat64 (tensorflow/core/platform/fingerprint.h).</summary>
    internal static ulong FingerprintCat64(ulong fp1, ulong fp2)
    {
        const ulong kMul = 0xc6a4a7935bd1e995UL;
        var result = fp1 ^ kMul;
        result ^= ShiftMix(fp2 * kMul) * kMul;
        result *= kMul;
        result = ShiftMix(result) * kMul;
        return ShiftMix(result);
    }

    private static ulong ShiftMix(ulong v) => v ^ (v >> 47);

    /// <summary><c>tf.sparse.cross_hashed</c> of dense [batch, k] inputs: the (indices, values, dense_shape) triple.</summary>
    public static (Tensor indices, Tensor values, Tensor dense_shape) Build(IReadOnlyList<TensorLike> denseInputs, long numBuckets, long hashKey, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "SparseCross", [.. denseInputs]);
        var tensors = denseInputs.Select((t, i) => b.Convert(t, $"dense_inputs_{i}")).ToArray();
        var outputs = b.Create(Def, tensors, new()
        {
            { NAttr, 0L },
            { HashedOutput, true },
            { NumBuckets, numBuckets },
            { HashKey, hashKey },
            { OutType, DType.int64 },
            { InternalType, tensors.Any(t => t.dtype != DType.@string) ? DType.int64 : DType.@string },
        }).outputs;
        return (outputs[0], outputs[1], outputs[2]);
    }
}
