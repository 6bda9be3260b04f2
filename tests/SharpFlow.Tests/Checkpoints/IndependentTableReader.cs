using System.Buffers.Binary;
using System.Text;

namespace SharpFlow.Tests.Checkpoints;

/// <summary>
/// A minimal reader of TensorFlow's checkpoint files written from the format's rules alone, sharing no code with
/// SharpFlow's reader: its own CRC-32C (bit by bit), varints and protobuf field walk. It checks what TensorFlow's
/// reader would: the footer magic, every block's trailer (type 0, masked CRC of contents + type), restart arrays,
/// keys in increasing order, and each entry's data CRC.
/// </summary>
internal static class IndependentTableReader
{
    public static uint Crc(ReadOnlySpan<byte> data, uint crc = 0)
    {
        crc = ~crc;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        return ~crc;
    }

    public static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + 0xa282ead8u;

    public static ulong Varint(ReadOnlySpan<byte> data, ref int pos)
    {
        ulong v = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[pos++];
            v |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return v;
        }
    }

    /// <summary>The (key, value) pairs of the table, and the number of data blocks.</summary>
    public static (List<(byte[] Key, byte[] Value)> Entries, int DataBlocks) Read(byte[] file)
    {
        Assert.True(file.Length >= 48);
        var footer = file.AsSpan(file.Length - 48);
        Assert.Equal(0xdb4775248b80fb57UL, BinaryPrimitives.ReadUInt64LittleEndian(footer[40..]));
        var pos = 0;
        var metaOffset = (int)Varint(footer, ref pos);
        var metaSize = (int)Varint(footer, ref pos);
        var indexOffset = (int)Varint(footer, ref pos);
        var indexSize = (int)Varint(footer, ref pos);
        Assert.True(footer[pos..40].ToArray().All(b => b == 0), "footer padding must be zeros");
        Assert.Empty(Block(file, metaOffset, metaSize, 16));
        var entries = new List<(byte[], byte[])>();
        var blocks = 0;
        var expectedOffset = 0;
        foreach (var (_, handle) in Block(file, indexOffset, indexSize, 1))
        {
            var p = 0;
            var offset = (int)Varint(handle, ref p);
            var size = (int)Varint(handle, ref p);
            Assert.Equal(handle.Length, p);
            Assert.Equal(expectedOffset, offset); // data blocks follow each other from the file's start
            expectedOffset = offset + size + 5;
            entries.AddRange(Block(file, offset, size, 16));
            blocks++;
        }
        Assert.Equal(metaOffset, expectedOffset);
        Assert.Equal(indexOffset, metaOffset + metaSize + 5);
        Assert.Equal(file.Length - 48, indexOffset + indexSize + 5);
        for (var i = 1; i < entries.Count; i++) Assert.True(entries[i - 1].Item1.AsSpan().SequenceCompareTo(entries[i].Item1) < 0, "keys must increase");
        return (entries, blocks);
    }

    private static List<(byte[], byte[])> Block(byte[] file, int offset, int size, int restartInterval)
    {
        var contents = file.AsSpan(offset, size);
        Assert.Equal(0, file[offset + size]); // no compression
        Assert.Equal(Mask(Crc(file.AsSpan(offset, size + 1))), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + size + 1)));
        var numRestarts = (int)BinaryPrimitives.ReadUInt32LittleEndian(contents[^4..]);
        var restartsAt = size - 4 - 4 * numRestarts;
        var restarts = new List<int>();
        for (var i = 0; i < numRestarts; i++) restarts.Add((int)BinaryPrimitives.ReadUInt32LittleEndian(contents[(restartsAt + 4 * i)..]));
        var result = new List<(byte[], byte[])>();
        var pos = 0;
        var key = Array.Empty<byte>();
        var foundRestarts = new List<int>();
        while (pos < restartsAt)
        {
            if (result.Count % restartInterval == 0) foundRestarts.Add(pos);
            var shared = (int)Varint(contents, ref pos);
            var nonShared = (int)Varint(contents, ref pos);
            var valueLength = (int)Varint(contents, ref pos);
            if (result.Count % restartInterval == 0) Assert.Equal(0, shared); // a restart point holds a whole key
            key = [.. key.AsSpan(0, shared), .. contents.Slice(pos, nonShared)];
            pos += nonShared;
            result.Add((key, contents.Slice(pos, valueLength).ToArray()));
            pos += valueLength;
        }
        Assert.Equal(restartsAt, pos);
        Assert.Equal(result.Count == 0 ? [0] : foundRestarts, restarts);
        return result;
    }

    /// <summary>A bundle entry's fields, decoded by walking the protobuf wire format.</summary>
    public sealed record Entry(int Dtype, long[] Shape, int ShardId, long Offset, long Size, uint Crc32C);

    public static Entry DecodeEntry(byte[] bytes)
    {
        int dtype = 0, shard = 0;
        long offset = 0, size = 0;
        uint crc = 0;
        var shape = new List<long>();
        var pos = 0;
        while (pos < bytes.Length)
        {
            var tag = Varint(bytes, ref pos);
            switch (tag)
            {
                case 1 << 3: dtype = (int)Varint(bytes, ref pos); break;
                case (2 << 3) | 2:
                    var len = (int)Varint(bytes, ref pos);
                    var end = pos + len;
                    while (pos < end)
                    {
                        Assert.Equal((ulong)((2 << 3) | 2), Varint(bytes, ref pos)); // TensorShapeProto.dim
                        var dimEnd = (int)Varint(bytes, ref pos) + pos;
                        long dim = 0;
                        while (pos < dimEnd)
                        {
                            Assert.Equal((ulong)(1 << 3), Varint(bytes, ref pos)); // Dim.size
                            dim = (long)Varint(bytes, ref pos);
                        }
                        shape.Add(dim);
                    }
                    break;
                case 3 << 3: shard = (int)Varint(bytes, ref pos); break;
                case 4 << 3: offset = (long)Varint(bytes, ref pos); break;
                case 5 << 3: size = (long)Varint(bytes, ref pos); break;
                case (6 << 3) | 5: crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(pos)); pos += 4; break;
                default: throw new InvalidOperationException($"unexpected field tag {tag}");
            }
        }
        return new Entry(dtype, shape.ToArray(), shard, offset, size, crc);
    }

    /// <summary>
    /// A string tensor's CRC: its lengths as uint32s, then the stored (masked) CRC of those lengths, which is checked,
    /// then the strings' bytes.
    /// </summary>
    public static uint StringsCrc(byte[] bytes, long count)
    {
        var pos = 0;
        uint crc = 0;
        var lengths = new List<int>();
        for (var i = 0; i < count; i++)
        {
            var l = (uint)Varint(bytes, ref pos);
            lengths.Add((int)l);
            crc = Crc(BitConverter.GetBytes(l), crc);
        }
        Assert.Equal(Mask(crc), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(pos)));
        crc = Crc(bytes.AsSpan(pos, 4), crc);
        pos += 4;
        foreach (var l in lengths)
        {
            crc = Crc(bytes.AsSpan(pos, l), crc);
            pos += l;
        }
        Assert.Equal(bytes.Length, pos);
        return crc;
    }

    /// <summary>Every tensor's entry and checked data bytes, read with this reader alone.</summary>
    public static Dictionary<string, (Entry Entry, byte[] Data)> ReadBundle(string prefix)
    {
        var (entries, _) = Read(File.ReadAllBytes(prefix + ".index"));
        Assert.Empty(entries[0].Key);
        // BundleHeaderProto: num_shards 1, version { producer 1 }.
        Assert.Equal(new byte[] { 0x08, 0x01, 0x1a, 0x02, 0x08, 0x01 }, entries[0].Value);
        var data = File.ReadAllBytes(prefix + ".data-00000-of-00001");
        var result = new Dictionary<string, (Entry, byte[])>();
        foreach (var (key, value) in entries.Skip(1))
        {
            var entry = DecodeEntry(value);
            Assert.Equal(0, entry.ShardId);
            var bytes = data.AsSpan((int)entry.Offset, (int)entry.Size).ToArray();
            Assert.Equal(Mask(entry.Dtype == 7 ? StringsCrc(bytes, entry.Shape.Aggregate(1L, (a, d) => a * d)) : Crc(bytes)), entry.Crc32C);
            result[Encoding.UTF8.GetString(key)] = (entry, bytes);
        }
        // The tensors (in the order they were added) cover the data file without holes or overlaps.
        long next = 0;
        foreach (var entry in result.Values.Select(v => v.Item1).OrderBy(e => e.Offset).ThenBy(e => e.Size))
        {
            Assert.Equal(next, entry.Offset);
            next = entry.Offset + entry.Size;
        }
        Assert.Equal(data.Length, next);
        return result;
    }
}
