using System.Text.Json.Nodes;
using PureHDF;

namespace SharpFlow.Keras.Engine;

/// <summary>
/// Keras's HDF5 files (keras/engine/saving.py of Keras 2.2.4 / tf.keras 1.15), read and written through PureHDF, a
/// managed HDF5 library: <c>save_weights_to_hdf5_group</c> / <c>load_weights_from_hdf5_group(_by_name)</c> and the
/// whole-model file of <c>save_model</c> / <c>load_model</c>.
/// </summary>
internal static class KerasHdf5
{
    private static readonly byte[] Signature = [0x89, (byte)'H', (byte)'D', (byte)'F', (byte)'\r', (byte)'\n', 0x1a, (byte)'\n'];

    /// <summary>Whether <paramref name="filepath"/> names an HDF5 file: tf.keras's extensions (.h5, .hdf5, .keras), or an existing file starting with HDF5's signature.</summary>
    internal static bool IsHdf5Path(string filepath)
    {
        var ext = Path.GetExtension(filepath).ToLowerInvariant();
        if (ext is ".h5" or ".hdf5" or ".keras") return true;
        if (!File.Exists(filepath)) return false;
        var head = new byte[8];
        using var s = File.OpenRead(filepath);
        return s.Read(head, 0, 8) == 8 && head.AsSpan().SequenceEqual(Signature);
    }

    /// <summary><c>save_weights_to_hdf5_group(f, layers)</c>: attributes layer_names, backend, keras_version; a group per layer with weight_names and a dataset per weight at the path of its name.</summary>
    internal static void SaveWeightsToGroup(H5Group f, IReadOnlyList<Layer> layers)
    {
        f.Attributes["layer_names"] = layers.Select(l => l.name).ToArray();
        f.Attributes["backend"] = "tensorflow";
        f.Attributes["keras_version"] = KerasSerialization.KerasVersion;
        var all = layers.SelectMany(l => l.weights).ToList();
        var values = all.Count == 0 ? [] : Backend.get_session().run(all.Cast<Tensor>().ToList());
        var k = 0;
        foreach (var layer in layers)
        {
            var g = new H5Group();
            f[layer.name] = g;
            var names = layer.weights.Select(w => w.name).ToArray();
            // Keras writes np.asarray([]) (an empty float64 array) for a layer without weights.
            g.Attributes["weight_names"] = names.Length == 0 ? Array.Empty<double>() : names;
            foreach (var name in names)
            {
                var value = values[k++];
                var parts = name.Split('/');
                var parent = g;
                foreach (var part in parts[..^1])
                {
                    if (!parent.TryGetValue(part, out var child)) parent[part] = child = new H5Group();
                    parent = (H5Group)child;
                }
                parent[parts[^1]] = new H5Dataset(FlatData(value), fileDims: [.. value.shape.Dims.Select(d => (ulong)d)]);
            }
        }
    }

    private static Array FlatData(NDArray value) =>
        value.dtype == DType.float64 ? value.ToArray<double>()
        : value.dtype == DType.int32 ? value.ToArray<int>()
        : value.dtype == DType.int64 ? value.ToArray<long>()
        : value.ToArray<float>();

    /// <summary>An attribute holding a list of strings, joined from Keras's chunks (<c>name0</c>, <c>name1</c>, ...) when it was split for HDF5's 64 KB header limit.</summary>
    internal static string[] ReadStrings(IH5Object obj, string name)
    {
        if (obj.AttributeExists(name)) return ReadStringAttribute(obj.Attribute(name));
        var result = new List<string>();
        for (var i = 0; obj.AttributeExists(name + i); i++) result.AddRange(ReadStringAttribute(obj.Attribute(name + i)));
        return [.. result];
    }

    private static string[] ReadStringAttribute(IH5Attribute a)
    {
        if (a.Type.Class != H5DataTypeClass.String && a.Type.Class != H5DataTypeClass.VariableLength) return []; // np.asarray([])
        if (a.Space.Type == H5DataspaceType.Scalar) return [a.Read<string>()];
        return [.. a.Read<string[]>().Select(s => s.TrimEnd('\0'))];
    }

    /// <summary>A scalar string attribute (model_config, training_config), or null when absent.</summary>
    internal static string? ReadString(IH5Object obj, string name)
    {
        if (!obj.AttributeExists(name)) return null;
        var values = ReadStringAttribute(obj.Attribute(name));
        return values.Length == 0 ? null : values[0];
    }

    /// <summary>The group holding the weights: the file itself (save_weights), or its model_weights group (a whole-model file).</summary>
    internal static IH5Group WeightsRoot(IH5Group file) =>
        !file.AttributeExists("layer_names") && !file.AttributeExists("layer_names0") && file.LinkExists("model_weights") ? file.Group("model_weights") : file;

