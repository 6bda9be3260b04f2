namespace SharpFlow.Tests.Ops.Image;

/// <summary>
/// Flips, rotations, crops and pads (python/ops/image_ops_impl.py's rules, expected values from image_ops_test.py),
/// their random forms, total_variation, non_max_suppression (non_max_suppression_op_test.py's clusters),
/// draw_bounding_boxes and sample_distorted_bounding_box.
/// </summary>
public class GeometryAndBoxTests
{
    private static Tensor Grid(int h, int w, int c = 1) =>
        tf.constant(NDArray.FromFlat(Enumerable.Range(1, h * w * c).Select(v => (float)v).ToArray(), new Shape(h, w, c)));

    [Fact]
    public void FlipsTransposeAndRotations()
    {
        using var g = TestGraph.Enter();
        var x = Grid(2, 3); // [[1 2 3] [4 5 6]]
        AssertArray.Equal(new float[] { 3, 2, 1, 6, 5, 4 }, g.Eval(tf.image.flip_left_right(x)));
        AssertArray.Equal(new float[] { 4, 5, 6, 1, 2, 3 }, g.Eval(tf.image.flip_up_down(x)));
        AssertArray.Equal(new float[] { 1, 4, 2, 5, 3, 6 }, g.Eval(tf.image.transpose_image(x)));
        AssertArray.Equal(new float[] { 3, 6, 2, 5, 1, 4 }, g.Eval(tf.image.rot90(x)));
        AssertArray.Equal(new float[] { 6, 5, 4, 3, 2, 1 }, g.Eval(tf.image.rot90(x, 2)));
        AssertArray.Equal(new float[] { 4, 1, 5, 2, 6, 3 }, g.Eval(tf.image.rot90(x, 3)));
        AssertArray.Equal(new float[] { 4, 1, 5, 2, 6, 3 }, g.Eval(tf.image.rot90(x, -1)));
        Assert.Equal(new Shape(3, 2, 1), tf.image.rot90(x).shape);
        var batch = tf.stack(new[] { x, x * 10f });
        AssertArray.Equal(new float[] { 3, 2, 1, 6, 5, 4, 30, 20, 10, 60, 50, 40 }, g.Eval(tf.image.flip_left_right(batch)));
        Assert.Equal(new Shape(2, 3, 2, 1), tf.image.rot90(batch).shape);
        Assert.Equal(g.Eval(tf.image.rot90(x)).ToArray<float>(), g.Eval(tf.image.rot90(batch)).ToArray<float>()[..6]);
        Assert.Throws<ValueError>(() => tf.image.flip_left_right(tf.zeros(new Shape(2, 2))));
    }

    [Fact]
    public void RandomFlipsAreSeededAndFlipEachImageOfABatchOnItsOwn()
    {
        float[][] Draw(int runs)
        {
            using var g = TestGraph.Enter();
            var flip = tf.image.random_flip_left_right(Grid(1, 3), seed: 7);
            using var sess = tf.Session();
            return Enumerable.Range(0, runs).Select(_ => sess.run(flip).ToArray<float>()).ToArray();
        }
        var (a, b) = (Draw(40), Draw(40));
        for (var i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i]);
        Assert.Contains(a, v => v[0] == 1);
        Assert.Contains(a, v => v[0] == 3);
        Assert.All(a, v => Assert.True(v.SequenceEqual(new float[] { 1, 2, 3 }) || v.SequenceEqual(new float[] { 3, 2, 1 })));

