using System.Reflection;
using Google.Protobuf;
using SharpFlow.Framework;
using SharpFlow.GraphIO;
using SharpFlow.Ops;
using Tf = Tensorflow;

namespace SharpFlow.Tests.Framework;

/// <summary>
/// Typed attributes (<see cref="OpAttr{T}"/>): reads from an operation, a shape rule and a kernel, defaults, the
/// stored forms an attribute may take (an int or a long, an int[] or a long[], an empty list of any kind), and
/// TensorFlow's errors for a missing attribute and one of the wrong type, when an op is built, read or imported;
/// and the declared attributes of SharpFlow's ops agree with TensorFlow's OpDefs.
/// </summary>
public sealed class OpAttrTests
{
    /// <summary>Scale: x * factor (negated with <c>negate</c>); a test op whose attributes are declared descriptors.</summary>
    private sealed class Scale : OpDef
    {
        public static readonly Scale Def = new();

        internal static readonly OpAttr<DType> T = new("T");
        internal static readonly OpAttr<float> Factor = new("factor");
        internal static readonly OpAttr<bool> Negate = new("negate", false);
        internal static readonly OpAttr<long[]> Axes = new("axes", []);

        public override string Type => "SharpFlowTestScale";

        public override void InferShapes(InferenceContext ctx)
        {
            if (Factor.Of(ctx) == 0) throw ctx.Error("factor must not be 0");
            ctx.AddOutput(T.Of(ctx), ctx.InputShape(0));
        }

        public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
        {
            var factor = Factor.Of(ctx) * (Negate.Of(ctx) ? -1 : 1);
            var x = ctx.Input(0);
            var y = ctx.AllocateUninitializedOutput(0, x.dtype, x.shape);
            var s = x.AsReadOnlySpan<float>();
            var d = y.AsSpan<float>();
            for (var i = 0; i < s.Length; i++) d[i] = s[i] * factor;
        });

