using SharpFlow.GraphIO;
using SharpFlow.Tests.Checkpoints;
using SharpFlow.Tests.Support;
using Tf = Tensorflow;
using static SharpFlow.Binding;

namespace SharpFlow.Tests.GraphIO;

/// <summary>
/// Dataset functions in a GraphDef's FunctionDefLibrary: written in TensorFlow 1.15's form (the FunctionDef of
/// tf.data's StructuredFunctionWrapper, a one-shot iterator's <c>_make_dataset</c> Defun), read back into running
/// pipelines with the original's values, a library TensorFlow wrote (TestData/tf-functions), and the refusals of
/// bad libraries.
/// </summary>
public sealed class FunctionLibraryTests
{
    /// <summary>Every element of the pipeline behind the graph's single IteratorGetNext, each formatted.</summary>
    private static List<string> Drain(Graph graph)
    {
        var next = graph.get_operations().Single(o => o.type == "IteratorGetNext");
        var init = graph.get_operations().SingleOrDefault(o => o.type == "MakeIterator");
        using var sess = new Session(graph);
        if (init is not null) sess.run(init);
        var values = new List<string>();
        while (true)
        {
            try { values.Add(string.Join(" | ", sess.run([.. next.outputs]).Select(v => v.ToString()))); }
            catch (OutOfRangeError) { return values; }
        }
    }

    private static Tf.GraphDef RoundTrip(Action build, out List<string> original, out List<string> imported)
    {
        Tf.GraphDef graphDef;
        using (var g = TestGraph.Enter())
        {
            build();
            graphDef = g.Graph.as_graph_def();
            original = Drain(g.Graph);
        }
        // Through the wire format, as a file would carry it.
        graphDef = Tf.GraphDef.Parser.ParseFrom(ProtoFiles.SerializeDeterministic(graphDef));
        using (var g = TestGraph.Enter())
        {
            tf.import_graph_def(graphDef, name: "");
            imported = Drain(g.Graph);
        }
        Assert.Empty(OpDefConformanceTests.Violations(graphDef));
        return graphDef;
    }

    [Fact]
    public void AMapWithACapturedTensorIsWrittenInTensorFlowsFormAndRunsAfterImport()
    {
        var graphDef = RoundTrip(() =>
        {
            var scale = tf.constant(3L, name: "scale");
            tf.data.Dataset.range(5).map(x => (object)(x * scale + 1L)).make_initializable_iterator().get_next();
        }, out var original, out var imported);
        Assert.Equal(["1", "4", "7", "10", "13"], original);
        Assert.Equal(original, imported);

        var map = graphDef.Node.Single(n => n.Op == "MapDataset");
        var fdef = Assert.Single(graphDef.Library.Function);
        Assert.Equal(fdef.Signature.Name, map.Attr["f"].Func.Name);
        Assert.StartsWith("__inference_tf_data_map_function_", fdef.Signature.Name);
        // The element's component, then the captured value; the captured value is the node's input after input_dataset.
        Assert.Equal(2, fdef.Signature.InputArg.Count);
        Assert.Equal("args_0", fdef.Signature.InputArg[0].Name);
        var captured = fdef.Signature.InputArg[1].Name;
        Assert.Equal("mul_captured_input", captured); // the placeholder mul/captured_input, normalized
        Assert.All(fdef.Signature.InputArg, a => Assert.Equal(Tf.DataType.DtInt64, a.Type));
        Assert.Equal([Tf.DataType.DtInt64], map.Attr["Targuments"].List.Type);
        Assert.Equal(2, map.Input.Count);
        Assert.Equal("args_0", fdef.ArgAttr[0].Attr["_user_specified_name"].S.ToStringUtf8());
        Assert.False(fdef.ArgAttr.ContainsKey(1));
        // Function-style inputs (node:output_arg:index) and the Identity every result passes through.
        var mul = fdef.NodeDef.Single(n => n.Op == "Mul");
        Assert.Equal(["args_0", captured], mul.Input);
        var add = fdef.NodeDef.Single(n => n.Op == "Add" || n.Op == "AddV2");
        Assert.Equal($"{mul.Name}:z:0", add.Input[0]);
        Assert.EndsWith(":output:0", add.Input[1]);
        Assert.Equal("identity", Assert.Single(fdef.Signature.OutputArg).Name);
        Assert.Equal("Identity:output:0", fdef.Ret["identity"]);
        Assert.Equal([$"{add.Name}:z:0"], fdef.NodeDef.Single(n => n.Name == "Identity").Input);
        Assert.False(fdef.Signature.IsStateful);
    }

