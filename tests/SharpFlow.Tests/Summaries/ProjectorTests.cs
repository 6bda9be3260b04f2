using SharpFlow.GraphIO;
using Projector = SharpFlow.Binding.tf.contrib.tensorboard.plugins.projector;

namespace SharpFlow.Tests.Summaries;

/// <summary><c>tf.contrib.tensorboard.plugins.projector</c> (TensorFlow's projector_api_test.py and more).</summary>
public sealed class ProjectorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-projector-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void VisualizeEmbeddingsWritesTheConfigTheProjectorReads()
    {
        // TensorFlow's testVisualizeEmbeddings: the file parses back to the same message.
        var config = Projector.ProjectorConfig();
        config.ModelCheckpointPath = "test";
        var emb1 = config.Embeddings.add();
        emb1.TensorName = "tensor1";
        emb1.MetadataPath = "metadata1";
        var writer = tf.summary.FileWriter(_dir);
        Projector.visualize_embeddings(writer, config);
        writer.close();
        var text = File.ReadAllText(Path.Combine(_dir, "projector_config.pbtxt"));
        Assert.Equal(config, TextFormat.Parse<Tensorflow.ProjectorConfig>(text));
        // Byte for byte what Python's text_format.MessageToString writes: fields in number order, two-space indents.
        Assert.Equal("model_checkpoint_path: \"test\"\nembeddings {\n  tensor_name: \"tensor1\"\n  metadata_path: \"metadata1\"\n}\n", text);
    }

    [Fact]
    public void ASpriteAndTensorShapeAreWrittenInFieldOrder()
    {
        var config = Projector.ProjectorConfig();
        var e = config.Embeddings.add();
        e.TensorName = "embedding/weights:0";
        e.TensorShape.AddRange([100u, 8u]);
        e.Sprite = Projector.SpriteMetadata();
        e.Sprite.ImagePath = "sprite.png";
        e.Sprite.SingleImageDim.AddRange([28u, 28u]);
        e.TensorPath = "values.tsv";
        config.ModelCheckpointDir = "ckpt";
        var writer = tf.summary.FileWriter(_dir);
        Projector.visualize_embeddings(writer, config);
        writer.close();
        Assert.Equal(
            "embeddings {\n  tensor_name: \"embedding/weights:0\"\n  tensor_shape: 100\n  tensor_shape: 8\n" +
            "  sprite {\n    image_path: \"sprite.png\"\n    single_image_dim: 28\n    single_image_dim: 28\n  }\n" +
            "  tensor_path: \"values.tsv\"\n}\nmodel_checkpoint_dir: \"ckpt\"\n",
            File.ReadAllText(Path.Combine(_dir, "projector_config.pbtxt")));
    }

    [Fact]
    public void TheProtoKeepsTensorBoardsFieldNumbers()
    {
        // tensorboard/plugins/projector/projector_config.proto: the numbers decide the bytes other readers see.
        var d = Tensorflow.EmbeddingInfo.Descriptor;
        Assert.Equal(
            [("tensor_name", 1), ("metadata_path", 2), ("bookmarks_path", 3), ("tensor_shape", 4), ("sprite", 5), ("tensor_path", 6)],
            d.Fields.InFieldNumberOrder().Select(f => (f.Name, f.FieldNumber)));
        Assert.Equal([("model_checkpoint_path", 1), ("embeddings", 2), ("model_checkpoint_dir", 3)],
            Tensorflow.ProjectorConfig.Descriptor.Fields.InFieldNumberOrder().Select(f => (f.Name, f.FieldNumber)));
        Assert.Equal([("image_path", 1), ("single_image_dim", 2)],
            Tensorflow.SpriteMetadata.Descriptor.Fields.InFieldNumberOrder().Select(f => (f.Name, f.FieldNumber)));
        Assert.Equal("tensorflow.ProjectorConfig", Tensorflow.ProjectorConfig.Descriptor.FullName);
    }

    [Fact]
    public void AWriterIsRequired()
    {
        Assert.Throws<ValueError>(() => Projector.visualize_embeddings(null!, Projector.ProjectorConfig()));
        Assert.Throws<ArgumentNullException>(() => Projector.visualize_embeddings(tf.summary.FileWriter(_dir), null!));
    }
}
