using System.Runtime.CompilerServices;
using SharpFlow.Functions;
using SharpFlow.Ops.Initializers;
using SharpFlow.Ops.State;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;

namespace SharpFlow.Slim;

/// <summary>
/// TF 1.15's <c>tf.contrib.layers</c> (which TF-Slim re-exports): the layers create their variables with
/// <c>model_variable</c> (GLOBAL_VARIABLES and MODEL_VARIABLES, plus TRAINABLE_VARIABLES when trainable) under a
/// variable scope named by <c>scope</c> or the layer's default (<c>fully_connected</c>, <c>Conv</c>,
/// <c>BatchNorm</c>), with contrib's names (<c>weights</c>, <c>biases</c>, <c>beta</c>, <c>moving_mean</c>), and
/// add their output to <c>outputs_collections</c> under the scope's name (its alias).
/// </summary>
internal static class SlimLayers
{
    public static readonly Func<Tensor, Tensor> Relu = t => Ops.NN.Relu.Build(t);
    private static readonly ConditionalWeakTable<Tensor, List<string>> Aliases = new();

    public static readonly FullyConnectedFn FullyConnectedOp = ArgScopes.Register<FullyConnectedFn>("fully_connected", FullyConnected);
    public static readonly Conv2dFn Convolution2dOp = ArgScopes.Register<Conv2dFn>("convolution2d", Convolution2d);
    public static readonly Pool2dFn MaxPool2dOp = ArgScopes.Register<Pool2dFn>("max_pool2d", (i, k, s, p, d, o, sc) => Pool(i, k, s, p, d, o, sc, max: true));
    public static readonly Pool2dFn AvgPool2dOp = ArgScopes.Register<Pool2dFn>("avg_pool2d", (i, k, s, p, d, o, sc) => Pool(i, k, s, p, d, o, sc, max: false));
    public static readonly FlattenFn FlattenOp = ArgScopes.Register<FlattenFn>("flatten", Flatten);
    public static readonly DropoutFn DropoutOp = ArgScopes.Register<DropoutFn>("dropout", Dropout);
    public static readonly BatchNormFn BatchNormOp = ArgScopes.Register<BatchNormFn>("batch_norm", BatchNorm);
    public static readonly EmbedSequenceFn EmbedSequenceOp = ArgScopes.Register<EmbedSequenceFn>("embed_sequence", EmbedSequence);

    /// <summary>contrib's <c>xavier_initializer()</c>: uniform with limit sqrt(6 / (fan_in + fan_out)).</summary>
    public static Initializer Xavier() => new ContribVarianceScalingInitializer(1.0, "FAN_AVG", true, null, DType.float32);

    private static Tensor FullyConnected(Tensor inputs, int num_outputs, Func<Tensor, Tensor>? activation_fn, Delegate? normalizer_fn,
        IReadOnlyDictionary<string, object?>? normalizer_params, Initializer? weights_initializer, Regularizer? weights_regularizer,
        Initializer? biases_initializer, Regularizer? biases_regularizer, Reuse? reuse, object? variables_collections,
        object? outputs_collections, bool? trainable, string? scope)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var a = ArgScopes.For("fully_connected");
        var activation = a.Get(activation_fn, "activation_fn", Relu);
        var normalizer = a.Get<Delegate>(normalizer_fn, "normalizer_fn", null);
        var normalizerParams = a.Get<IReadOnlyDictionary<string, object?>>(normalizer_params, "normalizer_params", null);
        var wInit = a.Get(weights_initializer, "weights_initializer", Xavier());
        var wReg = a.Get<Regularizer>(weights_regularizer, "weights_regularizer", null);
        var bInit = a.Get(biases_initializer, "biases_initializer", (Initializer)new ZerosInitializer());
        var bReg = a.Get<Regularizer>(biases_regularizer, "biases_regularizer", null);
        var reuseMode = a.Get<Reuse?>(reuse, "reuse", null);
        var varCollections = a.Get<object>(variables_collections, "variables_collections", null);
        var outCollections = a.Get<object>(outputs_collections, "outputs_collections", null);
        var train = a.Value(trainable, "trainable", true);
        if (num_outputs <= 0) throw new ValueError($"num_outputs must be positive, got {num_outputs}");
        if (!inputs.dtype.is_floating) throw new TypeError($"fully_connected needs float inputs, got {inputs.dtype.name}: {inputs}");

