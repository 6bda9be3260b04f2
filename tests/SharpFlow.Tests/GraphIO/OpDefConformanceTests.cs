using Google.Protobuf;
using SharpFlow.FileIO;
using SharpFlow.GraphIO;
using SharpFlow.Models;
using SharpFlow.Tests.Checkpoints;
using SharpFlow.Tests.Gradients;
using SharpFlow.Tests.Support;
using Tf = Tensorflow;
using static SharpFlow.Binding;

namespace SharpFlow.Tests.GraphIO;

/// <summary>
/// Every node SharpFlow writes into a GraphDef keeps to TensorFlow's OpDef of its type (GraphIO/TfOpDefs.pbtxt),
/// as TensorFlow's importer (importer.py, graph_constructor.cc: ValidateNodeDef, AddDefaultAttrs) checks it: as many
/// data inputs as the OpDef's input args expand to (number_attr and type_list_attr counted from the node's attrs;
/// control inputs aside), every attr declared by the OpDef (attrs beginning with "_" aside, as TensorFlow allows
/// them), every attr without a default present, attr values of the declared kind, type and string attrs among the
/// allowed values, and int and list attrs at least their minimum. The graphs cover the gradient table (every
/// differentiable op, its gradient ops, cond, while_loop and the RNNs), LeNet-5 trained with each optimizer, dense
/// and sparse, the input pipelines (tf.data, queues and readers), parsing, strings, summaries and the Saver.
/// </summary>
[Collection(nameof(OpDefConformanceTests))]
public sealed class OpDefConformanceTests
{
    /// <summary>
    /// Op types SharpFlow defines that TensorFlow 1.15 does not register, so the table cannot hold them (a
    /// GraphDef naming them imports only into SharpFlow).
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> SharpFlowOnly = new Dictionary<string, string>
    {
        // TensorFlow 1.15's tf.image.decode_image is Python that picks DecodeJpeg/DecodePng/DecodeGif/DecodeBmp by
        // the file's first bytes in a cond; the DecodeImage op arrived in TensorFlow 2.3.
        ["DecodeImage"] = "TensorFlow 2.3's op; 1.15 composes decode_image in Python",
        // Variable.initialized_value() is Python in TensorFlow (a cond on IsVariableInitialized); SharpFlow writes
        // one node for it.
        ["InitializedValue"] = "SharpFlow's node for Variable.initialized_value()",
    };

    /// <summary>
    /// Where SharpFlow knowingly writes what TensorFlow 1.15's OpDef does not hold, by (op type, attr): each is a
    /// feature SharpFlow has that 1.15's graph format cannot carry. A GraphDef holding such a node imports into
    /// SharpFlow, not into TensorFlow 1.15. The tests check that each one still occurs, so the list cannot go stale.
    /// </summary>
    internal static readonly IReadOnlyDictionary<(string Op, string Attr), string> KnownGaps = new Dictionary<(string, string), string>
    {
        // TensorFlow added padding="EXPLICIT" with explicit_paddings to the depthwise convolutions after 1.15 (2.x);
        // SharpFlow takes it, and writes it only for a node built with EXPLICIT padding.
        [("DepthwiseConv2dNative", "explicit_paddings")] = "explicit padding of a depthwise convolution (TensorFlow 2.x)",
        [("DepthwiseConv2dNativeBackpropInput", "explicit_paddings")] = "explicit padding of a depthwise convolution (TensorFlow 2.x)",
        [("DepthwiseConv2dNativeBackpropFilter", "explicit_paddings")] = "explicit padding of a depthwise convolution (TensorFlow 2.x)",
        // FusedBatchNormV3's 3-D formats (NDHWC, NCDHW) came to TensorFlow after 2.0, whose OpDef allows NHWC and
        // NCHW only; SharpFlow takes them (the value is checked like any other where the node uses a 2-D format).
        [("FusedBatchNormV3", "data_format")] = "3-D data formats of FusedBatchNormV3 (TensorFlow 2.2)",
        [("FusedBatchNormGradV3", "data_format")] = "3-D data formats of FusedBatchNormV3 (TensorFlow 2.2)",
    };

    /// <summary>
    /// Op types whose kernels SharpFlow also runs in float64 where TensorFlow's registration stops at float (the
    /// gradient checks run in float64): a float64 node of these types imports into SharpFlow, not into TensorFlow.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, Tf.DataType> KnownTypeExtensions = new Dictionary<string, Tf.DataType>
    {
        ["BlockLSTM"] = Tf.DataType.DtDouble, ["BlockLSTMGrad"] = Tf.DataType.DtDouble,
        ["LSTMBlockCell"] = Tf.DataType.DtDouble, ["LSTMBlockCellGrad"] = Tf.DataType.DtDouble,
        ["LRN"] = Tf.DataType.DtDouble, ["LRNGrad"] = Tf.DataType.DtDouble,
        ["MaxPool3D"] = Tf.DataType.DtDouble, ["MaxPool3DGrad"] = Tf.DataType.DtDouble,
        // T (and U of V2/V3): x and the statistics in float64.
        ["FusedBatchNorm"] = Tf.DataType.DtDouble, ["FusedBatchNormGrad"] = Tf.DataType.DtDouble,
        ["FusedBatchNormV2"] = Tf.DataType.DtDouble, ["FusedBatchNormGradV2"] = Tf.DataType.DtDouble,
        ["FusedBatchNormV3"] = Tf.DataType.DtDouble, ["FusedBatchNormGradV3"] = Tf.DataType.DtDouble,
    };

