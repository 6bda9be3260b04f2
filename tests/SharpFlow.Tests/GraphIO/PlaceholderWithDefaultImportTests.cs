using System.Text;
using SharpFlow.GraphIO;
using SharpFlow.Tests.Support;
using Tf = Tensorflow;
using static SharpFlow.Binding;

namespace SharpFlow.Tests.GraphIO;

/// <summary>
/// Newer TensorFlow Savers write the checkpoint filename as a string <c>PlaceholderWithDefault</c>
/// (<c>save/filename/input</c> → <c>save/filename</c> → <c>save/Const</c>): such a MetaGraph imports, its default
/// runs, and its Saver restores by feeding the placeholder.
/// </summary>
public sealed class PlaceholderWithDefaultImportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-pwd-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void AStringPlaceholderWithDefaultFilenameImportsRunsAndRestores()
    {
        string prefix;
        using (var g = TestGraph.Enter())
        {
            var w = tf.Variable(new[] { 1f, 2f, 3f }, name: "w");
            using var sess = tf.Session();
            sess.run(tf.global_variables_initializer());
            sess.run(tf.assign(w, new[] { 7f, 8f, 9f }));
            prefix = new SharpFlow.Train.Saver().save(sess, Path.Combine(_dir, "model.ckpt"));
        }
        var meta = ProtoFiles.Read<Tf.MetaGraphDef>(prefix + ".meta");
        Assert.Equal("save/Const:0", meta.SaverDef.FilenameTensorName);
        // Rewrite save/Const as TensorFlow 1.15's Saver writes it.
        var nodes = meta.GraphDef.Node;
        var index = nodes.ToList().FindIndex(n => n.Name == "save/Const");
        var constant = nodes[index];
        Assert.Equal("Const", constant.Op);
        var input = constant.Clone();
        input.Name = "save/filename/input";
        var stringType = new Tf.AttrValue { Type = Tf.DataType.DtString };
        var scalar = new Tf.AttrValue { Shape = new Tf.TensorShapeProto() };
        var filename = new Tf.NodeDef { Name = "save/filename", Op = "PlaceholderWithDefault", Input = { "save/filename/input" } };
        filename.Attr["dtype"] = stringType;
        filename.Attr["shape"] = scalar;
        var replaced = new Tf.NodeDef { Name = "save/Const", Op = "PlaceholderWithDefault", Input = { "save/filename" } };
        replaced.Attr["dtype"] = stringType;
        replaced.Attr["shape"] = scalar;
        nodes[index] = replaced;
        nodes.Insert(index, filename);
        nodes.Insert(index, input);

        using (var g = TestGraph.Enter())
        {
            var saver = tf.train.import_meta_graph(meta)!;
            var filenameTensor = g.Graph.get_tensor_by_name("save/Const:0");
            Assert.Equal("PlaceholderWithDefault", filenameTensor.op.type);
            Assert.Equal(DType.@string, filenameTensor.dtype);
            Assert.Equal(Shape.Scalar, filenameTensor.shape);
            using var sess = tf.Session();
            Assert.Equal("model", Encoding.UTF8.GetString(sess.run(filenameTensor).StringBytes()));
            Assert.Equal("other", Encoding.UTF8.GetString(sess.run(filenameTensor, new FeedDict { [filenameTensor] = NDArray.FromStrings(["other"]) }).StringBytes()));
            saver.restore(sess, prefix);
            Assert.Equal(new[] { 7f, 8f, 9f }, sess.run(g.Graph.get_tensor_by_name("w:0")).ToArray<float>());
        }
    }
}
