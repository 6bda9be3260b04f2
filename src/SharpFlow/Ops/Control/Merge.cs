using SharpFlow.Framework;
using SharpFlow.Ops.MathOps;

namespace SharpFlow.Ops.Control;

/// <summary>
/// Merge: forwards the first of its inputs that is alive, with that input's index as <c>value_index</c>; dead only
/// when every input is dead. It joins a cond's branches and is the head of every while-loop variable, whose second
/// input is the back edge from <c>NextIteration</c>.
/// </summary>
internal sealed class Merge : OpDef
{
    public static readonly Merge Def = new();
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<int> N = new("N");

    public override string Type => "Merge";

    public override ControlFlowRole ControlFlow => ControlFlowRole.Merge;

    public override bool AcceptsStrings => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.Inputs.Count == 0) throw ctx.Error("Merge needs at least one input");
        var dtype = ctx.InputDType(0);
        var shape = ctx.InputShape(0);
        for (var i = 1; i < ctx.Inputs.Count; i++)
        {
            if (ctx.InputDType(i) != dtype)
                throw ctx.TypeError($"inputs must have one dtype: input 0 is {dtype.name}, input {i} is {ctx.InputDType(i).name}");
            shape = MostSpecificCompatible(shape, ctx.InputShape(i));
        }
        ctx.AddOutput(dtype, shape);
        ctx.AddOutput(DType.int32, Shape.Scalar);
    }

    /// <summary>The shape every input conforms to: the known dimensions they agree on (TensorFlow's Merge shape function).</summary>
    internal static Shape MostSpecificCompatible(Shape a, Shape b)
    {
        if (!a.IsKnownRank || !b.IsKnownRank || a.ndims != b.ndims) return Shape.Unknown;
        var dims = new int[a.ndims];
        for (var i = 0; i < dims.Length; i++) dims[i] = a[i] == b[i] ? a[i] : -1;
        return new Shape(dims);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        // The executor passes only the live input; the others are null.
        for (var i = 0; i < ctx.InputCount; i++)
            if (ctx.InputOrNull(i) is { } value)
            {
                ctx.ForwardOutput(0, value);
                var index = ctx.AllocateUninitializedOutput(1, DType.int32, Shape.Scalar);
                index.AsSpan<int>()[0] = i;
                return;
            }
        throw ctx.InvalidArgument("Merge has no live input");
    });

    /// <summary>
    /// The gradient goes back to the input that was taken: through a Switch on the cond's predicate (or on the
    /// backprop loop's condition for a loop's Merge), as TensorFlow's <c>_MergeGrad</c>.
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var grad = grads[0];
        if (grad is null) return new Tensor?[op.inputs.Count];
        var inputContext = op.inputs[0].op.OutputContext();
        var gradContext = op.graph.ControlFlowContext;
        switch (inputContext)
        {
            case WhileContext:
                var loop = gradContext as WhileContext ?? throw new InternalError($"The gradient of loop merge '{op.name}' is built outside its backprop loop.");
                var (f, t) = Switch.Build(grad, loop.Pivot!);
                return [f, t];
            case CondContext cond:
                var pred = cond.Pred;
                if ((gradContext as WhileContext)?.GradState is { } gradState)
                    pred = gradState.HistoryOfPredicate(pred);
                var (bf, bt) = Switch.Build(grad, pred, "cond_grad");
                return [bf, bt];
            default:
                var result = new Tensor?[op.inputs.Count];
                for (var i = 0; i < result.Length; i++)
                    result[i] = Switch.Build(grad, Equal.Build(op.outputs[1], i)).True;
                return result;
        }
    }

    /// <summary><c>tf.merge(inputs)</c>: (output, value_index).</summary>
    public static (Tensor output, Tensor value_index) Build(IReadOnlyList<Tensor> inputs, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0) throw new ValueError("merge needs at least one input.");
        using var b = OpBuilder.Begin(name, "Merge", [.. inputs.Select(t => (TensorLike)t)]);
        var xs = inputs.Select((t, i) => b.Convert(t, $"inputs_{i}")).ToArray();
        var op = b.Create(Def, xs, new() { { T, xs[0].dtype }, { N, xs.Length } });
        return (op.outputs[0], op.outputs[1]);
    }

    /// <summary>A Merge created as is in <paramref name="context"/>: a loop variable's head.</summary>
    internal static Operation CreateIn(ControlFlowContext? context, Tensor[] inputs, string name = "Merge")
    {
        return inputs[0].graph.CreateOpIn(context, Def, name, inputs,
            new Dictionary<string, object> { { T, inputs[0].dtype }, { N, inputs.Length } });
    }
}
