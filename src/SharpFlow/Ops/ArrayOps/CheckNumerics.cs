using System.Numerics;
using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// CheckNumerics (<c>tf.check_numerics</c>): passes a floating-point tensor through unchanged, or fails the run with
/// TensorFlow's InvalidArgumentError <c>"{message} : Tensor had NaN values"</c> (<c>Inf</c>, or <c>Inf and NaN</c>)
/// naming the op. Its gradient checks the incoming gradient the same way, with TensorFlow's prefix
/// <c>"Not a number (NaN) or infinity (Inf) values detected in gradient. "</c>.
/// </summary>
internal sealed class CheckNumerics : OpDef
{
    public static readonly CheckNumerics Def = new();

    private static readonly OpAttr<string> Message = new("message");
    internal static readonly OpAttr<DType> TAttr = new("T");

    /// <summary>The prefix TensorFlow gives the message of a gradient's check.</summary>
    public const string GradientPrefix = "Not a number (NaN) or infinity (Inf) values detected in gradient. ";

    public override string Type => "CheckNumerics";

    public override void InferShapes(InferenceContext ctx)
    {
        if (!ctx.InputDType(0).is_floating) throw ctx.TypeError($"tensor must be float32 or float64, got {ctx.InputDType(0).name}");
        ctx.AddOutput(ctx.InputDType(0), ctx.InputShape(0));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var message = Message.Of(op);
        return OpKernel.From(ctx =>
        {
            var x = ctx.Input(0);
            var (nan, inf) = x.dtype == DType.float32 ? Scan(x.AsReadOnlySpan<float>()) : Scan(x.AsReadOnlySpan<double>());
            if (nan || inf) throw ctx.InvalidArgument($"{message} : Tensor had {(nan && inf ? "Inf and NaN" : nan ? "NaN" : "Inf")} values");
            ctx.ForwardOutput(0, x);
        });
    }

    /// <summary>Whether <paramref name="values"/> hold a NaN and an infinity: one vector pass when all are finite.</summary>
    internal static (bool NaN, bool Inf) Scan<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // x − x is 0 for a finite x and NaN for NaN and ±Inf, so the running sum stays 0 exactly while all are finite.
        var sum = Vector<T>.Zero;
        var i = 0;
        for (; i <= values.Length - Vector<T>.Count; i += Vector<T>.Count)
        {
            var v = new Vector<T>(values[i..]);
            sum += v - v;
        }
        var tail = T.Zero;
        for (; i < values.Length; i++) tail += values[i] - values[i];
        if (Vector.Sum(sum) + tail == T.Zero) return (false, false);
        bool nan = false, inf = false;
        foreach (var v in values)
        {
            nan |= T.IsNaN(v);
            inf |= T.IsInfinity(v);
        }
        return (nan, inf);
    }

    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        [Build(grads[0]!, GradientPrefix + Message.Of(op))];

    /// <summary><c>tf.check_numerics(tensor, message)</c>.</summary>
    public static Tensor Build(TensorLike tensor, string message, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var b = OpBuilder.Begin(name, "CheckNumerics", tensor);
        var x = b.Convert(tensor, "tensor");
        return b.Create(Def, [x], new() { { TAttr, x.dtype }, { Message, message } }).outputs[0];
    }

    /// <summary>
    /// <c>tf.add_check_numerics_ops()</c>: a CheckNumerics for every float output in the graph (variables and the
    /// variables assignments return excepted, as TensorFlow skips its <c>float_ref</c> outputs), each with the
    /// message <c>"op_name:index"</c> and a control dependency on the one before, so the checks run in graph order
    /// and the first failure names the earliest non-finite value. Returns the group of them.
    /// </summary>
    public static Operation AddToGraph(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return AddFor(graph, graph.get_operations().ToList());
    }

    /// <summary>
    /// <see cref="AddToGraph"/> for <paramref name="ops"/> only (in graph order), leaving out checks already there:
    /// a diagnosis of one computation (a training step's forward and backward pass, without its updates).
    /// </summary>
    internal static Operation AddFor(Graph graph, IEnumerable<Operation> ops)
    {
        Tensor? previous = null;
        // Values of a cond branch or a loop may be dead (not computed in this run) and a check on them would be dead
        // too, cutting the chain: only ops outside control flow are checked (TensorFlow refuses graphs with it).
        var mayBeDead = new HashSet<Operation>();
        foreach (var op in ops.OrderBy(o => o.Id))
            if (op.Context is not null || op.Def.ControlFlow == ControlFlowRole.Switch
                || (op.Def.ControlFlow != ControlFlowRole.Merge && (op.inputs.Any(t => mayBeDead.Contains(t.op)) || op.control_inputs.Any(mayBeDead.Contains))))
                mayBeDead.Add(op);
        foreach (var op in ops.Where(o => o.type != "CheckNumerics" && !mayBeDead.Contains(o) && o.Def.ControlFlow == ControlFlowRole.None).OrderBy(o => o.Id))
            for (var i = 0; i < op.outputs.Count; i++)
            {
                var output = op.outputs[i];
                if (!output.dtype.is_floating || op.Def.IsRefOutput(i)) continue;
                using (graph.control_dependencies(previous is null ? null : [previous]))
                    previous = Build(output, $"{op.name}:{i}");
            }
        return Control.NoOp.Group(previous is null ? [] : [previous.op], "check_numerics_ops");
    }
}
