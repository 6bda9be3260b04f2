using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using SharpFlow.Ops.Initializers;
using SharpFlow.Layers;
using KL = SharpFlow.Keras.Layers;

namespace SharpFlow.Keras.Engine;

/// <summary>
/// Keras's <c>get_config</c>/<c>from_config</c> and the JSON of <c>model.to_json()</c>: a layer's configuration is
/// its constructor's arguments by Keras's names (<c>units</c>, <c>activation</c>, <c>kernel_initializer</c> as
/// <c>{"class_name": "GlorotUniform", "config": {...}}</c>), read back from the layer and given again to the
/// same constructor to rebuild it. A functional model lists its layers with their <c>inbound_nodes</c>
/// (<c>[[layer, node_index, tensor_index, {}]]</c>) and its <c>input_layers</c>/<c>output_layers</c>; a Sequential
/// model lists its layers, the first with its <c>batch_input_shape</c>. <c>Lambda</c> layers (code) have no
/// configuration and are refused.
/// </summary>
public static class KerasSerialization
{
    /// <summary>The version string written in the JSON (TensorFlow 1.x's tf.keras).</summary>
    public const string KerasVersion = "2.2.4-tf";

    private static readonly Dictionary<string, Type> LayerTypes = typeof(KL.Dense).Assembly.GetTypes()
        .Where(t => t.IsPublic && !t.IsAbstract && typeof(Layer).IsAssignableFrom(t)
            && (t.Namespace == typeof(KL.Dense).Namespace || t == typeof(InputLayer)))
        .ToDictionary(t => t.Name, StringComparer.Ordinal);

    // ----- to JSON -----

    /// <summary><c>{"class_name": ..., "config": ...}</c> of a layer or model.</summary>
    public static JsonObject Serialize(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return new JsonObject { ["class_name"] = ClassName(layer), ["config"] = GetConfig(layer) };
    }

    /// <summary>Keras's class name of a layer (an RNN copy keeps its LSTM/GRU/SimpleRNN class).</summary>
    public static string ClassName(Layer layer) => layer switch
    {
        KL.RNN rnn => rnn.LayerClass,
        Sequential => "Sequential",
        Model => "Model",
        _ => layer.GetType().Name,
    };

    /// <summary>The layer's configuration (Keras's <c>get_config()</c>).</summary>
    public static JsonObject GetConfig(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        switch (layer)
        {
            case Sequential seq: return SequentialConfig(seq);
            case Model m when m.is_graph_network: return FunctionalConfig(m);
            case Model m: throw new NotImplementedException($"Model {m.name} is a subclassed model: its call is code, so it has no JSON configuration (save its weights instead).");
            case KL.Lambda: throw new NotImplementedException($"Layer {layer.name} is a Lambda layer: its function is code, so it cannot be written as JSON.");
            case InputLayer input:
                return new JsonObject
                {
                    ["batch_input_shape"] = ShapeJson(input.batch_input_shape!), ["dtype"] = input.dtype.ToString(), ["sparse"] = false, ["name"] = input.name,
                };
        }
        var config = new JsonObject { ["name"] = layer.name, ["trainable"] = layer.trainable };
        if (layer.batch_input_shape is { } bis)
        {
            config["batch_input_shape"] = ShapeJson(bis);
            config["dtype"] = layer.dtype.ToString();
        }
        if (layer is KL.Bidirectional bi)
        {
            var inner = Serialize(bi.forward_layer);
            inner["config"]!["name"] = bi.forward_layer.name["forward_".Length..];
            inner["config"]!["go_backwards"] = bi.forward_layer.go_backwards;
            config["layer"] = inner;
            config["merge_mode"] = bi.merge_mode;
            return config;
        }
        var ctor = MainConstructor(LayerTypes.GetValueOrDefault(ClassName(layer)) ?? layer.GetType());
        foreach (var p in ctor.GetParameters())
        {
            if (p.Name is "name" or "trainable" or "input_shape" || config.ContainsKey(p.Name!)) continue;
            if (!TryArgument(layer, p.Name!, out var value)) continue;
            config[p.Name!] = ToJson(value ?? KerasDefault(p.Name!));
        }
        return config;
    }

