#:project ../src/SharpFlow/SharpFlow.csproj
// A custom op written outside SharpFlow, through its public API only, as TensorFlow's guide "Adding a New Op" writes
// ZeroOut in C++: the op's definition (its type, shape and dtype rule), its kernel, its gradient, and a Python-style
// wrapper. tf.load_op_library registers it so a GraphDef that holds it imports back. This file is compiled against
// the SharpFlow project without access to its internals, so it proves that the public API suffices.
using SharpFlow;
using SharpFlow.Framework;
using SharpFlow.Ops;
using static SharpFlow.Binding;

// 1. Build and run it like any op.
var x = tf.placeholder(tf.float32, shape: new[] { 2, 3 }, name: "x");
var zeroed = ZeroOut.Build(x, name: "zero_out");
var loss = tf.reduce_sum(zeroed * tf.constant(new[,] { { 2f, 3f, 4f }, { 5f, 6f, 7f } }));
var grad = tf.gradients(loss, x)[0]!;
var feed = new FeedDict { [x] = new[,] { { 1f, 2f, 3f }, { 4f, 5f, 6f } } };
using (var sess = tf.Session())
{
    Console.WriteLine($"zero_out: {sess.run(zeroed, feed)}");
    Console.WriteLine($"shape: {zeroed.shape}");
    Console.WriteLine($"gradient: {sess.run(grad, feed)}");
}

// 2. Its shape rule runs when the graph is built: a scalar is refused there, naming the op.
try
{
    ZeroOut.Build(tf.constant(1f), name: "scalar");
}
catch (ValueError e)
{
    Console.WriteLine($"refused: {e.Message}");
}

// 3. The graph goes to a GraphDef and back into a fresh graph, where the importer knows ZeroOut from the library.
Console.WriteLine($"registered: {string.Join(", ", tf.load_op_library(typeof(ZeroOut).Assembly))}");
var graphDef = tf.get_default_graph().as_graph_def();
using (new Graph().as_default())
{
    var imported = tf.import_graph_def(graphDef, return_elements: ["x:0", "zero_out:0"], name: "")!;
    using var sess = tf.Session();
    var result = sess.run((Tensor)imported[1], new FeedDict { [(Tensor)imported[0]] = new[,] { { 9f, 8f, 7f }, { 6f, 5f, 4f } } });
    Console.WriteLine($"imported zero_out: {result}");
}

/// <summary>
/// ZeroOut: the input with every element but the first set to zero (TensorFlow's custom-op tutorial). Its
/// definition is a static readonly field of an <see cref="OpDef"/> subclass, which is what tf.load_op_library finds.
/// </summary>
internal sealed class ZeroOut : OpDef
{
    public static readonly ZeroOut Def = new();

    public override string Type => "ZeroOut";

    // The shape function: one output of the input's dtype and shape; the input must have at least one dimension.
    public override void InferShapes(InferenceContext ctx)
    {
        var shape = ctx.InputShape(0);
        if (shape.ndims == 0) throw ctx.Error("ZeroOut expects a tensor of rank 1 or more, got a scalar");
        if (ctx.InputDType(0) != DType.float32 && ctx.InputDType(0) != DType.int32)
            throw ctx.TypeError($"T must be float32 or int32, got {ctx.InputDType(0).name}");
        ctx.AddOutput(ctx.InputDType(0), shape);
    }

    // The kernel: spans in, spans out; an empty input is an error at run time, naming the op.
    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var input = ctx.Input(0);
        if (input.size == 0) throw ctx.InvalidArgument("ZeroOut needs at least one element");
        var output = ctx.AllocateOutput(0, input.dtype, input.shape); // zero-filled
        if (input.dtype == DType.float32) output.AsSpan<float>()[0] = input.AsReadOnlySpan<float>()[0];
        else output.AsSpan<int>()[0] = input.AsReadOnlySpan<int>()[0];
    });

    // The gradient, as the tutorial registers it: only the first element passes the incoming gradient back.
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var input = op.inputs[0];
        var first = tf.reshape(tf.one_hot(0, tf.size(input), dtype: input.dtype), tf.shape(input));
        return [grads[0]! * first];
    }

    /// <summary>The wrapper a user calls, like TensorFlow's generated <c>zero_out_module.zero_out(x)</c>.</summary>
    public static Tensor Build(TensorLike to_zero, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "ZeroOut", to_zero);
        var input = b.Convert(to_zero, "to_zero");
        return b.Create(Def, [input], new() { ["T"] = input.dtype }).outputs[0];
    }
}
