using SharpFlow.FileIO;
using System.Buffers.Binary;
using System.Numerics;
using SharpFlow.Summaries;

namespace SharpFlow.Checkpoints;

/// <summary>
/// Pieces of the LevelDB table format that TensorFlow uses for a checkpoint's <c>.index</c> file
/// (tensorflow/core/lib/io/format.h): varints, block handles, the 48-byte footer and the 5-byte block trailer
/// (a compression byte and the masked CRC-32C of the block and that byte).
/// </summary>
internal static class TableFormat
{
    /// <summary>The footer's magic number, stored little-endian in its last 8 bytes.</summary>
    public const ulong Magic = 0xdb4775248b80fb57UL;

    /// <summary>Two block handles (at most 10 + 10 bytes each), padded, and the magic number.</summary>
    public const int FooterLength = 2 * MaxBlockHandleLength + 8;

    /// <summary>A block handle's longest encoding: two varint64s.</summary>
    public const int MaxBlockHandleLength = 20;

    /// <summary>The compression byte and the masked CRC after every block.</summary>
    public const int BlockTrailerLength = 5;

    /// <summary>The trailer's compression byte of an uncompressed block.</summary>
    public const byte NoCompression = 0;

    /// <summary>The trailer's compression byte of a Snappy-compressed block (old TensorFlow versions wrote these).</summary>
    public const byte SnappyCompression = 1;

    public static void PutVarint(List<byte> output, ulong value)
    {
        while (value >= 0x80)
        {
            output.Add((byte)(value | 0x80));
            value >>= 7;
        }
        output.Add((byte)value);
    }

    public static void PutVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        output.WriteByte((byte)value);
    }

    /// <summary>Reads a varint of at most <paramref name="maxBits"/> bits at <paramref name="pos"/>; false when malformed or cut off.</summary>
    public static bool TryGetVarint(ReadOnlySpan<byte> data, ref int pos, int maxBits, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < maxBits; shift += 7)
        {
            if (pos >= data.Length) return false;
            var b = data[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return maxBits >= 64 || value >> maxBits == 0;
        }
        return false;
    }

    /// <summary>CRC-32C continued over <paramref name="data"/> (tensorflow::crc32c::Extend).</summary>
    public static uint Extend(uint crc, ReadOnlySpan<byte> data)
    {
        var c = ~crc;
        var i = 0;
        for (; i + 8 <= data.Length; i += 8) c = BitOperations.Crc32C(c, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        for (; i < data.Length; i++) c = BitOperations.Crc32C(c, data[i]);
        return ~c;
    }

    /// <summary>Undoes <see cref="Crc32C.Mask"/>.</summary>
    public static uint Unmask(uint masked)
    {
        var rot = masked - 0xa282ead8u;
        return (rot >> 17) | (rot << 15);
    }

    /// <summary>The masked CRC of a block's contents followed by its compression byte.</summary>
    public static uint BlockCrc(ReadOnlySpan<byte> contents, byte type) => Crc32C.Mask(Extend(Extend(0, contents), [type]));
}

/// <summary>Where a block lies in a table file.</summary>
internal readonly record struct BlockHandle(ulong Offset, ulong Size)
{
    public void EncodeTo(List<byte> output)
    {
        TableFormat.PutVarint(output, Offset);
        TableFormat.PutVarint(output, Size);
    }

    public static bool TryDecode(ReadOnlySpan<byte> data, ref int pos, out BlockHandle handle)
    {
        handle = default;
        if (!TableFormat.TryGetVarint(data, ref pos, 64, out var offset) || !TableFormat.TryGetVarint(data, ref pos, 64, out var size)) return false;
        handle = new BlockHandle(offset, size);
        return true;
    }
}

/// <summary>
/// Builds one block (tensorflow/core/lib/io/block_builder.cc): entries <c>varint32 shared, varint32 non_shared,
/// varint32 value_length, key[shared..], value</c>, each key sharing a prefix with the one before except at restart
/// points (every <c>restartInterval</c> entries, whose offsets close the block as fixed32s, then their count).
/// </summary>
internal sealed class BlockBuilder(int restartInterval)
{
    private readonly List<byte> _buffer = [];
    private readonly List<int> _restarts = [0];
    private byte[] _lastKey = [];
    private int _counter;

    public bool IsEmpty => _buffer.Count == 0;

    /// <summary>The size the finished block would have now.</summary>
    public int CurrentSizeEstimate => _buffer.Count + _restarts.Count * 4 + 4;

