using SharpFlow.GraphIO;
using SharpFlow.Tests.Checkpoints;
using SharpFlow.Tests.Support;
using Tf = Tensorflow;
using static SharpFlow.Binding;

namespace SharpFlow.Tests.GraphIO;

/// <summary>
/// TensorFlow 2's functional control flow (If, StatelessIf, While, StatelessWhile, PartitionedCall,
/// StatefulPartitionedCall) lowered on import into SharpFlow's v1 tf.cond, tf.while_loop and inlined bodies: a
/// while_v2 loop TensorFlow wrote (TestData/tf-functions), graphs in cond_v2's, while_v2's and tf.function's
/// NodeDef/FunctionDef form (written here from cond_v2.py, while_v2.py and function.py), their values and gradients
/// against the same programs built with v1 control flow, and the refusals.
/// </summary>
public sealed class FunctionalControlFlowTests
{
    private static string FixturePath(string name) => TestData.File("tf-functions", name);

    [Fact]
    public void AWhileLoopTensorFlow2WroteRunsAfterImport()
    {
        var graphDef = ProtoFiles.Read<Tf.GraphDef>(FixturePath("graph-functional-while-loop.pbtxt"), as_text: true);
        using var g = TestGraph.Enter();
        var input = tf.placeholder(tf.int32, Shape.Scalar);
        var outputs = tf.import_graph_def(graphDef, input_map: new Dictionary<string, Tensor> { ["input"] = input },
            return_elements: ["while:0", "while:1", "while:2"], name: "")!;
        using var sess = tf.Session();
        var values = sess.run([.. outputs.Cast<Tensor>()], new FeedDict { [input] = NDArray.Scalar(3) });
        Assert.Equal([7, -1, 10], values.Select(v => v.AsSpan<int>()[0]));
        values = sess.run([.. outputs.Cast<Tensor>()], new FeedDict { [input] = NDArray.Scalar(12) });
        Assert.Equal([0, -1, 12], values.Select(v => v.AsSpan<int>()[0]));
        // Lowered into v1 control flow; the node's name is a NoOp that control inputs can name.
        Assert.Contains(g.Graph.get_operations(), o => o.type == "Enter");
        Assert.Contains(g.Graph.get_operations(), o => o.type == "NextIteration");
        Assert.Equal("NoOp", g.Graph.get_operation_by_name("while").type);
    }

    // cond_v2's form: the If takes the predicate and the branches' captured tensors; each branch is a function of
    // those tensors whose results pass through Identity nodes (output args identity, ...); an Identity after the If
    // is what the program reads.
    internal const string IfGraph = """
        node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "shape" value { shape { } } } }
        node { name: "Less/y" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { } float_val: 2 } } } }
        node { name: "Less" op: "Less" input: "x" input: "Less/y" attr { key: "T" value { type: DT_FLOAT } } }
        node {
          name: "cond" op: "OP" input: "Less" input: "x"
          attr { key: "Tcond" value { type: DT_BOOL } }
          attr { key: "Tin" value { list { type: DT_FLOAT } } }
          attr { key: "Tout" value { list { type: DT_FLOAT } } }
          attr { key: "_lower_using_switch_merge" value { b: true } }
          attr { key: "else_branch" value { func { name: "cond_false_12" } } }
          attr { key: "then_branch" value { func { name: "cond_true_11" } } }
          attr { key: "output_shapes" value { list { shape { } } } }
        }
        node { name: "cond/Identity" op: "Identity" input: "cond" attr { key: "T" value { type: DT_FLOAT } } }
        library {
          function {
            signature { name: "cond_true_11" input_arg { name: "mul_x" type: DT_FLOAT } output_arg { name: "identity" type: DT_FLOAT } }
            node_def { name: "mul" op: "Mul" input: "mul_x" input: "mul_x" attr { key: "T" value { type: DT_FLOAT } } }
            node_def { name: "Identity" op: "Identity" input: "mul:z:0" attr { key: "T" value { type: DT_FLOAT } } }
            ret { key: "identity" value: "Identity:output:0" }
          }
          function {
            signature { name: "cond_false_12" input_arg { name: "mul_x" type: DT_FLOAT } output_arg { name: "identity" type: DT_FLOAT } }
            node_def { name: "mul/y" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { } float_val: 3 } } } }
            node_def { name: "mul" op: "Mul" input: "mul_x" input: "mul/y:output:0" attr { key: "T" value { type: DT_FLOAT } } }
            node_def { name: "Identity" op: "Identity" input: "mul:z:0" attr { key: "T" value { type: DT_FLOAT } } }
            ret { key: "identity" value: "Identity:output:0" }
          }
        }
        versions { producer: 134 min_consumer: 12 }
        """;

