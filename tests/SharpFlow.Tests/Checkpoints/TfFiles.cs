namespace SharpFlow.Tests.Checkpoints;

/// <summary>
/// The real files TensorFlow wrote (a linear-regression model as a checkpoint, a SavedModel and a frozen GraphDef):
/// the copy in the repository (tests/SharpFlow.Tests/TestData/tf-files, with its README naming the source and
/// licence), found by walking up from the test binary.
/// </summary>
internal static class TfFiles
{
    private static readonly Lazy<string> Root = new(() => TestData.Directory("tf-files"));

    /// <summary>A path under tf-files.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);

    /// <summary>The checkpoint prefix TensorFlow's Saver wrote.</summary>
    public static string CheckpointPrefix => Path("regression", "checkpoint", "model");

    /// <summary>The SavedModel's variables prefix.</summary>
    public static string SavedModelVariables => Path("regression", "saved_model", "variables", "variables");

    /// <summary>W and b as the frozen graph holds them (its Const nodes), read with the compiled GraphDef message.</summary>
    public static (float W, float B) FrozenValues()
    {
        var graph = Tensorflow.GraphDef.Parser.ParseFrom(File.ReadAllBytes(Path("regression", "graphdef", "frozen.pb")));
        float Value(string name)
        {
            var node = graph.Node.Single(n => n.Name == name);
            Assert.Equal("Const", node.Op);
            var tensor = node.Attr["value"].Tensor;
            Assert.Equal(Tensorflow.DataType.DtFloat, tensor.Dtype);
            return tensor.FloatVal.Single();
        }
        return (Value("W"), Value("b"));
    }
}

/// <summary>The test data committed under tests/SharpFlow.Tests/TestData, found by walking up from the test binary.</summary>
internal static class TestData
{
    /// <summary>The folder <paramref name="name"/> under TestData.</summary>
    public static string Directory(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "tests", "SharpFlow.Tests", "TestData", name);
            if (System.IO.Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException($"tests/SharpFlow.Tests/TestData/{name} was not found in the repository");
    }

    /// <summary>The file <paramref name="file"/> in the folder <paramref name="folder"/> under TestData.</summary>
    public static string File(string folder, string file)
    {
        var path = System.IO.Path.Combine(Directory(folder), file);
        return System.IO.File.Exists(path) ? path : throw new FileNotFoundException($"TestData/{folder}/{file}");
    }
}