    [Fact]
    public void FilterFlatMapInterleaveAndParallelMapRoundTripWithTheirValues()
    {
        var graphDef = RoundTrip(() =>
        {
            var limit = tf.constant(7L);
            var twice = tf.constant(2L);
            tf.data.Dataset.range(10)
                .filter(x => tf.less(x, limit))
                .flat_map(x => tf.data.Dataset.from_tensors(x).repeat(twice))
                .interleave(x => tf.data.Dataset.range(x).map(y => (object)(y + x * 10L)), cycle_length: 2, block_length: 1)
                .map(x => (object)(x * twice), num_parallel_calls: 2)
                .make_initializable_iterator().get_next();
        }, out var original, out var imported);
        Assert.True(original.Count > 20, $"{original.Count} elements");
        Assert.Equal(original, imported);
        // The map inside interleave's function is a function of the same library, named by the body's MapDataset.
        var names = graphDef.Library.Function.Select(f => f.Signature.Name).ToList();
        Assert.Equal(5, names.Count);
        var interleaveFn = graphDef.Library.Function.Single(f => f.Signature.Name == graphDef.Node.Single(n => n.Op == "InterleaveDataset").Attr["f"].Func.Name);
        var inner = interleaveFn.NodeDef.Single(n => n.Op == "MapDataset");
        Assert.Contains(inner.Attr["f"].Func.Name, names);
        Assert.Equal(Tf.DataType.DtVariant, interleaveFn.Signature.OutputArg.Single().Type);
        // TensorFlow's input order: input_dataset, other_arguments, then cycle_length and block_length.
        var interleave = graphDef.Node.Single(n => n.Op == "InterleaveDataset");
        Assert.Equal(3, interleave.Input.Count);
        var pmap = graphDef.Node.Single(n => n.Op == "ParallelMapDataset");
        Assert.Single(pmap.Attr["Targuments"].List.Type);
        Assert.Equal("num_parallel_calls", graphDef.Node.Single(n => n.Name == pmap.Input[2]).Name.Split('/')[^1]);
    }

    [Fact]
    public void ScanAndOneShotIteratorRoundTripWithTheirValues()
    {
        var graphDef = RoundTrip(() =>
        {
            tf.data.Dataset.range(6).apply(tf.data.experimental.scan(0L, (s, x) => (s + x, s * 2L))).make_one_shot_iterator().get_next();
        }, out var original, out var imported);
        Assert.Equal(["0", "0", "2", "6", "12", "20"], original);
        Assert.Equal(original, imported);
        var iterator = graphDef.Node.Single(n => n.Op == "OneShotIterator");
        var factory = graphDef.Library.Function.Single(f => f.Signature.Name == iterator.Attr["dataset_factory"].Func.Name);
        Assert.Matches("^_make_dataset_[0-9a-f]{8}$", factory.Signature.Name);
        Assert.Empty(factory.Signature.InputArg);
        var output = Assert.Single(factory.Signature.OutputArg);
        Assert.Equal(Tf.DataType.DtVariant, output.Type);
        Assert.Equal("ScanDataset:handle:0", factory.Ret[output.Name]);
        // The factory's body holds the pipeline, its ScanDataset naming the scan function of the same library.
        var scan = factory.NodeDef.Single(n => n.Op == "ScanDataset");
        Assert.Contains(graphDef.Library.Function, f => f.Signature.Name == scan.Attr["f"].Func.Name);

        // Imported and written again (the factory now a function body of its own), it still runs.
        Tf.GraphDef again;
        using (var g = TestGraph.Enter())
        {
            tf.import_graph_def(graphDef, name: "");
            again = g.Graph.as_graph_def();
        }
        Assert.Empty(OpDefConformanceTests.Violations(again));
        Assert.Equal(graphDef.Library.Function.Select(f => f.Signature.Name).Order(), again.Library.Function.Select(f => f.Signature.Name).Order());
        using (var g = TestGraph.Enter())
        {
            tf.import_graph_def(again, name: "");
            Assert.Equal(original, Drain(g.Graph));
        }
    }

