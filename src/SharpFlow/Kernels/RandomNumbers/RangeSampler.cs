namespace SharpFlow.Kernels.RandomNumbers;

/// <summary>
/// TensorFlow's <c>SimplePhilox</c>: 32-bit words, 64-bit words, doubles in [0, 1) and exact uniform integers
/// (rejection sampling, <c>ExactUniformInt</c>) from a Philox stream, word by word.
/// </summary>
public struct SimplePhilox(Philox generator)
{
    private SingleSampleAdapter _single = new(generator);

    /// <summary>The next 32-bit word.</summary>
    public uint Rand32() => _single.Next();

    /// <summary>Two words, the first the low half.</summary>
    public ulong Rand64()
    {
        var lo = Rand32();
        var hi = Rand32();
        return lo | ((ulong)hi << 32);
    }

    /// <summary>A double in [0, 1).</summary>
    public double RandDouble()
    {
        var x0 = Rand32();
        var x1 = Rand32();
        return Distributions.Uint64ToDouble(x0, x1);
    }

    /// <summary>A uniform integer in [0, n) (TensorFlow's <c>ExactUniformInt</c> over 64-bit words).</summary>
    public ulong Uniform64(ulong n)
    {
        if (n == 0) return Rand64() * n;
        if ((n & (n - 1)) == 0) return Rand64() & (n - 1);
        var rem = (ulong.MaxValue % n) + 1;
        ulong rnd;
        do rnd = Rand64();
        while (rnd < rem);
        return rnd % n;
    }
}

/// <summary>
/// TensorFlow's <c>RangeSampler</c> (range_sampler.cc): draws candidate classes in [0, range) and the expected count
/// of each class in a batch, the negative samples of sampled softmax and NCE.
/// </summary>
public abstract class RangeSampler(long range)
{
    /// <summary>The number of classes.</summary>
    public long Range { get; } = range;

    /// <summary>One class.</summary>
    protected abstract long Sample(ref SimplePhilox random);

    /// <summary>The probability that <see cref="Sample"/> draws <paramref name="value"/>.</summary>
    public abstract float Probability(long value);

    /// <summary>
    /// Fills <paramref name="batch"/> with classes (distinct when <paramref name="unique"/>), and the expected count
    /// of each batch class and of each of <paramref name="extras"/> (the true classes) in such a batch: with
    /// <c>unique</c>, <c>1 - (1 - p)^tries</c> for the number of draws it took.
    /// </summary>
    public void SampleBatchGetExpectedCount(ref SimplePhilox random, bool unique, Span<long> batch, Span<float> batchExpectedCount,
        ReadOnlySpan<long> extras, Span<float> extrasExpectedCount)
    {
        var batchSize = batch.Length;
        int tries;
        if (unique)
        {
            if (batchSize > Range) throw new InvalidOperationException("Sampler's range is too small.");
            var used = new HashSet<long>(batchSize);
            var picked = 0;
            tries = 0;
            while (picked < batchSize)
            {
                tries++;
                var value = Sample(ref random);
                if (used.Add(value)) batch[picked++] = value;
            }
        }
        else
        {
            for (var i = 0; i < batchSize; i++) batch[i] = Sample(ref random);
            tries = batchSize;
        }
        for (var i = 0; i < batchSize; i++) batchExpectedCount[i] = ExpectedCount(Probability(batch[i]), batchSize, tries);
        for (var i = 0; i < extras.Length; i++) extrasExpectedCount[i] = ExpectedCount(Probability(extras[i]), batchSize, tries);
    }

    private static float ExpectedCount(float p, int batchSize, int tries) =>
        tries == batchSize ? p * batchSize : (float)-Expm1(tries * Log1p(-(double)p)); // 1 - (1 - p)^tries, stably

    // log(1 + x) and exp(x) - 1 without the cancellation near 0 (std::log1p, std::expm1).
    private static double Log1p(double x) => Math.Abs(x) < 1e-4 ? x * (1 - x * (0.5 - x * (1.0 / 3 - x / 4))) : Math.Log(1 + x);

    private static double Expm1(double x) => Math.Abs(x) < 1e-4 ? x * (1 + x * (0.5 + x * (1.0 / 6 + x / 24))) : Math.Exp(x) - 1;
}

/// <summary>TensorFlow's <c>LogUniformSampler</c>: P(k) = log((k + 2)/(k + 1)) / log(range + 1), Zipf-like.</summary>
public sealed class LogUniformSampler(long range) : RangeSampler(range)
{
    private readonly double _logRange = Math.Log(range + 1.0);

    /// <inheritdoc/>
    protected override long Sample(ref SimplePhilox random) => ((long)Math.Exp(random.RandDouble() * _logRange) - 1) % Range;

    /// <inheritdoc/>
    public override float Probability(long value) => (float)(Math.Log((value + 2.0) / (value + 1.0)) / _logRange);
}

/// <summary>TensorFlow's <c>UniformSampler</c>: every class with probability 1/range.</summary>
public sealed class UniformSampler(long range) : RangeSampler(range)
{
    /// <inheritdoc/>
    protected override long Sample(ref SimplePhilox random) => (long)random.Uniform64((ulong)Range);

    /// <inheritdoc/>
    public override float Probability(long value) => 1.0f / Range;
}