    public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var shared = 0;
        if (_counter < restartInterval)
        {
            var min = Math.Min(_lastKey.Length, key.Length);
            while (shared < min && _lastKey[shared] == key[shared]) shared++;
        }
        else
        {
            _restarts.Add(_buffer.Count);
            _counter = 0;
        }
        TableFormat.PutVarint(_buffer, (ulong)shared);
        TableFormat.PutVarint(_buffer, (ulong)(key.Length - shared));
        TableFormat.PutVarint(_buffer, (ulong)value.Length);
        _buffer.AddRange(key[shared..]);
        _buffer.AddRange(value);
        _lastKey = key.ToArray();
        _counter++;
    }

    /// <summary>The block's bytes (entries, restart offsets, restart count); the builder is reset.</summary>
    public byte[] Finish()
    {
        var result = new byte[_buffer.Count + _restarts.Count * 4 + 4];
        _buffer.CopyTo(result);
        var pos = _buffer.Count;
        foreach (var r in _restarts)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(pos), (uint)r);
            pos += 4;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(pos), (uint)_restarts.Count);
        _buffer.Clear();
        _restarts.Clear();
        _restarts.Add(0);
        _lastKey = [];
        _counter = 0;
        return result;
    }
}

/// <summary>
/// Writes a table as TensorFlow's <c>table::TableBuilder</c> does with the options a checkpoint index uses
/// (no compression, blocks of 256 KiB, a restart point every 16 keys, every key a restart point in the index block):
/// data blocks, an empty meta-index block, the index block (one entry per data block, keyed by the shortest
/// separator between that block's last key and the next block's first key) and the footer. Keys must be added in
/// strictly increasing bytewise order. TensorFlow's output for the same entries is reproduced byte for byte.
/// </summary>
internal sealed class TableBuilder(Stream output, int blockSize = TableBuilder.DefaultBlockSize, int restartInterval = 16)
{
    /// <summary>table::Options' default block_size.</summary>
    public const int DefaultBlockSize = 262144;

    private readonly BlockBuilder _data = new(restartInterval);
    private readonly BlockBuilder _index = new(1);
    private byte[] _lastKey = [];
    private long _entries;
    private long _offset;
    private bool _pendingIndexEntry;
    private BlockHandle _pendingHandle;

    public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (_entries > 0)
        {
            if (key.SequenceCompareTo(_lastKey) <= 0)
                throw new InvalidOperationException("table keys must be added in strictly increasing order");
            // As TensorFlow: an entry at least twice the block size closes the current block first.
            if ((long)key.Length + value.Length >= 2L * blockSize) Flush();
        }
        if (_pendingIndexEntry)
        {
            var separator = ShortestSeparator(_lastKey, key);
            AddIndexEntry(separator);
        }
        _lastKey = key.ToArray();
        _entries++;
        _data.Add(key, value);
        if (_data.CurrentSizeEstimate >= blockSize) Flush();
    }

    /// <summary>Writes the last data block, the meta-index and index blocks and the footer.</summary>
    public void Finish()
    {
        Flush();
        var metaIndex = WriteBlock(new BlockBuilder(restartInterval).Finish());
        if (_pendingIndexEntry) AddIndexEntry(ShortSuccessor(_lastKey));
        var index = WriteBlock(_index.Finish());
        var footer = new List<byte>(TableFormat.FooterLength);
        metaIndex.EncodeTo(footer);
        index.EncodeTo(footer);
        while (footer.Count < 2 * TableFormat.MaxBlockHandleLength) footer.Add(0);
        Span<byte> magic = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(magic, TableFormat.Magic);
        footer.AddRange(magic);
        output.Write(footer.ToArray());
        _offset += footer.Count;
    }

    private void AddIndexEntry(byte[] key)
    {
        var handle = new List<byte>(20);
        _pendingHandle.EncodeTo(handle);
        _index.Add(key, handle.ToArray());
        _pendingIndexEntry = false;
    }

    private void Flush()
    {
        if (_data.IsEmpty) return;
        _pendingHandle = WriteBlock(_data.Finish());
        _pendingIndexEntry = true;
    }

    private BlockHandle WriteBlock(byte[] contents)
    {
        var handle = new BlockHandle((ulong)_offset, (ulong)contents.Length);
        output.Write(contents);
        Span<byte> trailer = stackalloc byte[TableFormat.BlockTrailerLength];
        trailer[0] = TableFormat.NoCompression;
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[1..], TableFormat.BlockCrc(contents, TableFormat.NoCompression));
        output.Write(trailer);
        _offset += contents.Length + TableFormat.BlockTrailerLength;
        return handle;
    }

    /// <summary>A short key k with start &lt;= k &lt; limit (the bytewise comparator's FindShortestSeparator).</summary>
    internal static byte[] ShortestSeparator(byte[] start, ReadOnlySpan<byte> limit)
    {
        var min = Math.Min(start.Length, limit.Length);
        var diff = 0;
        while (diff < min && start[diff] == limit[diff]) diff++;
        if (diff < min && start[diff] < 0xff && start[diff] + 1 < limit[diff])
        {
            var result = start[..(diff + 1)];
            result[diff]++;
            return result;
        }
        return start;
    }

    /// <summary>A short key k &gt;= key (FindShortSuccessor): the first byte that is not 0xff, incremented.</summary>
    internal static byte[] ShortSuccessor(byte[] key)
    {
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] != 0xff)
            {
                var result = key[..(i + 1)];
                result[i]++;
                return result;
            }
        }
        return key;
    }
}