    /// <summary>What is wrong with each node of <paramref name="graphDef"/> against TensorFlow's OpDefs.</summary>
    internal static List<string> Violations(Tf.GraphDef graphDef, ISet<string>? checkedTypes = null, ISet<(string, string)>? gapsSeen = null)
    {
        var problems = new List<string>();
        var functions = graphDef.Library?.Function.Select(f => f.Signature.Name).ToHashSet() ?? [];
        // The nodes of the library's function bodies keep to the same OpDefs, and every function attr names a
        // function of the library.
        var bodies = graphDef.Library?.Function.SelectMany(f => f.NodeDef.Select(n => (Node: n, Where: $"function {f.Signature.Name}: "))) ?? [];
        foreach (var (node, context) in graphDef.Node.Select(n => (Node: n, Where: "")).Concat(bodies))
        {
            foreach (var (key, value) in node.Attr)
                if (value.ValueCase == Tf.AttrValue.ValueOneofCase.Func && !functions.Contains(value.Func.Name))
                    problems.Add($"{context}{node.Name} ({node.Op}): attr {key} names function {value.Func.Name}, which the library lacks");
            if (TfOpDefs.Find(node.Op) is not { } def) continue;
            checkedTypes?.Add(node.Op);
            var where = $"{context}{node.Name} ({node.Op})";
            var gapAttrs = node.Attr.Keys.Where(k => KnownGaps.ContainsKey((node.Op, k))).ToList();
            foreach (var k in gapAttrs) gapsSeen?.Add((node.Op, k));
            var explicitGap = gapAttrs.Contains("explicit_paddings");
            foreach (var (key, value) in node.Attr)
            {
                if (key.StartsWith('_') || gapAttrs.Contains(key)) continue;
                if (explicitGap && key == "padding" && value.S.ToStringUtf8() == "EXPLICIT") continue;
                var attr = def.Attr.FirstOrDefault(a => a.Name == key);
                if (attr is null)
                {
                    problems.Add($"{where} has attr {key}, which TensorFlow's {node.Op} does not define");
                    continue;
                }
                if (!KindMatches(attr.Type, value))
                    problems.Add($"{where}: attr {key} holds a {value.ValueCase} value, TensorFlow's {node.Op} declares {attr.Type}");
                else if (attr.Type == "type" && KnownTypeExtensions.TryGetValue(node.Op, out var extra) && value.Type == extra)
                    gapsSeen?.Add((node.Op, attr.Name));
                else
                    CheckAllowedAndMinimum(where, attr, value, problems);
            }
            foreach (var attr in def.Attr.Where(a => a.DefaultValue is null && !node.Attr.ContainsKey(a.Name)))
            {
                if (KnownGaps.ContainsKey((node.Op, attr.Name))) gapsSeen?.Add((node.Op, attr.Name));
                else problems.Add($"{where} lacks attr {attr.Name}, which TensorFlow's {node.Op} requires");
            }
            var expected = ExpectedInputs(def, node, problems, where);
            var actual = node.Input.Count(i => !i.StartsWith('^'));
            if (expected is { } n && n != actual)
                problems.Add($"{where} has {actual} data inputs, TensorFlow's {node.Op} takes {n}");
            var firstControl = node.Input.ToList().FindIndex(i => i.StartsWith('^'));
            if (firstControl >= 0 && node.Input.Skip(firstControl).Any(i => !i.StartsWith('^')))
                problems.Add($"{where} lists a data input after a control input");
        }
        return problems;
    }

    /// <summary>The data inputs TensorFlow's OpDef gives <paramref name="node"/>, or null when an attr it needs is missing.</summary>
    private static int? ExpectedInputs(Tf.OpDef def, Tf.NodeDef node, List<string> problems, string where)
    {
        var count = 0;
        foreach (var arg in def.InputArg)
        {
            if (arg.NumberAttr.Length > 0)
            {
                if (!node.Attr.TryGetValue(arg.NumberAttr, out var number)) return null;
                count += (int)number.I;
            }
            else if (arg.TypeListAttr.Length > 0)
            {
                if (!node.Attr.TryGetValue(arg.TypeListAttr, out var list)) return null;
                if (list.List is null)
                {
                    problems.Add($"{where}: attr {arg.TypeListAttr} of input {arg.Name} is not a list");
                    return null;
                }
                count += list.List.Type.Count;
            }
            else count++;
        }
        return count;
    }

    private static bool KindMatches(string type, Tf.AttrValue value) => type switch
    {
        "int" => value.ValueCase == Tf.AttrValue.ValueOneofCase.I,
        "float" => value.ValueCase == Tf.AttrValue.ValueOneofCase.F,
        "bool" => value.ValueCase == Tf.AttrValue.ValueOneofCase.B,
        "string" => value.ValueCase == Tf.AttrValue.ValueOneofCase.S,
        "type" => value.ValueCase == Tf.AttrValue.ValueOneofCase.Type,
        "shape" => value.ValueCase == Tf.AttrValue.ValueOneofCase.Shape,
        "tensor" => value.ValueCase == Tf.AttrValue.ValueOneofCase.Tensor,
        "func" => value.ValueCase == Tf.AttrValue.ValueOneofCase.Func,
        _ when type.StartsWith("list(", StringComparison.Ordinal) => value.ValueCase == Tf.AttrValue.ValueOneofCase.List && ListHoldsOnly(type, value.List),
        _ => false,
    };

    // A list attr holds only elements of its declared kind (an empty list is any list).
    private static bool ListHoldsOnly(string type, Tf.AttrValue.Types.ListValue list)
    {
        var kinds = new (string Kind, int Count)[]
        {
            ("list(int)", list.I.Count), ("list(float)", list.F.Count), ("list(bool)", list.B.Count), ("list(string)", list.S.Count),
            ("list(type)", list.Type.Count), ("list(shape)", list.Shape.Count), ("list(tensor)", list.Tensor.Count), ("list(func)", list.Func.Count),
        };
        return kinds.All(k => k.Kind == type || k.Count == 0);
    }

