using SharpFlow.FileIO;
using System.Buffers.Binary;
using SharpFlow.Summaries;

namespace SharpFlow.Cli.Board;

/// <summary>
/// One event file read incrementally: each call reads the complete records after the offset reached so far, so a
/// file that a training run is still writing is followed as it grows. A last record cut short (still being written)
/// is left for a later call; a corrupted record or one that is not an <c>Event</c> stops the file with
/// <see cref="Error"/>, the reader's message naming the file and the offset.
/// </summary>
internal sealed class EventFileTail(string path)
{
    private const long MaxRecordBytes = 1L << 30;

    /// <summary>The event file.</summary>
    public string Path { get; } = path;

    /// <summary>The offset after the last complete record read.</summary>
    public long Offset { get; private set; }

    /// <summary>The bytes of an incomplete last record seen at <see cref="Offset"/> (0 when none).</summary>
    public long Pending { get; private set; }

    /// <summary>Why the file cannot be read further, or null.</summary>
    public string? Error { get; private set; }

    /// <summary>The events after <see cref="Offset"/>, advancing it past every complete record.</summary>
    public List<Event> ReadNew()
    {
        var events = new List<Event>();
        if (Error is not null) return events;
        try
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var length = stream.Length;
            if (length < Offset)
            {
                Error = $"{Path}: the file shrank from {Offset} to {length} bytes";
                return events;
            }
            stream.Position = Offset;
            var header = new byte[12];
            while (true)
            {
                Pending = length - Offset;
                if (Pending < header.Length) break;
                stream.ReadExactly(header);
                var size = BinaryPrimitives.ReadUInt64LittleEndian(header);
                if (Crc32C.Masked(header.AsSpan(0, 8)) != BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8)))
                {
                    Error = $"{Path}: corrupted record at offset {Offset}: the length's CRC does not match";
                    break;
                }
                if (size > MaxRecordBytes)
                {
                    Error = $"{Path}: record at offset {Offset} declares {size} bytes";
                    break;
                }
                if (Pending < 16 + (long)size) break;
                var data = new byte[size];
                stream.ReadExactly(data);
                var footer = new byte[4];
                stream.ReadExactly(footer);
                if (Crc32C.Masked(data) != BinaryPrimitives.ReadUInt32LittleEndian(footer))
                {
                    Error = $"{Path}: corrupted record at offset {Offset}: the data's CRC does not match";
                    break;
                }
                try
                {
                    events.Add(Event.FromString(data));
                }
                catch (DataLossError e)
                {
                    Error = $"{Path}: record at offset {Offset} is not an Event: {e.Message}";
                    break;
                }
                Offset += 16 + (long)size;
            }
            if (Error is not null) Pending = 0;
        }
        catch (IOException e)
        {
            Error = $"{Path}: {e.Message}";
        }
        catch (UnauthorizedAccessException e)
        {
            Error = $"{Path}: {e.Message}";
        }
        return events;
    }
}