    /// <summary>Keras's default for an argument left null in the constructor (its initializers, the linear activation).</summary>
    private static object? KerasDefault(string param) => param switch
    {
        "activation" => ActivationSpec.Linear,
        "kernel_initializer" or "depthwise_initializer" or "pointwise_initializer" => (InitializerSpec)"glorot_uniform",
        "recurrent_initializer" => (InitializerSpec)"orthogonal",
        "embeddings_initializer" => (InitializerSpec)"uniform",
        "bias_initializer" or "beta_initializer" or "moving_mean_initializer" => (InitializerSpec)"zeros",
        "gamma_initializer" or "moving_variance_initializer" => (InitializerSpec)"ones",
        _ => null,
    };

    private static JsonArray ShapeJson(IEnumerable<int> dims) => new([.. dims.Select(d => d < 0 ? null : (JsonNode)JsonValue.Create(d))]);

    private static JsonObject SequentialConfig(Sequential seq)
    {
        var layers = new JsonArray();
        var first = true;
        foreach (var l in seq.layers)
        {
            var s = Serialize(l);
            if (first && seq.HasIO && !s["config"]!.AsObject().ContainsKey("batch_input_shape") && l is not Model)
            {
                s["config"]!["batch_input_shape"] = ShapeJson(seq.inputs[0].shape.Dims);
                s["config"]!["dtype"] = seq.inputs[0].dtype.ToString();
            }
            first = false;
            layers.Add(s);
        }
        return new JsonObject { ["name"] = seq.name, ["layers"] = layers };
    }

    private static JsonObject FunctionalConfig(Model model)
    {
        var nodes = new HashSet<Node>(model.NodesInRunOrder);
        int NodeIndex(Node node) => node.outbound_layer.inbound_nodes.Where(n => nodes.Contains(n) || n.outbound_layer is InputLayer).ToList().IndexOf(node);
        JsonArray Ref(Tensor t)
        {
            var h = Node.History(t)!;
            return new JsonArray(h.Node.outbound_layer.name, Math.Max(0, NodeIndex(h.Node)), h.TensorIndex);
        }
        var layers = new JsonArray();
        foreach (var layer in model.layers)
        {
            var inbound = new JsonArray();
            foreach (var node in layer.inbound_nodes.Where(nodes.Contains))
            {
                if (node.input_tensors.Count == 0) continue;
                var refs = new JsonArray();
                foreach (var t in node.input_tensors)
                {
                    var r = Ref(t);
                    r.Add(new JsonObject());
                    refs.Add(r);
                }
                inbound.Add(refs);
            }
            layers.Add(new JsonObject { ["name"] = layer.name, ["class_name"] = ClassName(layer), ["config"] = GetConfig(layer), ["inbound_nodes"] = inbound });
        }
        return new JsonObject
        {
            ["name"] = model.name,
            ["layers"] = layers,
            ["input_layers"] = new JsonArray([.. model.inputs.Select(t => (JsonNode)Ref(t))]),
            ["output_layers"] = new JsonArray([.. model.outputs.Select(t => (JsonNode)Ref(t))]),
        };
    }

    private static ConstructorInfo MainConstructor(Type type) =>
        type.GetConstructors(BindingFlags.Public | BindingFlags.Instance).OrderByDescending(c => c.GetParameters().Length).First();