    private static Tf.GraphDef Parse(string text) => TextFormat.Parse<Tf.GraphDef>(text);

    [Theory]
    [InlineData("If")]
    [InlineData("StatelessIf")]
    public void AnIfRunsAndDifferentiatesAsTheSameV1Cond(string op)
    {
        var graphDef = Parse(IfGraph.Replace("\"OP\"", $"\"{op}\"", StringComparison.Ordinal));
        foreach (var x in new[] { 1.5f, 4f })
        {
            float value, grad;
            using (var g = TestGraph.Enter())
            {
                tf.import_graph_def(graphDef, name: "");
                var xt = g.Graph.get_tensor_by_name("x:0");
                var y = g.Graph.get_tensor_by_name("cond/Identity:0");
                var dy = tf.gradients(y, xt)[0]!;
                using var sess = tf.Session();
                var r = sess.run([y, dy], new FeedDict { [xt] = NDArray.Scalar(x) });
                (value, grad) = (r[0].AsSpan<float>()[0], r[1].AsSpan<float>()[0]);
                Assert.Contains(g.Graph.get_operations(), o => o.type == "Switch");
            }
            using (var g = TestGraph.Enter())
            {
                var xt = tf.placeholder(tf.float32, Shape.Scalar);
                var y = tf.cond(tf.less(xt, 2f), () => xt * xt, () => xt * 3f);
                var dy = tf.gradients(y, xt)[0]!;
                using var sess = tf.Session();
                var r = sess.run([y, dy], new FeedDict { [xt] = NDArray.Scalar(x) });
                Assert.Equal(r[0].AsSpan<float>()[0], value);
                Assert.Equal(r[1].AsSpan<float>()[0], grad);
            }
        }
    }

    [Fact]
    public void AnIfOnANumberTakesThenForNonZero()
    {
        // TensorFlow's If converts a non-bool cond with ToBool: a non-zero number is true.
        var graphDef = Parse(IfGraph.Replace("\"OP\"", "\"If\"", StringComparison.Ordinal));
        var cond = graphDef.Node.Single(n => n.Name == "cond");
        cond.Input[0] = "n";
        cond.Attr["Tcond"].Type = Tf.DataType.DtInt32;
        graphDef.Node.Add(TextFormat.Parse<Tf.NodeDef>("""name: "n" op: "Placeholder" attr { key: "dtype" value { type: DT_INT32 } } attr { key: "shape" value { shape { } } }"""));
        using var g = TestGraph.Enter();
        tf.import_graph_def(graphDef, name: "");
        var x = g.Graph.get_tensor_by_name("x:0");
        var n = g.Graph.get_tensor_by_name("n:0");
        var y = g.Graph.get_tensor_by_name("cond/Identity:0");
        using var sess = tf.Session();
        Assert.Equal(25f, sess.run(y, new FeedDict { [x] = NDArray.Scalar(5f), [n] = NDArray.Scalar(-2) }).AsSpan<float>()[0]);
        Assert.Equal(15f, sess.run(y, new FeedDict { [x] = NDArray.Scalar(5f), [n] = NDArray.Scalar(0) }).AsSpan<float>()[0]);
    }