        public static Tensor Build(TensorLike x, Dictionary<string, object> attrs, string name)
        {
            using var b = OpBuilder.Begin(name, "Scale", x);
            var input = b.Convert(x, "x");
            attrs.Add(T, input.dtype);
            return b.Create(Def, [input], attrs).outputs[0];
        }
    }

    [Fact]
    public void ReadsComeFromTheOpTheShapeRuleAndTheKernelAndMissingOnesWithADefaultGetIt()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new[] { 1f, -2f });
        var y = Scale.Build(x, new() { { Scale.Factor, 3f } }, "s");
        Assert.Equal(3f, Scale.Factor.Of(y.op));
        Assert.False(Scale.Negate.Of(y.op));
        Assert.Empty(Scale.Axes.Of(y.op));
        Assert.False(y.op.attrs.ContainsKey("negate")); // a default is read, not written into a built op
        Assert.Equal(new[] { 3f, -6f }, g.Eval(y).ToArray<float>());
        var z = Scale.Build(x, new() { { Scale.Factor, 0.5f }, { Scale.Negate, true } }, "z");
        Assert.Equal(new[] { -0.5f, 1f }, g.Eval(z).ToArray<float>());
        Assert.True(Scale.Negate.TryGet(z.op, out var negate) && negate);
        Assert.True(Scale.Negate.TryGet(y.op, out negate) && !negate); // the default
        Assert.False(new OpAttr<string>("absent").TryGet(y.op, out _));
        // The public op.get_attr / op.Attr<T> stay TensorFlow's op.get_attr for users.
        Assert.Equal(3f, y.op.get_attr("factor"));
        Assert.Equal(3f, y.op.Attr<float>("factor"));
    }

    [Fact]
    public void StoredIntegersListsAndEmptyListsAreReadInTheDeclaredForm()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new[] { 1f });
        var attrs = new Dictionary<string, object> { ["factor"] = 2.0, ["axes"] = new[] { 1, 2 } };
        var y = Scale.Build(x, attrs, "s");
        Assert.Equal(2f, Scale.Factor.Of(y.op)); // a double for a float attribute
        Assert.Equal(new long[] { 1, 2 }, Scale.Axes.Of(y.op)); // int[] for list(int) read as long[]
        var ints = new OpAttr<int[]>("list");
        var longs = new OpAttr<long>("n");
        var ints1 = new OpAttr<int>("n");
        var types = new OpAttr<DType[]>("types");
        var stored = new Dictionary<string, object> { ["list"] = new long[] { 4, 5 }, ["n"] = 7, ["types"] = System.Array.Empty<int>() };
        Assert.Equal(new[] { 4, 5 }, ints.Of(stored, "Op", "node"));
        Assert.Equal(7L, longs.Of(stored, "Op", "node"));
        Assert.Equal(7, ints1.Of(stored, "Op", "node"));
        Assert.Empty(types.Of(stored, "Op", "node")); // a GraphDef's empty list has no element kind
        // An int64 that does not fit an attribute read as an int is refused, not truncated.
        var e = Assert.Throws<ValueError>(() => ints1.Of(new Dictionary<string, object> { ["n"] = 1L << 40 }, "Op", "node"));
        Assert.Equal("Attr 'n' of Op has value 1099511627776, out of the int32 range SharpFlow reads it in; NodeDef: {{node node}}", e.Message);
    }

    [Fact]
    public void AMissingAttributeNamesTheAttributeTheOpAndTheNode()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new[] { 1f });
        var e = Assert.Throws<ValueError>(() => Scale.Build(x, [], "scaled"));
        Assert.Equal("NodeDef missing attr 'factor' from Op<name=SharpFlowTestScale; attr=T:type, factor:float, negate:bool,default=false, " +
                     "axes:list(int),default=[]>; NodeDef: {{node scaled}}", e.Message);
        var mm = tf.matmul(tf.ones(new Shape(2, 2)), tf.ones(new Shape(2, 2)), name: "mm");
        var missing = new OpAttr<bool>("adjoint");
        var m = Assert.Throws<ValueError>(() => missing.Of(mm.op));
        Assert.StartsWith("NodeDef missing attr 'adjoint' from Op<name=MatMul; attr=", m.Message);
        Assert.EndsWith("; NodeDef: {{node mm}}", m.Message);
    }

    [Fact]
    public void AnAttributeOfTheWrongTypeIsRefusedWhenTheOpIsBuiltNamingTheNodeAndTheAttribute()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new[] { 1f });
        var e = Assert.Throws<TypeError>(() => Scale.Build(x, new() { ["factor"] = 2f, ["negate"] = 1L }, "bad"));
        Assert.Equal("AttrValue had value with type 'int' when 'bool' expected for attr 'negate'; NodeDef: {{node bad}}; " +
                     "Op<name=SharpFlowTestScale; attr=T:type, factor:float, negate:bool,default=false, axes:list(int),default=[]>", e.Message);
        var l = Assert.Throws<TypeError>(() => Scale.Build(x, new() { ["factor"] = 2f, ["axes"] = new[] { "a" } }, "bad2"));
        Assert.StartsWith("AttrValue had value with type 'list(string)' when 'list(int)' expected for attr 'axes'; NodeDef: {{node bad2}}", l.Message);
    }

    private static Tf.GraphDef MatMulGraph(Action<Tf.NodeDef> edit)
    {
        var graphDef = new Tf.GraphDef();
        foreach (var name in new[] { "a", "b" })
        {
            var p = new Tf.NodeDef { Name = name, Op = "Placeholder" };
            p.Attr["dtype"] = new Tf.AttrValue { Type = Tf.DataType.DtFloat };
            p.Attr["shape"] = new Tf.AttrValue { Shape = new Tf.TensorShapeProto { UnknownRank = true } };
            graphDef.Node.Add(p);
        }
        var mm = new Tf.NodeDef { Name = "mm", Op = "MatMul", Input = { "a", "b" } };
        mm.Attr["T"] = new Tf.AttrValue { Type = Tf.DataType.DtFloat };
        mm.Attr["transpose_a"] = new Tf.AttrValue { B = true };
        edit(mm);
        graphDef.Node.Add(mm);
        return graphDef;
    }

    [Fact]
    public void AnImportedNodeWithAnAttributeOfTheWrongTypeIsRefusedNamingTheNodeAndTheAttribute()
    {
        using var g = TestGraph.Enter();
        var graphDef = MatMulGraph(mm => mm.Attr["transpose_a"] = new Tf.AttrValue { I = 1 });
        var e = Assert.Throws<ValueError>(() => tf.import_graph_def(graphDef, name: ""));
        Assert.Equal("import_graph_def: Node 'mm' (MatMul) cannot be imported: AttrValue had value with type 'int' when 'bool' expected " +
                     "for attr 'transpose_a'; NodeDef: {{node mm}}; Op<name=MatMul; attr=transpose_a:bool,default=false, transpose_b:bool,default=false, T:type>",
                     e.Message);
        var s = Assert.Throws<ValueError>(() => tf.import_graph_def(MatMulGraph(mm => mm.Attr["transpose_b"] = new Tf.AttrValue { S = ByteString.CopyFromUtf8("yes") }), name: "x"));
        Assert.Contains("Node 'mm' (MatMul) cannot be imported: AttrValue had value with type 'string' when 'bool' expected for attr 'transpose_b'", s.Message);
    }

    [Fact]
    public void AnImportedNodeThatLeavesOutAnAttributeWithADefaultGetsIt()
    {
        using var g = TestGraph.Enter();
        var graphDef = MatMulGraph(mm => mm.Attr.Remove("transpose_a"));
        tf.import_graph_def(graphDef, name: "");
        var mm = g.Graph.get_operation_by_name("mm");
        Assert.False((bool)mm.get_attr("transpose_a")); // TensorFlow's OpDef default, as AddDefaultAttrsToNodeDef
        Assert.False((bool)mm.get_attr("transpose_b"));

        // An op type TensorFlow does not know gets the defaults its own declaration gives.
        tf.RegisterOps("tests", [Scale.Def]);
        var node = new Tf.NodeDef { Name = "s", Op = "SharpFlowTestScale", Input = { "a" } };
        node.Attr["T"] = new Tf.AttrValue { Type = Tf.DataType.DtFloat };
        node.Attr["factor"] = new Tf.AttrValue { F = 2 };
        var custom = new Tf.GraphDef();
        custom.Node.Add(graphDef.Node[0]);
        custom.Node.Add(node);
        tf.import_graph_def(custom, name: "c");
        var s = g.Graph.get_operation_by_name("c/s");
        Assert.False((bool)s.get_attr("negate"));
        Assert.Empty((long[])s.get_attr("axes"));
        Assert.Equal(new[] { 2f, -4f }, g.Eval(s.outputs[0], new FeedDict { [g.Graph.get_tensor_by_name("c/a:0")] = new[] { 1f, -2f } }).ToArray<float>());
    }

    [Fact]
    public void AnOpDefListsItsDeclaredAttributes()
    {
        Assert.Equal(["transpose_a:bool,default=false", "transpose_b:bool,default=false", "T:type"], SharpFlow.Ops.MathOps.MatMul.Def.Attrs.Select(a => a.ToString()));
        Assert.Equal(["T:type", "factor:float", "negate:bool,default=false", "axes:list(int),default=[]"], Scale.Def.Attrs.Select(a => a.ToString()));
    }

    /// <summary>
    /// Every attribute a SharpFlow op declares (internal ones, beginning with <c>_</c>, aside) is an attribute of
    /// TensorFlow's OpDef of its type, of the same attribute type, and a default it declares is TensorFlow's.
    /// </summary>
    [Fact]
    public void DeclaredAttributesAgreeWithTensorFlowsOpDefs()
    {
        var problems = new List<string>();
        var checkedAttrs = 0;
        foreach (var type in OpRegistry.BuiltinTypes)
        {
            if (OpRegistry.Find(type) is not { } def || TfOpDefs.Find(type) is not { } tfDef) continue;
            // Attributes a base class declares for its family (a dataset op's output_types or Toutput_types, a
            // resize op's half_pixel_centers) need only be TensorFlow's where the op type has them.
            var own = def.GetType().GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .Select(f => f.GetValue(null)).OfType<OpAttr>().Select(a => a.Name).ToHashSet();
            foreach (var attr in def.Attrs)
            {
                if (attr.Name.StartsWith('_')) continue;
                var tfAttr = tfDef.Attr.FirstOrDefault(a => a.Name == attr.Name);
                if (tfAttr is null)
                {
                    if (own.Contains(attr.Name)) problems.Add($"{type}: '{attr.Name}' is not an attribute of TensorFlow's {type}");
                    continue;
                }
                checkedAttrs++;
                if (tfAttr.Type != attr.TfType)
                    problems.Add($"{type}: '{attr.Name}' is {attr.TfType}, TensorFlow's is {tfAttr.Type}");
                if (attr.HasDefault && tfAttr.DefaultValue is { } tfDefault)
                {
                    var expected = AttrValues.FromProto(type, attr.Name, tfDefault, "default");
                    if (!SameValue(expected, attr.DefaultValue!))
                        problems.Add($"{type}: '{attr.Name}' defaults to {attr}, TensorFlow's to {tfDefault}");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(checkedAttrs > 300, $"only {checkedAttrs} declared attributes checked");
    }

    private static bool SameValue(object a, object b) => (a, b) switch
    {
        (System.Array x, System.Array y) => x.Length == y.Length && x.Cast<object>().Zip(y.Cast<object>()).All(p => SameValue(p.First, p.Second)),
        (long x, int y) => x == y,
        (int x, long y) => x == y,
        (float x, float y) => x == y,
        _ => Equals(a, b),
    };
}