/// <summary>
/// Reads a whole table (tensorflow/core/lib/io/table.cc, block.cc, format.cc): the footer and its magic, the index
/// block, and every data block it points to, each block's CRC checked; Snappy-compressed blocks (old TensorFlow) are
/// decompressed. Anything malformed is a <see cref="DataLossError"/> that names the file.
/// </summary>
internal static class TableReader
{
    /// <summary>
    /// The entries of the table <paramref name="file"/> in key order; <paramref name="path"/> names it in errors.
    /// <paramref name="verifyChecksums"/> false skips the blocks' CRCs (TensorFlow's ReadOptions.verify_checksums),
    /// which lets the fuzzer's mutations reach the block and entry parsers.
    /// </summary>
    public static List<(byte[] Key, byte[] Value)> Read(byte[] file, string path, bool verifyChecksums = true)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Length < TableFormat.FooterLength)
            throw new DataLossError($"{path}: file is too short to be an sstable ({file.Length} bytes, the footer alone takes {TableFormat.FooterLength})");
        var footer = file.AsSpan(file.Length - TableFormat.FooterLength);
        if (BinaryPrimitives.ReadUInt64LittleEndian(footer[(2 * TableFormat.MaxBlockHandleLength)..]) != TableFormat.Magic)
            throw new DataLossError($"{path}: not an sstable (bad magic number)");
        var pos = 0;
        if (!BlockHandle.TryDecode(footer, ref pos, out var metaIndexHandle) || !BlockHandle.TryDecode(footer, ref pos, out var indexHandle) || pos > 2 * TableFormat.MaxBlockHandleLength)
            throw new DataLossError($"{path}: bad block handle in the footer");
        var limit = file.Length - TableFormat.FooterLength;
        // TensorFlow writes an empty meta-index block and never reads it; it is checked here so that no byte of the
        // file goes unchecked.
        Block(ReadBlock(file, limit, metaIndexHandle, path, "meta-index", verifyChecksums), path, "meta-index");
        var entries = new List<(byte[], byte[])>();
        foreach (var (_, handleBytes) in Block(ReadBlock(file, limit, indexHandle, path, "index", verifyChecksums), path, "index"))
        {
            var p = 0;
            if (!BlockHandle.TryDecode(handleBytes, ref p, out var handle) || p != handleBytes.Length)
                throw new DataLossError($"{path}: bad block handle in the index block");
            foreach (var entry in Block(ReadBlock(file, limit, handle, path, "data", verifyChecksums), path, "data"))
            {
                if (entries.Count > 0 && entry.Key.AsSpan().SequenceCompareTo(entries[^1].Item1) <= 0)
                    throw new DataLossError($"{path}: corrupted table: keys out of order");
                entries.Add(entry);
            }
        }
        return entries;
    }

    private static byte[] ReadBlock(byte[] file, int limit, BlockHandle handle, string path, string what, bool verifyChecksums)
    {
        if (handle.Offset > (ulong)limit || handle.Size > (ulong)limit - handle.Offset || (ulong)limit - handle.Offset - handle.Size < TableFormat.BlockTrailerLength)
            throw new DataLossError($"{path}: truncated block read ({what} block at {handle.Offset} of {handle.Size} bytes in a file of {file.Length})");
        var offset = (int)handle.Offset;
        var size = (int)handle.Size;
        var contents = file.AsSpan(offset, size);
        var type = file[offset + size];
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + size + 1));
        if (verifyChecksums && stored != TableFormat.BlockCrc(contents, type))
            throw new DataLossError($"{path}: block checksum mismatch ({what} block at {handle.Offset})");
        return type switch
        {
            TableFormat.NoCompression => contents.ToArray(),
            TableFormat.SnappyCompression => Snappy.Decompress(contents, path),
            _ => throw new DataLossError($"{path}: bad block type {type} ({what} block at {handle.Offset})"),
        };
    }

    /// <summary>The entries of one block, prefix-compressed keys expanded.</summary>
    internal static List<(byte[] Key, byte[] Value)> Block(byte[] block, string path, string what)
    {
        if (block.Length < 4) throw new DataLossError($"{path}: bad block contents ({what} block of {block.Length} bytes)");
        var numRestarts = BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(block.Length - 4));
        if (numRestarts > (uint)(block.Length - 4) / 4) throw new DataLossError($"{path}: bad block contents ({what} block claims {numRestarts} restart points)");
        var restartOffset = block.Length - (1 + (int)numRestarts) * 4;
        var entries = new List<(byte[], byte[])>();
        var data = block.AsSpan(0, restartOffset);
        var pos = 0;
        byte[] key = [];
        while (pos < data.Length)
        {
            if (!TableFormat.TryGetVarint(data, ref pos, 32, out var shared) || !TableFormat.TryGetVarint(data, ref pos, 32, out var nonShared)
                || !TableFormat.TryGetVarint(data, ref pos, 32, out var valueLength)
                || nonShared + valueLength > (ulong)(data.Length - pos) || shared > (ulong)key.Length)
                throw new DataLossError($"{path}: bad entry in block ({what} block)");
            var next = new byte[(int)shared + (int)nonShared];
            key.AsSpan(0, (int)shared).CopyTo(next);
            data.Slice(pos, (int)nonShared).CopyTo(next.AsSpan((int)shared));
            pos += (int)nonShared;
            entries.Add((next, data.Slice(pos, (int)valueLength).ToArray()));
            pos += (int)valueLength;
            key = next;
        }
        return entries;
    }
}