    // while_v2's form for `i, x = 0, x; while i < 3: i, x = i + 1, x * 1.5`: the loop counter and
    // maximum_iterations first, the body returning maximum_iterations unchanged.
    private const string WhileGraph = """
        node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "shape" value { shape { } } } }
        node { name: "while/maximum_iterations" op: "Const" attr { key: "dtype" value { type: DT_INT32 } } attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { } int_val: -1 } } } }
        node { name: "while/loop_counter" op: "Const" attr { key: "dtype" value { type: DT_INT32 } } attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { } int_val: 0 } } } }
        node {
          name: "while" op: "OP" input: "while/loop_counter" input: "while/maximum_iterations" input: "x"
          attr { key: "T" value { list { type: DT_INT32 type: DT_INT32 type: DT_FLOAT } } }
          attr { key: "_lower_using_switch_merge" value { b: true } }
          attr { key: "body" value { func { name: "while_body_20" } } }
          attr { key: "cond" value { func { name: "while_cond_19" } } }
          attr { key: "output_shapes" value { list { shape { } shape { } shape { } } } }
          attr { key: "parallel_iterations" value { i: 10 } }
        }
        node { name: "while/Identity_2" op: "Identity" input: "while:2" attr { key: "T" value { type: DT_FLOAT } } }
        library {
          function {
            signature {
              name: "while_cond_19"
              input_arg { name: "while_loop_counter" type: DT_INT32 } input_arg { name: "while_maximum_iterations" type: DT_INT32 }
              input_arg { name: "placeholder" type: DT_FLOAT } output_arg { name: "identity" type: DT_BOOL }
            }
            node_def { name: "Less/y" op: "Const" attr { key: "dtype" value { type: DT_INT32 } } attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { } int_val: 3 } } } }
            node_def { name: "Less" op: "Less" input: "while_loop_counter" input: "Less/y:output:0" attr { key: "T" value { type: DT_INT32 } } }
            node_def { name: "Identity" op: "Identity" input: "Less:z:0" attr { key: "T" value { type: DT_BOOL } } }
            ret { key: "identity" value: "Identity:output:0" }
          }
          function {
            signature {
              name: "while_body_20"
              input_arg { name: "while_loop_counter" type: DT_INT32 } input_arg { name: "while_maximum_iterations" type: DT_INT32 }
              input_arg { name: "placeholder" type: DT_FLOAT }
              output_arg { name: "identity" type: DT_INT32 } output_arg { name: "identity_1" type: DT_INT32 } output_arg { name: "identity_2" type: DT_FLOAT }
            }
            node_def { name: "add/y" op: "Const" attr { key: "dtype" value { type: DT_INT32 } } attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { } int_val: 1 } } } }
            node_def { name: "add" op: "AddV2" input: "while_loop_counter" input: "add/y:output:0" attr { key: "T" value { type: DT_INT32 } } }
            node_def { name: "mul/y" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { } float_val: 1.5 } } } }
            node_def { name: "mul" op: "Mul" input: "placeholder" input: "mul/y:output:0" attr { key: "T" value { type: DT_FLOAT } } }
            node_def { name: "Identity" op: "Identity" input: "add:z:0" attr { key: "T" value { type: DT_INT32 } } }
            node_def { name: "Identity_1" op: "Identity" input: "while_maximum_iterations" attr { key: "T" value { type: DT_INT32 } } }
            node_def { name: "Identity_2" op: "Identity" input: "mul:z:0" attr { key: "T" value { type: DT_FLOAT } } }
            ret { key: "identity" value: "Identity:output:0" }
            ret { key: "identity_1" value: "Identity_1:output:0" }
            ret { key: "identity_2" value: "Identity_2:output:0" }
          }
        }
        versions { producer: 134 min_consumer: 12 }
        """;