        using var sc = VariableScopes.Enter(scope, scope is null ? "fully_connected" : null, reuseMode, null, null);
        var inDim = Layers.LayerScope.LastDimension(inputs, "Dense");
        var weights = ModelVariable("weights", new Shape(inDim, num_outputs), inputs.dtype, wInit, wReg, train,
            Kwargs.Collections(varCollections, "weights"), "kernel");
        Tensor outputs;
        var rank = inputs.shape.ndims;
        if (rank == 2) outputs = BatchMatMulV2.MatMulOrBatch(inputs, weights, false, false, false, false, "MatMul");
        else
        {
            var flat = Reshape.Build(inputs, new[] { -1, inDim });
            var dims = new List<TensorLike>();
            var shape = Shape_.Build(inputs);
            for (var i = 0; i < rank - 1; i++) dims.Add(inputs.shape[i] >= 0 ? inputs.shape[i] : shape[i]);
            dims.Add(num_outputs);
            outputs = Reshape.Build(BatchMatMulV2.MatMulOrBatch(flat, weights, false, false, false, false, "MatMul"), Pack.Build([.. dims.ToArray()]), "Tensordot");
        }
        if (normalizer is null && bInit is not null)
        {
            var biases = ModelVariable("biases", new Shape(num_outputs), inputs.dtype, bInit, bReg, train, Kwargs.Collections(varCollections, "biases"), "bias");
            outputs = BiasAdd.Build(outputs, biases, "BiasAdd");
        }
        if (normalizer is not null) outputs = Normalize(normalizer, outputs, normalizerParams);
        if (activation is not null) outputs = activation(outputs);
        return CollectNamedOutputs(outCollections, sc.name, outputs);
    }

    private static Tensor Convolution2d(Tensor inputs, int num_outputs, Size2D kernel_size, Size2D? stride, string? padding, string? data_format,
        Size2D? rate, Func<Tensor, Tensor>? activation_fn, Delegate? normalizer_fn, IReadOnlyDictionary<string, object?>? normalizer_params,
        Initializer? weights_initializer, Regularizer? weights_regularizer, Initializer? biases_initializer, Regularizer? biases_regularizer,
        Reuse? reuse, object? variables_collections, object? outputs_collections, bool? trainable, string? scope)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var a = ArgScopes.For("convolution2d");
        var strides = a.Value(stride, "stride", (Size2D)1);
        var pad = Layers.LayerScope.Padding(a.Get(padding, "padding", "SAME")!);
        var format = a.Get(data_format, "data_format", "NHWC");
        var dilation = a.Value(rate, "rate", (Size2D)1);
        var activation = a.Get(activation_fn, "activation_fn", Relu);
        var normalizer = a.Get<Delegate>(normalizer_fn, "normalizer_fn", null);
        var normalizerParams = a.Get<IReadOnlyDictionary<string, object?>>(normalizer_params, "normalizer_params", null);
        var wInit = a.Get(weights_initializer, "weights_initializer", Xavier());
        var wReg = a.Get<Regularizer>(weights_regularizer, "weights_regularizer", null);
        var bInit = a.Get(biases_initializer, "biases_initializer", (Initializer)new ZerosInitializer());
        var bReg = a.Get<Regularizer>(biases_regularizer, "biases_regularizer", null);
        var reuseMode = a.Get<Reuse?>(reuse, "reuse", null);
        var varCollections = a.Get<object>(variables_collections, "variables_collections", null);
        var outCollections = a.Get<object>(outputs_collections, "outputs_collections", null);
        var train = a.Value(trainable, "trainable", true);
        if (format is not (null or "NHWC" or "NCHW")) throw new ValueError("data_format has to be either NCHW or NHWC.");
        if (format == "NCHW") throw new ValueError("convolution2d: SharpFlow's Conv2D computes NHWC only; data_format='NCHW' is not supported");
        if (inputs.shape.IsKnownRank && inputs.shape.ndims != 4)
            throw new ValueError($"Convolution not supported for input with rank {inputs.shape.ndims}");
        if ((strides.Height > 1 || strides.Width > 1) && (dilation.Height > 1 || dilation.Width > 1))
            throw new ValueError("Only one of rate or stride can be > 1");
        if (num_outputs <= 0) throw new ValueError($"num_outputs must be positive, got {num_outputs}");

        using var sc = VariableScopes.Enter(scope, scope is null ? "Conv" : null, reuseMode, null, null);
        var inChannels = Layers.LayerScope.LastDimension(inputs, "Conv2D");
        var weights = ModelVariable("weights", new Shape(kernel_size.Height, kernel_size.Width, inChannels, num_outputs), inputs.dtype, wInit, wReg, train,
            Kwargs.Collections(varCollections, "weights"), "kernel");
        var outputs = Ops.NN.Conv2D.Build(inputs, weights, strides.ToNhwc(), pad, dilation.ToNhwc(), "Conv2D");
        if (normalizer is null && bInit is not null)
        {
            var biases = ModelVariable("biases", new Shape(num_outputs), inputs.dtype, bInit, bReg, train, Kwargs.Collections(varCollections, "biases"), "bias");
            outputs = BiasAdd.Build(outputs, biases, "BiasAdd");
        }
        if (normalizer is not null) outputs = Normalize(normalizer, outputs, normalizerParams);
        if (activation is not null) outputs = activation(outputs);
        return CollectNamedOutputs(outCollections, sc.name, outputs);
    }

    private static Tensor Pool(Tensor inputs, Size2D kernel_size, Size2D? stride, string? padding, string? data_format, object? outputs_collections,
        string? scope, bool max)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var fn = max ? "max_pool2d" : "avg_pool2d";
        var a = ArgScopes.For(fn);
        var strides = a.Value(stride, "stride", (Size2D)2);
        var pad = Layers.LayerScope.Padding(a.Get(padding, "padding", "VALID")!);
        var format = a.Get(data_format, "data_format", "NHWC");
        var outCollections = a.Get<object>(outputs_collections, "outputs_collections", null);
        if (format is not (null or "NHWC" or "NCHW")) throw new ValueError("data_format has to be either NCHW or NHWC.");
        if (format == "NCHW") throw new ValueError($"{fn}: SharpFlow's pooling computes NHWC only; data_format='NCHW' is not supported");
        var graph = inputs.graph;
        using var ns = graph.name_scope(scope ?? (max ? "MaxPool2D" : "AvgPool2D"), out var sc);
        var outputs = max
            ? Ops.NN.MaxPool.Build(inputs, kernel_size.ToNhwc(), strides.ToNhwc(), pad, "MaxPool")
            : Ops.NN.AvgPool.Build(inputs, kernel_size.ToNhwc(), strides.ToNhwc(), pad, "AvgPool");
        return CollectNamedOutputs(outCollections, sc, outputs);
    }

    private static Tensor Flatten(Tensor inputs, object? outputs_collections, string? scope)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var a = ArgScopes.For("flatten");
        var outCollections = a.Get<object>(outputs_collections, "outputs_collections", null);
        using var ns = inputs.graph.name_scope(scope ?? "Flatten", out var sc);
        var s = inputs.shape;
        if (!s.IsKnownRank || s.ndims < 2) throw new ValueError($"Inputs must have a least 2 dimensions. Flatten: {inputs}");
        var rest = s.Dims[1..];
        Tensor outputs;
        if (rest.All(d => d >= 0)) outputs = Reshape.Build(inputs, new[] { -1, rest.Aggregate(1, (x, d) => checked(x * d)) }, "Reshape");
        else
        {
            var shape = Shape_.Build(inputs);
            outputs = Reshape.Build(inputs, Pack.Build(new TensorLike[] { shape[0], Prod.Build(Slice.Build(shape, new[] { 1 }, new[] { s.ndims - 1 })) }), "Reshape");
        }
        return CollectNamedOutputs(outCollections, sc, outputs);
    }

    private static Tensor Dropout(Tensor inputs, double? keep_prob, Shape? noise_shape, TensorLike? is_training, object? outputs_collections, string? scope, int? seed)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var a = ArgScopes.For("dropout");
        var keep = a.Value(keep_prob, "keep_prob", 0.5);
        var noise = a.Get<Shape>(noise_shape, "noise_shape", null);
        var training = a.Get<TensorLike?>(is_training, "is_training", true) ?? true;
        var outCollections = a.Get<object>(outputs_collections, "outputs_collections", null);
        var opSeed = a.Get<int?>(seed, "seed", null);
        if (!(keep > 0 && keep <= 1)) throw new ValueError($"rate must be a scalar tensor or a float in the range [0, 1), got {1 - keep}");
        using var sc = VariableScopes.Enter(scope, scope is null ? "Dropout" : null, null, null, null);
        var outputs = Layers.DropoutLayer.Apply(inputs, 1 - keep, training, noise, opSeed, "dropout");
        return CollectNamedOutputs(outCollections, sc.name, outputs);
    }

    private static Tensor BatchNorm(Tensor inputs, double? decay, bool? center, bool? scale, double? epsilon, Func<Tensor, Tensor>? activation_fn,
        IReadOnlyDictionary<string, Initializer>? param_initializers, string? updates_collections, TensorLike? is_training, Reuse? reuse,
        object? variables_collections, object? outputs_collections, bool? trainable, bool? fused, string? data_format, string? scope)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var a = ArgScopes.For("batch_norm");
        var momentum = a.Value(decay, "decay", 0.999);
        var useCenter = a.Value(center, "center", true);
        var useScale = a.Value(scale, "scale", false);
        var eps = a.Value(epsilon, "epsilon", 0.001);
        var activation = a.Get<Func<Tensor, Tensor>>(activation_fn, "activation_fn", null);
        var inits = a.Get<IReadOnlyDictionary<string, Initializer>>(param_initializers, "param_initializers", null);
        var updates = a.Get(updates_collections, "updates_collections", GraphKeys.UPDATE_OPS);
        var training = a.Get<TensorLike?>(is_training, "is_training", true) ?? true;
        var reuseMode = a.Get<Reuse?>(reuse, "reuse", null);
        var varCollections = a.Get<object>(variables_collections, "variables_collections", null);
        var outCollections = a.Get<object>(outputs_collections, "outputs_collections", null);
        var train = a.Value(trainable, "trainable", true);
        var useFused = a.Get<bool?>(fused, "fused", null) ?? true;
        var format = a.Get(data_format, "data_format", "NHWC");
        if (format is not (null or "NHWC" or "NCHW")) throw new ValueError("data_format has to be either NCHW or NHWC.");
        if (format == "NCHW") throw new ValueError("batch_norm: SharpFlow normalizes NHWC (channels last) only; data_format='NCHW' is not supported");
        if (!inputs.shape.IsKnownRank) throw new ValueError($"Inputs {inputs.name} has undefined rank.");
        var rank = inputs.shape.ndims;
        if (rank < 2) throw new ValueError($"Inputs {inputs.name} has undefined rank.");
        if (!inputs.dtype.is_floating) throw new TypeError($"batch_norm needs float inputs, got {inputs.dtype.name}: {inputs}");

        using var sc = VariableScopes.Enter(scope, scope is null ? "BatchNorm" : null, reuseMode, null, null);
        var channels = inputs.shape[rank - 1];
        if (channels < 0) throw new ValueError($"Inputs {inputs.name} has undefined last dimension {inputs.shape}.");
        var shape = new Shape(channels);
        var dtype = inputs.dtype;
        Initializer Init(string name, Initializer fallback) => inits is not null && inits.TryGetValue(name, out var i) ? i : fallback;
        var beta = useCenter ? ModelVariable("beta", shape, dtype, Init("beta", new ZerosInitializer()), null, train, Kwargs.Collections(varCollections, "beta"), "beta") : null;
        var gamma = useScale ? ModelVariable("gamma", shape, dtype, Init("gamma", new OnesInitializer()), null, train, Kwargs.Collections(varCollections, "gamma"), "gamma") : null;
        var movingMean = ModelVariable("moving_mean", shape, dtype, Init("moving_mean", new ZerosInitializer()), null, false,
            Kwargs.Collections(varCollections, "moving_mean"), "moving_mean");
        var movingVariance = ModelVariable("moving_variance", shape, dtype, Init("moving_variance", new OnesInitializer()), null, false,
            Kwargs.Collections(varCollections, "moving_variance"), "moving_variance");

        Tensor outputs;
        bool? fixedTraining = training.IsEmpty ? true : training.Value as bool?;
        // contrib's batch_norm hands a fusable 4-D input with the default UPDATE_OPS to tf.layers' BatchNormalization,
        // which is fused (fused=None means True there): one FusedBatchNormV3 per mode.
        if (useFused && rank == 4 && updates == GraphKeys.UPDATE_OPS && Layers.FusedBatchNormLayer.DataFormat(rank, -1, dtype) is { } fusedFormat)
            outputs = Layers.FusedBatchNormLayer.Apply(inputs, gamma, beta, movingMean, movingVariance, eps, momentum, training.IsEmpty ? true : training,
                fusedFormat, u => inputs.graph.add_to_collection(GraphKeys.UPDATE_OPS, u));
        else if (fixedTraining == false)
            outputs = Moments.Normalize(inputs, movingMean, movingVariance, beta, gamma, eps, "batchnorm");
        else
        {
            var axes = Enumerable.Range(0, rank - 1).ToArray();
            var (mean, variance) = Moments.Build(inputs, axes, keepDims: false, "moments");
            Tensor useMean = mean, useVariance = variance;
            TensorLike flag = true;
            if (fixedTraining is null)
            {
                var t = training.Value as Tensor ?? throw new TypeError($"is_training must be a bool or a bool tensor, got {training.Value}");
                if (t.dtype != DType.@bool) throw new TypeError($"is_training must be a bool or a bool tensor, got {t}");
                flag = t;
                useMean = Ops.Control.ControlFlowOps.SmartCond(t, () => mean, () => Identity.Build(movingMean), "cond");
                useVariance = Ops.Control.ControlFlowOps.SmartCond(t, () => variance, () => Identity.Build(movingVariance), "cond_1");
            }
            outputs = Moments.Normalize(inputs, useMean, useVariance, beta, gamma, eps, "batchnorm");
            Tensor target = variance;
            if (useFused && rank is 2 or 4)
            {
                // The fused kernel moves the moving variance towards the unbiased batch variance (n/(n-1)).
                var n = Cast.Build(Prod.Build(Slice.Build(Shape_.Build(inputs), new[] { 0 }, new[] { rank - 1 })), dtype);
                target = variance * (n / Maximum.Build(n - Const.Build(Literal.ToNDArray(1.0, dtype)), Const.Build(Literal.ToNDArray(1.0, dtype))));
            }
            var rateT = Const.Build(Literal.ToNDArray(1 - momentum, dtype), null, null, "decay");
            var updateMean = Ops.Control.ControlFlowOps.SmartCond(flag,
                () => AssignSub.Build(movingMean, (movingMean - mean) * rateT, name: "AssignMovingAvg"), () => Identity.Build(movingMean), "cond_2");
            var updateVariance = Ops.Control.ControlFlowOps.SmartCond(flag,
                () => AssignSub.Build(movingVariance, (movingVariance - target) * rateT, name: "AssignMovingAvg_1"), () => Identity.Build(movingVariance), "cond_3");
            if (updates is null)
            {
                using (GraphFunctions.ControlDependencies([updateMean, updateVariance])) outputs = Identity.Build(outputs);
            }
            else
            {
                inputs.graph.add_to_collection(updates, updateMean);
                inputs.graph.add_to_collection(updates, updateVariance);
            }
        }
        if (activation is not null) outputs = activation(outputs);
        return CollectNamedOutputs(outCollections, sc.name, outputs);
    }

    private static Tensor EmbedSequence(Tensor ids, int? vocab_size, int? embed_dim, bool? unique, Initializer? initializer, Regularizer? regularizer,
        bool? trainable, string? scope, Reuse? reuse)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var reusing = reuse is { IsSet: true };
        if (!(reusing || (vocab_size is > 0 && embed_dim is > 0)))
            throw new ValueError($"Must specify vocab size and embedding dimension when notreusing. Got vocab_size={Py(vocab_size)} and embed_dim={Py(embed_dim)}");
        if (ids.dtype != DType.int32 && ids.dtype != DType.int64) throw new TypeError($"embed_sequence needs int32 or int64 ids, got {ids.dtype.name}: {ids}");
        using var sc = VariableScopes.Enter(scope, scope is null ? "EmbedSequence" : null, reuse, null, null);
        Shape? shape = reusing && (vocab_size is null || embed_dim is null) ? null : new Shape(vocab_size!.Value, embed_dim!.Value);
        var embeddings = ModelVariable("embeddings", shape, DType.float32, initializer, regularizer, trainable ?? true, [], "embeddings");
        if (unique == true)
        {
            // embedding_lookup_unique: each distinct id is looked up once.
            var (values, idx) = Unique.Build(Reshape.Build(ids, new[] { -1 }));
            var rows = GatherV2.Build(Embedding.Lookup([embeddings], values, "mod", null, null), idx);
            var outShape = ConcatV2.Build([Shape_.Build(ids), Slice.Build(Shape_.Build(embeddings), new[] { 1 }, new[] { 1 })], 0);
            return Reshape.Build(rows, outShape);
        }
        return Embedding.Lookup([embeddings], ids, "mod", null, null);
    }

    private static string Py(int? v) => v?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "None";

    /// <summary>
    /// contrib's <c>model_variable</c>: <c>get_variable</c> with MODEL_VARIABLES added to the collections; the
    /// regularizer runs once, on a new variable, in the name scope <c>&lt;regularizerName&gt;/Regularizer</c>.
    /// </summary>
    public static Variable ModelVariable(string name, Shape? shape, DType dtype, Initializer? initializer, Regularizer? regularizer, bool trainable,
        IEnumerable<string> collections, string regularizerName)
    {
        var graph = Graph.get_default();
        var state = graph.BuilderState<VariableScopes.State>();
        var current = state.Current;
        var full = current.name.Length > 0 ? current.name + "/" + name : name;
        var existed = state.Variables.ContainsKey(full);
        var all = collections.Concat([GraphKeys.GLOBAL_VARIABLES, GraphKeys.MODEL_VARIABLES]).Distinct().ToList();
        var variable = VariableScopes.GetVariable(name, shape, dtype, initializer, trainable, all, true);
        if (!existed && regularizer is not null && !NoneType.Is(regularizer))
        {
            using var ns = graph.name_scope(regularizerName + "/Regularizer");
            if (regularizer(variable) is { } loss) graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss);
        }
        return variable;
    }

    private static Tensor Normalize(Delegate normalizer, Tensor outputs, IReadOnlyDictionary<string, object?>? parameters)
    {
        if (normalizer is Func<Tensor, Tensor> f && !ArgScopes.IsRegistered(normalizer))
        {
            if (parameters is { Count: > 0 }) throw new TypeError($"normalizer_fn takes one argument; normalizer_params has {string.Join(", ", parameters.Keys)}");
            return f(outputs);
        }
        var name = ArgScopes.IsRegistered(normalizer) ? ArgScopes.NameOf(normalizer) : normalizer.Method.Name;
        return (Tensor)Kwargs.Invoke(normalizer, [outputs], parameters, name)!;
    }

    /// <summary>contrib's <c>collect_named_outputs</c>: the output joins the collections with the alias.</summary>
    public static Tensor CollectNamedOutputs(object? collections, string alias, Tensor outputs)
    {
        var names = collections switch
        {
            null => [],
            string s => NoneType.Is(s) ? [] : [s],
            IEnumerable<string> list => list.ToList(),
            _ => throw new TypeError($"outputs_collections must be a collection name or a list of them, got {collections.GetType().Name}"),
        };
        if (names.Count == 0) return outputs;
        var list2 = Aliases.GetOrCreateValue(outputs);
        lock (list2) list2.Add(alias.EndsWith('/') ? alias[..^1] : alias);
        outputs.graph.add_to_collections(names, outputs);
        return outputs;
    }

    /// <summary>The aliases given to a tensor by <see cref="CollectNamedOutputs"/>.</summary>
    public static IReadOnlyList<string> AliasesOf(Tensor tensor)
    {
        if (!Aliases.TryGetValue(tensor, out var list)) return [];
        lock (list) return [.. list];
    }

    /// <summary>contrib's <c>convert_collection_to_dict</c>: alias → tensor, in collection order.</summary>
    public static Dictionary<string, Tensor> CollectionToDict(string collection, bool clearCollection = false)
    {
        var graph = Graph.get_default();
        var result = new Dictionary<string, Tensor>();
        foreach (var t in graph.get_collection(collection).OfType<Tensor>())
            foreach (var alias in AliasesOf(t)) result[alias] = t;
        if (clearCollection) graph.get_collection_ref(collection).Clear();
        return result;
    }

    /// <summary>slim's <c>repeat</c>: the layer applied <paramref name="repetitions"/> times, in scopes <c>name_1</c>, <c>name_2</c>...</summary>
    public static Tensor Repeat(Tensor inputs, int repetitions, Delegate layer, IReadOnlyList<object?> args, string? scope,
        IReadOnlyDictionary<string, object?>? kwargs = null)
    {
        ArgumentNullException.ThrowIfNull(layer);
        using var vs = VariableScopes.Enter(scope, scope is null ? "Repeat" : null, null, null, null);
        var name = scope ?? (ArgScopes.IsRegistered(layer) ? ArgScopes.NameOf(layer) : "repeat");
        var outputs = inputs;
        for (var i = 0; i < repetitions; i++)
        {
            var kw = kwargs is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(kwargs);
            kw["scope"] = $"{name}_{i + 1}";
            outputs = (Tensor)Kwargs.Invoke(layer, [outputs, .. args], kw, name)!;
        }
        return outputs;
    }

    /// <summary>slim's <c>stack</c>: the layer applied once per entry of <paramref name="stackArgs"/> (a value or a tuple of positional arguments).</summary>
    public static Tensor Stack(Tensor inputs, Delegate layer, IEnumerable<object?> stackArgs, string? scope, IReadOnlyDictionary<string, object?>? kwargs)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var entries = stackArgs?.ToList() ?? throw new ValueError("stack_args need to be a list or tuple");
        using var vs = VariableScopes.Enter(scope, scope is null ? "Stack" : null, null, null, null);
        var name = scope ?? (ArgScopes.IsRegistered(layer) ? ArgScopes.NameOf(layer) : "stack");
        var outputs = inputs;
        for (var i = 0; i < entries.Count; i++)
        {
            var kw = kwargs is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(kwargs);
            kw["scope"] = $"{name}_{i + 1}";
            var layerArgs = new List<object?> { outputs };
            if (entries[i] is ITuple tuple) for (var j = 0; j < tuple.Length; j++) layerArgs.Add(tuple[j]);
            else layerArgs.Add(entries[i]);
            outputs = (Tensor)Kwargs.Invoke(layer, layerArgs, kw, name)!;
        }
        return outputs;
    }
}
