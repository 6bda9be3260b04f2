using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Functions;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>
/// GroupByWindowDataset: <c>tf.data.experimental.group_by_window(key_func, reduce_func, window_size_func)</c>.
/// Inputs: <c>input_dataset</c>, then the captured values of <c>key_func</c>, <c>reduce_func</c> and
/// <c>window_size_func</c> (their counts are the lengths of the <c>T*_other_arguments</c> attributes).
/// <c>reduce_func</c> takes the key and the window as a dataset and returns a dataset.
/// </summary>
internal sealed class GroupByWindowDataset : DatasetOp
{
    public static readonly GroupByWindowDataset Def = new();

    private static readonly string[] Functions = ["key_func", "reduce_func", "window_size_func"];
    private static readonly OpAttr<TracedFunction>[] FunctionAttributes = [.. Functions.Select(f => new OpAttr<TracedFunction>(f))];
    private static readonly OpAttr<DType[]>[] OtherArguments = [.. Functions.Select(f => new OpAttr<DType[]>($"T{f}_other_arguments"))];

    public override string Type => "GroupByWindowDataset";

    protected override void Check(InferenceContext ctx) => CheckDataset(ctx, 0, "input_dataset");

    public override OpKernel CreateKernel(Operation op)
    {
        var functions = FunctionAttributes.Select(a => a.Of(op)).ToArray();
        var counts = OtherArguments.Select(a => a.Of(op).Length).ToArray();
        var sessions = functions.Select(f => new Lazy<Session>(() => new Session(f.Graph), LazyThreadSafetyMode.ExecutionAndPublication)).ToArray();
        return OpKernel.From(ctx =>
        {
            var bound = new DatasetFunction.Instance[3];
            var next = 1;
            for (var k = 0; k < 3; k++)
            {
                var captured = new NDArray[counts[k]];
                for (var i = 0; i < captured.Length; i++) captured[i] = ctx.Input(next++).Copy();
                bound[k] = functions[k].Bind(sessions[k].Value, captured);
            }
            var dataset = new Data.Pipeline.GroupByWindowDataset(InputDataset(ctx, 0), bound[0], bound[1], bound[2], Types(op), Shapes(op), op.name);
            ctx.ForwardOutput(0, dataset.ToHandle());
        });
    }

    protected override DatasetBase Make(OpKernelContext ctx, Operation op) => throw new InvalidOperationException();

    /// <summary>The grouped dataset; <paramref name="types"/> and <paramref name="shapes"/> are those of reduce_func's datasets.</summary>
    public static Tensor Build(Tensor input, TracedFunction keyFunc, TracedFunction reduceFunc, TracedFunction windowSizeFunc,
        DType[] types, Shape[] shapes, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "GroupByWindowDataset", input);
        var inputs = new List<Tensor> { b.Convert(input, "input_dataset") };
        var attrs = new Dictionary<string, object>();
        TracedFunction[] functions = [keyFunc, reduceFunc, windowSizeFunc];
        for (var k = 0; k < 3; k++)
        {
            var captured = functions[k].CapturedOuter.Select((t, i) => b.Convert(t, $"{Functions[k]}_other_arguments_{i}")).ToArray();
            inputs.AddRange(captured);
            attrs.Add(FunctionAttributes[k], functions[k]);
            attrs.Add(OtherArguments[k], [.. captured.Select(c => c.dtype)]);
        }
        return Def.Create(b, [.. inputs], types, shapes, attrs);
    }
}
