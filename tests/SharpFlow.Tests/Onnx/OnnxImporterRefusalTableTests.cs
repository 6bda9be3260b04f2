using Google.Protobuf;
using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// One row per importer refusal that no other test triggered: the smallest model that reaches it, the exception
/// type (<see cref="UnimplementedError"/> for a form SharpFlow.Onnx does not support, <see cref="InvalidArgumentError"/>
/// for a malformed node, <see cref="DataLossError"/> for a malformed file) and the whole message, which names the file,
/// the node (every node here is unnamed, so by its first output), the operator and the attribute or reason.
/// </summary>
public sealed class OnnxImporterRefusalTableTests
{
    private sealed record Case(Func<byte[]> Model, Type Error, string Message, bool DynamicBatch = false);

    private static string Says(string op, string what, string node = "out0") => $"m.onnx: node '{node}' ({op}) uses {what}, which SharpFlow.Onnx does not support.";

    private static string Bad(string op, string what, string node = "out0") => $"m.onnx: node '{node}' ({op}): {what}";

    private static Case Unsupported(Func<byte[]> model, string op, string what, bool dynamicBatch = false, string node = "out0") => new(model, typeof(UnimplementedError), Says(op, what, node), dynamicBatch);

    private static Case Invalid(Func<byte[]> model, string op, string what, bool dynamicBatch = false, string node = "out0") => new(model, typeof(InvalidArgumentError), Bad(op, what, node), dynamicBatch);

    /// <summary><see cref="OnnxCheck.Model"/> with the node's name cleared, so the refusal names it by its output.</summary>
    private static Func<byte[]> One(string op, int opset, (string Name, object Value)[] attributes, OnnxArg[] inputs, int outputs = 1) => () =>
    {
        var proto = ModelProto.Parser.ParseFrom(Model(op, opset, attributes, inputs, outputs));
        foreach (var n in proto.Graph.Node) n.Name = "";
        return proto.ToByteArray();
    };

    /// <summary><see cref="One"/> with graph input in<paramref name="input"/> of unknown shape.</summary>
    private static Func<byte[]> Unshaped(int input, string op, int opset, (string Name, object Value)[] attributes, OnnxArg[] inputs, int outputs = 1) => () =>
    {
        var proto = ModelProto.Parser.ParseFrom(One(op, opset, attributes, inputs, outputs)());
        proto.Graph.Input.Single(i => i.Name == $"in{input}").Type.TensorType.Shape = null;
        return proto.ToByteArray();
    };

    /// <summary><paramref name="model"/> with the spatial sizes (axes 2 and 3) of graph input in0 named, not given: unknown at import.</summary>
    private static Func<byte[]> UnknownSize(Func<byte[]> model) => () =>
    {
        var proto = ModelProto.Parser.ParseFrom(model());
        var dims = proto.Graph.Input.Single(i => i.Name == "in0").Type.TensorType.Shape.Dim;
        (dims[2].DimParam, dims[3].DimParam) = ("h", "w");
        return proto.ToByteArray();
    };

    /// <summary><paramref name="model"/> with output <paramref name="output"/> of the subgraph attribute <paramref name="attribute"/> untyped.</summary>
    private static Func<byte[]> Untyped(Func<byte[]> model, string attribute, int output) => () =>
    {
        var proto = ModelProto.Parser.ParseFrom(model());
        proto.Graph.Node[0].Attribute.Single(a => a.Name == attribute).G.Output[output].Type = null;
        return proto.ToByteArray();
    };

