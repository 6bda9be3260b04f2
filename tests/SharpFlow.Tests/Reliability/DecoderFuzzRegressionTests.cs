namespace SharpFlow.Tests.Reliability;

/// <summary>What the fuzz targets of the image decoders found, as the smallest inputs that show it.</summary>
public class DecoderFuzzRegressionTests
{
    /// <summary>Decodes <paramref name="bytes"/> on another thread and fails the test instead of hanging it.</summary>
    private static InvalidArgumentError DecodeFails(byte[] bytes, Func<Tensor, Tensor> decode)
    {
        var task = Task.Run(() =>
        {
            var graph = new Graph();
            using (graph.as_default())
            {
                var image = decode(tf.constant(new NDArray(new[] { bytes }, Shape.Scalar)));
                using var sess = tf.Session();
                return Assert.Throws<InvalidArgumentError>(() => sess.run(image));
            }
        });
        Assert.True(task.Wait(TimeSpan.FromSeconds(30)), "the decoder did not finish (a hang)");
        return task.Result;
    }

    [Fact]
    public void AJpegHeaderCutInsideAMarkerSegmentIsAnErrorNotAHang()
    {
        // Found by the jpeg target: SOI and the start of an APP0 (JFIF) segment claiming 16 bytes, 11 bytes in all.
        // stb_image's header reader, fed a stream, looked for the next marker past the end for ever.
        byte[] bytes = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00];
        foreach (var decode in new Func<Tensor, Tensor>[] { c => tf.image.decode_jpeg(c), c => tf.image.decode_image(c) })
        {
            var e = DecodeFails(bytes, decode);
            Assert.Contains("the JPEG data is truncated: the marker 0xE0 segment claims 16 bytes, past the end of the file", e.Message);
            Assert.Contains("Decode", e.NodeName);
        }
    }

    [Fact]
    public void AJpegWithoutAFrameHeaderIsAnError()
    {
        // SOI, then straight into a scan (SOS) with no SOF before it; and SOI with nothing after it.
        var e = DecodeFails([0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0xFF, 0xD9], c => tf.image.decode_jpeg(c));
        Assert.Contains("the JPEG has a scan before its frame header (SOF)", e.Message);
        e = DecodeFails([0xFF, 0xD8, 0xFF], c => tf.image.decode_jpeg(c));
        Assert.Contains("DecodeJpeg", e.NodeName);
    }
}
