using System.Buffers.Binary;
using System.Numerics;

namespace SharpFlow.Kernels;

/// <summary>
/// FarmHash's <c>Fingerprint64</c> (farmhashna::Hash64, Geoff Pike, Google, MIT licence), the 64-bit string hash
/// TensorFlow's <c>StringToHashBucketFast</c>, feature-column hashing and vocabulary OOV buckets use. The value of
/// a byte string never changes across platforms.
/// </summary>
internal static class Farmhash
{
    private const ulong K0 = 0xc3a5c85c97cb3127UL;
    private const ulong K1 = 0xb492b66fbe98f273UL;
    private const ulong K2 = 0x9ae16a3b2f90404fUL;

    private static ulong F64(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt64LittleEndian(s[at..]);

    private static uint F32(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt32LittleEndian(s[at..]);

    private static ulong Ror(ulong v, int shift) => BitOperations.RotateRight(v, shift);

    private static ulong ShiftMix(ulong v) => v ^ (v >> 47);

    private static ulong HashLen16(ulong u, ulong v, ulong mul)
    {
        unchecked
        {
            var a = (u ^ v) * mul;
            a ^= a >> 47;
            var b = (v ^ a) * mul;
            b ^= b >> 47;
            return b * mul;
        }
    }

    private static ulong HashLen0To16(ReadOnlySpan<byte> s)
    {
        unchecked
        {
            var len = (ulong)s.Length;
            if (s.Length >= 8)
            {
                var mul = K2 + len * 2;
                var a = F64(s, 0) + K2;
                var b = F64(s, s.Length - 8);
                var c = Ror(b, 37) * mul + a;
                var d = (Ror(a, 25) + b) * mul;
                return HashLen16(c, d, mul);
            }
            if (s.Length >= 4)
            {
                var mul = K2 + len * 2;
                ulong a = F32(s, 0);
                return HashLen16(len + (a << 3), F32(s, s.Length - 4), mul);
            }
            if (s.Length > 0)
            {
                uint a = s[0], b = s[s.Length >> 1], c = s[^1];
                var y = a + (b << 8);
                var z = (uint)s.Length + (c << 2);
                return ShiftMix(y * K2 ^ z * K0) * K2;
            }
            return K2;
        }
    }

    private static ulong HashLen17To32(ReadOnlySpan<byte> s)
    {
        unchecked
        {
            var len = (ulong)s.Length;
            var mul = K2 + len * 2;
            var a = F64(s, 0) * K1;
            var b = F64(s, 8);
            var c = F64(s, s.Length - 8) * mul;
            var d = F64(s, s.Length - 16) * K2;
            return HashLen16(Ror(a + b, 43) + Ror(c, 30) + d, a + Ror(b + K2, 18) + c, mul);
        }
    }

    private static ulong HashLen33To64(ReadOnlySpan<byte> s)
    {
        unchecked
        {
            var len = (ulong)s.Length;
            var mul = K2 + len * 2;
            var a = F64(s, 0) * K2;
            var b = F64(s, 8);
            var c = F64(s, s.Length - 8) * mul;
            var d = F64(s, s.Length - 16) * K2;
            var y = Ror(a + b, 43) + Ror(c, 30) + d;
            var z = HashLen16(y, a + Ror(b + K2, 18) + c, mul);
            var e = F64(s, 16) * mul;
            var f = F64(s, 24);
            var g = (y + F64(s, s.Length - 32)) * mul;
            var h = (z + F64(s, s.Length - 24)) * mul;
            return HashLen16(Ror(e + f, 43) + Ror(g, 30) + h, e + Ror(f + a, 18) + g, mul);
        }
    }

    private static (ulong First, ulong Second) WeakHashLen32WithSeeds(ReadOnlySpan<byte> s, int at, ulong a, ulong b)
    {
        unchecked
        {
            ulong w = F64(s, at), x = F64(s, at + 8), y = F64(s, at + 16), z = F64(s, at + 24);
            a += w;
            b = Ror(b + a + z, 21);
            var c = a;
            a += x;
            a += y;
            b += Ror(a, 44);
            return (a + z, b + c);
        }
    }

    /// <summary>Fingerprint64 of <paramref name="s"/>.</summary>
    public static ulong Fingerprint64(ReadOnlySpan<byte> s)
    {
        unchecked
        {
            if (s.Length <= 16) return HashLen0To16(s);
            if (s.Length <= 32) return HashLen17To32(s);
            if (s.Length <= 64) return HashLen33To64(s);

            const ulong seed = 81;
            var x = seed;
            var y = seed * K1 + 113;
            var z = ShiftMix(y * K2 + 113) * K2;
            (ulong First, ulong Second) v = (0, 0), w = (0, 0);
            x = x * K2 + F64(s, 0);
            var end = (s.Length - 1) / 64 * 64;
            var last64 = s.Length - 64;
            var at = 0;
            do
            {
                x = Ror(x + y + v.First + F64(s, at + 8), 37) * K1;
                y = Ror(y + v.Second + F64(s, at + 48), 42) * K1;
                x ^= w.Second;
                y += v.First + F64(s, at + 40);
                z = Ror(z + w.First, 33) * K1;
                v = WeakHashLen32WithSeeds(s, at, v.Second * K1, x + w.First);
                w = WeakHashLen32WithSeeds(s, at + 32, z + w.Second, y + F64(s, at + 16));
                (z, x) = (x, z);
                at += 64;
            }
            while (at != end);
            var mul = K1 + ((z & 0xff) << 1);
            at = last64;
            w.First += (ulong)((s.Length - 1) & 63);
            v.First += w.First;
            w.First += v.First;
            x = Ror(x + y + v.First + F64(s, at + 8), 37) * mul;
            y = Ror(y + v.Second + F64(s, at + 48), 42) * mul;
            x ^= w.Second * 9;
            y += v.First * 9 + F64(s, at + 40);
            z = Ror(z + w.First, 33) * mul;
            v = WeakHashLen32WithSeeds(s, at, v.Second * mul, x + w.First);
            w = WeakHashLen32WithSeeds(s, at + 32, z + w.Second, y + F64(s, at + 16));
            (z, x) = (x, z);
            return HashLen16(HashLen16(v.First, w.First, mul) + ShiftMix(y) * K0 + z, HashLen16(v.Second, w.Second, mul) + x, mul);
        }
    }
}
