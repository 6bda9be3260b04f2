namespace SharpFlow.Kernels.RandomNumbers;

/// <summary>
/// TensorFlow's random distributions over Philox words (tensorflow/core/lib/random/random_distributions.h and
/// random_op_cpu.h), reproduced operation by operation so seeded ops give TensorFlow's values.
/// </summary>
public static class Distributions
{
    private const int TruncatedSkipPerGroupWords = 256; // kReservedSamplesPerOutput: Philox blocks per output group

    /// <summary>A float in [0, 1) from the low 23 bits of a word.</summary>
    public static float Uint32ToFloat(uint x) => BitConverter.Int32BitsToSingle((int)((127u << 23) | (x & 0x7fffffu))) - 1.0f;

    /// <summary>A double in [0, 1) from 52 bits of two words (<paramref name="x0"/> gives the high 20).</summary>
    public static double Uint64ToDouble(uint x0, uint x1)
    {
        var mantissa = ((ulong)(x0 & 0xfffffu) << 32) | x1;
        return BitConverter.Int64BitsToDouble((long)((1023UL << 52) | mantissa)) - 1.0;
    }

    /// <summary>
    /// Two standard normal floats from two words (Box–Muller). The angle is computed in double and rounded, as the
    /// C++ expression <c>2.0f * M_PI * u</c> does; logarithm, sine and cosine are the correctly rounded float results.
    /// </summary>
    public static (float, float) BoxMullerFloat(uint x0, uint x1)
    {
        const float epsilon = 1.0e-7f;
        var u1 = Uint32ToFloat(x0);
        if (u1 < epsilon) u1 = epsilon;
        var v1 = (float)(2.0 * Math.PI * Uint32ToFloat(x1));
        var u2 = MathF.Sqrt(-2.0f * (float)Math.Log(u1));
        return ((float)Math.Sin(v1) * u2, (float)Math.Cos(v1) * u2);
    }

    /// <summary>Two standard normal doubles from four words (Box–Muller).</summary>
    public static (double, double) BoxMullerDouble(uint x0, uint x1, uint x2, uint x3)
    {
        const double epsilon = 1.0e-7;
        var u1 = Uint64ToDouble(x0, x1);
        if (u1 < epsilon) u1 = epsilon;
        var v1 = 2 * Math.PI * Uint64ToDouble(x2, x3);
        var u2 = Math.Sqrt(-2.0 * Math.Log(u1));
        return (Math.Sin(v1) * u2, Math.Cos(v1) * u2);
    }

    /// <summary>Uniform floats in [0, 1): four per Philox block.</summary>
    public static void UniformFloat(Philox gen, Span<float> output)
    {
        for (var i = 0; i < output.Length; i += 4)
        {
            var b = gen.Next();
            for (var j = 0; j < 4 && i + j < output.Length; j++) output[i + j] = Uint32ToFloat(b[j]);
        }
    }

    /// <summary>Uniform doubles in [0, 1): two per Philox block.</summary>
    public static void UniformDouble(Philox gen, Span<double> output)
    {
        for (var i = 0; i < output.Length; i += 2)
        {
            var b = gen.Next();
            output[i] = Uint64ToDouble(b.X0, b.X1);
            if (i + 1 < output.Length) output[i + 1] = Uint64ToDouble(b.X2, b.X3);
        }
    }

    /// <summary>Uniform int32 in [lo, hi): four per block, <c>lo + word % (hi - lo)</c>.</summary>
    public static void UniformInt32(Philox gen, int lo, int hi, Span<int> output)
    {
        var range = unchecked((uint)hi - (uint)lo);
        for (var i = 0; i < output.Length; i += 4)
        {
            var b = gen.Next();
            for (var j = 0; j < 4 && i + j < output.Length; j++) output[i + j] = unchecked((int)((uint)lo + b[j] % range));
        }
    }

    /// <summary>Uniform int64 in [lo, hi): two per block from 64-bit words (low word first).</summary>
    public static void UniformInt64(Philox gen, long lo, long hi, Span<long> output)
    {
        var range = unchecked((ulong)hi - (ulong)lo);
        for (var i = 0; i < output.Length; i += 2)
        {
            var b = gen.Next();
            output[i] = unchecked((long)((ulong)lo + ((b.X0 | ((ulong)b.X1 << 32)) % range)));
            if (i + 1 < output.Length) output[i + 1] = unchecked((long)((ulong)lo + ((b.X2 | ((ulong)b.X3 << 32)) % range)));
        }
    }

    /// <summary>Standard normal floats: four per block.</summary>
    public static void NormalFloat(Philox gen, Span<float> output)
    {
        for (var i = 0; i < output.Length; i += 4)
        {
            var b = gen.Next();
            var (f0, f1) = BoxMullerFloat(b.X0, b.X1);
            var (f2, f3) = BoxMullerFloat(b.X2, b.X3);
            Put(output, i, f0, f1, f2, f3);
        }
    }

    /// <summary>Standard normal doubles: two per block.</summary>
    public static void NormalDouble(Philox gen, Span<double> output)
    {
        for (var i = 0; i < output.Length; i += 2)
        {
            var b = gen.Next();
            var (d0, d1) = BoxMullerDouble(b.X0, b.X1, b.X2, b.X3);
            output[i] = d0;
            if (i + 1 < output.Length) output[i + 1] = d1;
        }
    }