    [Theory]
    [InlineData("While")]
    [InlineData("StatelessWhile")]
    public void AWhileRunsAndDifferentiatesAsTheSameV1WhileLoop(string op)
    {
        var graphDef = Parse(WhileGraph.Replace("\"OP\"", $"\"{op}\"", StringComparison.Ordinal));
        float value, grad;
        using (var g = TestGraph.Enter())
        {
            tf.import_graph_def(graphDef, name: "");
            var x = g.Graph.get_tensor_by_name("x:0");
            var y = g.Graph.get_tensor_by_name("while/Identity_2:0");
            var dy = tf.gradients(y, x)[0]!;
            using var sess = tf.Session();
            var r = sess.run([y, dy], new FeedDict { [x] = NDArray.Scalar(2f) });
            (value, grad) = (r[0].AsSpan<float>()[0], r[1].AsSpan<float>()[0]);
        }
        using (var g = TestGraph.Enter())
        {
            var x = tf.placeholder(tf.float32, Shape.Scalar);
            var (_, y) = tf.while_loop((i, _) => tf.less(i, 3), (i, v) => (i + 1, v * 1.5f), (tf.constant(0), x));
            var dy = tf.gradients(y, x)[0]!;
            using var sess = tf.Session();
            var r = sess.run([y, dy], new FeedDict { [x] = NDArray.Scalar(2f) });
            Assert.Equal(r[0].AsSpan<float>()[0], value);
            Assert.Equal(r[1].AsSpan<float>()[0], grad);
        }
        Assert.Equal(6.75f, value);
        Assert.Equal(3.375f, grad);
    }

    // tf.function's call: StatefulPartitionedCall of __inference_f_N(x, y) = x * y + x.
    internal const string CallGraph = """
        node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "shape" value { shape { dim { size: 2 } } } } }
        node { name: "y" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "shape" value { shape { dim { size: 2 } } } } }
        node {
          name: "StatefulPartitionedCall" op: "OP" input: "x" input: "y"
          attr { key: "Tin" value { list { type: DT_FLOAT type: DT_FLOAT } } }
          attr { key: "Tout" value { list { type: DT_FLOAT } } }
          attr { key: "_read_only_resource_inputs" value { list { } } }
          attr { key: "config" value { s: "" } } attr { key: "config_proto" value { s: "" } } attr { key: "executor_type" value { s: "" } }
          attr { key: "f" value { func { name: "__inference_f_31" } } }
        }
        node { name: "Identity" op: "Identity" input: "StatefulPartitionedCall" attr { key: "T" value { type: DT_FLOAT } } }
        library {
          function {
            signature { name: "__inference_f_31" input_arg { name: "x" type: DT_FLOAT } input_arg { name: "y" type: DT_FLOAT } output_arg { name: "identity" type: DT_FLOAT } }
            node_def { name: "mul" op: "Mul" input: "x" input: "y" attr { key: "T" value { type: DT_FLOAT } } }
            node_def { name: "add" op: "AddV2" input: "mul:z:0" input: "x" attr { key: "T" value { type: DT_FLOAT } } }
            node_def { name: "Identity" op: "Identity" input: "add:z:0" attr { key: "T" value { type: DT_FLOAT } } }
            ret { key: "identity" value: "Identity:output:0" }
            arg_attr { key: 0 value { attr { key: "_user_specified_name" value { s: "x" } } } }
            arg_attr { key: 1 value { attr { key: "_user_specified_name" value { s: "y" } } } }
          }
        }
        versions { producer: 134 min_consumer: 12 }
        """;

    [Theory]
    [InlineData("StatefulPartitionedCall")]
    [InlineData("PartitionedCall")]
    public void ACallIsInlinedAndDifferentiates(string op)
    {
        var graphDef = Parse(CallGraph.Replace("\"OP\"", $"\"{op}\"", StringComparison.Ordinal));
        using var g = TestGraph.Enter();
        tf.import_graph_def(graphDef, name: "");
        var x = g.Graph.get_tensor_by_name("x:0");
        var y = g.Graph.get_tensor_by_name("y:0");
        var z = g.Graph.get_tensor_by_name("Identity:0");
        var grads = tf.gradients(z, [x, y]);
        using var sess = tf.Session();
        var feed = new FeedDict { [x] = NDArray.FromArray(new[] { 1f, 2f }), [y] = NDArray.FromArray(new[] { 3f, -1f }) };
        var r = sess.run([z, grads[0]!, grads[1]!], feed);
        Assert.Equal([4f, 0f], r[0].ToArray<float>());
        Assert.Equal([4f, 0f], r[1].ToArray<float>()); // y + 1
        Assert.Equal([1f, 2f], r[2].ToArray<float>()); // x
        // Inlined under the node's name, which a NoOp keeps.
        Assert.Equal("StatefulPartitionedCall/lowered/add", z.op.inputs[0].op.inputs[0].op.name);
        Assert.Equal("NoOp", g.Graph.get_operation_by_name("StatefulPartitionedCall").type);
    }

