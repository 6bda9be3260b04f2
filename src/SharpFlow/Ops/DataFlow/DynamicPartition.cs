using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;

namespace SharpFlow.Ops.DataFlow;

/// <summary>
/// DynamicPartition (<c>tf.dynamic_partition</c>): splits the slices of <c>data</c> into <c>num_partitions</c>
/// outputs by the int32 <c>partitions</c> (whose shape is a prefix of data's); output <c>i</c> holds, in order, the
/// slices whose partition is <c>i</c>. Sharded embeddings route their ids this way.
/// </summary>
internal sealed class DynamicPartition : OpDef
{
    public static readonly DynamicPartition Def = new();

    private static readonly OpAttr<long> NumPartitions = new("num_partitions");
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "DynamicPartition";

    public override void InferShapes(InferenceContext ctx)
    {
        var num = NumPartitions.Of(ctx);
        if (num < 1) throw ctx.Error($"num_partitions must be at least 1, got {num}");
        if (ctx.InputDType(1) != DType.int32) throw ctx.TypeError($"partitions must be int32, got {ctx.InputDType(1).name}");
        var data = ctx.InputShape(0);
        var partitions = ctx.InputShape(1);
        var output = Shape.Unknown;
        if (data.IsKnownRank && partitions.IsKnownRank)
        {
            if (partitions.ndims > data.ndims || !new Shape(data.Dims[..partitions.ndims]).IsCompatibleWith(partitions))
                throw ctx.Error($"partitions.shape must be a prefix of data.shape: {partitions.ToListString()} vs. {data.ToListString()}");
            output = Shape.Own([-1, .. data.Dims[partitions.ndims..]]);
        }
        for (var i = 0; i < num; i++) ctx.AddOutput(ctx.InputDType(0), output);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var num = (int)NumPartitions.Of(op);
        return OpKernel.From(ctx =>
        {
            var (data, partitions) = (ctx.Input(0), ctx.Input(1));
            var prefix = partitions.ndim;
            if (prefix > data.ndim || !data.shape.Dims[..prefix].AsSpan().SequenceEqual(partitions.shape.AsSpan()))
                throw ctx.InvalidArgument($"data.shape must start with partitions.shape, got data.shape = {data.shape.ToListString()}, partitions.shape = {partitions.shape.ToListString()}");
            var p = partitions.AsReadOnlySpan<int>();
            var counts = new int[num];
            for (var i = 0; i < p.Length; i++)
            {
                if ((uint)p[i] >= (uint)num)
                    throw ctx.InvalidArgument($"partitions{GatherV2.Coordinates(i, partitions.shape)} = {p[i]} is not in [0, {num})");
                counts[p[i]]++;
            }
            var rowDims = data.shape.Dims[prefix..];
            var rowBytes = (int)(new Shape(rowDims).NumElements * data.dtype.size);
            var outputs = new NDArray[num];
            for (var k = 0; k < num; k++) outputs[k] = ctx.AllocateUninitializedOutput(k, data.dtype, Shape.Own([counts[k], .. rowDims]));
            var at = new int[num];
            var source = data.AsBytes();
            for (var i = 0; i < p.Length; i++)
            {
                var k = p[i];
                source.Slice(i * rowBytes, rowBytes).CopyTo(outputs[k].AsWritableBytes().Slice(at[k]++ * rowBytes, rowBytes));
            }
        });
    }

    /// <summary>
    /// TensorFlow's <c>_DynamicPartitionGrads</c>: the positions of data's slices are partitioned the same way, and
    /// the outputs' gradients are stitched back to those positions.
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (data, partitions) = (op.inputs[0], op.inputs[1]);
        var num = (int)NumPartitions.Of(op);
        var prefixShape = Shapes.Of(partitions);
        var original = Reshape.Build(Ops.ArrayOps.Range.Build(0, Prod.Build(prefixShape, null), 1), prefixShape);
        var partitioned = Build(original, partitions, num);
        var parts = new TensorLike[num];
        for (var i = 0; i < num; i++) parts[i] = grads[i] ?? ZerosLike.Def.Apply(op.outputs[i], null, true, null);
        var reconstructed = DynamicStitch.Build([.. partitioned.Select(t => (TensorLike)t)], parts, parallel: true);
        return [Reshape.Build(reconstructed, Shapes.Of(data)), null];
    }

    /// <summary><c>tf.dynamic_partition(data, partitions, num_partitions)</c>.</summary>
    public static Tensor[] Build(TensorLike data, TensorLike partitions, int numPartitions, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "DynamicPartition", data, partitions);
        var d = b.Convert(data, "data");
        var p = b.Convert(partitions, "partitions", DType.int32);
        return [.. b.Create(Def, [d, p], new() { { T, d.dtype }, { NumPartitions, (long)numPartitions } }).outputs];
    }
}