    private static NDArray ReadDataset(IH5Dataset ds)
    {
        var dims = new Shape([.. ds.Space.Dimensions.Select(d => (int)d)]);
        var type = ds.Type;
        return (type.Class, type.Size) switch
        {
            (H5DataTypeClass.FloatingPoint, 8) => NDArray.FromFlat(ds.Read<double[]>(), dims),
            (H5DataTypeClass.FloatingPoint, 4) => NDArray.FromFlat(ds.Read<float[]>(), dims),
            (H5DataTypeClass.FixedPoint, 8) => NDArray.FromFlat(ds.Read<long[]>(), dims),
            (H5DataTypeClass.FixedPoint, 4) => NDArray.FromFlat(ds.Read<int[]>(), dims),
            _ => throw new ValueError($"Unsupported HDF5 weight type {type.Class} of {type.Size} bytes in dataset {ds.Name}."),
        };
    }

    private static List<NDArray> LayerWeights(IH5Group g) =>
        [.. ReadStrings(g, "weight_names").Select(n => ReadDataset(g.Dataset(n)))];

    /// <summary><c>load_weights_from_hdf5_group(f, layers)</c> (by order of the layers with weights), or with <paramref name="byName"/> <c>load_weights_from_hdf5_group_by_name</c>.</summary>
    internal static void LoadWeightsFromGroup(IH5Group f, IReadOnlyList<Layer> layers, bool byName, bool skipMismatch = false)
    {
        var layerNames = ReadStrings(f, "layer_names");
        var pairs = new List<(Variable, NDArray)>();
        if (byName)
        {
            for (var k = 0; k < layerNames.Length; k++)
            {
                var values = LayerWeights(f.Group(layerNames[k]));
                foreach (var layer in layers.Where(l => l.name == layerNames[k]))
                {
                    var symbolic = layer.weights.ToList();
                    if (symbolic.Count != values.Count)
                    {
                        if (skipMismatch) continue;
                        throw new ValueError($"Layer #{k} (named \"{layer.name}\") expects {symbolic.Count} weight(s), but the saved weights have {values.Count} element(s).");
                    }
                    for (var i = 0; i < values.Count; i++)
                    {
                        if (!values[i].shape.Equals(symbolic[i].shape))
                        {
                            if (skipMismatch) continue;
                            throw new ValueError($"Layer #{k} (named \"{layer.name}\"), weight {symbolic[i]} has shape {symbolic[i].shape}, but the saved weight has shape {values[i].shape}.");
                        }
                        pairs.Add((symbolic[i], Convert(values[i], symbolic[i])));
                    }
                }
            }
            Backend.batch_set_value(pairs);
            return;
        }
        var filteredLayers = layers.Where(l => l.weights.Count > 0).ToList();
        var filteredNames = layerNames.Where(n => ReadStrings(f.Group(n), "weight_names").Length > 0).ToList();
        if (filteredNames.Count != filteredLayers.Count)
            throw new ValueError($"You are trying to load a weight file containing {filteredNames.Count} layers into a model with {filteredLayers.Count} layers.");
        for (var k = 0; k < filteredNames.Count; k++)
        {
            var layer = filteredLayers[k];
            var symbolic = layer.weights.ToList();
            var values = LayerWeights(f.Group(filteredNames[k]));
            if (values.Count != symbolic.Count)
                throw new ValueError($"Layer #{k} (named \"{layer.name}\" in the current model) was found to correspond to layer {filteredNames[k]} in the save file. "
                    + $"However the new layer {layer.name} expects {symbolic.Count} weights, but the saved weights have {values.Count} elements.");
            for (var i = 0; i < values.Count; i++)
            {
                if (!values[i].shape.Equals(symbolic[i].shape))
                    throw new InvalidArgumentError($"Assign requires shapes of both tensors to match. lhs shape= {symbolic[i].shape} rhs shape= {values[i].shape} (weight {symbolic[i].name} of layer {layer.name}, from layer {filteredNames[k]} of the file)");
                pairs.Add((symbolic[i], Convert(values[i], symbolic[i])));
            }
        }
        Backend.batch_set_value(pairs);
    }

    private static NDArray Convert(NDArray value, Variable w) => value.dtype == w.dtype.base_dtype ? value : value.Cast(w.dtype.base_dtype);

    /// <summary>The training_config attribute's document, as Keras writes it.</summary>
    internal static JsonObject? TrainingConfigForHdf5(JsonObject? config)
    {
        if (config is null) return null;
        config["sample_weight_mode"] = null;
        return config;
    }
}
