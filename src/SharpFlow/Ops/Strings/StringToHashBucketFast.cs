using SharpFlow.Framework;
using SharpFlow.Kernels;
using SharpFlow.Ops.Sparse;

namespace SharpFlow.Ops.Strings;

/// <summary>
/// StringToHashBucketFast (<c>tf.strings.to_hash_bucket_fast</c>): each string's FarmHash Fingerprint64 modulo
/// <c>num_buckets</c>, an int64 tensor of the input's shape.
/// </summary>
internal sealed class StringToHashBucketFast : OpDef
{
    public static readonly StringToHashBucketFast Def = new();

    private static readonly OpAttr<long> NumBuckets = new("num_buckets");

    public override string Type => "StringToHashBucketFast";

    public override bool AcceptsStrings => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.@string) throw ctx.TypeError($"input must be a string tensor, got {ctx.InputDType(0).name}");
        if (NumBuckets.Of(ctx) < 1) throw ctx.Error($"Value for attr 'num_buckets' of {NumBuckets.Of(ctx)} must be at least minimum 1");
        ctx.AddOutput(DType.int64, ctx.InputShape(0));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var buckets = (ulong)NumBuckets.Of(op);
        return OpKernel.From(ctx =>
        {
            var input = ctx.Input(0);
            var strings = Elements.Strings(input);
            var output = ctx.AllocateUninitializedOutput(0, DType.int64, input.shape).AsSpan<long>();
            for (var i = 0; i < strings.Length; i++) output[i] = (long)(Farmhash.Fingerprint64(strings[i]) % buckets);
        });
    }

    /// <summary><c>tf.string_to_hash_bucket_fast(input, num_buckets)</c>.</summary>
    public static Tensor Build(TensorLike input, long num_buckets, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "StringToHashBucketFast", input);
        var t = b.Convert(input, "input");
        return b.Create(Def, [t], new() { { NumBuckets, num_buckets } }).outputs[0];
    }
}