        using var g2 = TestGraph.Enter();
        var batch = tf.tile(tf.expand_dims(Grid(2, 1), 0), new[] { 64, 1, 1, 1 });
        var flipped = g2.Eval(tf.image.random_flip_up_down(batch, seed: 3)).ToArray<float>();
        var ups = Enumerable.Range(0, 64).Count(i => flipped[i * 2] == 2);
        Assert.InRange(ups, 10, 54);
        Assert.All(Enumerable.Range(0, 64), i => Assert.Equal(3, flipped[i * 2] + flipped[i * 2 + 1]));
    }

    [Fact]
    public void CropOrPadAsImageOpsTest()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }, shape: new Shape(2, 4, 1));
        AssertArray.Equal(new float[] { 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0 }, g.Eval(tf.image.resize_image_with_crop_or_pad(x, 4, 4)));
        AssertArray.Equal(new float[] { 2, 3, 6, 7 }, g.Eval(tf.image.resize_image_with_crop_or_pad(x, 2, 2)));
        AssertArray.Equal(new float[] { 1, 2, 3, 5, 6, 7 }, g.Eval(tf.image.resize_image_with_crop_or_pad(x, 2, 3)));
        AssertArray.Equal(new float[] { 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0 }, g.Eval(tf.image.resize_image_with_crop_or_pad(x, 5, 4)));
        AssertArray.Equal(new float[] { 0, 1, 2, 3, 4, 0, 0, 5, 6, 7, 8, 0 }, g.Eval(tf.image.resize_image_with_crop_or_pad(x, 2, 6)));
        Assert.Contains("target_width must be > 0", Assert.Throws<ValueError>(() => tf.image.resize_image_with_crop_or_pad(x, 2, 0)).Message);
    }

    [Fact]
    public void CropOrPadWorksOnImagesOfRunTimeSize()
    {
        using var g = TestGraph.Enter();
        var image = tf.placeholder(tf.float32, new Shape(-1, -1, 1));
        var fixedSize = tf.image.resize_image_with_crop_or_pad(image, 4, 4);
        Assert.Equal(new Shape(4, 4, 1), fixedSize.shape);
        var feed = new FeedDict { [image] = NDArray.FromFlat(new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }, new Shape(2, 4, 1)) };
        AssertArray.Equal(new float[] { 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0 }, g.Eval(fixedSize, feed));
        feed = new FeedDict { [image] = NDArray.FromFlat(Enumerable.Range(1, 36).Select(v => (float)v).ToArray(), new Shape(6, 6, 1)) };
        AssertArray.Equal(new float[] { 8, 9, 10, 11, 14, 15, 16, 17, 20, 21, 22, 23, 26, 27, 28, 29 }, g.Eval(fixedSize, feed));
        var central = tf.image.central_crop(image, 0.5);
        var c = g.Eval(central, feed);
        Assert.Equal(new Shape(4, 4, 1), c.shape);
        Assert.Equal(8f, c.ToArray<float>()[0]);
    }

    [Fact]
    public void CropPadAndCentralCropOfKnownSizes()
    {
        using var g = TestGraph.Enter();
        var x = Grid(4, 4);
        AssertArray.Equal(new float[] { 6, 7, 10, 11 }, g.Eval(tf.image.central_crop(x, 0.5)));
        AssertArray.Equal(new float[] { 7, 8, 11, 12, 15, 16 }, g.Eval(tf.image.crop_to_bounding_box(x, 1, 2, 3, 2)));
        var padded = g.Eval(tf.image.pad_to_bounding_box(Grid(1, 2), 1, 1, 3, 4)).ToArray<float>();
        Assert.Equal(new float[] { 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0 }, padded);
        Assert.Equal(new Shape(2, 2, 2, 1), tf.image.central_crop(tf.zeros(new Shape(2, 4, 4, 1)), 0.5).shape);
        Assert.Contains("width must be >= target + offset", Assert.Throws<ValueError>(() => tf.image.crop_to_bounding_box(x, 0, 3, 2, 2)).Message);
        Assert.Contains("offset_height must be >= 0", Assert.Throws<ValueError>(() => tf.image.pad_to_bounding_box(x, -1, 0, 5, 5)).Message);
        Assert.Contains("central_fraction", Assert.Throws<ValueError>(() => tf.image.central_crop(x, 0)).Message);
    }

    [Fact]
    public void TotalVariationSumsNeighbourDifferences()
    {
        using var g = TestGraph.Enter();
        var x = new float[] { 1, 4, 2, 8, 5, 7 }; // [2, 3, 1]: rows (1 4 2) (8 5 7)
        var expected = System.Math.Abs(8 - 1) + System.Math.Abs(5 - 4) + System.Math.Abs(7 - 2) + 3 + 2 + 3 + 2;
        Assert.Equal(expected, g.Eval(tf.image.total_variation(tf.constant(x, shape: new Shape(2, 3, 1)))).ToArray<float>()[0]);
        var batch = g.Eval(tf.image.total_variation(tf.constant(x.Concat(x.Select(v => v * 2)).ToArray(), shape: new Shape(2, 2, 3, 1))));
        Assert.Equal(new float[] { expected, 2 * expected }, batch.ToArray<float>());
    }

    [Fact]
    public void RandomCropTakesAWindowOfTheRequestedSize()
    {
        using var g = TestGraph.Enter();
        var crop = tf.random_crop(Grid(5, 6), new[] { 2, 3, 1 }, seed: 1);
        using var sess = tf.Session();
        var starts = new HashSet<float>();
        for (var i = 0; i < 30; i++)
        {
            var v = sess.run(crop).ToArray<float>();
            Assert.Equal(6, v.Length);
            Assert.Equal(new[] { v[0] + 1, v[0] + 2, v[0] + 6, v[0] + 7, v[0] + 8 }, new[] { v[1], v[2], v[3], v[4], v[5] });
            starts.Add(v[0]);
        }
        Assert.True(starts.Count > 3);
    }

    private static readonly float[,] Clusters =
    {
        { 0, 0, 1, 1 }, { 0, 0.1f, 1, 1.1f }, { 0, -0.1f, 1, 0.9f }, { 0, 10, 1, 11 }, { 0, 10.1f, 1, 11.1f }, { 0, 100, 1, 101 },
    };

    private static readonly float[] ClusterScores = [0.9f, 0.75f, 0.6f, 0.95f, 0.5f, 0.3f];

    [Fact]
    public void NonMaxSuppressionAsTensorFlowsTests()
    {
        using var g = TestGraph.Enter();
        AssertArray.Equal(new[] { 3, 0, 5 }, g.Eval(tf.image.non_max_suppression(Clusters, ClusterScores, 3, 0.5f)));
        AssertArray.Equal(new[] { 3, 0 }, g.Eval(tf.image.non_max_suppression(Clusters, ClusterScores, 2, 0.5f)));
        AssertArray.Equal(new[] { 3, 0 }, g.Eval(tf.image.non_max_suppression(Clusters, ClusterScores, 3, 0.5f, score_threshold: 0.4f)));
        // Flipped corners are the same boxes (testSelectFromThreeClustersFlippedCoordinates).
        var flipped = new float[,] { { 1, 1, 0, 0 }, { 0, 0.1f, 1, 1.1f }, { 0, 0.9f, 1, -0.1f }, { 0, 10, 1, 11 }, { 1, 10.1f, 0, 11.1f }, { 1, 101, 0, 100 } };
        AssertArray.Equal(new[] { 3, 0, 5 }, g.Eval(tf.image.non_max_suppression(flipped, ClusterScores, 3, 0.5f)));
        AssertArray.Equal(new[] { 3, 0, 1, 2, 4, 5 }, g.Eval(tf.image.non_max_suppression(Clusters, ClusterScores, 6, 1.0f)));
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.image.non_max_suppression(Clusters, ClusterScores, 3, 1.5f, name: "nms")));
        Assert.Contains("nms", e.Message);
        Assert.Contains("iou_threshold must be in [0, 1]", e.Message);
        Assert.Contains("scores has incompatible shape", Assert.Throws<ValueError>(() => tf.image.non_max_suppression(Clusters, new float[] { 1, 2 }, 3)).Message);
    }

    [Fact]
    public void DrawBoundingBoxesOutlinesInTheColourCycle()
    {
        using var g = TestGraph.Enter();
        var images = tf.zeros(new Shape(1, 5, 5, 3));
        var boxes = tf.constant(new float[] { 0, 0, 1, 1, 0.25f, 0.25f, 0.5f, 0.5f }, shape: new Shape(1, 2, 4));
        var drawn = g.Eval(tf.image.draw_bounding_boxes(images, boxes)).ToArray<float>();
        float[] Pixel(int y, int x) => drawn.AsSpan((y * 5 + x) * 3, 3).ToArray();
        Assert.Equal(new float[] { 1, 1, 0 }, Pixel(0, 0));
        Assert.Equal(new float[] { 1, 1, 0 }, Pixel(4, 2));
        Assert.Equal(new float[] { 1, 1, 0 }, Pixel(3, 4));
        Assert.Equal(new float[] { 0, 0, 1 }, Pixel(1, 1));
        Assert.Equal(new float[] { 0, 0, 1 }, Pixel(2, 1));
        Assert.Equal(new float[] { 0, 0, 0 }, Pixel(3, 3));
        var grey = g.Eval(tf.image.draw_bounding_boxes(tf.zeros(new Shape(1, 3, 3, 1)), tf.constant(new float[] { 0, 0, 1, 1 }, shape: new Shape(1, 1, 4)))).ToArray<float>();
        Assert.Equal(new float[] { 1, 1, 1, 1, 0, 1, 1, 1, 1 }, grey);
        Assert.Contains("Channel depth", Assert.Throws<ValueError>(() => tf.image.draw_bounding_boxes(tf.zeros(new Shape(1, 3, 3, 2)), boxes)).Message);
    }

    [Fact]
    public void SampledCropsCoverTheBoxAndRespectTheRanges()
    {
        using var g = TestGraph.Enter();
        var boxes = tf.constant(new float[] { 0.1f, 0.2f, 0.5f, 0.9f }, shape: new Shape(1, 1, 4));
        var (begin, size, bboxes) = tf.image.sample_distorted_bounding_box(new[] { 40, 60, 3 }, boxes, seed: 1, seed2: 2, min_object_covered: 0.5f,
            area_range: [0.1f, 0.8f]);
        Assert.Equal(new Shape(3), begin.shape);
        Assert.Equal(new Shape(1, 1, 4), bboxes.shape);
        var image = tf.zeros(new Shape(40, 60, 3));
        var crop = tf.slice(image, begin, size);
        using var sess = tf.Session();
        var seen = new HashSet<string>();
        for (var i = 0; i < 40; i++)
        {
            var values = sess.run(new[] { begin, size, bboxes, crop });
            var (bv, sv, xv, c) = (values[0].ToArray<int>(), values[1].ToArray<int>(), values[2].ToArray<float>(), values[3]);
            Assert.Equal(0, bv[2]);
            Assert.Equal(-1, sv[2]);
            Assert.True(bv[0] >= 0 && bv[1] >= 0 && bv[0] + sv[0] <= 40 && bv[1] + sv[1] <= 60, $"crop {string.Join(",", bv)} + {string.Join(",", sv)}");
            Assert.Equal(new Shape(sv[0], sv[1], 3), c.shape);
            Assert.Equal(bv[0] / 40f, xv[0], 1e-5);
            Assert.Equal((bv[1] + sv[1]) / 60f, xv[3], 1e-5);
            var area = sv[0] * sv[1] / 2400.0;
            var whole = sv[0] == 40 && sv[1] == 60;
            Assert.True(whole || area is >= 0.1 and <= 0.8, $"relative area {area}");
            var iy = System.Math.Max(0, System.Math.Min(bv[0] + sv[0], 20) - System.Math.Max(bv[0], 4));
            var ix = System.Math.Max(0, System.Math.Min(bv[1] + sv[1], 54) - System.Math.Max(bv[1], 12));
            Assert.True(whole || iy * ix >= 0.5 * 16 * 42 - 1e-3, "the crop covers half of the box");
            seen.Add(string.Join(",", bv.Concat(sv)));
        }
        Assert.True(seen.Count > 5);

        var none = tf.image.sample_distorted_bounding_box(new[] { 10, 10, 1 }, tf.zeros(new Shape(1, 0, 4)), name: "sampler");
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(none.begin));
        Assert.Contains("sampler", e.Message);
        Assert.Contains("use_image_if_no_bounding_boxes", e.Message);
        var whole2 = tf.image.sample_distorted_bounding_box(new[] { 10, 10, 1 }, tf.zeros(new Shape(1, 0, 4)), use_image_if_no_bounding_boxes: true);
        Assert.Equal(new Shape(3), g.Eval(whole2.size).shape);
        var bad = tf.image.sample_distorted_bounding_box(new[] { 10, 10, 1 }, tf.constant(new float[] { 0.5f, 0, 0.2f, 1 }, shape: new Shape(1, 1, 4)));
        Assert.Contains("Invalid bounding box", Assert.Throws<InvalidArgumentError>(() => g.Eval(bad.bboxes)).Message);
    }
}
