using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Functions;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>
/// What every dataset op shares (TensorFlow's DatasetOpKernel): it outputs one scalar handle (a resource value
/// carrying the dataset object, where TensorFlow has a DT_VARIANT), records <c>output_types</c> and
/// <c>output_shapes</c>, is not differentiable, and makes a new dataset value each time it runs.
/// </summary>
internal abstract class DatasetOp : OpDef
{
    private static readonly OpAttr<Shape[]> OutputShapes = new("output_shapes");
    private static readonly OpAttr<DType[]> OutputTypes = new("output_types");
    protected static readonly OpAttr<DType[]> ToutputTypes = new("Toutput_types");

    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    public override bool AcceptsStrings => true;

    public override void InferShapes(InferenceContext ctx)
    {
        Check(ctx);
        ctx.AddOutput(DType.resource, Shape.Scalar);
    }

    /// <summary>The op's input checks (TensorFlow's shape function).</summary>
    protected virtual void Check(InferenceContext ctx) { }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx => ctx.ForwardOutput(0, Make(ctx, op).ToHandle()));

    /// <summary>The dataset this run of the op describes.</summary>
    protected abstract DatasetBase Make(OpKernelContext ctx, Operation op);

    /// <summary>The op's <c>output_types</c>.</summary>
    protected static DType[] Types(Operation op) => OutputTypes.TryGet(op, out var types) ? types : ToutputTypes.Of(op);

    /// <summary>The op's <c>output_shapes</c>.</summary>
    protected static Shape[] Shapes(Operation op) => OutputShapes.Of(op);

    /// <summary>The dataset of input <paramref name="index"/>.</summary>
    protected static DatasetBase InputDataset(OpKernelContext ctx, int index) => DatasetBase.Of(ctx.Input(index), ctx.InvalidArgument);

    /// <summary>A scalar int64 input.</summary>
    protected static long Int64(OpKernelContext ctx, int index, string argName) => OpValues.Scalar(ctx.Input(index), argName, ctx.InvalidArgument);

    /// <summary>Input <paramref name="index"/> must be a dataset handle.</summary>
    protected static void CheckDataset(InferenceContext ctx, int index, string argName)
    {
        if (ctx.InputDType(index) != DType.resource) throw ctx.TypeError($"{argName} must be a dataset (got {ctx.InputDType(index).name})");
    }

    /// <summary>Input <paramref name="index"/> must be a scalar of <paramref name="dtype"/> (TensorFlow's <c>WithRank(0)</c>).</summary>
    protected static void CheckScalar(InferenceContext ctx, int index, string argName, DType dtype)
    {
        if (ctx.InputDType(index) != dtype) throw ctx.TypeError($"{argName} must be {dtype.name}, got {ctx.InputDType(index).name}");
        if (ctx.InputShape(index) is { IsKnownRank: true, ndims: not 0 } s)
            throw ctx.Error($"Shape must be rank 0 but is rank {s.ndims} for '{argName}'");
    }

    /// <summary>Creates a dataset op with its type attributes in the current graph.</summary>
    protected Tensor Create(OpBuilder b, Tensor[] inputs, DType[] types, Shape[] shapes, Dictionary<string, object>? attrs = null, OpAttr<DType[]>? typesAttr = null)
    {
        var all = attrs ?? [];
        all.Add(typesAttr ?? OutputTypes, types);
        all.Add(OutputShapes, shapes);
        return b.Create(this, inputs, all).outputs[0];
    }
}

/// <summary>
/// Dataset ops that run a traced function per element (map, filter, flat_map, interleave): attribute <c>f</c> (or
/// <c>predicate</c>) holds the function, and its captured values follow <c>input_dataset</c> as TensorFlow's
/// <c>other_arguments</c> (<c>Targuments</c>), before the op's other inputs (cycle_length, num_parallel_calls, ...).
/// Subclasses number those other inputs as if there were no captured values (<see cref="FixedIndex"/> shifts them). The
/// kernel keeps one session over the function's graph for the life of the session that runs the op.
/// </summary>
internal abstract class FunctionDatasetOp : DatasetOp
{
    /// <summary>The name of the function attribute.</summary>
    protected virtual OpAttr<TracedFunction> FunctionAttr => F;

    private static readonly OpAttr<TracedFunction> F = new("f");
    private static readonly OpAttr<DType[]> Targuments = new("Targuments", []);

    /// <summary>Number of inputs besides the captured ones (input_dataset included).</summary>
    protected abstract int FixedInputs { get; }

    /// <summary>The index of the op's input <paramref name="k"/> counted without the captured values.</summary>
    protected static int FixedIndex(InferenceContext ctx, int k) => k == 0 ? 0 : k + Targuments.Of(ctx).Length;

    public sealed override void InferShapes(InferenceContext ctx)
    {
        CheckDataset(ctx, 0, "input_dataset");
        CheckFixed(ctx, k => FixedIndex(ctx, k));
        ctx.AddOutput(DType.resource, Shape.Scalar);
    }

    /// <summary>The checks of the inputs after input_dataset; <c>index(k)</c> is the actual index of fixed input k.</summary>
    protected virtual void CheckFixed(InferenceContext ctx, Func<int, int> index) { }

    public override OpKernel CreateKernel(Operation op)
    {
        var function = FunctionAttr.Of(op);
        var session = new Lazy<Session>(() => new Session(function.Graph), LazyThreadSafetyMode.ExecutionAndPublication);
        return OpKernel.From(ctx =>
        {
            var captured = new NDArray[ctx.InputCount - FixedInputs];
            // Copies: the run's buffers are reused after it, the dataset may live longer.
            for (var i = 0; i < captured.Length; i++) captured[i] = ctx.Input(1 + i).Copy();
            ctx.ForwardOutput(0, Make(ctx, op, function.Bind(session.Value, captured), k => k == 0 ? 0 : k + captured.Length).ToHandle());
        });
    }

    protected sealed override DatasetBase Make(OpKernelContext ctx, Operation op) => throw new InvalidOperationException();

    /// <summary>
    /// The dataset of one run, with the function bound to its captured values; <c>index(k)</c> is the actual index of
    /// fixed input k.
    /// </summary>
    protected abstract DatasetBase Make(OpKernelContext ctx, Operation op, DatasetFunction.Instance f, Func<int, int> index);

    /// <summary>Creates the op: input_dataset, the function's captured outer tensors, then the other fixed inputs.</summary>
    protected Tensor CreateWithFunction(OpBuilder b, Tensor[] fixedInputs, TracedFunction f, DType[] types, Shape[] shapes, Dictionary<string, object>? attrs = null)
    {
        var captured = f.CapturedOuter.Select((t, i) => b.Convert(t, $"captured_{i}")).ToArray();
        var all = attrs ?? [];
        all.Add(FunctionAttr, f);
        all.Add(Targuments, [.. captured.Select(c => c.dtype)]);
        return Create(b, [fixedInputs[0], .. captured, .. fixedInputs[1..]], types, shapes, all);
    }
}