    [Fact]
    public void GroupByWindowAndParallelInterleaveRoundTripWithTheirValues()
    {
        var graphDef = RoundTrip(() =>
        {
            var modulus = tf.constant(3L);
            tf.data.Dataset.range(12)
                .apply(tf.data.experimental.group_by_window(x => x % modulus, (_, xs) => xs.batch(2), 2))
                .apply(tf.data.experimental.parallel_interleave(x => tf.data.Dataset.from_tensors(x).repeat(2), cycle_length: 2))
                .make_initializable_iterator().get_next();
        }, out var original, out var imported);
        Assert.Equal(12, original.Count); // 6 windows of 2, each twice
        Assert.Equal(original, imported);
        var group = graphDef.Node.Single(n => n.Op == "GroupByWindowDataset");
        foreach (var attr in new[] { "key_func", "reduce_func", "window_size_func" })
            Assert.Contains(graphDef.Library.Function, f => f.Signature.Name == group.Attr[attr].Func.Name);
        // key_func captured the modulus; reduce_func takes the key and the window, a dataset (DT_VARIANT).
        Assert.Single(group.Attr["Tkey_func_other_arguments"].List.Type);
        var reduce = graphDef.Library.Function.Single(f => f.Signature.Name == group.Attr["reduce_func"].Func.Name);
        Assert.Equal([Tf.DataType.DtInt64, Tf.DataType.DtVariant], reduce.Signature.InputArg.Select(a => a.Type));
    }

