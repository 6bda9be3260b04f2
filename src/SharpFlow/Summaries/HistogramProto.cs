using SharpFlow.FileIO;
namespace SharpFlow.Summaries;

/// <summary>
/// TensorFlow's <c>HistogramProto</c> with TensorFlow's bucket layout (<c>core/lib/histogram</c>): bucket limits
/// grow by 10% from ±1e-12 to ±1e20, with 0 and ±DBL_MAX; a value falls into the first bucket whose limit is
/// above it; runs of empty buckets are merged into one, as <c>EncodeToProto(preserve_zero_buckets=false)</c> does.
/// </summary>
public sealed class HistogramProto
{
    private static readonly double[] DefaultLimits = MakeLimits();

    /// <summary>Smallest value.</summary>
    public double min { get; init; }
    /// <summary>Largest value.</summary>
    public double max { get; init; }
    /// <summary>Number of values.</summary>
    public double num { get; init; }
    /// <summary>Sum of the values.</summary>
    public double sum { get; init; }
    /// <summary>Sum of the squared values.</summary>
    public double sum_squares { get; init; }
    /// <summary>Upper limit of each bucket.</summary>
    public IReadOnlyList<double> bucket_limit { get; init; } = [];
    /// <summary>Count of each bucket.</summary>
    public IReadOnlyList<double> bucket { get; init; } = [];

    private static double[] MakeLimits()
    {
        var positive = new List<double>();
        for (var v = 1e-12; v < 1e20; v *= 1.1) positive.Add(v);
        positive.Add(double.MaxValue);
        var limits = new List<double>(positive.Select(v => -v).Reverse()) { 0.0 };
        limits.AddRange(positive);
        return [.. limits];
    }

    /// <summary>
    /// The histogram of <paramref name="values"/>; a NaN or an infinity is refused with TensorFlow's message,
    /// which names <paramref name="tag"/>.
    /// </summary>
    public static HistogramProto FromValues(ReadOnlySpan<double> values, string tag = "")
    {
        var counts = new double[DefaultLimits.Length];
        double min = double.MaxValue, max = -double.MaxValue, sum = 0, squares = 0;
        foreach (var v in values)
        {
            if (double.IsNaN(v)) throw new InvalidArgumentError($"Nan in summary histogram for: {tag}");
            if (double.IsInfinity(v)) throw new InvalidArgumentError($"Infinity in summary histogram for: {tag}");
            var index = UpperBound(v);
            counts[index] += 1;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
            sum += v;
            squares += v * v;
        }
        var limits = new List<double>();
        var buckets = new List<double>();
        for (var i = 0; i < counts.Length;)
        {
            var end = DefaultLimits[i];
            var count = counts[i];
            i++;
            if (count <= 0)
            {
                while (i < counts.Length && counts[i] <= 0)
                {
                    end = DefaultLimits[i];
                    count = counts[i];
                    i++;
                }
            }
            limits.Add(end);
            buckets.Add(count);
        }
        if (limits.Count == 0)
        {
            limits.Add(double.MaxValue);
            buckets.Add(0);
        }
        return new HistogramProto { min = min, max = max, num = values.Length, sum = sum, sum_squares = squares, bucket_limit = limits, bucket = buckets };
    }

    /// <summary>The index of the first limit greater than <paramref name="v"/> (C++'s upper_bound).</summary>
    private static int UpperBound(double v)
    {
        int lo = 0, hi = DefaultLimits.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (DefaultLimits[mid] > v) hi = mid;
            else lo = mid + 1;
        }
        return Math.Min(lo, DefaultLimits.Length - 1);
    }

    internal ProtoWriter Encode() => new ProtoWriter()
        .Double(1, min).Double(2, max).Double(3, num).Double(4, sum).Double(5, sum_squares)
        .PackedDoubles(6, bucket_limit.ToList()).PackedDoubles(7, bucket.ToList());

    internal static HistogramProto Decode(ReadOnlyMemory<byte> bytes)
    {
        double min = 0, max = 0, num = 0, sum = 0, squares = 0;
        var limits = new List<double>();
        var buckets = new List<double>();
        foreach (var f in ProtoReader.Fields(bytes, "HistogramProto"))
        {
            switch (f.Number)
            {
                case 1: min = f.AsDouble; break;
                case 2: max = f.AsDouble; break;
                case 3: num = f.AsDouble; break;
                case 4: sum = f.AsDouble; break;
                case 5: squares = f.AsDouble; break;
                case 6: limits.AddRange(ProtoReader.Doubles(f)); break;
                case 7: buckets.AddRange(ProtoReader.Doubles(f)); break;
            }
        }
        return new HistogramProto { min = min, max = max, num = num, sum = sum, sum_squares = squares, bucket_limit = limits, bucket = buckets };
    }
}