    [Fact]
    public void AFunctionCallingAnUnknownFunctionIsRefusedNamingBoth()
    {
        // The call's body calls a function the library lacks.
        var graphDef = Parse(CallGraph.Replace("\"OP\"", "\"StatefulPartitionedCall\"", StringComparison.Ordinal));
        var body = graphDef.Library.Function[0];
        var inner = Tf.NodeDef.Parser.ParseJson("""{ "name": "inner", "op": "PartitionedCall", "input": ["x", "y"] }""");
        inner.Attr["Tin"] = new Tf.AttrValue { List = new Tf.AttrValue.Types.ListValue { Type = { Tf.DataType.DtFloat, Tf.DataType.DtFloat } } };
        inner.Attr["Tout"] = new Tf.AttrValue { List = new Tf.AttrValue.Types.ListValue { Type = { Tf.DataType.DtFloat } } };
        inner.Attr["f"] = new Tf.AttrValue { Func = new Tf.NameAttrList { Name = "missing_fn" } };
        body.NodeDef.Add(inner);
        body.NodeDef.Single(n => n.Name == "Identity").Input[0] = "inner:output:0";
        using var g = TestGraph.Enter();
        var e = Assert.Throws<ValueError>(() => tf.import_graph_def(graphDef, name: ""));
        Assert.Contains("Node 'StatefulPartitionedCall' (StatefulPartitionedCall), attr 'f': function '__inference_f_31'", e.Message);
        Assert.Contains("Node 'inner' (PartitionedCall), attr 'f': function 'missing_fn' is not in the GraphDef's library", e.Message);
    }

    [Fact]
    public void BranchesThatDoNotFitTheIfAreRefused()
    {
        var graphDef = Parse(IfGraph.Replace("\"OP\"", "\"If\"", StringComparison.Ordinal));
        graphDef.Node.Single(n => n.Name == "cond").Attr["Tout"].List.Type.Add(Tf.DataType.DtFloat);
        using (TestGraph.Enter())
        {
            var e = Assert.Throws<ValueError>(() => tf.import_graph_def(graphDef, name: ""));
            Assert.Contains("Node 'cond' (If), attr 'then_branch': function 'cond_true_11' returns 1 value(s), but attr 'Tout' lists 2", e.Message);
        }
        graphDef = Parse(IfGraph.Replace("\"OP\"", "\"If\"", StringComparison.Ordinal));
        graphDef.Node.Single(n => n.Name == "cond").Attr["else_branch"].Func.Name = "nowhere";
        using (TestGraph.Enter())
        {
            var e = Assert.Throws<ValueError>(() => tf.import_graph_def(graphDef, name: ""));
            Assert.Contains("Node 'cond' (If), attr 'else_branch': function 'nowhere' is not in the GraphDef's library", e.Message);
        }
        graphDef = Parse(WhileGraph.Replace("\"OP\"", "\"While\"", StringComparison.Ordinal));
        graphDef.Library.Function.Single(f => f.Signature.Name == "while_body_20").Signature.InputArg.RemoveAt(2);
        using (TestGraph.Enter())
        {
            var e = Assert.Throws<ValueError>(() => tf.import_graph_def(graphDef, name: ""));
            Assert.Contains("Node 'while' (While), attr 'body': function 'while_body_20' takes 2 argument(s), but the node passes 3", e.Message);
        }
    }

    private static Exception ImportError(Tf.GraphDef graphDef)
    {
        using var g = TestGraph.Enter();
        return Assert.ThrowsAny<Exception>(() => tf.import_graph_def(graphDef, name: ""));
    }

    private static Tf.GraphDef If() => Parse(IfGraph.Replace("\"OP\"", "\"If\"", StringComparison.Ordinal));

    private static Tf.GraphDef While() => Parse(WhileGraph.Replace("\"OP\"", "\"While\"", StringComparison.Ordinal));