    private static void CheckAllowedAndMinimum(string where, Tf.OpDef.Types.AttrDef attr, Tf.AttrValue value, List<string> problems)
    {
        if (attr.AllowedValues?.List is { } allowed)
        {
            if (attr.Type == "type" && !allowed.Type.Contains(value.Type))
                problems.Add($"{where}: {attr.Name} = {value.Type} is not among TensorFlow's allowed types ({string.Join(", ", allowed.Type)})");
            if (attr.Type == "list(type)")
                foreach (var t in value.List.Type.Where(t => !allowed.Type.Contains(t)))
                    problems.Add($"{where}: {attr.Name} holds {t}, not among TensorFlow's allowed types ({string.Join(", ", allowed.Type)})");
            if (attr.Type == "string" && !allowed.S.Contains(value.S))
                problems.Add($"{where}: {attr.Name} = \"{value.S.ToStringUtf8()}\" is not among TensorFlow's allowed values ({string.Join(", ", allowed.S.Select(s => s.ToStringUtf8()))})");
        }
        if (!attr.HasMinimum) return;
        if (attr.Type == "int" && value.I < attr.Minimum)
            problems.Add($"{where}: {attr.Name} = {value.I} is below TensorFlow's minimum {attr.Minimum}");
        if (attr.Type.StartsWith("list(", StringComparison.Ordinal))
        {
            var l = value.List;
            var length = l.I.Count + l.F.Count + l.B.Count + l.S.Count + l.Type.Count + l.Shape.Count + l.Tensor.Count + l.Func.Count;
            if (length < attr.Minimum)
                problems.Add($"{where}: {attr.Name} holds {length} elements, below TensorFlow's minimum {attr.Minimum}");
        }
    }

    private static void AssertConforms(Tf.GraphDef graphDef, ISet<string>? checkedTypes = null, string? context = null, ISet<(string, string)>? gapsSeen = null)
    {
        var problems = Violations(graphDef, checkedTypes, gapsSeen);
        Assert.True(problems.Count == 0, (context is null ? "" : context + ": ") + string.Join("\n", problems.Distinct().Take(40)));
    }

    // ---------------------------------------------------------------------------------------------------------
    // The table

    [Fact]
    public void EveryOpTypeSharpFlowDefinesIsInTheTableOrListedAsSharpFlowOnly()
    {
        var missing = OpRegistry.BuiltinTypes.Where(t => TfOpDefs.Find(t) is null && !SharpFlowOnly.ContainsKey(t)).ToList();
        Assert.True(missing.Count == 0, "op types neither in GraphIO/TfOpDefs.pbtxt nor in SharpFlowOnly: " + string.Join(", ", missing));
        var stale = SharpFlowOnly.Keys.Where(t => TfOpDefs.Find(t) is not null || !OpRegistry.BuiltinTypes.Contains(t)).ToList();
        Assert.True(stale.Count == 0, "SharpFlowOnly lists types the table has or SharpFlow lacks: " + string.Join(", ", stale));
    }

    [Fact]
    public void TheTableIsWellFormed()
    {
        var types = TfOpDefs.Types;
        Assert.True(types.Count >= 380, $"the table holds {types.Count} op types");
        foreach (var name in types)
        {
            var def = TfOpDefs.Find(name)!;
            Assert.Equal(name, def.Name);
            var attrs = def.Attr.Select(a => a.Name).ToList();
            Assert.True(attrs.Count == attrs.Distinct().Count(), $"{name} declares an attr twice");
            foreach (var arg in def.InputArg.Concat(def.OutputArg))
            {
                var kinds = (arg.Type != Tf.DataType.DtInvalid ? 1 : 0) + (arg.TypeAttr.Length > 0 ? 1 : 0) + (arg.TypeListAttr.Length > 0 ? 1 : 0);
                Assert.True(kinds == 1, $"{name}.{arg.Name} needs exactly one of type, type_attr, type_list_attr");
                foreach (var (a, kind) in new[] { (arg.TypeAttr, "type"), (arg.NumberAttr, "int"), (arg.TypeListAttr, "list(type)") })
                    if (a.Length > 0)
                        Assert.True(def.Attr.Any(x => x.Name == a && x.Type == kind), $"{name}.{arg.Name} names {a}, which is no {kind} attr of {name}");
            }
            foreach (var attr in def.Attr.Where(a => a.DefaultValue is not null))
            {
                Assert.True(KindMatches(attr.Type, attr.DefaultValue), $"{name}.{attr.Name}'s default is no {attr.Type}");
                var problems = new List<string>();
                CheckAllowedAndMinimum(name, attr, attr.DefaultValue, problems);
                Assert.True(problems.Count == 0, string.Join("\n", problems));
            }
        }
        // Spot checks against TensorFlow's registrations (nn_ops.cc, math_ops.cc, array_ops.cc, training_ops.cc).
        var conv = TfOpDefs.Find("Conv2D")!;
        Assert.Equal(["T", "strides", "use_cudnn_on_gpu", "padding", "explicit_paddings", "data_format", "dilations"], conv.Attr.Select(a => a.Name));
        Assert.Equal([Tf.DataType.DtHalf, Tf.DataType.DtBfloat16, Tf.DataType.DtFloat, Tf.DataType.DtDouble], conv.Attr[0].AllowedValues.List.Type);
        var addN = TfOpDefs.Find("AddN")!;
        Assert.True(addN.IsAggregate && addN.IsCommutative);
        Assert.Equal("N", addN.InputArg[0].NumberAttr);
        Assert.True(TfOpDefs.Find("ApplyAdam")!.InputArg[0].IsRef);
        Assert.True(TfOpDefs.Find("RandomUniform")!.IsStateful);
        Assert.True(TfOpDefs.Find("IsVariableInitialized")!.AllowsUninitializedInput);
        Assert.Equal(9, TfOpDefs.Find("BatchNormWithGlobalNormalization")!.Deprecation.Version);
        Assert.Equal(["x", "scale", "offset", "mean", "variance"], TfOpDefs.Find("FusedBatchNormV3")!.InputArg.Select(a => a.Name));
        Assert.Equal(6, TfOpDefs.Find("FusedBatchNormV3")!.OutputArg.Count);
        Assert.Equal(Tf.DataType.DtUint8, TfOpDefs.Find("ImageSummary")!.Attr.Single(a => a.Name == "bad_color").DefaultValue.Tensor.Dtype);
    }

