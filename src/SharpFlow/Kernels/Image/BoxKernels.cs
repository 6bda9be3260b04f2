namespace SharpFlow.Kernels.Image;

/// <summary>
/// Box algorithms of tf.image: greedy non-maximum suppression (non_max_suppression_op.cc), drawing box outlines
/// (draw_bounding_box_op.cc) and TensorFlow's random crop search (sample_distorted_bounding_box_op.cc).
/// </summary>
internal static class BoxKernels
{
    /// <summary>Intersection over union of boxes i and j ([y1, x1, y2, x2], corners in any order); 0 for empty boxes.</summary>
    public static float IoU(ReadOnlySpan<float> boxes, int i, int j)
    {
        var (yminI, xminI) = (MathF.Min(boxes[i * 4], boxes[i * 4 + 2]), MathF.Min(boxes[i * 4 + 1], boxes[i * 4 + 3]));
        var (ymaxI, xmaxI) = (MathF.Max(boxes[i * 4], boxes[i * 4 + 2]), MathF.Max(boxes[i * 4 + 1], boxes[i * 4 + 3]));
        var (yminJ, xminJ) = (MathF.Min(boxes[j * 4], boxes[j * 4 + 2]), MathF.Min(boxes[j * 4 + 1], boxes[j * 4 + 3]));
        var (ymaxJ, xmaxJ) = (MathF.Max(boxes[j * 4], boxes[j * 4 + 2]), MathF.Max(boxes[j * 4 + 1], boxes[j * 4 + 3]));
        var areaI = (ymaxI - yminI) * (xmaxI - xminI);
        var areaJ = (ymaxJ - yminJ) * (xmaxJ - xminJ);
        if (areaI <= 0 || areaJ <= 0) return 0;
        var iy = MathF.Max(MathF.Min(ymaxI, ymaxJ) - MathF.Max(yminI, yminJ), 0);
        var ix = MathF.Max(MathF.Min(xmaxI, xmaxJ) - MathF.Max(xminI, xminJ), 0);
        var intersection = iy * ix;
        return intersection / (areaI + areaJ - intersection);
    }

    /// <summary>
    /// Indices of the boxes kept by greedy suppression: candidates above <paramref name="scoreThreshold"/> by
    /// decreasing score (ties by index), each kept unless its IoU with a kept box reaches <paramref name="iouThreshold"/> (TensorFlow's and TensorFlow.js's ≥).
    /// </summary>
    public static int[] NonMaxSuppression(ReadOnlySpan<float> boxes, ReadOnlySpan<float> scores, int maxOutputSize, float iouThreshold, float scoreThreshold)
    {
        var candidates = new List<int>();
        for (var i = 0; i < scores.Length; i++)
            if (scores[i] > scoreThreshold) candidates.Add(i);
        var s = scores.ToArray();
        candidates.Sort((a, b) => s[a] != s[b] ? s[b].CompareTo(s[a]) : a.CompareTo(b));
        var selected = new List<int>();
        foreach (var c in candidates)
        {
            if (selected.Count >= maxOutputSize) break;
            var keep = true;
            foreach (var k in selected)
                if (IoU(boxes, c, k) >= iouThreshold) { keep = false; break; }
            if (keep) selected.Add(c);
        }
        return selected.ToArray();
    }