    /// <summary>A model of several unnamed nodes over graph inputs x0, x1, …; the last node's first output is the model's.</summary>
    private static Func<byte[]> Nodes(int opset, NDArray[] fed, params NodeProto[] nodes) => () =>
    {
        var graph = new GraphProto { Name = "m" };
        for (var i = 0; i < fed.Length; i++)
        {
            var proto = ModelProto.Parser.ParseFrom(Model("Identity", opset, [], [fed[i]], 1));
            var info = proto.Graph.Input[0];
            info.Name = $"x{i}";
            graph.Input.Add(info);
        }
        foreach (var n in nodes)
        {
            n.Name = "";
            graph.Node.Add(n);
        }
        graph.Output.Add(new ValueInfoProto { Name = nodes[^1].Output[0] });
        var model = new ModelProto { IrVersion = 8, ProducerName = "SharpFlow tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model.ToByteArray();
    };

    private static NodeProto N(string op, string[] inputs, string output, params (string Name, object Value)[] attributes) =>
        OnnxNodes.Create(op, 0, inputs, [output], attributes);

    /// <summary>A subgraph whose outputs are Identity copies of its inputs (or of the named outer values).</summary>
    private static GraphProto Body(string name, string[] inputs, string[] copied, string[] outputs)
    {
        var g = new GraphProto { Name = name };
        foreach (var i in inputs) g.Input.Add(new ValueInfoProto { Name = i, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } } });
        for (var k = 0; k < outputs.Length; k++)
        {
            g.Node.Add(OnnxNodes.Create("Identity", k, [copied[k]], [outputs[k]], []));
            g.Output.Add(new ValueInfoProto { Name = outputs[k], Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } } });
        }
        return g;
    }

    /// <summary>The one-node model of <paramref name="op"/> on an initializer in1 and a fed in0, changed by <paramref name="change"/>.</summary>
    private static Func<byte[]> Changed(Action<ModelProto> change) => () =>
    {
        var proto = ModelProto.Parser.ParseFrom(Model("Add", 13, [], [F(1, 2), Const(F(2, 2))], 1));
        proto.Graph.Node[0].Name = "";
        change(proto);
        return proto.ToByteArray();
    };

    private static ValueInfoProto TensorInfo(string name, int type) => new() { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = type } } };

    private static ValueInfoProto SequenceInfo(string name) =>
        new() { Name = name, Type = new TypeProto { SequenceType = new TypeProto.Types.Sequence { ElemType = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } } } } };

    /// <summary>
    /// The body of a Loop that carries one sequence: inputs i, c and s; outputs c (copied) and the first output of
    /// the last of <paramref name="nodes"/> (s itself when there are none), the sequence carried on.
    /// </summary>
    private static GraphProto SequenceLoopBody(params NodeProto[] nodes)
    {
        var body = new GraphProto { Name = "body" };
        body.Input.Add([TensorInfo("i", 7), TensorInfo("c", 9), SequenceInfo("s")]);
        body.Node.Add(OnnxNodes.Create("Identity", 0, ["c"], ["c2"], []));
        body.Node.Add(nodes);
        body.Output.Add([TensorInfo("c2", 9), SequenceInfo(nodes.Length == 0 ? "s" : nodes[^1].Output[0])]);
        return body;
    }

    /// <summary><paramref name="model"/> with graph input x<paramref name="input"/> of unknown shape (so unknown rank).</summary>
    private static Func<byte[]> UnshapedInput(int input, Func<byte[]> model) => () =>
    {
        var proto = ModelProto.Parser.ParseFrom(model());
        proto.Graph.Input.Single(i => i.Name == $"x{input}").Type.TensorType.Shape = null;
        return proto.ToByteArray();
    };

    private static NDArray Floats(params float[] values) => NDArray.FromFlat(values, new Shape(values.Length));

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // ----- files SharpFlow.Onnx does not read, or that are not valid models -----
        ["a model of IR version 2"] = new(Changed(m => m.IrVersion = 2), typeof(UnimplementedError), "m.onnx has ONNX IR version 2; SharpFlow.Onnx reads IR version 3 and later."),
        ["a model without nodes"] = new(Changed(m => m.Graph.Node.Clear()), typeof(DataLossError), "m.onnx is not a valid ONNX model: it has no graph nodes."),
        ["an unnamed graph output"] = new(Changed(m => m.Graph.Output[0].Name = ""), typeof(DataLossError), "m.onnx is not a valid ONNX model: a graph output has no name."),
        ["an input without a type"] = new(Changed(m => m.Graph.Input[0].Type = null), typeof(UnimplementedError), "Input 'in0' has no type; SharpFlow.Onnx imports tensor inputs only."),
        ["an initializer in an external file"] = new(Changed(m => m.Graph.Initializer[0].DataLocation = TensorProto.Types.DataLocation.External), typeof(UnimplementedError),
            "m.onnx: tensor 'in1' keeps its data in an external file, which SharpFlow.Onnx does not read."),
        ["a segmented initializer"] = new(Changed(m => m.Graph.Initializer[0].Segment = new TensorProto.Types.Segment { Begin = 0, End = 1 }), typeof(UnimplementedError),
            "m.onnx: tensor 'in1' is segmented, which SharpFlow.Onnx does not read."),

        ["an initializer of a negative dimension"] = new(Changed(m => m.Graph.Initializer[0].Dims[0] = -1), typeof(DataLossError), "m.onnx: tensor 'in1' has an invalid dimension -1."),
        ["an initializer too large"] = new(Changed(m => m.Graph.Initializer[0].Dims.Add(int.MaxValue)), typeof(DataLossError), "m.onnx: tensor 'in1' of shape [2,2147483647] is too large."),
        ["an initializer of too few raw bytes"] = new(Changed(m => m.Graph.Initializer[0].Dims[0] = 3), typeof(DataLossError), "m.onnx: tensor 'in1' of shape [3] has 8 bytes of raw data, expected 12."),
        ["an initializer of too few values"] = new(Changed(m =>
        {
            var t = m.Graph.Initializer[0];
            t.ClearRawData();
            t.FloatData.Add(1f);
        }), typeof(DataLossError), "m.onnx: tensor 'in1' of shape [2] holds 1 values, expected 2."),

        // ----- forms SharpFlow.Onnx does not support -----
        ["RandomUniformLike of an int input"] = Unsupported(One("RandomUniformLike", 13, [], [L(1, 2)]), "RandomUniformLike", "dtype=int64 (random values of a non-float type)"),
        ["RandomUniform of an int dtype"] = Unsupported(One("RandomUniform", 13, [("dtype", 6), ("shape", new[] { 2 })], []), "RandomUniform", "dtype=int32 (random values of a non-float type)"),
        ["DequantizeLinear of a blocked scale"] = Unsupported(One("DequantizeLinear", 13, [], [L(1, 2), Const(F(2, 2, 1))]), "DequantizeLinear", "a scale or zero point of rank 2 (blocked quantization)"),
        ["QuantizeLinear to int64"] = Unsupported(One("QuantizeLinear", 13, [], [F(1, 2, 3), Const(NDArray.Scalar(0.5f)), Const(NDArray.Scalar(0L))]), "QuantizeLinear", "a zero point of int64 (SharpFlow.Onnx quantizes to uint8)"),
        ["RNN of an unknown direction"] = Unsupported(One("RNN", 14, [("direction", "sideways"), ("hidden_size", 2)], [F(1, 3, 1, 2), Const(F(2, 1, 2, 2)), Const(F(3, 1, 2, 2))]), "RNN", "direction=sideways"),
        ["RNN of an unknown layout"] = Unsupported(One("RNN", 14, [("layout", 2), ("hidden_size", 2)], [F(1, 3, 1, 2), Const(F(2, 1, 2, 2)), Const(F(3, 1, 2, 2))]), "RNN", "layout=2"),
        ["Resize of an unknown mode"] = Unsupported(One("Resize", 13, [("mode", "area")], [F(1, 1, 1, 2, 2), None, Const(Floats(1, 1, 2, 2))]), "Resize", "mode=area"),
        ["Resize of tf_crop_and_resize"] = Unsupported(One("Resize", 13, [("coordinate_transformation_mode", "tf_crop_and_resize")], [F(1, 1, 1, 2, 2), None, Const(Floats(1, 1, 2, 2))]), "Resize", "coordinate_transformation_mode=tf_crop_and_resize"),
        ["Unique along an axis"] = Unsupported(One("Unique", 11, [("axis", 0)], [F(1, 2, 3)], 4), "Unique", "axis=0 (unique slices along an axis)"),
        ["Det of a non-square matrix"] = Unsupported(One("Det", 11, [], [F(1, 2, 3)]), "Det", "an input of shape (2, 3) (Det needs square matrices of known size)"),
        ["MaxPool of a 4-D window"] = Unsupported(One("MaxPool", 13, [("kernel_shape", new[] { 1, 1, 1, 1 })], [F(1, 1, 1, 2, 2, 2, 2)]), "MaxPool", "kernel_shape=[1,1,1,1] (1-D, 2-D and 3-D windows only)"),
        ["LpNormalization of p=3"] = Unsupported(One("LpNormalization", 13, [("p", 3)], [F(1, 2, 3)]), "LpNormalization", "p=3 (only 1 and 2 are defined)"),
        ["Pad reflecting computed pads"] = Unsupported(One("Pad", 13, [("mode", "reflect")], [F(1, 2, 3), L(0, 0, 0, 0)]), "Pad", "mode=reflect (with pads computed in the graph)"),
        ["Pad of computed pads with axes"] = Unsupported(One("Pad", 18, [], [F(1, 2, 3), L(0, 0), None, Const(L(1))]), "Pad", "a computed pads with axes"),
        ["Pad reflecting an axis of unknown size"] = Unsupported(One("Pad", 13, [("mode", "reflect")], [F(1, 2, 3), Const(L(1, 0, 1, 0))]), "Pad", "mode=reflect (on an axis whose size is unknown at import)", dynamicBatch: true),
        ["Pad of an unknown mode"] = Unsupported(One("Pad", 13, [("mode", "mirror")], [F(1, 2, 3), Const(L(1, 0, 1, 0))]), "Pad", "mode=mirror"),
        ["Slice of computed starts of unknown length"] = Unsupported(One("Slice", 13, [], [F(1, 2, 3), L(0), L(1)]), "Slice", "computed starts of unknown length without axes", dynamicBatch: true),
        ["DepthToSpace of a rank-3 input"] = Unsupported(One("DepthToSpace", 13, [("blocksize", 2)], [F(1, 4, 2)]), "DepthToSpace", "an input whose C, H and W are not known at import"),
        ["DepthToSpace of an unknown mode"] = Unsupported(One("DepthToSpace", 13, [("blocksize", 1), ("mode", "RCD")], [F(1, 1, 4, 2, 2)]), "DepthToSpace", "mode=RCD"),
        ["SpaceToDepth of a rank-3 input"] = Unsupported(One("SpaceToDepth", 13, [("blocksize", 2)], [F(1, 4, 2)]), "SpaceToDepth", "an input whose C, H and W are not known at import"),

        ["RNN of a hidden size unknown at import"] = Unsupported(Unshaped(2, "RNN", 14, [], [F(1, 3, 1, 2), Const(F(2, 1, 2, 2)), F(3, 1, 2, 2)]), "RNN", "a recurrence whose hidden size is unknown at import"),
        ["Scan of an input of unknown rank"] = Unsupported(Unshaped(0, "Scan", 11, [("num_scan_inputs", 1), ("body", Body("b", ["x"], ["x"], ["y"]))], [F(2, 3, 2)]), "Scan", "a scan input of unknown rank ('in0:0')"),
        ["Conv of SAME padding over sizes unknown at import"] = Unsupported(UnknownSize(One("Conv", 13, [("auto_pad", "SAME_UPPER"), ("strides", new[] { 2, 2 })], [F(1, 1, 1, 5, 5), Const(F(2, 1, 1, 3, 3))])), "Conv", "auto_pad=SAME_UPPER (on an input whose size is unknown at import)"),
        ["MaxPool of ceil_mode over sizes unknown at import"] = Unsupported(UnknownSize(One("MaxPool", 13, [("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 }), ("ceil_mode", 1)], [F(1, 1, 1, 5, 5)])), "MaxPool", "ceil_mode=1 (on an input whose size is unknown at import)"),
        ["ConvTranspose of an output_shape over sizes unknown at import"] = Unsupported(UnknownSize(One("ConvTranspose", 13, [("output_shape", new[] { 6, 6 })], [F(1, 1, 1, 4, 4), Const(F(2, 1, 1, 3, 3))])), "ConvTranspose", "output_shape=[6,6] (on an input whose size is unknown at import)"),
        ["ConvTranspose of SAME padding over sizes unknown at import"] = Unsupported(UnknownSize(One("ConvTranspose", 13, [("auto_pad", "SAME_UPPER")], [F(1, 1, 1, 4, 4), Const(F(2, 1, 1, 3, 3))])), "ConvTranspose", "auto_pad=SAME_UPPER (on an input whose size is unknown at import)"),
        ["Scan of an untyped scan output"] = Unsupported(Untyped(One("Scan", 11, [("num_scan_inputs", 1), ("body", Body("b", ["s", "x"], ["s", "x"], ["s2", "y"]))], [F(1, 2), F(2, 3, 2)], 2), "body", 1), "Scan", "a scan output 'y' without a declared type"),
        ["Loop of an untyped scan output"] = Unsupported(Untyped(One("Loop", 13, [("body", Body("body", ["i", "c", "v"], ["c", "v", "v"], ["c_out", "v_out", "scan"]))], [Const(NDArray.Scalar(2L)), Const(NDArray.Scalar(true)), F(1, 2)], 2), "body", 2), "Loop", "a scan output 'scan' without a declared tensor type"),
        ["Softmax of an input of unknown rank"] = Unsupported(Unshaped(0, "Softmax", 13, [], [F(1, 2, 3)]), "Softmax", "an input of unknown rank"),
        ["Resize of an unknown coordinate_transformation_mode"] = Unsupported(One("Resize", 13, [("coordinate_transformation_mode", "sideways")], [F(1, 1, 1, 2, 2), None, Const(Floats(1, 1, 2, 2))]), "Resize", "coordinate_transformation_mode=sideways"),
        ["Resize of an unknown nearest_mode"] = Unsupported(One("Resize", 13, [("nearest_mode", "sideways")], [F(1, 1, 1, 2, 2), None, Const(Floats(1, 1, 2, 2))]), "Resize", "nearest_mode=sideways"),
        ["Conv of negative pads"] = Unsupported(One("Conv", 13, [("pads", new[] { -1, 0, 0, 0 })], [F(1, 1, 1, 5, 5), Const(F(2, 1, 1, 3, 3))]), "Conv", "pads=[-1,0,0,0] (negative pads)"),
        ["Conv of an unknown auto_pad"] = Unsupported(One("Conv", 13, [("auto_pad", "SIDEWAYS")], [F(1, 1, 1, 5, 5), Const(F(2, 1, 1, 3, 3))]), "Conv", "auto_pad=SIDEWAYS"),
        ["Conv of a 4-D filter"] = Unsupported(One("Conv", 13, [], [F(1, 1, 1, 3, 3, 3, 3), Const(F(2, 1, 1, 2, 2, 2, 2))]), "Conv", "a rank-6 filter (1-D, 2-D and 3-D convolutions only)"),
        ["ConvTranspose of a 4-D filter"] = Unsupported(One("ConvTranspose", 13, [], [F(1, 1, 1, 3, 3, 3, 3), Const(F(2, 1, 1, 2, 2, 2, 2))]), "ConvTranspose", "a rank-6 filter (1-D, 2-D and 3-D convolutions only)"),
        ["BatchNormalization training before opset 14"] = Unsupported(One("BatchNormalization", 9, [("training_mode", 1)], [F(1, 1, 2, 3, 3), Const(Floats(1, 1)), Const(Floats(0, 0)), Const(Floats(0, 0)), Const(Floats(1, 1))]), "BatchNormalization", "training_mode=1 (before opset 14)"),
        ["BatchNormalization of spatial=0"] = Unsupported(One("BatchNormalization", 7, [("spatial", 0)], [F(1, 1, 2, 3, 3), Const(Floats(1, 1)), Const(Floats(0, 0)), Const(Floats(0, 0)), Const(Floats(1, 1))]), "BatchNormalization", "spatial=0"),
        ["ScatterElements of an unknown reduction"] = Unsupported(One("ScatterElements", 16, [("reduction", "mean")], [F(1, 2, 3), Const(L([0, 1, 0], 1, 3)), F(2, 1, 3)]), "ScatterElements", "reduction=mean"),
        ["Dropout in training mode"] = Unsupported(One("Dropout", 13, [], [F(1, 2, 3), Const(NDArray.Scalar(0.5f)), Const(NDArray.Scalar(true))]), "Dropout", "training_mode=true (random dropout)"),
        ["an attribute referring to a function's"] = Unsupported(() =>
        {
            var proto = ModelProto.Parser.ParseFrom(One("LeakyRelu", 13, [("alpha", 0.2f)], [F(1, 2, 3)])());
            proto.Graph.Node[0].Attribute[0].RefAttrName = "slope";
            return proto.ToByteArray();
        }, "LeakyRelu", "attribute 'alpha' referring to a function's attribute"),

        // A sequence a Loop carries becomes a TensorArray, which needs its element type: SequenceConstruct of no inputs gives none.
        ["Loop carrying a sequence of unknown element type"] = Unsupported(Nodes(11, [NDArray.Scalar(2L)], N("SequenceConstruct", [], "s"), N("Loop", ["x0", "", "s"], "out", ("body", SequenceLoopBody()))),
            "Loop", "a loop-carried sequence ('s') of unknown element type", node: "out"),
        // The Loop's sequence, appended a tensor of unknown rank (graph input x1 has no shape), joined along axis 1.
        ["ConcatFromSequence along axis 1 of a sequence of run-time length of items of unknown rank"] = Unsupported(UnshapedInput(1, Nodes(11, [NDArray.Scalar(2L), F(1, 2, 3)],
            N("SequenceEmpty", [], "s0", ("dtype", 1)), N("Loop", ["x0", "", "s0"], "out", ("body", SequenceLoopBody(N("SequenceInsert", ["s", "x1"], "s2")))), N("ConcatFromSequence", ["out"], "y", ("axis", 1)))),
            "ConcatFromSequence", "axis=1 (a sequence of run-time length whose items have unknown rank is joined along axis 0 only)", node: "y"),

        // ----- malformed nodes -----
        ["Add of a missing input"] = new(One("Add", 13, [], [F(1, 2), None]), typeof(InvalidArgumentError), "m.onnx: node 'out0' (Add) is missing input 1."),
        ["Scan of no scan inputs"] = Invalid(One("Scan", 11, [("num_scan_inputs", 0), ("body", Body("b", ["x"], ["x"], ["y"]))], [F(2, 3, 2)]), "Scan", "num_scan_inputs 0 is not between 1 and its 1 inputs."),
        ["If without then_branch"] = Invalid(One("If", 13, [("else_branch", Body("else", [], ["in1"], ["e"]))], [Const(NDArray.Scalar(true)), F(1, 2)]), "If", "it has no 'then_branch' graph."),
        ["If of a branch taking inputs"] = Invalid(One("If", 13, [("then_branch", Body("then", ["a"], ["in1"], ["t"])), ("else_branch", Body("else", [], ["in1"], ["e"]))], [Const(NDArray.Scalar(true)), F(1, 2)]), "If", "its subgraph 'then' takes 1 inputs, not 0."),
        ["If of a condition of two values"] = Invalid(One("If", 13, [("then_branch", Body("then", [], ["in1"], ["t"])), ("else_branch", Body("else", [], ["in1"], ["e"]))], [Const(NDArray.FromFlat(new[] { true, false }, new Shape(2))), F(1, 2)]), "If", "its condition holds 2 values, not 1."),
        ["Loop whose body takes too few inputs"] = Invalid(One("Loop", 13, [("body", Body("body", ["i", "c"], ["c"], ["c_out"]))], [Const(NDArray.Scalar(2L)), Const(NDArray.Scalar(true)), F(1, 2)]), "Loop", "its body takes 2 inputs for 1 loop-carried values."),
        ["Loop whose body gives too few outputs"] = Invalid(One("Loop", 13, [("body", Body("body", ["i", "c", "v"], ["c"], ["c_out"]))], [Const(NDArray.Scalar(2L)), Const(NDArray.Scalar(true)), F(1, 2)]), "Loop", "its body has 1 outputs for 1 loop-carried values."),
        ["RNN of a hidden_size not R's"] = Invalid(One("RNN", 14, [("hidden_size", 3)], [F(1, 3, 1, 2), Const(F(2, 1, 2, 2)), Const(F(3, 1, 2, 2))]), "RNN", "hidden_size 3 does not match R's shape (1, 2, 2)."),
        ["SequenceErase at a position of two values"] = Invalid(Nodes(11, [F(1, 2)], N("SequenceConstruct", ["x0"], "s"), N("Constant", [], "p", ("value", L(0, 1))), N("SequenceErase", ["s", "p"], "y")), "SequenceErase", "its position holds 2 values, not 1.", node: "y"),
        ["SequenceErase at a position out of range"] = Invalid(Nodes(11, [F(1, 2)], N("SequenceConstruct", ["x0"], "s"), N("Constant", [], "p", ("value", NDArray.Scalar(5L))), N("SequenceErase", ["s", "p"], "y")), "SequenceErase", "position 5 is out of range for a sequence of 1.", node: "y"),
        ["ConcatFromSequence stacking along an axis out of range"] = Invalid(Nodes(11, [F(1, 2, 3)], N("SequenceConstruct", ["x0"], "s"), N("ConcatFromSequence", ["s"], "y", ("axis", 5), ("new_axis", 1))), "ConcatFromSequence", "axis 5 is out of range for stacking rank-2 tensors.", node: "y"),
        ["ConcatFromSequence along an axis out of range"] = Invalid(Nodes(11, [F(1, 2, 3)], N("SequenceConstruct", ["x0"], "s"), N("ConcatFromSequence", ["s"], "y", ("axis", 5))), "ConcatFromSequence", "axis 5 is out of range for rank-2 tensors.", node: "y"),
        ["Loop carrying a sequence of several dtypes"] = Invalid(Nodes(11, [NDArray.Scalar(2L), F(1, 2), L(1, 2)], N("SequenceConstruct", ["x1", "x2"], "s"), N("Loop", ["x0", "", "s"], "out", ("body", SequenceLoopBody()))),
            "Loop", "the sequence 's' holds tensors of several dtypes.", node: "out"),
        // SplitToSequence along an axis of unknown size (the batch) makes a sequence of run-time length, a TensorArray of float32.
        ["SequenceInsert of an int64 tensor into a sequence of run-time length of float32"] = Invalid(Nodes(11, [F(1, 3, 2), L([1, 2], 1, 2)], N("SplitToSequence", ["x0"], "s"), N("SequenceInsert", ["s", "x1"], "y")),
            "SequenceInsert", "it inserts a int64 tensor into a sequence of float32.", dynamicBatch: true, node: "y"),
        ["ConcatFromSequence of a sequence of run-time length along an axis out of range"] = Invalid(Nodes(11, [F(1, 3, 2)], N("SplitToSequence", ["x0"], "s"), N("ConcatFromSequence", ["s"], "y", ("axis", 5))),
            "ConcatFromSequence", "axis 5 is out of range for rank-2 tensors.", dynamicBatch: true, node: "y"),
        ["SplitToSequence of a split of 0"] = Invalid(One("SplitToSequence", 11, [], [F(1, 3, 2), Const(NDArray.Scalar(0L))]), "SplitToSequence", "split size 0 is not positive."),
        ["MaxPool of a rank-3 input"] = Invalid(One("MaxPool", 13, [("kernel_shape", new[] { 2, 2 })], [F(1, 1, 4, 4)]), "MaxPool", "its input has rank 3, not 4."),
        ["GroupNormalization of groups not dividing the channels"] = Invalid(One("GroupNormalization", 18, [("num_groups", 2)], [F(1, 1, 3, 2, 2), Const(Floats(1, 1)), Const(Floats(0, 0))]), "GroupNormalization", "num_groups=2 does not divide 3 channels."),
        ["Reshape of a shape of rank 2"] = Invalid(One("Reshape", 13, [], [F(1, 2, 3), L([2, 3], 1, 2)]), "Reshape", "its shape input has rank 2, not 1."),
        ["Split of sizes not one per output"] = Invalid(One("Split", 13, [], [F(1, 3, 2), Const(L(1, 2))], 3), "Split", "2 split sizes for 3 outputs."),
        ["Sum of no inputs"] = Invalid(One("Sum", 13, [], []), "Sum", "it has no inputs."),
        ["Softmax of an axis out of range"] = Invalid(One("Softmax", 13, [("axis", 5)], [F(1, 2, 3)]), "Softmax", "axis 5 is out of range for a rank-2 input."),
        ["Softmax of a negative axis out of range"] = Invalid(One("Softmax", 13, [("axis", -5)], [F(1, 2, 3)]), "Softmax", "axis -5 is out of range for a rank-2 input."),
        ["RandomUniform without a shape"] = Invalid(One("RandomUniform", 13, [], []), "RandomUniform", "it has no shape."),
        ["DequantizeLinear of an axis out of range"] = Invalid(One("DequantizeLinear", 13, [("axis", 5)], [L(1, 2), Const(Floats(1, 1))]), "DequantizeLinear", "axis 5 is out of range for a rank-1 input."),
        ["RNN of a rank-2 X"] = Invalid(One("RNN", 14, [("hidden_size", 2)], [F(1, 3, 2), Const(F(2, 1, 2, 2)), Const(F(3, 1, 2, 2))]), "RNN", "its input X has shape (3, 2), not rank 3."),
        ["RNN of a W of the wrong shape"] = Invalid(One("RNN", 14, [("hidden_size", 2)], [F(1, 3, 1, 2), Const(F(2, 1, 3, 2)), Const(F(3, 1, 2, 2))]), "RNN", "W has shape (1, 3, 2), not [1, 2, input_size]."),
        ["RNN of too many activations"] = Invalid(One("RNN", 14, [("hidden_size", 2), ("activations", new[] { "Tanh", "Tanh" })], [F(1, 3, 1, 2), Const(F(2, 1, 2, 2)), Const(F(3, 1, 2, 2))]), "RNN", "2 activations for 1 direction(s) of 1."),
        ["Resize of neither scales nor sizes"] = Invalid(One("Resize", 13, [], [F(1, 1, 1, 2, 2), None, Const(Floats())]), "Resize", "it has neither scales nor sizes."),
        ["Resize of scales not one per axis"] = Invalid(One("Resize", 13, [], [F(1, 1, 1, 2, 2), None, Const(Floats(1, 2, 2))]), "Resize", "3 scales or sizes for 4 axes."),
        ["Upsample-7 without scales"] = Invalid(One("Upsample", 7, [], [F(1, 1, 1, 2, 2)]), "Upsample", "it has no scales."),
        ["Scan whose body takes too few inputs"] = Invalid(One("Scan", 11, [("num_scan_inputs", 1), ("body", Body("b", ["x"], ["x"], ["y"]))], [F(1, 2), F(2, 3, 2)]), "Scan", "its body takes 1 inputs and gives 1 outputs for 1 states and 1 scan inputs."),
        ["Scan of too many scan_input_axes"] = Invalid(One("Scan", 11, [("num_scan_inputs", 1), ("scan_input_axes", new[] { 0, 1 }), ("body", Body("b", ["x"], ["x"], ["y"]))], [F(2, 3, 2)]), "Scan", "scan_input_axes has 2 values for 1."),
        ["Scan of a scan_input_axes out of range"] = Invalid(One("Scan", 11, [("num_scan_inputs", 1), ("scan_input_axes", new[] { 5 }), ("body", Body("b", ["x"], ["x"], ["y"]))], [F(2, 3, 2)]), "Scan", "scan_input_axes[0] = 5 is out of range for rank 2."),
        ["If of branches of different output counts"] = Invalid(One("If", 13, [("then_branch", Body("then", [], ["in1"], ["t"])), ("else_branch", Body("else", [], ["in1", "in1"], ["e", "f"]))], [Const(NDArray.Scalar(true)), F(1, 2)]), "If", "its branches have 1 and 2 outputs for 1."),
        ["SequenceAt of no sequence"] = Invalid(One("SequenceAt", 11, [], [None, Const(NDArray.Scalar(0L))]), "SequenceAt", "it is missing input 0."),
        ["SequenceAt of a tensor"] = Invalid(One("SequenceAt", 11, [], [F(1, 2), Const(NDArray.Scalar(0L))]), "SequenceAt", "input 'in0' is not a sequence (no SequenceConstruct, SequenceEmpty, SequenceInsert, SequenceErase, SplitToSequence or Loop made it)."),
        ["SequenceAt of a vector position"] = Invalid(Nodes(11, [F(1, 2), L(0, 1)], N("SequenceConstruct", ["x0", "x0"], "s"), N("SequenceAt", ["s", "x1"], "y")), "SequenceAt", "its position has shape (2,), not a scalar.", node: "y"),
        ["SequenceErase of an empty sequence"] = Invalid(Nodes(11, [], N("SequenceEmpty", [], "s"), N("SequenceErase", ["s"], "y")), "SequenceErase", "it erases from an empty sequence.", node: "y"),
        ["SequenceAt of an empty sequence"] = Invalid(Nodes(11, [L(0)], N("SequenceEmpty", [], "s"), N("SequenceAt", ["s", "x0"], "y")), "SequenceAt", "it reads from an empty sequence.", node: "y"),
        ["ConcatFromSequence of an empty sequence"] = Invalid(Nodes(11, [], N("SequenceEmpty", [], "s"), N("ConcatFromSequence", ["s"], "y", ("axis", 0))), "ConcatFromSequence", "it concatenates an empty sequence.", node: "y"),
        ["SplitToSequence of an axis out of range"] = Invalid(One("SplitToSequence", 11, [("axis", 5)], [F(1, 2, 3)]), "SplitToSequence", "axis 5 is out of range for a rank-2 input."),
        ["SplitToSequence of sizes not adding up"] = Invalid(One("SplitToSequence", 11, [], [F(1, 3, 2), Const(L(1, 1))]), "SplitToSequence", "split sizes [1,1] do not add up to 3."),
        ["Conv of a kernel_shape not the filter's"] = Invalid(One("Conv", 13, [("kernel_shape", new[] { 2, 2 })], [F(1, 1, 1, 5, 5), Const(F(2, 1, 1, 3, 3))]), "Conv", "kernel_shape [2,2] does not match the filter's [3,3]."),
        ["ConvTranspose of a kernel_shape not the filter's"] = Invalid(One("ConvTranspose", 13, [("kernel_shape", new[] { 2, 2 })], [F(1, 1, 1, 5, 5), Const(F(2, 1, 1, 3, 3))]), "ConvTranspose", "kernel_shape [2,2] does not match the filter's [3,3]."),
        ["MaxPool without kernel_shape"] = Invalid(One("MaxPool", 13, [], [F(1, 1, 1, 4, 4)]), "MaxPool", "it has no kernel_shape."),
        ["LRN of size 0"] = Invalid(One("LRN", 13, [], [F(1, 1, 2, 3, 3)]), "LRN", "size 0 is not positive."),
        ["Pad-2 without pads"] = Invalid(One("Pad", 2, [], [F(1, 2, 3)]), "Pad", "it has no pads."),
        ["Pad of pads not two per axis"] = Invalid(One("Pad", 13, [], [F(1, 2, 3), Const(L(1, 1))]), "Pad", "2 pads for 2 axes."),
        ["ConstantOfShape of a vector value"] = Invalid(One("ConstantOfShape", 13, [("value", Floats(1, 2))], [Const(L(2))]), "ConstantOfShape", "its value holds 2 elements, not 1."),
        ["Reshape copying a dimension past the rank"] = Invalid(One("Reshape", 13, [], [F(1, 2, 3), Const(L(0, 0, 0))]), "Reshape", "a 0 at position 2 of the target shape is past the input's rank 2."),
        ["Flatten of an axis out of range"] = Invalid(One("Flatten", 13, [("axis", 5)], [F(1, 2, 3)]), "Flatten", "axis 5 is out of range for a rank-2 input."),
        ["Unsqueeze-11 without axes"] = Invalid(One("Unsqueeze", 11, [], [F(1, 2, 3)]), "Unsqueeze", "it has no axes."),
        ["Split of an uneven size"] = Invalid(One("Split", 13, [], [F(1, 3, 2)], 2), "Split", "an even Split of 3 into 2 parts is impossible."),
        ["Slice of lists of different lengths"] = Invalid(One("Slice", 13, [], [F(1, 2, 3), Const(L(0)), Const(L(1, 2))]), "Slice", "starts, ends, axes and steps differ in length."),
        ["Slice of step 0"] = Invalid(One("Slice", 13, [], [F(1, 2, 3), Const(L(0)), Const(L(1)), Const(L(0)), Const(L(0))]), "Slice", "a step is 0."),
        ["DepthToSpace of channels not in blocks"] = Invalid(One("DepthToSpace", 13, [("blocksize", 2)], [F(1, 1, 3, 2, 2)]), "DepthToSpace", "3 channels do not divide into blocks of 2×2."),
    };

    [Fact]
    public void AMissingFileIsNotFoundNamingIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sharpflow-missing-{Guid.NewGuid():N}.onnx");
        Assert.Equal($"ONNX model file {path} does not exist.", Assert.Throws<NotFoundError>(() => OnnxModel.Load(path)).RawMessage);
    }

    [Fact]
    public void ANodeTheBuildersRefuseIsInvalidNamingTheNodeAndTheBuildersReason()
    {
        var model = One("MatMul", 13, [], [F(1, 2, 3), F(2, 2, 3)])();
        using var g = TestGraph.Enter();
        var e = Assert.Throws<InvalidArgumentError>(() => OnnxModel.Parse(model, "m.onnx").Import(new OnnxImportOptions { DynamicBatch = false }));
        Assert.StartsWith("m.onnx: node 'out0' (MatMul) cannot be built: ", e.RawMessage);
        Assert.NotNull(e.InnerException);
        Assert.EndsWith(e.InnerException!.Message, e.RawMessage);
    }

    [Fact]
    public void ALoopBodyGivingASequenceWhereATensorIsCarriedIsRefused()
    {
        static ValueInfoProto Tensor(string name, int type) => new() { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = type } } };
        var body = new GraphProto { Name = "b" };
        body.Input.Add([Tensor("i", 7), Tensor("c", 9), Tensor("v", 1)]);
        body.Node.Add(OnnxNodes.Create("Identity", 0, ["c"], ["c2"], []));
        body.Node.Add(OnnxNodes.Create("SequenceEmpty", 1, [], ["s"], [("dtype", 1)]));
        body.Output.Add(Tensor("c2", 9));
        body.Output.Add(new ValueInfoProto { Name = "s", Type = new TypeProto { SequenceType = new TypeProto.Types.Sequence { ElemType = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } } } } });
        var trips = NDArray.FromFlat(new long[] { 2 }, Shape.Scalar);
        var bytes = Nodes(13, [F(1, 2), trips], N("Loop", ["x1", "", "x0"], "out", ("body", body)))();
        using var g = TestGraph.Enter();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(bytes, "m.onnx").Import(new OnnxImportOptions { DynamicBatch = false }));
        Assert.Equal(Says("Loop", "a sequence as its body's output 's' where the Loop carries a tensor", "out"), e.RawMessage);
    }

    [Fact]
    public void AScanOutputOfUnknownRankIsRefused()
    {
        // The body's scan output copies graph input x1, whose shape (so rank) is not declared.
        var bytes = ModelProto.Parser.ParseFrom(Nodes(11, [F(1, 3, 2), F(2, 2)],
            N("Scan", ["x0"], "out", ("num_scan_inputs", 1), ("body", Body("b", ["x"], ["x1"], ["y"]))))());
        bytes.Graph.Input.Single(i => i.Name == "x1").Type.TensorType.Shape = null;
        using var g = TestGraph.Enter();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(bytes.ToByteArray(), "m.onnx").Import(new OnnxImportOptions { DynamicBatch = false }));
        Assert.Equal(Says("Scan", "a scan output 'y' of unknown rank", "out"), e.RawMessage);
    }

    [Fact]
    public void AnErrorOutsideTheNodesIsInvalidNamingTheFileAndTheReason()
    {
        // A graph input of a negative dimension: the placeholder's shape is refused before any node is built.
        var bytes = Changed(m => m.Graph.Input.Single(i => i.Name == "in0").Type.TensorType.Shape.Dim[0].DimValue = -2)();
        using var g = TestGraph.Enter();
        var e = Assert.Throws<InvalidArgumentError>(() => OnnxModel.Parse(bytes, "m.onnx").Import(new OnnxImportOptions { DynamicBatch = false }));
        Assert.Equal("m.onnx: cannot be imported: Dimension -2 must be >= 0 (or -1 for unknown) in shape [-2].", e.RawMessage);
        Assert.IsType<ValueError>(e.InnerException);
    }

    public static TheoryData<string> Names => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void TheRefusalNamesTheNodeTheOperatorAndTheReason(string name)
    {
        var c = Cases[name];
        var bytes = c.Model();
        using var g = TestGraph.Enter();
        var e = Assert.Throws(c.Error, () => OnnxModel.Parse(bytes, "m.onnx").Import(new OnnxImportOptions { DynamicBatch = c.DynamicBatch }));
        Assert.Equal(c.Message, ((OpError)e).RawMessage);
    }
}