    [Fact]
    public void ASavedModelCarriesThePipelineAndLoadsIt()
    {
        var dir = Path.Combine(Path.GetTempPath(), "sharpflow-functions-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var g = TestGraph.Enter())
            {
                var scale = tf.constant(10L);
                var next = tf.data.Dataset.range(3).map(x => (object)(x * scale)).make_one_shot_iterator().get_next(name: "next");
                using var sess = tf.Session();
                tf.saved_model.simple_save(sess, dir, new Dictionary<string, Tensor> { ["scale"] = scale }, new Dictionary<string, Tensor> { ["next"] = next });
            }
            using (var g = TestGraph.Enter())
            {
                using var sess = tf.Session();
                var meta = tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING], dir);
                Assert.Equal(2, meta.GraphDef.Library.Function.Count);
                Assert.Equal(["0", "10", "20"], Drain(g.Graph));
            }
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void AFunctionTakingMoreArgumentsThanTheElementHasFailsWhenItRunsNamingTheFunction()
    {
        // TextLineDataset carries no output_types, so the import cannot count the element's components: the map's
        // two-argument function fails when it is called.
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "a\nb\n");
            Tf.GraphDef graphDef;
            using (var g = TestGraph.Enter())
            {
                new tf.data.TextLineDataset(file).map((Tensor x) => (object)x).make_initializable_iterator().get_next();
                graphDef = g.Graph.as_graph_def();
            }
            var fdef = graphDef.Library.Function.Single();
            fdef.Signature.InputArg.Insert(0, new Tf.OpDef.Types.ArgDef { Name = "extra", Type = Tf.DataType.DtString });
            using (var g = TestGraph.Enter())
            {
                tf.import_graph_def(graphDef, name: "");
                var e = Assert.Throws<InvalidArgumentError>(() => Drain(g.Graph));
                Assert.Contains($"Function '{fdef.Signature.Name}' takes 2 argument(s), but the element has 1 component(s).", e.Message);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void AMetaGraphAndItsStrippedOpListCarryTheLibrary()
    {
        Tf.MetaGraphDef meta;
        using (var g = TestGraph.Enter())
        {
            tf.data.Dataset.range(3).map(x => (object)tf.square(x)).make_one_shot_iterator().get_next();
            meta = tf.train.export_meta_graph();
        }
        Assert.Equal(2, meta.GraphDef.Library.Function.Count);
        Assert.Contains("Square", meta.MetaInfoDef.StrippedOpList.Op.Select(o => o.Name));
        using (var g = TestGraph.Enter())
        {
            tf.train.import_meta_graph(meta);
            Assert.Equal(["0", "1", "4"], Drain(g.Graph));
        }
    }

    private static string FixturePath(string name) => TestData.File("tf-functions", name);

    [Fact]
    public void APipelineTensorFlowWroteWithItsFunctionLibraryImportsAndRuns()
    {
        // TensorFlow 1.15 (producer 134): Dataset.from_tensor_slices([0, 1, 2]).map(lambda x: x * 2).batch(5).
        var graphDef = ProtoFiles.Read<Tf.GraphDef>(FixturePath("tf-data-pipeline.pbtxt"), as_text: true);
        Assert.Equal("__inference_Dataset_map_<lambda>_8", graphDef.Library.Function.Single().Signature.Name);
        using var g = TestGraph.Enter();
        tf.import_graph_def(graphDef, name: "");
        var batch = g.Graph.get_operation_by_name("BatchDatasetV2").outputs[0];
        var handle = SharpFlow.Data.DatasetOps.IteratorV2.Build([tf.int32], [new Shape(-1)], "");
        var init = SharpFlow.Data.DatasetOps.MakeIterator.Build(batch, handle);
        var next = SharpFlow.Data.DatasetOps.IteratorGetNext.Build(handle, [tf.int32], [new Shape(-1)])[0];
        using var sess = tf.Session();
        sess.run(init);
        Assert.Equal([0, 2, 4], sess.run(next).ToArray<int>());
        Assert.Throws<OutOfRangeError>(() => sess.run(next));
        // Written again, the function keeps its name.
        Assert.Contains(g.Graph.as_graph_def().Library.Function, f => f.Signature.Name == "__inference_Dataset_map_<lambda>_8");
    }

    // ----- bad libraries -----

    private static Tf.GraphDef MapGraph()
    {
        using var g = TestGraph.Enter();
        var offset = tf.constant(5L, name: "offset");
        tf.data.Dataset.range(3).map(x => (object)(x + offset)).make_initializable_iterator().get_next();
        return g.Graph.as_graph_def();
    }

    private static Exception ImportError(Tf.GraphDef graphDef)
    {
        using var g = TestGraph.Enter();
        return Assert.ThrowsAny<Exception>(() => tf.import_graph_def(graphDef, name: ""));
    }

    [Fact]
    public void AFunctionMissingFromTheLibraryIsAnErrorNamingTheNodeAndTheFunction()
    {
        var graphDef = MapGraph();
        var name = graphDef.Library.Function[0].Signature.Name;
        graphDef.Library.Function.Clear();
        var e = Assert.IsType<ValueError>(ImportError(graphDef));
        Assert.Contains("Node 'MapDataset' (MapDataset), attr 'f'", e.Message);
        Assert.Contains($"function '{name}' is not in the GraphDef's library", e.Message);
    }

    [Fact]
    public void AnInputNamingNothingIsAnErrorNamingTheFunctionAndItsNode()
    {
        var graphDef = MapGraph();
        var fdef = graphDef.Library.Function[0];
        var add = fdef.NodeDef.Single(n => n.Op is "Add" or "AddV2");
        add.Input[1] = "nowhere:z:0";
        var e = Assert.IsType<ValueError>(ImportError(graphDef));
        Assert.Contains("Node 'MapDataset' (MapDataset), attr 'f'", e.Message);
        Assert.Contains($"function '{fdef.Signature.Name}'", e.Message);
        Assert.Contains($"node '{add.Name}': input 'nowhere:z:0' names no argument or node output of the function", e.Message);

        add.Input[1] = "args_0:y:0";
        Assert.Contains("names no argument or node output", ImportError(graphDef).Message);
        add.Input[1] = $"{fdef.NodeDef.Single(n => n.Op == "Identity").Name}:nothing:0";
        Assert.Contains("names output arg 'nothing', which TensorFlow's Identity does not have (it has output)", ImportError(graphDef).Message);
    }

    [Fact]
    public void ArgumentsAndResultsThatDoNotFitTheNodeAreErrors()
    {
        var graphDef = MapGraph();
        var fdef = graphDef.Library.Function[0];
        // The captured value dropped from the node: the function takes one argument more than it is given.
        var map = graphDef.Node.Single(n => n.Op == "MapDataset");
        map.Attr["Targuments"].List.Type.Clear();
        map.Input.RemoveAt(1);
        var e = Assert.IsType<ValueError>(ImportError(graphDef));
        Assert.Contains($"Node 'MapDataset' (MapDataset), attr 'f': function '{fdef.Signature.Name}' takes 2 argument(s), but the node passes 1 (1 element component(s)) and 0 captured value(s) (Targuments)", e.Message);

        graphDef = MapGraph();
        graphDef.Node.Single(n => n.Op == "MapDataset").Attr["output_types"].List.Type[0] = Tf.DataType.DtFloat;
        Assert.Contains("returns (DT_INT64), but the node's output_types are (DT_FLOAT)", ImportError(graphDef).Message);

        graphDef = MapGraph();
        graphDef.Library.Function[0].Signature.InputArg[1].Type = Tf.DataType.DtInt32;
        Assert.Contains("argument 'add_captured_input' is DT_INT32, but the node's Targuments[0] is DT_INT64", ImportError(graphDef).Message);

        graphDef = MapGraph();
        graphDef.Library.Function[0].Ret.Clear();
        Assert.Contains("output 'identity' has no entry in the function's ret map", ImportError(graphDef).Message);
    }

    [Fact]
    public void ANodeWithoutTheCapturedInputsItsTargumentsListFailsWhenItRuns()
    {
        var graphDef = MapGraph();
        var fdef = graphDef.Library.Function[0];
        graphDef.Node.Single(n => n.Op == "MapDataset").Input.RemoveAt(1);
        using var g = TestGraph.Enter();
        tf.import_graph_def(graphDef, name: "");
        var e = Assert.Throws<InvalidArgumentError>(() => Drain(g.Graph));
        Assert.Contains($"Function '{fdef.Signature.Name}' captures 1 value(s), but the dataset op passes 0.", e.Message);
    }

    [Fact]
    public void FunctionsOfTheWrongKindForTheirNodeAreRefused()
    {
        // A function attr on an op that takes none.
        var graphDef = MapGraph();
        graphDef.Node.Single(n => n.Op == "RangeDataset").Attr["f"] = new Tf.AttrValue { Func = new Tf.NameAttrList { Name = "g" } };
        Assert.Contains("Node 'RangeDataset' (RangeDataset), attr 'f': SharpFlow takes no function (here 'g') for this attribute",
            Assert.IsType<UnimplementedError>(ImportError(graphDef)).Message);

        // An element component of another type than the input dataset's.
        graphDef = MapGraph();
        graphDef.Library.Function[0].Signature.InputArg[0].Type = Tf.DataType.DtFloat;
        Assert.Contains("argument 'args_0' is DT_FLOAT, but element component 0 of the input dataset is DT_INT64", ImportError(graphDef).Message);

        // Two nodes of one name in the body.
        graphDef = MapGraph();
        var body = graphDef.Library.Function[0];
        body.NodeDef.Add(body.NodeDef[0].Clone());
        Assert.Contains($"node '{body.NodeDef[0].Name}' is named twice in the function", ImportError(graphDef).Message);

        // A filter's predicate returning a number, a flat_map's function returning no dataset.
        Tf.GraphDef filterDef, flatMapDef, factoryDef;
        using (var g = TestGraph.Enter())
        {
            var ds = tf.data.Dataset.range(4);
            ds.filter(x => tf.less(x, 2L)).make_initializable_iterator().get_next();
            filterDef = g.Graph.as_graph_def();
        }
        filterDef.Library.Function[0].Signature.OutputArg[0].Type = Tf.DataType.DtInt64;
        Assert.Contains("returns (DT_INT64); a predicate returns one bool", ImportError(filterDef).Message);
        using (var g = TestGraph.Enter())
        {
            tf.data.Dataset.range(4).flat_map(x => tf.data.Dataset.from_tensors(x)).make_one_shot_iterator().get_next();
            flatMapDef = g.Graph.as_graph_def();
            factoryDef = flatMapDef.Clone();
        }
        var flatMapFn = flatMapDef.Library.Function.Single(f => f.Signature.Name.StartsWith("__inference_", StringComparison.Ordinal));
        flatMapFn.Signature.OutputArg[0].Type = Tf.DataType.DtInt64;
        Assert.Contains("it must return one dataset (DT_VARIANT)", ImportError(flatMapDef).Message);

        // A dataset_factory that takes an argument.
        var factory = factoryDef.Library.Function.Single(f => f.Signature.Name.StartsWith("_make_dataset_", StringComparison.Ordinal));
        factory.Signature.InputArg.Add(new Tf.OpDef.Types.ArgDef { Name = "extra", Type = Tf.DataType.DtInt64 });
        Assert.Contains($"Node 'OneShotIterator' (OneShotIterator), attr 'dataset_factory': function '{factory.Signature.Name}' takes 1 argument(s); a dataset_factory takes none",
            ImportError(factoryDef).Message);
    }

    [Fact]
    public void AFunctionThatReachesItselfIsRefused()
    {
        Tf.GraphDef graphDef;
        using (var g = TestGraph.Enter())
        {
            tf.data.Dataset.range(3).flat_map(x => tf.data.Dataset.range(x).map(y => (object)(y + 1L))).make_initializable_iterator().get_next();
            graphDef = g.Graph.as_graph_def();
        }
        var outer = graphDef.Library.Function.Single(f => f.NodeDef.Any(n => n.Op == "MapDataset"));
        outer.NodeDef.Single(n => n.Op == "MapDataset").Attr["f"].Func.Name = outer.Signature.Name;
        var e = ImportError(graphDef);
        Assert.Contains($"function '{outer.Signature.Name}' calls itself", e.Message);
    }
}