    /// <summary>A constructor argument read back: a public property, the primary constructor's captured parameter, or <c>_name</c>.</summary>
    private static bool TryArgument(object obj, string param, out object? value)
    {
        for (var t = obj.GetType(); t is not null && t != typeof(object); t = t.BaseType)
        {
            var prop = t.GetProperty(param, BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly);
            if (prop is not null && prop.GetIndexParameters().Length == 0 && !typeof(Variable).IsAssignableFrom(prop.PropertyType))
            {
                value = prop.GetValue(obj);
                return true;
            }
            var field = t.GetField($"<{param}>P", BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                ?? t.GetField("_" + param, BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly);
            if (field is not null && !typeof(Variable).IsAssignableFrom(field.FieldType))
            {
                value = field.GetValue(obj);
                return true;
            }
        }
        if (obj is KL.RNN rnn) return TryArgument(rnn.cell, param, out value);
        value = null;
        return false;
    }

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        bool b => b,
        int i => i,
        long l => l,
        double d => d,
        float f => (double)f,
        string s => s,
        int[] a => new JsonArray([.. a.Select(v => (JsonNode)v)]),
        Size2D s => new JsonArray(s.Height, s.Width),
        KL.Size3D s => new JsonArray(s.Depth, s.Height, s.Width),
        ValueTuple<int, int, int, int> c => new JsonArray(new JsonArray(c.Item1, c.Item2), new JsonArray(c.Item3, c.Item4)),
        DType dt => dt.ToString(),
        ActivationSpec a => a.Name,
        InitializerSpec i => InitializerJson(i.Initializer),
        Initializer i => InitializerJson(i),
        KerasRegularizer r => new JsonObject { ["class_name"] = "L1L2", ["config"] = new JsonObject { ["l1"] = r.l1, ["l2"] = r.l2 } },
        KerasConstraint c => new JsonObject { ["class_name"] = c.class_name, ["config"] = c.get_config() },
        Layer l => Serialize(l),
        _ => throw new NotImplementedException($"Cannot write a {value.GetType().Name} in a Keras configuration."),
    };