    [Fact]
    public void NodesAndFunctionsThatCannotBeLoweredAreRefusedNamingTheNodeAndTheProblem()
    {
        var graphDef = If();
        graphDef.Node.Single(n => n.Name == "cond").Attr.Remove("then_branch");
        Assert.Contains("Node 'cond' (If): attr 'then_branch' is missing or holds no function", Assert.IsType<ValueError>(ImportError(graphDef)).Message);

        graphDef = If();
        graphDef.Node.Single(n => n.Name == "cond").Attr["Tin"].List.Type.Add(Tf.DataType.DtFloat);
        Assert.Contains("Node 'cond' (If): attr 'Tin' lists 2 type(s), but the node has 1 input(s) after cond", ImportError(graphDef).Message);

        graphDef = If();
        graphDef.Node.Single(n => n.Name == "cond").Attr["Tout"].List.Type.Clear();
        Assert.Contains("Node 'cond' (If): an If without outputs (run for its side effects) is not supported", Assert.IsType<UnimplementedError>(ImportError(graphDef)).Message);

        // Branches whose results differ in dtype: the v1 cond's refusal, named after the node.
        graphDef = If();
        var elseFn = graphDef.Library.Function.Single(f => f.Signature.Name == "cond_false_12");
        elseFn.NodeDef.Add(TextFormat.Parse<Tf.NodeDef>("""name: "c" op: "Cast" input: "mul:z:0" attr { key: "SrcT" value { type: DT_FLOAT } } attr { key: "DstT" value { type: DT_INT32 } } attr { key: "Truncate" value { b: false } }"""));
        elseFn.NodeDef.Single(n => n.Name == "Identity").Input[0] = "c:y:0";
        elseFn.NodeDef.Single(n => n.Name == "Identity").Attr["T"].Type = Tf.DataType.DtInt32;
        var e = Assert.IsType<ValueError>(ImportError(graphDef));
        Assert.StartsWith("import_graph_def: Node 'cond' (If) cannot be lowered: Outputs of true_fn and false_fn must have", e.Message);

        graphDef = While();
        var body = graphDef.Library.Function.Single(f => f.Signature.Name == "while_body_20");
        body.Signature.OutputArg.RemoveAt(2);
        body.Ret.Remove("identity_2");
        Assert.Contains("Node 'while' (While), attr 'body': function 'while_body_20' returns 2 value(s) for 3 loop variable(s)", ImportError(graphDef).Message);

        graphDef = While();
        var cond = graphDef.Library.Function.Single(f => f.Signature.Name == "while_cond_19");
        cond.Signature.OutputArg.Add(new Tf.OpDef.Types.ArgDef { Name = "identity_1", Type = Tf.DataType.DtBool });
        cond.Ret["identity_1"] = "Identity:output:0";
        Assert.Contains("Node 'while' (While), attr 'cond': function 'while_cond_19' returns 2 value(s); a loop condition returns one", ImportError(graphDef).Message);

        graphDef = While();
        graphDef.Library.Function.Single(f => f.Signature.Name == "while_cond_19").Signature.InputArg[2] =
            new Tf.OpDef.Types.ArgDef { Name = "placeholder", TypeAttr = "T" };
        Assert.Contains("argument 'placeholder' takes its type from attr 'T' (a polymorphic function), which SharpFlow does not instantiate",
            Assert.IsType<UnimplementedError>(ImportError(graphDef)).Message);
    }

    [Fact]
    public void TheLoweredTypesAreImportableAndInTheOpDefTable()
    {
        foreach (var type in new[] { "If", "StatelessIf", "While", "StatelessWhile", "PartitionedCall", "StatefulPartitionedCall" })
        {
            Assert.Contains(type, OpRegistry.BuiltinTypes);
            Assert.NotNull(TfOpDefs.Find(type));
        }
        Assert.Empty(OpDefConformanceTests.Violations(Parse(IfGraph.Replace("\"OP\"", "\"If\"", StringComparison.Ordinal))));
        Assert.Empty(OpDefConformanceTests.Violations(Parse(WhileGraph.Replace("\"OP\"", "\"While\"", StringComparison.Ordinal))));
        Assert.Empty(OpDefConformanceTests.Violations(Parse(CallGraph.Replace("\"OP\"", "\"StatefulPartitionedCall\"", StringComparison.Ordinal))));
    }
}
