using System.Globalization;
using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow.Ops.Sparse;

/// <summary>
/// SparseToDense (<c>tf.sparse_to_dense</c>): a dense tensor of <c>output_shape</c> filled with
/// <c>default_value</c>, with <c>sparse_values</c> (or one scalar value) placed at the rows of
/// <c>sparse_indices</c>. With <c>validate_indices</c> the indices must be in bounds, sorted lexicographically and
/// unique (TensorFlow's sparse_to_dense_op.cc and SparseTensor::ValidateIndices).
/// </summary>
internal sealed class SparseToDense : OpDef
{
    public static readonly SparseToDense Def = new();

    private static readonly OpAttr<bool> ValidateIndicesAttr = new("validate_indices", true);
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Tindices = new("Tindices");

    public override string Type => "SparseToDense";

    public override bool AcceptsStrings => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var index = ctx.InputDType(0);
        if (index != DType.int32 && index != DType.int64) throw ctx.TypeError($"sparse_indices must be int32 or int64, got {index.name}");
        if (ctx.InputDType(1) != index) throw ctx.TypeError($"output_shape must have the dtype of sparse_indices ({index.name}), got {ctx.InputDType(1).name}");
        if (ctx.InputDType(3) != ctx.InputDType(2))
            throw ctx.TypeError($"default_value must have the dtype of sparse_values ({ctx.InputDType(2).name}), got {ctx.InputDType(3).name}");
        var indices = ctx.InputShape(0);
        if (indices.IsKnownRank && indices.ndims > 2) throw ctx.Error($"sparse_indices should be a scalar, vector, or matrix, got shape {indices}");
        var output = ctx.InputShape(1);
        if (output.IsKnownRank && output.ndims != 1) throw ctx.Error($"Shape must be rank 1 but is rank {output.ndims} for output_shape");
        var values = ctx.InputShape(2);
        if (values.IsKnownRank && values.ndims > 1) throw ctx.Error($"Shape must be at most rank 1 but is rank {values.ndims} for sparse_values");
        var dflt = ctx.InputShape(3);
        if (dflt.IsKnownRank && dflt.ndims != 0) throw ctx.Error($"Shape must be rank 0 but is rank {dflt.ndims} for default_value");
        ctx.AddOutput(ctx.InputDType(2), ctx.ShapeFromInput(1));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var validate = ValidateIndicesAttr.Of(op);
        return OpKernel.From(ctx =>
        {
            var (indices, outputShape, values, dflt) = (ctx.Input(0), ctx.Input(1), ctx.Input(2), ctx.Input(3));
            if (indices.ndim > 2) throw ctx.InvalidArgument($"sparse_indices should be a scalar, vector, or matrix, got shape {indices.shape.ToListString()}");
            if (outputShape.ndim != 1) throw ctx.InvalidArgument($"output_shape should be a vector, got shape {outputShape.shape.ToListString()}");
            var numElems = indices.ndim > 0 ? indices.shape[0] : 1;
            var numDims = indices.ndim > 1 ? indices.shape[1] : 1;
            if (!(values.ndim == 0 || (values.ndim == 1 && values.size == numElems)))
                throw ctx.InvalidArgument($"sparse_values has incorrect shape {values.shape.ToListString()}, should be [] or [{numElems}]");
            if (dflt.ndim != 0) throw ctx.InvalidArgument($"default_value should be a scalar, got shape {dflt.shape.ToListString()}");
            if (outputShape.size != numDims)
                throw ctx.InvalidArgument($"output_shape has incorrect number of elements: {outputShape.size} should be: {numDims}");
            var dims = Elements.Longs(outputShape);
            foreach (var d in dims) if (d < 0) throw ctx.InvalidArgument($"output_shape has a negative dimension: [{string.Join(",", dims)}]");
            var shape = Shape.Own(System.Array.ConvertAll(dims, d => checked((int)d)));
            var idx = Elements.Longs(indices);
            var output = ctx.AllocateUninitializedOutput(0, values.dtype, shape);
            Elements.Fill(output, dflt, 0);
            var strides = new long[numDims];
            long stride = 1;
            for (var k = numDims - 1; k >= 0; k--) { strides[k] = stride; stride *= dims[k]; }
            for (var n = 0; n < numElems; n++)
            {
                long flat = 0;
                for (var k = 0; k < numDims; k++)
                {
                    var v = idx[n * numDims + k];
                    if (v < 0 || v >= dims[k])
                        throw ctx.InvalidArgument($"indices[{n}] = {Row(idx, n, numDims)} is out of bounds: need 0 <= index < [{string.Join(",", dims)}]");
                    flat += v * strides[k];
                }
                if (validate && n > 0)
                {
                    var order = Compare(idx, n - 1, n, numDims);
                    if (order > 0) throw ctx.InvalidArgument($"indices[{n}] = {Row(idx, n, numDims)} is out of order. Many sparse ops require sorted indices.\n    Use `tf.sparse.reorder` to create a correctly ordered copy.\n\n");
                    if (order == 0) throw ctx.InvalidArgument($"indices[{n}] = {Row(idx, n, numDims)} is repeated");
                }
                Elements.Copy(values, values.ndim == 0 ? 0 : n, output, (int)flat);
            }
        });
    }

    private static int Compare(long[] idx, int a, int b, int dims)
    {
        for (var k = 0; k < dims; k++)
        {
            var c = idx[a * dims + k].CompareTo(idx[b * dims + k]);
            if (c != 0) return c;
        }
        return 0;
    }

    private static string Row(long[] idx, int n, int dims) =>
        "[" + string.Join(",", Enumerable.Range(0, dims).Select(k => idx[n * dims + k].ToString(CultureInfo.InvariantCulture))) + "]";

    /// <summary><c>tf.sparse_to_dense(sparse_indices, output_shape, sparse_values, default_value, validate_indices)</c>.</summary>
    public static Tensor Build(TensorLike sparseIndices, TensorLike outputShape, TensorLike sparseValues, TensorLike? defaultValue = null,
        bool validateIndices = true, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "SparseToDense", sparseIndices, outputShape, sparseValues);
        var indices = b.Convert(sparseIndices, "sparse_indices");
        var shape = b.Convert(outputShape, "output_shape", indices.dtype == DType.int64 && outputShape.Value is not Tensor ? DType.int64 : null);
        var values = b.Convert(sparseValues, "sparse_values");
        var dflt = defaultValue is { } d ? b.Convert(d, "default_value", values.dtype)
            : b.Convert(values.dtype == DType.@string ? NDArray.FromStrings([""]) : NDArray.Zeros(values.dtype, Shape.Scalar), "default_value");
        return b.Create(Def, [indices, shape, values, dflt], new()
        {
            { T, values.dtype }, { Tindices, indices.dtype }, { ValidateIndicesAttr, validateIndices },
        }).outputs[0];
    }

    /// <summary>
    /// TensorFlow's <c>_SparseToDenseGrad</c>: the values' gradient is the output gradient gathered at the indices,
    /// the default value's the sum of the rest.
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var gathered = GatherNd.Build(grads[0]!, op.inputs[0]);
        var defaultGrad = MathOps.Sum.Build(grads[0]!) - MathOps.Sum.Build(gathered);
        // One scalar value fills every index: its gradient is the sum (TensorFlow's rule returns the gathered
        // vector, of the wrong shape, which this gradient pass refuses).
        var valuesGrad = op.inputs[2].shape.ndims == 0 ? MathOps.Sum.Build(gathered) : gathered;
        return [null, null, valuesGrad, defaultGrad];
    }
}