    // ---------------------------------------------------------------------------------------------------------
    // SharpFlow's nodes

    // Each source builds graphs and yields the GraphDefs SharpFlow writes for them.

    /// <summary>The gradient table: every differentiable op, with its gradient ops, cond, while_loop and the RNNs.</summary>
    private static IEnumerable<(string Context, Tf.GraphDef GraphDef)> GradientTableGraphs()
    {
        foreach (var c in GradientCases.All())
        {
            using var g = TestGraph.Enter();
            var xs = c.Inputs.Select(v => tf.placeholder(tf.float64, v.shape)).ToArray();
            var y = c.F(xs);
            tf.gradients(tf.reduce_sum(y), xs);
            yield return (c.ToString(), g.Graph.as_graph_def());
        }
    }

    private static Tensor SmallModel(Tensor x, Tensor ids)
    {
        var w = tf.Variable(tf.random_normal((4, 3), seed: 1), name: "w");
        var b = tf.Variable(tf.zeros(new Shape(3)), name: "b");
        var table = tf.Variable(tf.random_normal((5, 3), seed: 2), name: "table");
        var h = tf.nn.relu(tf.matmul(x, w) + b) + tf.reduce_sum(tf.nn.embedding_lookup(table, ids), axis: 0);
        return tf.reduce_mean(tf.square(h));
    }

