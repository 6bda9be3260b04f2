using System.Text.RegularExpressions;
using SharpFlow.Checkpoints;
using SharpFlow.GraphIO;

namespace SharpFlow.Tests.Examples;

public partial class ExamplesTests
{
    /// <summary>
    /// Chapter 11's projector programs: the sprite, the metadata, the config TensorBoard's projector reads and a
    /// checkpoint holding the embedding it names.
    /// </summary>
    [Fact, Example("11-projector.cs")]
    public void EmbeddingProjector()
    {
        var dir = Directory.CreateTempSubdirectory("sharpflow-example-projector-").FullName;
        try
        {
            var output = ExampleRunner.Run("11-projector.cs", TimeSpan.FromMinutes(5), "200", dir);
            var n = int.Parse(Regex.Match(output, @"\((\d+) test images\)").Groups[1].Value);
            var config = TextFormat.Parse<Tensorflow.ProjectorConfig>(File.ReadAllText(Path.Combine(dir, "projector_config.pbtxt")));
            var embedding = Assert.Single(config.Embeddings);
            Assert.Equal("FINAL_LOGITS:0", embedding.TensorName);
            Assert.Equal("mnist_meta.tsv", embedding.MetadataPath);
            Assert.Equal("mnist_sprite.jpg", embedding.Sprite.ImagePath);
            Assert.Equal([28u, 28u], embedding.Sprite.SingleImageDim);

            // The checkpoint beside it holds the embedding under the name the config gives (without ":0").
            Assert.Equal(new Shape(n, 10), new CheckpointReader(Path.Combine(dir, "model-200")).get_variable_to_shape_map()["FINAL_LOGITS"]);
            var meta = File.ReadAllLines(Path.Combine(dir, "mnist_meta.tsv"));
            Assert.Equal("Index\tLabel", meta[0]);
            Assert.Equal(n + 1, meta.Length);
            Assert.All(meta.Skip(1).Select((line, i) => (line, i)), p => Assert.Matches($"^{p.i}\t[0-9]$", p.line));

            // The sprite is a JPEG of ceil(sqrt(n)) images a side, 28 pixels each.
            var side = (int)Math.Ceiling(Math.Sqrt(n)) * 28;
            var jpeg = File.ReadAllBytes(Path.Combine(dir, "mnist_sprite.jpg"));
            Assert.Equal([0xFF, 0xD8], jpeg[..2]);
            Assert.Equal((side, side), JpegSize(jpeg));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A JPEG's width and height, read from its start-of-frame segment (SOF0–SOF2).</summary>
    private static (int Width, int Height) JpegSize(byte[] jpeg)
    {
        var i = 2;
        while (i + 9 < jpeg.Length && jpeg[i] == 0xFF)
        {
            var marker = jpeg[i + 1];
            var length = (jpeg[i + 2] << 8) | jpeg[i + 3];
            if (marker is >= 0xC0 and <= 0xC2) return ((jpeg[i + 7] << 8) | jpeg[i + 8], (jpeg[i + 5] << 8) | jpeg[i + 6]);
            i += 2 + length;
        }
        throw new InvalidDataException("no start-of-frame segment");
    }
}