    private static JsonObject InitializerJson(Initializer init)
    {
        var name = init.GetType().Name;
        if (name.EndsWith("Initializer", StringComparison.Ordinal)) name = name[..^"Initializer".Length];
        var config = new JsonObject();
        foreach (var prop in init.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            if (prop.Name != "dtype" && (prop.PropertyType == typeof(double) || prop.PropertyType == typeof(double?) || prop.PropertyType == typeof(int?) || prop.PropertyType == typeof(string)))
                config[prop.Name] = ToJson(prop.GetValue(init));
        return new JsonObject { ["class_name"] = name, ["config"] = config };
    }

    // ----- from JSON -----

    /// <summary>A layer or model from <c>{"class_name", "config"}</c> (Keras's <c>deserialize</c>).</summary>
    public static Layer Deserialize(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var className = (string?)node["class_name"] ?? throw new ValueError("A Keras configuration needs a class_name.");
        var config = node["config"]?.AsObject() ?? throw new ValueError($"The configuration of {className} has no config.");
        return FromConfig(className, config);
    }

    /// <summary>A layer of Keras class <paramref name="className"/> from its configuration.</summary>
    public static Layer FromConfig(string className, JsonObject config)
    {
        ArgumentNullException.ThrowIfNull(config);
        switch (className)
        {
            case "Sequential": return SequentialFromConfig(config);
            case "Model": return FunctionalFromConfig(config);
            case "InputLayer":
                return new InputLayer(batch_input_shape: Dims(config["batch_input_shape"]!), dtype: DTypeOf(config["dtype"]), name: (string?)config["name"]);
            case "Bidirectional":
            {
                var inner = (KL.RNN)Deserialize(config["layer"]!);
                return new KL.Bidirectional(inner, (string?)config["merge_mode"], input_shape: InputShape(config), name: (string?)config["name"]);
            }
        }
        if (!LayerTypes.TryGetValue(className, out var type))
            throw new ValueError($"Unknown layer: {className}");
        var ctor = MainConstructor(type);
        var args = ctor.GetParameters().Select(p => p.Name switch
        {
            "input_shape" => InputShape(config),
            _ when config.TryGetPropertyValue(p.Name!, out var v) => FromJson(v, p.ParameterType, className, p.Name!),
            _ => p.HasDefaultValue ? p.DefaultValue : throw new ValueError($"The configuration of {className} lacks its argument {p.Name}."),
        }).ToArray();
        var layer = (Layer)ctor.Invoke(args);
        if (layer.batch_input_shape is null && config["batch_input_shape"] is { } bis) layer.SetBatchInputShape(Dims(bis));
        return layer;
    }

    private static int[]? InputShape(JsonObject config) =>
        config["batch_input_shape"] is { } b ? Dims(b)[1..] : null;

    private static int[] Dims(JsonNode node) => [.. node.AsArray().Select(d => d is null ? -1 : (int)d)];

    private static DType? DTypeOf(JsonNode? node) => node is null ? null : DType.Parse((string)node!);

    private static object? FromJson(JsonNode? v, Type type, string className, string param)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (v is null) return null;
        if (target == typeof(int)) return (int)v;
        if (target == typeof(long)) return (long)v;
        if (target == typeof(double)) return (double)v;
        if (target == typeof(bool)) return (bool)v;
        if (target == typeof(string)) return (string?)v;
        if (target == typeof(int[])) return Dims(v);
        if (target == typeof(Size2D)) return v is JsonArray a ? new Size2D((int)a[0]!, (int)a[1]!) : new Size2D((int)v, (int)v);
        if (target == typeof(KL.Size3D)) return v is JsonArray a3 ? new KL.Size3D((int)a3[0]!, (int)a3[1]!, (int)a3[2]!) : (KL.Size3D)(int)v;
        if (target == typeof(ValueTuple<int, int, int, int>))
        {
            var a = v.AsArray();
            return ((int)a[0]![0]!, (int)a[0]![1]!, (int)a[1]![0]!, (int)a[1]![1]!);
        }
        if (target == typeof(DType)) return DType.Parse((string)v!);
        if (target == typeof(ActivationSpec)) return ActivationSpec.Get((string?)v);
        if (target == typeof(InitializerSpec)) return (InitializerSpec)InitializerFromJson(v.AsObject());
        if (target == typeof(KerasConstraint)) return KerasConstraint.FromJson(v.AsObject());
        if (target == typeof(KerasRegularizer))
            return new KerasRegularizer((double?)v["config"]?["l1"] ?? 0, (double?)v["config"]?["l2"] ?? 0);
        if (typeof(Layer).IsAssignableFrom(target)) return Deserialize(v);
        throw new ValueError($"Cannot read the argument {param} of {className} ({type.Name}) from JSON.");
    }

    private static Initializer InitializerFromJson(JsonObject node)
    {
        var name = (string?)node["class_name"];
        var c = node["config"] as JsonObject ?? [];
        double D(string key, double fallback) => c[key] is { } n ? (double)n : fallback;
        int? Seed() => c["seed"] is { } n ? (int)n : null;
        return name switch
        {
            "GlorotUniform" => new GlorotUniformInitializer(Seed()),
            "GlorotNormal" => new GlorotNormalInitializer(Seed()),
            "Zeros" => new ZerosInitializer(),
            "Ones" => new OnesInitializer(),
            "Constant" => new ConstantInitializer(D("value", 0)),
            "RandomUniform" => new RandomUniformInitializer(D("minval", -0.05), D("maxval", 0.05), Seed()),
            "RandomNormal" => new RandomNormalInitializer(D("mean", 0), D("stddev", 0.05), Seed()),
            "TruncatedNormal" => new TruncatedNormalInitializer(D("mean", 0), D("stddev", 0.05), Seed()),
            "VarianceScaling" => new VarianceScalingInitializer(D("scale", 1), (string?)c["mode"] ?? "fan_in", (string?)c["distribution"] ?? "truncated_normal", Seed()),
            "Orthogonal" => new Initializers.Orthogonal(D("gain", 1), Seed()),
            _ => throw new ValueError($"Unknown initializer: {name}"),
        };
    }