    /// <summary>LeNet-5 trained with Adam, a small model with each optimizer (dense and, through embedding_lookup, sparse), the Saver's .meta.</summary>
    private static IEnumerable<(string Context, Tf.GraphDef GraphDef)> TrainingGraphs()
    {
        using (var g = TestGraph.Enter())
        {
            var x = tf.placeholder(tf.float32, new Shape(-1, 28, 28, 1), name: "images");
            var y = tf.placeholder(tf.int32, new Shape(-1), name: "labels");
            var logits = new LeNet5().Build(x).Logits;
            var loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: y, logits: logits));
            tf.train.AdamOptimizer(1e-3).minimize(loss);
            tf.global_variables_initializer();
            yield return ("LeNet-5 with Adam", g.Graph.as_graph_def());
        }
        var optimizers = new (string Name, Func<SharpFlow.Train.Optimizer> Make)[]
        {
            ("GradientDescent", () => tf.train.GradientDescentOptimizer(0.1)),
            ("Momentum", () => tf.train.MomentumOptimizer(0.1, 0.9)),
            ("Momentum (Nesterov)", () => tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov: true)),
            ("Adam", () => tf.train.AdamOptimizer(0.01)),
            ("RMSProp", () => tf.train.RMSPropOptimizer(0.01)),
            ("RMSProp (centered, momentum)", () => tf.train.RMSPropOptimizer(0.01, momentum: 0.5, centered: true)),
            ("Adagrad", () => tf.train.AdagradOptimizer(0.1)),
            ("AdagradDA", () => tf.train.AdagradDAOptimizer(0.1, tf.train.get_or_create_global_step())),
            ("Adadelta", () => tf.train.AdadeltaOptimizer(1.0)),
            ("Ftrl", () => tf.train.FtrlOptimizer(0.1)),
            ("Ftrl (l2 shrinkage)", () => tf.train.FtrlOptimizer(0.1, l2_shrinkage_regularization_strength: 0.1)),
            ("ProximalAdagrad", () => tf.train.ProximalAdagradOptimizer(0.1)),
            ("ProximalGradientDescent", () => tf.train.ProximalGradientDescentOptimizer(0.1)),
        };
        foreach (var (name, make) in optimizers)
        {
            using var g = TestGraph.Enter();
            var loss = SmallModel(tf.placeholder(tf.float32, new Shape(-1, 4)), tf.constant(new[] { 0, 3, 3 }));
            var step = tf.train.get_or_create_global_step();
            make().minimize(loss, global_step: step);
            tf.global_variables_initializer();
            yield return (name, g.Graph.as_graph_def());
        }
        // The Saver's save and restore nodes are written into the checkpoint's .meta (GraphIO/SaverDefs), plain and sharded.
        var dir = Directory.CreateTempSubdirectory("sharpflow-opdefs-").FullName;
        try
        {
            foreach (var sharded in new[] { false, true })
            {
                Tf.MetaGraphDef meta;
                using (var g = TestGraph.Enter())
                {
                    SmallModel(tf.placeholder(tf.float32, new Shape(-1, 4)), tf.constant(new[] { 1 }));
                    var init = tf.global_variables_initializer();
                    var saver = tf.train.Saver(sharded: sharded);
                    using var sess = tf.Session();
                    sess.run(init);
                    var prefix = saver.save(sess, Path.Combine(dir, sharded ? "sharded.ckpt" : "model.ckpt"));
                    meta = ProtoFiles.Read<Tf.MetaGraphDef>(prefix + ".meta");
                }
                yield return (sharded ? "a sharded Saver's .meta" : "a Saver's .meta", meta.GraphDef);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        // TensorFlow's own MetaGraphDef (the regression model TensorFlow 1.11 wrote), imported and written again.
        using (var g = TestGraph.Enter())
        {
            tf.train.import_meta_graph(TfFiles.CheckpointPrefix + ".meta");
            yield return ("TensorFlow's model.meta imported and exported", g.Graph.as_graph_def());
        }
    }

    /// <summary>tf.data, queues and readers, parsing, strings and summaries.</summary>
    private static IEnumerable<(string Context, Tf.GraphDef GraphDef)> InputGraphs()
    {
        using var g = TestGraph.Enter();
        var features = tf.constant(new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }, shape: new Shape(4, 2));
        var ds = tf.data.Dataset.from_tensor_slices(features)
            .map(v => (object)(v * 2f))
            .map(v => (object)(v + 1f), num_parallel_calls: 2)
            .filter(v => tf.reduce_sum(v) > 0f)
            .shuffle(4, seed: 1)
            .repeat(2)
            .batch(2)
            .prefetch(1)
            .skip(1)
            .take(3)
            .cache();
        ds.make_one_shot_iterator().get_next();
        tf.data.Dataset.zip(tf.data.Dataset.range(5), tf.data.Dataset.range(10, 13)).make_initializable_iterator().get_next();
        tf.data.Dataset.range(6).flat_map(v => tf.data.Dataset.from_tensors(v).repeat(2))
            .interleave(v => tf.data.Dataset.from_tensors(v), cycle_length: 2)
            .padded_batch(2, Shape.Scalar)
            .make_one_shot_iterator().get_next();
        new tf.data.TFRecordDataset(new[] { "a.tfrecord" }).make_one_shot_iterator().get_next();
        var lines = new tf.data.TextLineDataset("a.txt").concatenate(new tf.data.FixedLengthRecordDataset("b.bin", 4)).shard(2, 0);
        var handle = lines.make_initializable_iterator().string_handle();
        tf.data.Iterator.from_string_handle(handle, [tf.@string]).get_next();
        tf.data.Dataset.from_tensors(features).apply(tf.data.experimental.unbatch()).make_one_shot_iterator().get_next();
        tf.data.experimental.get_single_element(tf.data.Dataset.from_tensors(features));

        var queue = tf.FIFOQueue(10, tf.float32);
        queue.enqueue(tf.constant(1f));
        queue.dequeue();
        queue.dequeue_many(tf.constant(2));
        queue.size();
        queue.close();
        var files = tf.train.string_input_producer(["a.csv", "b.csv"]);
        var (_, line) = tf.TextLineReader().read(files);
        var columns = tf.decode_csv(line, [tf.constant(0f), tf.constant("")]);
        tf.train.shuffle_batch([columns[0], columns[1]], batch_size: 2, capacity: 10, min_after_dequeue: 2);
        tf.WholeFileReader().read(files);
        var tfRecords = tf.TFRecordReader();
        tfRecords.read_up_to(files, 2);
        tfRecords.num_records_produced();
        tfRecords.num_work_units_completed();
        tfRecords.reset();
        tf.FixedLengthRecordReader(4).read(files);
        var padding = tf.PaddingFIFOQueue(4, [tf.int32], [new Shape(-1)]);
        padding.enqueue(tf.constant(new[] { 1, 2 }));
        padding.dequeue_up_to(2);
        padding.is_closed();
        tf.read_file(tf.constant("a.csv"));
        tf.write_file(tf.constant("b.txt"), tf.constant("text"));
        tf.matching_files(tf.constant("*.csv"));

        var spec = new Dictionary<string, FeatureSpec>
        {
            ["f"] = tf.FixedLenFeature(new Shape(2), tf.float32),
            ["s"] = tf.FixedLenFeature(Shape.Scalar, tf.@string),
            ["v"] = tf.VarLenFeature(tf.int64),
        };
        tf.parse_single_example(tf.placeholder(tf.@string, Shape.Scalar), spec);
        tf.parse_example(tf.placeholder(tf.@string, new Shape(-1)), spec);
        tf.parse_single_sequence_example(tf.placeholder(tf.@string, Shape.Scalar),
            context_features: new Dictionary<string, FeatureSpec> { ["c"] = tf.FixedLenFeature(Shape.Scalar, tf.int64) },
            sequence_features: new Dictionary<string, FeatureSpec> { ["s"] = tf.FixedLenSequenceFeature(Shape.Scalar, tf.float32) });
        tf.string_to_number(tf.constant(new[] { "1.5" }));
        var words = tf.constant(new[] { "a b", "c" });
        tf.string_split(words);
        tf.string_join([words, tf.constant("!")], separator: " ");
        tf.substr(words, 0, 1);
        tf.string_to_hash_bucket_fast(words, 10);
        tf.as_string(tf.constant(new[] { 1, 2 }));
        tf.decode_raw(new[] { "A", "a" }, tf.uint8);

        tf.summary.scalar("loss", tf.reduce_mean(features));
        tf.summary.histogram("values", features);
        tf.summary.image("pictures", tf.reshape(tf.range(0, 12, dtype: tf.float32) / 11.0f, new[] { 2, 2, 3, 1 }), max_outputs: 2);
        tf.summary.merge_all();
        yield return ("input pipelines, parsing, strings and summaries", g.Graph.as_graph_def());
    }

    /// <summary>Images, random numbers, state, lookup tables, samplers and array ops the other graphs do not reach.</summary>
    private static IEnumerable<(string Context, Tf.GraphDef GraphDef)> MiscellaneousGraphs()
    {
        using var g = TestGraph.Enter();
        var rgb = tf.random_uniform(new Shape(1, 4, 4, 3), seed: 1);
        var bytes = tf.reshape(tf.cast(rgb * 255f, tf.uint8), new[] { 4, 4, 3 });
        tf.image.decode_png(tf.image.encode_png(bytes));
        tf.image.decode_jpeg(tf.image.encode_jpeg(bytes));
        tf.image.decode_bmp(tf.constant(""));
        tf.image.decode_gif(tf.constant(""));
        tf.image.resize_bilinear(rgb, new[] { 6, 6 });
        tf.image.resize_bicubic(rgb, new[] { 6, 6 });
        tf.image.resize_nearest_neighbor(rgb, new[] { 6, 6 });
        tf.image.resize_area(rgb, new[] { 6, 6 });
        var boxes = tf.constant(new float[] { 0, 0, 1, 1, 0.1f, 0.1f, 0.9f, 0.9f }, shape: new Shape(2, 4));
        tf.image.crop_and_resize(rgb, boxes, new[] { 0, 0 }, new[] { 3, 3 });
        tf.image.non_max_suppression(boxes, tf.constant(new[] { 0.9f, 0.8f }), 1);
        tf.image.draw_bounding_boxes(rgb, tf.reshape(boxes, new[] { 1, 2, 4 }));
        tf.image.adjust_hue(rgb, 0.1f);
        tf.image.adjust_saturation(rgb, 0.5f);
        tf.image.hsv_to_rgb(tf.image.rgb_to_hsv(rgb));
        tf.image.sample_distorted_bounding_box(new[] { 40, 60, 3 }, tf.reshape(boxes, new[] { 1, 2, 4 }), seed: 1, seed2: 2);

        tf.random_normal((2, 3), seed: 3);
        tf.truncated_normal(new Shape(2, 3), seed: 4);
        tf.random_uniform(new Shape(2), maxval: 10, dtype: tf.int32, seed: 5);
        tf.random_shuffle(tf.constant(new[] { 1, 2, 3 }), seed: 6);
        tf.random_gamma(new[] { 3 }, alpha: new[] { 0.5, 2.0 }, seed: 7);

        var v = tf.Variable(tf.zeros(new Shape(4)), name: "v");
        var counter = tf.Variable(0, name: "counter");
        tf.count_up_to(counter, 3);
        tf.is_variable_initialized(v);
        tf.scatter_update(v, new[] { 0 }, new[] { 1f });
        tf.scatter_nd_update(v, tf.constant(new[,] { { 1 } }), new[] { 2f });
        tf.assign_add(v, tf.ones(new Shape(4)));
        tf.assign_sub(v, tf.ones(new Shape(4)));
        tf.Assert(tf.constant(true), ["message"]);
        tf.check_numerics(rgb, "bad");

        var table = SharpFlow.Ops.Lookup.HashTableV2.Build(tf.@string, tf.int64);
        SharpFlow.Ops.Lookup.InitializeTableV2.Build(table, tf.constant(new[] { "a", "b" }), tf.constant(new long[] { 1, 2 }));
        SharpFlow.Ops.Lookup.LookupTableFindV2.Build(table, tf.constant(new[] { "a", "c" }), tf.constant(-1L), tf.int64);

        var trueClasses = tf.constant(new long[,] { { 1 }, { 3 } });
        var (sampled, _, _) = tf.nn.log_uniform_candidate_sampler(trueClasses, 1, 4, unique: true, 10, seed: 8);
        tf.nn.uniform_candidate_sampler(trueClasses, 1, 4, unique: false, 10, seed: 9);
        tf.nn.compute_accidental_hits(trueClasses, sampled, 1);

        var ints = tf.constant(new[] { 3, 1, 2, 1 });
        var floats = tf.constant(new[] { 1.5f, -2.5f, 0f });
        tf.reduce_any(tf.is_nan(floats));
        tf.is_inf(floats);
        tf.argmin(floats, 0);
        tf.ceil(floats);
        tf.floor(floats);
        tf.round(floats);
        tf.lin_space(0f, 1f, 5);
        tf.invert_permutation(tf.constant(new[] { 2, 0, 1 }));
        tf.segment_prod(floats, tf.constant(new[] { 0, 0, 1 }));
        tf.scatter_div(v, new[] { 0 }, new[] { 2f });
        tf.scatter_max(v, new[] { 0 }, new[] { 2f });
        tf.scatter_nd_add(v, tf.constant(new[,] { { 1 } }), new[] { 2f });
        var ta = tf.TensorArray(tf.float32, size: 2);
        ta.close();
        tf.unique(ints);
        tf.nn.top_k(tf.cast(ints, tf.float32), 2);
        tf.nn.in_top_k(tf.constant(new float[,] { { 0.1f, 0.9f }, { 0.8f, 0.2f } }), new[] { 1, 0 }, 1);
        tf.dynamic_partition(ints, tf.constant(new[] { 0, 1, 0, 1 }), 2);
        tf.dynamic_stitch([tf.constant(new[] { 0, 2 }), tf.constant(new[] { 1, 3 })], [tf.constant(new[] { 5, 6 }), tf.constant(new[] { 7, 8 })]);
        tf.parallel_dynamic_stitch([tf.constant(new[] { 0, 2 }), tf.constant(new[] { 1, 3 })], [tf.constant(new[] { 5, 6 }), tf.constant(new[] { 7, 8 })]);
        tf.sparse_to_dense(tf.constant(new[,] { { 0 }, { 2 } }), new[] { 4 }, tf.constant(new[] { 1f, 2f }), 0f);
        tf.placeholder_with_default(tf.constant(1f), Shape.Scalar);
        tf.contrib.seq2seq.gather_tree(tf.zeros(new Shape(2, 1, 2), tf.int32), tf.zeros(new Shape(2, 1, 2), tf.int32), new[] { 2 }, 10);
        yield return ("images, random numbers, state, tables, samplers and array ops", g.Graph.as_graph_def());
    }

    private static (List<string> Problems, HashSet<string> Types, HashSet<(string, string)> Gaps, int Graphs) Check(IEnumerable<(string Context, Tf.GraphDef GraphDef)> graphs)
    {
        var problems = new List<string>();
        var types = new HashSet<string>();
        var gaps = new HashSet<(string, string)>();
        var count = 0;
        foreach (var (context, graphDef) in graphs)
        {
            problems.AddRange(Violations(graphDef, types, gaps).Select(p => $"{context}: {p}"));
            count++;
        }
        return (problems, types, gaps, count);
    }

    private static void AssertNoProblems(List<string> problems) =>
        Assert.True(problems.Count == 0, string.Join("\n", problems.Distinct().Take(60)));

    [Fact]
    public void TheGradientTablesGraphsAndTheirGradientsKeepToTensorFlowsOpDefs()
    {
        var (problems, types, gaps, graphs) = Check(GradientTableGraphs());
        AssertNoProblems(problems);
        Assert.True(graphs > 100, $"only {graphs} gradient cases");
        foreach (var gap in KnownGaps.Keys.Where(k => k.Attr is "explicit_paddings" or "data_format").Concat(KnownTypeExtensions.Keys.Select(op => (op, "T"))))
            Assert.Contains(gap, gaps);
        foreach (var t in new[] { "Conv2DBackpropInput", "Conv2DBackpropFilter", "MaxPoolGrad", "ReluGrad", "Switch", "Merge", "Enter", "Exit", "NextIteration", "StackPushV2", "TensorArrayV3", "BroadcastGradientArgs", "LogicalAnd", "All" })
            Assert.Contains(t, types);
    }

    [Fact]
    public void LeNet5EveryOptimizerAndTheSaverKeepToTensorFlowsOpDefs()
    {
        var (problems, types, _, _) = Check(TrainingGraphs());
        AssertNoProblems(problems);
        foreach (var t in new[] { "Conv2D", "MaxPool", "ApplyAdam", "ApplyMomentum", "SparseApplyMomentum", "ApplyRMSProp", "SparseApplyCenteredRMSProp", "SparseApplyAdagrad", "SparseApplyAdagradDA", "SparseApplyAdadelta", "ApplyFtrlV2", "SparseApplyFtrl", "SparseApplyProximalAdagrad", "SparseApplyProximalGradientDescent", "SaveV2", "RestoreV2", "MergeV2Checkpoints", "ShardedFilename", "StringJoin", "VariableV2", "AssignAdd", "ApplyGradientDescent" })
            Assert.Contains(t, types);
    }

    [Fact]
    public void InputPipelinesSummariesAndStringOpsKeepToTensorFlowsOpDefs()
    {
        var (problems, types, gaps, _) = Check(InputGraphs());
        AssertNoProblems(problems);
        foreach (var gap in KnownGaps.Keys.Where(k => k.Attr is not ("explicit_paddings" or "data_format")))
            Assert.Contains(gap, gaps);
        foreach (var t in new[] { "TensorSliceDataset", "MapDataset", "ParallelMapDataset", "FilterDataset", "ShuffleDataset", "RepeatDataset", "BatchDatasetV2", "PrefetchDataset", "ZipDataset", "RangeDataset", "FlatMapDataset", "InterleaveDataset", "PaddedBatchDatasetV2", "TFRecordDataset", "OneShotIterator", "IteratorV2", "MakeIterator", "IteratorGetNext", "FIFOQueueV2", "QueueEnqueueV2", "QueueDequeueManyV2", "RandomShuffleQueueV2", "TextLineReaderV2", "WholeFileReaderV2", "ReaderReadV2", "DecodeCSV", "ParseExample", "ParseSingleExample", "ParseSingleSequenceExample", "TextLineDataset", "FixedLengthRecordDataset", "ConcatenateDataset", "ShardDataset", "IteratorToStringHandle", "IteratorFromStringHandleV2", "DatasetToSingleElement", "TFRecordReaderV2", "ReaderReadUpToV2", "PaddingFIFOQueueV2", "QueueDequeueUpToV2", "StringSplit", "StringJoin", "Substr", "ScalarSummary", "HistogramSummary", "ImageSummary", "MergeSummary" })
            Assert.Contains(t, types);
    }

    [Fact]
    public void ImagesRandomNumbersStateTablesAndSamplersKeepToTensorFlowsOpDefs()
    {
        var (problems, types, _, _) = Check(MiscellaneousGraphs());
        AssertNoProblems(problems);
        foreach (var t in new[] { "EncodePng", "DecodeJpeg", "ResizeBilinear", "CropAndResize", "NonMaxSuppressionV3", "RandomStandardNormal", "CountUpTo", "ScatterUpdate", "HashTableV2", "LookupTableFindV2", "LogUniformCandidateSampler", "ComputeAccidentalHits", "Unique", "TopKV2", "GatherTree", "Any", "ScatterDiv", "ScatterNdAdd", "LinSpace", "TensorArrayCloseV3" })
            Assert.Contains(t, types);
    }

    /// <summary>How many of the table's op types the graphs above reach (the rest are listed when the count falls).</summary>
    [Fact]
    public void TheGraphsReachMostOfTheTable()
    {
        var reached = new HashSet<string>();
        foreach (var source in new[] { GradientTableGraphs(), TrainingGraphs(), InputGraphs(), MiscellaneousGraphs() })
            reached.UnionWith(Check(source).Types);
        var unreached = OpRegistry.BuiltinTypes.Where(t => TfOpDefs.Find(t) is not null && !reached.Contains(t)).ToList();
        Assert.True(reached.Count >= 340, $"the graphs reach {reached.Count} op types; not reached: {string.Join(", ", unreached)}");
    }

    [Fact]
    public void LogicalOpsAreWrittenWithoutATypeAttrAndImportBack()
    {
        // TensorFlow's LogicalAnd, LogicalOr and LogicalNot take bool only and have no attrs; its importer refuses a
        // node with an attr the OpDef lacks ("NodeDef mentions attr 'T' not in Op").
        Tf.GraphDef graphDef;
        using (var g = TestGraph.Enter())
        {
            var a = tf.constant(new[] { true, true, false, false }, name: "a");
            var b = tf.constant(new[] { true, false, true, false }, name: "b");
            tf.logical_not(tf.logical_or(tf.logical_and(a, b, name: "and"), b, name: "or"), name: "not");
            graphDef = g.Graph.as_graph_def();
        }
        foreach (var type in new[] { "LogicalAnd", "LogicalOr", "LogicalNot" })
            Assert.Empty(graphDef.Node.Single(n => n.Op == type).Attr);
        AssertConforms(graphDef);
        using (var g = TestGraph.Enter())
        {
            tf.import_graph_def(graphDef, name: "");
            Assert.Equal([false, true, false, true], g.Eval(g.Graph.get_tensor_by_name("not:0")).ToArray<bool>());
            Assert.Equal([true, false, false, false], g.Eval(g.Graph.get_tensor_by_name("and:0")).ToArray<bool>());
        }
    }

    [Fact]
    public void SourceDatasetsAndResizeAreaAreWrittenWithTensorFlowsAttrsAndImportBack()
    {
        // TensorFlow's TextLineDataset (and TFRecordDataset, FixedLengthRecordDataset) has no output_types or
        // output_shapes, and its ResizeArea no half_pixel_centers.
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "first\nsecond\n");
            Tf.GraphDef graphDef;
            using (var g = TestGraph.Enter())
            {
                new tf.data.TextLineDataset(file).make_initializable_iterator().get_next();
                tf.image.resize_area(tf.constant(new float[] { 1, 2, 3, 4 }, shape: new Shape(1, 2, 2, 1)), new[] { 1, 1 }, name: "area");
                graphDef = g.Graph.as_graph_def();
            }
            Assert.DoesNotContain("output_types", graphDef.Node.Single(n => n.Op == "TextLineDataset").Attr.Keys);
            Assert.Equal(["T", "align_corners"], graphDef.Node.Single(n => n.Op == "ResizeArea").Attr.Keys.Order(StringComparer.Ordinal));
            AssertConforms(graphDef, gapsSeen: new HashSet<(string, string)>());
            using (var g = TestGraph.Enter())
            {
                tf.import_graph_def(graphDef, name: "");
                var next = g.Graph.get_operations().Single(o => o.type == "IteratorGetNext").outputs[0];
                using var sess = tf.Session();
                sess.run(g.Graph.get_operations().Single(o => o.type == "MakeIterator"));
                Assert.Equal("first", System.Text.Encoding.UTF8.GetString(sess.run(next).StringBytes()));
                Assert.Equal("second", System.Text.Encoding.UTF8.GetString(sess.run(next).StringBytes()));
                Assert.Equal([2.5f], sess.run(g.Graph.get_tensor_by_name("area:0")).ToArray<float>());
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The MetaGraphDef

    [SkippableFact]
    public void ExportMetaGraphListsEveryOpTypeOfItsGraph()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 28, 28, 1), name: "images");
        var y = tf.placeholder(tf.int32, new Shape(-1), name: "labels");
        var logits = new LeNet5().Build(x).Logits;
        var loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: y, logits: logits));
        tf.train.MomentumOptimizer(0.01, 0.9).minimize(loss);
        var (_, v) = tf.while_loop((i, _) => tf.less(i, 3), (i, v) => (tf.add(i, 1), tf.multiply(v, 2f)), (tf.constant(0), tf.reduce_sum(logits)));
        tf.cond(tf.greater(v, 1f), () => tf.multiply(v, 2f), () => tf.multiply(v, v));
        tf.summary.scalar("loss", loss);
        tf.train.Saver();
        var meta = tf.train.export_meta_graph();
        var types = meta.GraphDef.Node.Select(n => n.Op).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(types.Count > 40, $"only {types.Count} op types");
        Assert.Equal(types, meta.MetaInfoDef.StrippedOpList.Op.Select(o => o.Name));
        foreach (var op in meta.MetaInfoDef.StrippedOpList.Op)
            Assert.Equal(TfOpDefs.Find(op.Name), op);
        AssertConforms(meta.GraphDef);

        // The same list as an independent protobuf reader decodes it.
        Protoc.SkipUnlessAvailable();
        var text = Protoc.Decode("tensorflow.MetaGraphDef", meta.ToByteArray());
        foreach (var type in types)
            Assert.Contains($"op {{\n      name: \"{type}\"", text);
    }
}

/// <summary>
/// OpDefConformanceTests run alone: they enumerate GradientCases.All(), whose inputs come from one shared seed that
/// the gradient checks running beside them would otherwise see moved.
/// </summary>
[CollectionDefinition(nameof(OpDefConformanceTests), DisableParallelization = true)]
public sealed class OpDefConformanceRunsAlone;
