using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Functions;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>
/// ScanDataset (<c>tf.contrib.data.scan(initial_state, scan_func)</c>): a state carried through the elements;
/// <c>f(state..., element...)</c> returns the new state's components followed by the output element's. Inputs: the
/// dataset, the initial state (<c>Tstate</c>), then the function's captured values (<c>Targuments</c>).
/// </summary>
internal sealed class ScanDataset : DatasetOp
{
    public static readonly ScanDataset Def = new();

    private static readonly OpAttr<TracedFunction> F = new("f");
    private static readonly OpAttr<DType[]> TstateAttr = new("Tstate");
    private static readonly OpAttr<DType[]> Targuments = new("Targuments", []);

    public override string Type => "ScanDataset";

    protected override void Check(InferenceContext ctx) => CheckDataset(ctx, 0, "input_dataset");

    public override OpKernel CreateKernel(Operation op)
    {
        var function = F.Of(op);
        var stateTypes = TstateAttr.Of(op);
        var session = new Lazy<Session>(() => new Session(function.Graph), LazyThreadSafetyMode.ExecutionAndPublication);
        return OpKernel.From(ctx =>
        {
            var fixedInputs = 1 + stateTypes.Length;
            var state = new NDArray[stateTypes.Length];
            for (var i = 0; i < state.Length; i++) state[i] = ctx.Input(1 + i).Copy();
            var captured = new NDArray[ctx.InputCount - fixedInputs];
            // Copies: the run's buffers are reused after it, the dataset may live longer.
            for (var i = 0; i < captured.Length; i++) captured[i] = ctx.Input(fixedInputs + i).Copy();
            var dataset = new Data.Pipeline.ScanDataset(InputDataset(ctx, 0), state, function.Bind(session.Value, captured), Types(op), Shapes(op), op.name);
            ctx.ForwardOutput(0, dataset.ToHandle());
        });
    }

    protected override DatasetBase Make(OpKernelContext ctx, Operation op) => throw new InvalidOperationException();

    /// <summary>The scanned dataset: <paramref name="f"/>'s outputs are the new state, then the element.</summary>
    public static Tensor Build(Tensor input, Tensor[] initialState, TracedFunction f, DType[] types, Shape[] shapes, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "ScanDataset", input);
        var state = initialState.Select((t, i) => b.Convert(t, $"initial_state_{i}")).ToArray();
        var captured = f.CapturedOuter.Select((t, i) => b.Convert(t, $"captured_{i}")).ToArray();
        return Def.Create(b, [b.Convert(input, "input_dataset"), .. state, .. captured], types, shapes, new()
        {
            { F, f },
            { TstateAttr, state.Select(s => s.dtype).ToArray() },
            { Targuments, captured.Select(c => c.dtype).ToArray() },
        });
    }
}