    /// <summary>
    /// TensorFlow 1.15's DoNonMaxSuppressionOp (NonMaxSuppressionV4 and V5): candidates above
    /// <paramref name="scoreThreshold"/> taken by decreasing score (ties: the lower index first) from a priority
    /// queue; each is compared with the boxes kept since it was last compared, newest first: an IoU reaching
    /// <paramref name="iouThreshold"/> drops it, any other multiplies its score by <c>exp(-IoU² / (2σ))</c>
    /// (σ = <paramref name="softNmsSigma"/>; 1 when σ is 0, plain greedy suppression). A candidate whose score did
    /// not change is kept; one whose score fell but stays above the threshold goes back into the queue. At most
    /// <paramref name="maxOutputSize"/> boxes; with <paramref name="pad"/> the indices and scores are padded with 0 to
    /// that size. Returns the indices, their (decayed) scores and how many are valid.
    /// </summary>
    public static (int[] Indices, float[] Scores, int Valid) NonMaxSuppression(ReadOnlySpan<float> boxes, ReadOnlySpan<float> scores, int maxOutputSize,
        float iouThreshold, float scoreThreshold, float softNmsSigma, bool pad)
    {
        var order = Comparer<(float Score, int Index)>.Create((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Index.CompareTo(b.Index));
        var queue = new PriorityQueue<(int Index, float Score, int Begin), (float Score, int Index)>(order);
        for (var i = 0; i < scores.Length; i++)
            if (scores[i] > scoreThreshold) queue.Enqueue((i, scores[i], 0), (scores[i], i));
        var scale = softNmsSigma > 0 ? -0.5f / softNmsSigma : 0f;
        var selected = new List<int>();
        var selectedScores = new List<float>();
        while (selected.Count < maxOutputSize && queue.Count > 0)
        {
            var (index, score, begin) = queue.Dequeue();
            var original = score;
            var hard = false;
            for (var j = selected.Count - 1; j >= begin; j--)
            {
                var similarity = IoU(boxes, index, selected[j]);
                score *= similarity <= iouThreshold ? MathF.Exp(scale * similarity * similarity) : 0f;
                if (similarity >= iouThreshold)
                {
                    hard = true;
                    break;
                }
                if (score <= scoreThreshold) break;
            }
            if (hard) continue;
            if (score == original)
            {
                selected.Add(index);
                selectedScores.Add(score);
            }
            else if (score > scoreThreshold) queue.Enqueue((index, score, selected.Count), (score, index));
        }
        var valid = selected.Count;
        if (pad)
            while (selected.Count < maxOutputSize)
            {
                selected.Add(0);
                selectedScores.Add(0);
            }
        return (selected.ToArray(), selectedScores.ToArray(), valid);
    }

    private static readonly float[][] Colors =
    [
        [1, 1, 0, 1], [0, 0, 1, 1], [1, 0, 0, 1], [0, 1, 0, 1], [0.5f, 0, 0.5f, 1], [0.5f, 0.5f, 0, 1], [0.5f, 0, 0, 1],
        [0, 0, 0.5f, 1], [0, 1, 1, 1], [1, 0, 1, 1],
    ];

    /// <summary>
    /// Draws the outline of every box of image <c>b</c> (boxes [batch, n, 4]) onto <paramref name="canvas"/> (a copy of
    /// the images), in TensorFlow's colour cycle; grey images draw white. Inverted boxes and boxes wholly outside are skipped.
    /// </summary>
    public static void Draw<T>(T[] canvas, ReadOnlySpan<float> boxes, int batch, int height, int width, int depth, int boxesPerImage, Func<float, T> convert)
    {
        for (var b = 0; b < batch; b++)
            for (var bb = 0; bb < boxesPerImage; bb++)
            {
                var color = Colors[bb % Colors.Length];
                var p = (b * boxesPerImage + bb) * 4;
                var minRow = (long)(boxes[p] * (height - 1));
                var minCol = (long)(boxes[p + 1] * (width - 1));
                var maxRow = (long)(boxes[p + 2] * (height - 1));
                var maxCol = (long)(boxes[p + 3] * (width - 1));
                if (minRow > maxRow || minCol > maxCol) continue;
                if (minRow >= height || maxRow < 0 || minCol >= width || maxCol < 0) continue;
                var (r0, r1) = (System.Math.Max(minRow, 0), System.Math.Min(maxRow, height - 1));
                var (c0, c1) = (System.Math.Max(minCol, 0), System.Math.Min(maxCol, width - 1));
                void Set(long row, long col)
                {
                    var o = ((b * (long)height + row) * width + col) * depth;
                    for (var c = 0; c < depth; c++) canvas[(int)(o + c)] = convert(depth == 1 ? 1 : color[c]);
                }
                for (var j = c0; j <= c1; j++)
                {
                    if (minRow >= 0) Set(minRow, j);
                    if (maxRow < height) Set(maxRow, j);
                }
                for (var i = r0; i <= r1; i++)
                {
                    if (minCol >= 0) Set(i, minCol);
                    if (maxCol < width) Set(i, maxCol);
                }
            }
    }

    /// <summary>A crop [minY, minX, maxY, maxX) in pixels, or bounding boxes scaled to pixels.</summary>
    public readonly record struct Rect(float MinY, float MinX, float MaxY, float MaxX)
    {
        public float Area => MathF.Max(0, MaxY - MinY) * MathF.Max(0, MaxX - MinX);

        public Rect Intersect(Rect o) => new(MathF.Max(MinY, o.MinY), MathF.Max(MinX, o.MinX), MathF.Min(MaxY, o.MaxY), MathF.Min(MaxX, o.MaxX));
    }

    /// <summary>TensorFlow's SimplePhilox over a 32-bit word source: floats in [0, 1) and integers in [0, n).</summary>
    public interface IWords
    {
        uint Next();
    }

    private static float RandFloat(IWords r) => BitConverter.Int32BitsToSingle((int)(0x3f800000u | (r.Next() & 0x7fffffu))) - 1f;

    private static int Uniform(IWords r, int n) => n == 0 ? 0 : (int)(r.Next() % (uint)n);

    private static int RoundToInt(float v) => (int)MathF.Round(v, MidpointRounding.ToEven);

    /// <summary>GenerateRandomCrop: a crop of the given aspect ratio whose area lies in [minArea, maxArea]·H·W, if one is found.</summary>
    private static Rect? RandomCrop(int width, int height, float minRelativeArea, float maxRelativeArea, float aspect, IWords random)
    {
        var minArea = minRelativeArea * width * height;
        var maxArea = maxRelativeArea * width * height;
        var h = RoundToInt(MathF.Sqrt(minArea / aspect));
        var maxH = RoundToInt(MathF.Sqrt(maxArea / aspect));
        if (RoundToInt(maxH * aspect) > width)
        {
            const float eps = 0.0000001f;
            maxH = (int)((width + 0.5f - eps) / aspect);
        }
        if (maxH > height) maxH = height;
        if (h >= maxH) h = maxH;
        if (h < maxH) h += Uniform(random, maxH - h + 1);
        var w = RoundToInt(h * aspect);
        var area = (float)(w * h);
        if (area < minArea)
        {
            h += 1;
            w = RoundToInt(h * aspect);
            area = w * h;
        }
        if (area < minArea) return null;
        if (area > maxArea)
        {
            h -= 1;
            w = RoundToInt(h * aspect);
            area = w * h;
        }
        if (area < minArea || area > maxArea || w > width || h > height || w <= 0 || h <= 0) return null;
        var y = h < height ? Uniform(random, height - h) : 0;
        var x = w < width ? Uniform(random, width - w) : 0;
        return new Rect(y, x, y + h, x + w);
    }

    /// <summary>SatisfiesOverlapConstraints: the crop has pixels and covers enough of at least one box.</summary>
    private static bool Covers(Rect crop, float minimumObjectCovered, IReadOnlyList<Rect> boxes)
    {
        if (crop.Area < 1) return false;
        foreach (var box in boxes)
        {
            var area = box.Area;
            if (area < 1) continue;
            if (crop.Intersect(box).Area / area >= minimumObjectCovered) return true;
        }
        return false;
    }

    /// <summary>The sampled crop of an H×W image, or the whole image when no attempt succeeds.</summary>
    public static Rect SampleCrop(int height, int width, IReadOnlyList<Rect> boxes, float minObjectCovered, float minAspect, float maxAspect,
        float minArea, float maxArea, int maxAttempts, IWords random)
    {
        for (var i = 0; i < maxAttempts; i++)
        {
            var aspect = RandFloat(random) * (maxAspect - minAspect) + minAspect;
            if (RandomCrop(width, height, minArea, maxArea, aspect, random) is { } crop && Covers(crop, minObjectCovered, boxes)) return crop;
        }
        return new Rect(0, 0, height, width);
    }
}