    private static Sequential SequentialFromConfig(JsonObject config)
    {
        var model = new Sequential(name: (string?)config["name"]);
        foreach (var l in config["layers"]!.AsArray()) model.add(Deserialize(l!));
        return model;
    }

    private static Model FunctionalFromConfig(JsonObject config)
    {
        var created = new Dictionary<string, Layer>(StringComparer.Ordinal);
        var pending = new List<(Layer Layer, JsonArray Node)>();
        foreach (var l in config["layers"]!.AsArray())
        {
            var layer = FromConfig((string)l!["class_name"]!, l["config"]!.AsObject());
            created[(string)l["name"]!] = layer;
            foreach (var n in l["inbound_nodes"]?.AsArray() ?? []) pending.Add((layer, n!.AsArray()));
        }
        Tensor? Lookup(JsonNode r)
        {
            var layer = created[(string)r[0]!];
            var ni = (int)r[1]!;
            return ni < layer.inbound_nodes.Count ? layer.inbound_nodes[ni].output_tensors[(int)r[2]!] : null;
        }
        while (pending.Count > 0)
        {
            var progress = false;
            for (var i = 0; i < pending.Count; i++)
            {
                var (layer, node) = pending[i];
                var ins = node.Select(r => Lookup(r!)).ToArray();
                if (ins.Any(t => t is null)) continue;
                layer.Apply(ins!);
                pending.RemoveAt(i--);
                progress = true;
            }
            if (!progress) throw new ValueError("The model's configuration has nodes whose inputs are never made (a cycle or a missing layer).");
        }
        var inputs = config["input_layers"]!.AsArray().Select(r => Lookup(r!)!).ToArray();
        var outputs = config["output_layers"]!.AsArray().Select(r => Lookup(r!)!).ToArray();
        return new Model(inputs, outputs, (string?)config["name"]);
    }

    // ----- whole documents -----

    /// <summary><c>model.to_json()</c>: <c>{"class_name", "config", "keras_version", "backend"}</c>.</summary>
    public static string ToJson(Model model, bool indent = false)
    {
        var doc = Serialize(model);
        doc["keras_version"] = KerasVersion;
        doc["backend"] = "tensorflow";
        return doc.ToJsonString(new JsonSerializerOptions { WriteIndented = indent });
    }

    /// <summary><c>tf.keras.models.model_from_json(json)</c>: the model rebuilt in the default graph (new, initialized weights).</summary>
    public static Model ModelFromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var node = JsonNode.Parse(json) ?? throw new ValueError("Empty model JSON.");
        return Deserialize(node) as Model ?? throw new ValueError($"The JSON describes a {(string?)node["class_name"]}, not a model.");
    }

    internal static JsonObject OptimizerConfig(KerasOptimizer optimizer)
    {
        var config = new JsonObject();
        foreach (var p in MainConstructor(optimizer.GetType()).GetParameters())
            if (TryArgument(optimizer, p.Name!, out var v)) config[p.Name!] = ToJson(v);
        return new JsonObject { ["class_name"] = optimizer.GetType().Name, ["config"] = config };
    }

    internal static KerasOptimizer OptimizerFromConfig(JsonObject node)
    {
        var name = (string?)node["class_name"];
        var type = typeof(KerasOptimizer).Assembly.GetTypes().FirstOrDefault(t => t.Name == name && typeof(KerasOptimizer).IsAssignableFrom(t) && !t.IsAbstract && t != typeof(TFOptimizer))
            ?? throw new ValueError($"Unknown optimizer: {name}");
        var config = node["config"] as JsonObject ?? [];
        var ctor = MainConstructor(type);
        var args = ctor.GetParameters().Select(p => config.TryGetPropertyValue(p.Name!, out var v) ? FromJson(v, p.ParameterType, name!, p.Name!) : p.DefaultValue).ToArray();
        return (KerasOptimizer)ctor.Invoke(args);
    }

    internal static string Invariant(double d) => d.ToString(CultureInfo.InvariantCulture);
}
