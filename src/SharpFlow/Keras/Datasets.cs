using SharpFlow.Data;

namespace SharpFlow.Keras;

/// <summary>
/// <c>tf.keras.datasets</c> from local files only (no download): the training and test images as uint8
/// <c>[n, 28, 28]</c> and labels as uint8 <c>[n]</c>, as Keras returns them.
/// </summary>
public static class Datasets
{
    /// <summary>
    /// Fashion-MNIST from the same places as <see cref="FashionMnist.read_data_sets"/> (a directory, then
    /// <c>SHARPFLOW_DATA</c>, then Debian's); without them the embedded sample of 2,000 training and 500 test images.
    /// </summary>
    public static ((NDArray x_train, NDArray y_train), (NDArray x_test, NDArray y_test)) fashion_mnist_load_data(string? directory = null)
    {
        var dir = FashionMnist.FindDirectory(directory);
        if (dir is not null) return FromDirectory(dir);
        FashionMnist.FallbackLog.WriteLine("SharpFlow: the full Fashion-MNIST was not found; tf.keras.datasets.fashion_mnist.load_data() returns the 2000-image sample embedded in SharpFlow.");
        return ((FashionMnist.ReadSample(MnistFiles.Names[0]), FashionMnist.ReadSample(MnistFiles.Names[1])),
            (FashionMnist.ReadSample(MnistFiles.Names[2]), FashionMnist.ReadSample(MnistFiles.Names[3])));
    }

    /// <summary>MNIST from <paramref name="directory"/> or <c>SHARPFLOW_DATA</c> (nothing is embedded for it).</summary>
    public static ((NDArray x_train, NDArray y_train), (NDArray x_test, NDArray y_test)) mnist_load_data(string? directory = null)
    {
        directory ??= Environment.GetEnvironmentVariable(FashionMnist.DirectoryVariable);
        if (string.IsNullOrEmpty(directory) || directory == FashionMnist.EmbeddedValue)
            throw new NotFoundError($"MNIST: no directory given and {FashionMnist.DirectoryVariable} does not name one (it needs {string.Join(", ", MnistFiles.Names)}, gzipped or not); SharpFlow downloads nothing");
        return FromDirectory(MnistFiles.Check(directory, "MNIST"));
    }

    private static ((NDArray, NDArray), (NDArray, NDArray)) FromDirectory(string dir)
    {
        var p = MnistFiles.Find(dir) ?? throw new NotFoundError($"{dir}: the MNIST-format files are missing");
        return ((Idx.Read(p[0]), Idx.Read(p[1])), (Idx.Read(p[2]), Idx.Read(p[3])));
    }
}

/// <summary><c>tf.keras.utils</c> and <c>tf.keras.preprocessing.sequence</c> helpers.</summary>
public static class KerasUtils
{
    /// <summary>Class ids to one-hot float32 rows (<c>num_classes</c>: the largest id + 1 by default).</summary>
    public static NDArray to_categorical(NDArray y, int? num_classes = null)
    {
        ArgumentNullException.ThrowIfNull(y);
        var ids = y.Cast(DType.int64).ToArray<long>();
        var n = ids.Length;
        var classes = num_classes ?? (n == 0 ? 0 : (int)ids.Max() + 1);
        var result = new float[n * classes];
        for (var i = 0; i < n; i++)
        {
            if (ids[i] < 0 || ids[i] >= classes) throw new ValueError($"index {ids[i]} is out of bounds for axis 1 with size {classes}");
            result[i * classes + ids[i]] = 1;
        }
        var dims = y.shape.Dims.ToList();
        if (dims.Count > 1 && dims[^1] == 1) dims.RemoveAt(dims.Count - 1);
        dims.Add(classes);
        return NDArray.FromFlat(result, new Shape([.. dims]));
    }

    /// <summary>
    /// Pads (or truncates) sequences to one length: <c>maxlen</c> or the longest; <c>padding</c> and
    /// <c>truncating</c> "pre" (default) or "post"; int32 <c>[n, maxlen]</c>.
    /// </summary>
    public static NDArray pad_sequences(IReadOnlyList<IReadOnlyList<int>> sequences, int? maxlen = null, string padding = "pre", string truncating = "pre", int value = 0)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (padding is not ("pre" or "post")) throw new ValueError($"Padding type \"{padding}\" not understood");
        if (truncating is not ("pre" or "post")) throw new ValueError($"Truncating type \"{truncating}\" not understood");
        var len = maxlen ?? (sequences.Count == 0 ? 0 : sequences.Max(s => s.Count));
        var result = new int[sequences.Count * len];
        Array.Fill(result, value);
        for (var i = 0; i < sequences.Count; i++)
        {
            var s = sequences[i];
            if (s.Count == 0) continue;
            var trunc = s.Count <= len ? s.ToArray() : truncating == "pre" ? s.Skip(s.Count - len).ToArray() : s.Take(len).ToArray();
            var offset = padding == "post" ? 0 : len - trunc.Length;
            trunc.CopyTo(result, i * len + offset);
        }
        return NDArray.FromFlat(result, new Shape(sequences.Count, len));
    }
}
