namespace SharpFlow.Kernels.RandomNumbers;

/// <summary>Four 32-bit words: one output block of <see cref="Philox"/>.</summary>
public readonly record struct PhiloxBlock(uint X0, uint X1, uint X2, uint X3)
{
    /// <summary>Word <paramref name="i"/> (0..3).</summary>
    public uint this[int i] => i switch { 0 => X0, 1 => X1, 2 => X2, _ => X3 };
}

/// <summary>
/// The Philox4x32-10 counter-based generator exactly as TensorFlow's <c>random::PhiloxRandom</c>
/// (tensorflow/core/lib/random/philox_random.h): a 128-bit counter and a 64-bit key; each call returns four
/// 32-bit words and advances the counter by one. Seeded ops reproduce TensorFlow's numbers bit for bit.
/// </summary>
public struct Philox
{
    private const uint W32A = 0x9E3779B9;
    private const uint W32B = 0xBB67AE85;
    private const uint M4x32A = 0xD2511F53;
    private const uint M4x32B = 0xCD9E8D57;

    private uint _c0, _c1, _c2, _c3;
    private readonly uint _k0, _k1;

    /// <summary>TensorFlow's <c>PhiloxRandom(seed_lo, seed_hi)</c>: the first seed is the key, the second fills counter words 2 and 3.</summary>
    public Philox(ulong seedLo, ulong seedHi)
    {
        _k0 = (uint)seedLo;
        _k1 = (uint)(seedLo >> 32);
        _c0 = 0;
        _c1 = 0;
        _c2 = (uint)seedHi;
        _c3 = (uint)(seedHi >> 32);
    }

    /// <summary>A generator with an explicit counter and key (test vectors, stateless use).</summary>
    public Philox(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1)
    {
        (_c0, _c1, _c2, _c3, _k0, _k1) = (c0, c1, c2, c3, k0, k1);
    }

    /// <summary>The current counter (words 0..3).</summary>
    public readonly (uint, uint, uint, uint) Counter => (_c0, _c1, _c2, _c3);

    /// <summary>Ten rounds on the current counter; then the counter advances by one.</summary>
    public PhiloxBlock Next()
    {
        uint c0 = _c0, c1 = _c1, c2 = _c2, c3 = _c3;
        uint k0 = _k0, k1 = _k1;
        for (var round = 0; round < 10; round++)
        {
            if (round > 0)
            {
                k0 += W32A;
                k1 += W32B;
            }
            var p0 = (ulong)M4x32A * c0;
            var p1 = (ulong)M4x32B * c2;
            var r0 = (uint)(p1 >> 32) ^ c1 ^ k0;
            var r1 = (uint)p1;
            var r2 = (uint)(p0 >> 32) ^ c3 ^ k1;
            var r3 = (uint)p0;
            (c0, c1, c2, c3) = (r0, r1, r2, r3);
        }
        SkipOne();
        return new PhiloxBlock(c0, c1, c2, c3);
    }

    /// <summary>The 128-bit block counter, low and high halves: where the stream stands.</summary>
    internal (ulong Low, ulong High) Position
    {
        readonly get => (((ulong)_c1 << 32) | _c0, ((ulong)_c3 << 32) | _c2);
        set => (_c0, _c1, _c2, _c3) = ((uint)value.Low, (uint)(value.Low >> 32), (uint)value.High, (uint)(value.High >> 32));
    }

    /// <summary>Advances the 128-bit counter by <paramref name="count"/> blocks.</summary>
    public void Skip(ulong count)
    {
        var countLo = (uint)count;
        var countHi = (uint)(count >> 32);
        _c0 += countLo;
        if (_c0 < countLo) ++countHi;
        _c1 += countHi;
        if (_c1 < countHi)
        {
            if (++_c2 == 0) ++_c3;
        }
    }

    private void SkipOne()
    {
        if (++_c0 == 0 && ++_c1 == 0 && ++_c2 == 0) ++_c3;
    }
}

/// <summary>
/// Hands out 32-bit words one at a time from successive Philox blocks (TensorFlow's <c>SingleSampleAdapter</c>).
/// </summary>
public struct SingleSampleAdapter(Philox generator)
{
    private Philox _generator = generator;
    private PhiloxBlock _block;
    private int _used = 4;

    /// <summary>The next word.</summary>
    public uint Next()
    {
        if (_used == 4)
        {
            _block = _generator.Next();
            _used = 0;
        }
        return _block[_used++];
    }
}

/// <summary>
/// A kernel's generator with TensorFlow's reservation scheme (<c>GuardedPhiloxRandom</c>): each run takes a copy
/// of the generator and moves the shared one past every sample that run could use, so consecutive runs draw
/// fresh numbers and concurrent runs never overlap.
/// </summary>
public sealed class GuardedPhilox
{
    private readonly object _lock = new();
    private Philox _generator;

    /// <summary>Seeds as TensorFlow does: both seeds 0 means "nondeterministic", so fresh random seeds are drawn.</summary>
    public GuardedPhilox(long seed, long seed2)
    {
        if (seed == 0 && seed2 == 0)
        {
            seed = System.Random.Shared.NextInt64(long.MinValue, long.MaxValue);
            seed2 = System.Random.Shared.NextInt64(long.MinValue, long.MaxValue);
        }
        _generator = new Philox((ulong)seed, (ulong)seed2);
    }

    /// <summary>
    /// Where the shared generator's stream stands (its block counter): saved with a checkpoint and set again so a
    /// resumed run draws what an uninterrupted one would have.
    /// </summary>
    internal (ulong Low, ulong High) Position
    {
        get { lock (_lock) return _generator.Position; }
        set { lock (_lock) _generator.Position = value; }
    }

    /// <summary>A generator for <paramref name="samples"/> 128-bit blocks; the shared one skips past them.</summary>
    public Philox ReserveSamples128(ulong samples)
    {
        lock (_lock)
        {
            var local = _generator;
            _generator.Skip(samples);
            return local;
        }
    }

    /// <summary>A generator for <paramref name="samples"/> 32-bit words.</summary>
    public Philox ReserveSamples32(ulong samples) => ReserveSamples128((samples + 3) / 4);

    /// <summary>A generator for <paramref name="outputs"/> values, reserving <paramref name="multiplier"/> blocks each (TensorFlow uses 256).</summary>
    public Philox ReserveRandomOutputs(ulong outputs, ulong multiplier = 256) => ReserveSamples128(outputs * multiplier);
}