    /// <summary>
    /// Standard normal floats restricted to |x| &lt; 2 by rejection, four per group; group g starts 256 blocks
    /// after group g-1 so results do not depend on how many draws earlier groups rejected.
    /// </summary>
    public static void TruncatedNormalFloat(Philox baseGen, Span<float> output)
    {
        var group = 0UL;
        Span<float> results = stackalloc float[4];
        for (var i = 0; i < output.Length; i += 4, group++)
        {
            var gen = baseGen;
            gen.Skip(group * TruncatedSkipPerGroupWords);
            var single = new SingleSampleAdapter(gen);
            var count = 0;
            while (count < 4)
            {
                var (f0, f1) = BoxMullerFloat(single.Next(), single.Next());
                if (MathF.Abs(f0) < 2.0f) results[count++] = f0;
                if (count < 4 && MathF.Abs(f1) < 2.0f) results[count++] = f1;
            }
            for (var j = 0; j < 4 && i + j < output.Length; j++) output[i + j] = results[j];
        }
    }

    /// <summary>Standard normal doubles restricted to |x| &lt; 2: two per group, groups 128 blocks apart.</summary>
    public static void TruncatedNormalDouble(Philox baseGen, Span<double> output)
    {
        var group = 0UL;
        Span<double> results = stackalloc double[2];
        for (var i = 0; i < output.Length; i += 2, group++)
        {
            var gen = baseGen;
            gen.Skip(group * (2 * TruncatedSkipPerGroupWords / 4));
            var single = new SingleSampleAdapter(gen);
            var count = 0;
            while (count < 2)
            {
                var (d0, d1) = BoxMullerDouble(single.Next(), single.Next(), single.Next(), single.Next());
                if (Math.Abs(d0) < 2.0) results[count++] = d0;
                if (count < 2 && Math.Abs(d1) < 2.0) results[count++] = d1;
            }
            output[i] = results[0];
            if (i + 1 < output.Length) output[i + 1] = results[1];
        }
    }

    /// <summary>
    /// Gamma(alpha, 1) samples (TensorFlow's RandomGammaOp): Marsaglia–Tsang with a boost for alpha &lt; 1 and the
    /// exponential for alpha = 1, computed in double. Output is <c>[samples, alphas]</c>, sample-major; each output
    /// starts its own stretch of 256 blocks.
    /// </summary>
    public static void Gamma(Philox rng, ReadOnlySpan<double> alphas, int samplesPerAlpha, Span<double> output)
    {
        var numAlphas = alphas.Length;
        for (var alphaIndex = 0; alphaIndex < numAlphas; alphaIndex++)
        {
            var alpha = alphas[alphaIndex];
            var lessThanOne = alpha < 1;
            var d = alpha + (lessThanOne ? 2.0 / 3 : -1.0 / 3);
            var c = 1.0 / 3 / Math.Sqrt(d);
            for (var sample = 0; sample < samplesPerAlpha; sample++)
            {
                var outputIndex = (ulong)alphaIndex * (ulong)samplesPerAlpha + (ulong)sample;
                var gen = rng;
                gen.Skip(256 * outputIndex);
                var draws = new GammaDraws(gen);
                double result;
                if (alpha == 1.0)
                {
                    result = -LogOnePlus(-draws.Uniform());
                }
                else
                {
                    while (true)
                    {
                        var x = draws.Normal();
                        var v = 1 + c * x;
                        if (v <= 0) continue;
                        v = v * v * v;
                        var u = draws.Uniform();
                        if (u < 1 - 0.0331 * (x * x) * (x * x) || Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v)))
                        {
                            result = d * v;
                            if (lessThanOne) result *= Math.Pow(draws.Uniform(), 1 / alpha);
                            break;
                        }
                    }
                }
                output[sample * numAlphas + alphaIndex] = result;
            }
        }
    }

    /// <summary><c>log1p</c> computed accurately for small arguments.</summary>
    private static double LogOnePlus(double x)
    {
        var u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>
    /// The interleaved normal and uniform draws of TensorFlow's gamma sampler: each kind keeps a buffer of two
    /// doubles from one Philox block and hands them out from the back.
    /// </summary>
    private struct GammaDraws(Philox gen)
    {
        private Philox _gen = gen;
        private double _n0, _n1, _u0, _u1;
        private int _normalLeft, _uniformLeft;

        public double Normal()
        {
            if (_normalLeft == 0)
            {
                var b = _gen.Next();
                (_n0, _n1) = BoxMullerDouble(b.X0, b.X1, b.X2, b.X3);
                _normalLeft = 2;
            }
            _normalLeft--;
            return _normalLeft == 1 ? _n1 : _n0;
        }

        public double Uniform()
        {
            if (_uniformLeft == 0)
            {
                var b = _gen.Next();
                _u0 = Uint64ToDouble(b.X0, b.X1);
                _u1 = Uint64ToDouble(b.X2, b.X3);
                _uniformLeft = 2;
            }
            _uniformLeft--;
            return _uniformLeft == 1 ? _u1 : _u0;
        }
    }

    private static void Put(Span<float> output, int i, float a, float b, float c, float d)
    {
        output[i] = a;
        if (i + 1 < output.Length) output[i + 1] = b;
        if (i + 2 < output.Length) output[i + 2] = c;
        if (i + 3 < output.Length) output[i + 3] = d;
    }

    /// <summary>
    /// Fisher–Yates as TensorFlow's RandomShuffle: for i from the start, swap with <c>i + word % (n - i)</c>.
    /// </summary>
    public static void ShufflePermutation(Philox gen, Span<int> permutation)
    {
        for (var i = 0; i < permutation.Length; i++) permutation[i] = i;
        if (permutation.Length <= 1) return;
        var single = new SingleSampleAdapter(gen);
        for (var i = 0; i < permutation.Length - 1; i++)
        {
            var j = i + (int)(single.Next() % (uint)(permutation.Length - i));
            (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
        }
    }
}
