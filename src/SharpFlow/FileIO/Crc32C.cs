using System.Buffers.Binary;
using System.Numerics;

namespace SharpFlow.FileIO;

/// <summary>
/// CRC-32C (Castagnoli), hardware accelerated through <see cref="BitOperations.Crc32C(uint, ulong)"/>, and the
/// masking TFRecord applies so that a CRC stored next to data does not look like the CRC of that data.
/// </summary>
public static class Crc32C
{
    /// <summary>The CRC-32C of <paramref name="data"/> (initial value and final XOR 0xFFFFFFFF).</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        var i = 0;
        for (; i + 8 <= data.Length; i += 8) crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        for (; i < data.Length; i++) crc = BitOperations.Crc32C(crc, data[i]);
        return crc ^ 0xFFFFFFFFu;
    }

    /// <summary>TFRecord's mask: <c>((crc &gt;&gt; 15) | (crc &lt;&lt; 17)) + 0xa282ead8</c>.</summary>
    public static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + 0xa282ead8u;

    /// <summary>The masked CRC-32C of <paramref name="data"/>.</summary>
    public static uint Masked(ReadOnlySpan<byte> data) => Mask(Compute(data));
}