/// <summary>Snappy decompression (the format's own description: a varint length, then literals and back-references).</summary>
internal static class Snappy
{
    public static byte[] Decompress(ReadOnlySpan<byte> input, string path)
    {
        var pos = 0;
        if (!TableFormat.TryGetVarint(input, ref pos, 32, out var length) || length > (ulong)input.Length * 255 + 64)
            throw new DataLossError($"{path}: corrupted compressed block contents");
        var output = new byte[(int)length];
        var o = 0;
        while (pos < input.Length)
        {
            var tag = input[pos++];
            int len, offset;
            switch (tag & 3)
            {
                case 0:
                    len = tag >> 2;
                    if (len >= 60)
                    {
                        var bytes = len - 59;
                        if (pos + bytes > input.Length) throw Corrupt(path);
                        len = 0;
                        for (var i = 0; i < bytes; i++) len |= input[pos + i] << (8 * i);
                        pos += bytes;
                        if (len < 0) throw Corrupt(path);
                    }
                    len++;
                    if (len > input.Length - pos || len > output.Length - o) throw Corrupt(path);
                    input.Slice(pos, len).CopyTo(output.AsSpan(o));
                    pos += len;
                    o += len;
                    continue;
                case 1:
                    if (pos >= input.Length) throw Corrupt(path);
                    len = ((tag >> 2) & 7) + 4;
                    offset = ((tag >> 5) << 8) | input[pos++];
                    break;
                case 2:
                    if (pos + 2 > input.Length) throw Corrupt(path);
                    len = (tag >> 2) + 1;
                    offset = BinaryPrimitives.ReadUInt16LittleEndian(input[pos..]);
                    pos += 2;
                    break;
                default:
                    if (pos + 4 > input.Length) throw Corrupt(path);
                    len = (tag >> 2) + 1;
                    offset = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(input[pos..]), int.MaxValue);
                    pos += 4;
                    break;
            }
            if (offset == 0 || offset > o || len > output.Length - o) throw Corrupt(path);
            for (var i = 0; i < len; i++, o++) output[o] = output[o - offset];
        }
        if (o != output.Length) throw Corrupt(path);
        return output;
    }

    private static DataLossError Corrupt(string path) => new($"{path}: corrupted compressed block contents");
}
