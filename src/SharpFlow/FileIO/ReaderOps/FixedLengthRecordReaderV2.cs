using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.FileIO.ReaderOps;

/// <summary>
/// FixedLengthRecordReaderV2: records of <c>record_bytes</c> bytes, after <c>header_bytes</c> and before
/// <c>footer_bytes</c>, one every <c>hop_bytes</c> (every record when 0); key <c>file:n</c> counted from 0.
/// </summary>
internal sealed class FixedLengthRecordReaderV2 : ReaderCreationOp
{
    public static readonly FixedLengthRecordReaderV2 Def = new();

    private static readonly OpAttr<int> RecordBytes = new("record_bytes");
    private static readonly OpAttr<string> Encoding = new("encoding", "");
    private static readonly OpAttr<int> HeaderBytes = new("header_bytes", 0);
    private static readonly OpAttr<int> FooterBytes = new("footer_bytes", 0);
    private static readonly OpAttr<int> HopBytes = new("hop_bytes", 0);

    public override string Type => "FixedLengthRecordReaderV2";

    protected override void Check(InferenceContext ctx)
    {
        if (RecordBytes.Of(ctx) <= 0) throw ctx.Error($"record_bytes must be > 0 not {RecordBytes.Of(ctx)}");
        foreach (var attr in new[] { HeaderBytes, FooterBytes, HopBytes })
            if (attr.Of(ctx) < 0) throw ctx.Error($"{attr.Name} must be >= 0 not {attr.Of(ctx)}");
        var encoding = Encoding.Of(ctx);
        if (encoding.Length > 0) throw ctx.Error($"encoding '{encoding}' is not supported: read uncompressed files");
    }

    protected override ReaderResource CreateReader(Operation op, string name) =>
        new Reader(name, HeaderBytes.Of(op), RecordBytes.Of(op), FooterBytes.Of(op), HopBytes.Of(op));

    private sealed class Reader(string name, int header, int record, int footer, int hop) : ReaderResource(name)
    {
        private FileStream? _stream;
        private long _position;
        private long _limit;
        private long _recordNumber;

        protected override void OnWorkStarted(string work)
        {
            _stream = Open(work);
            _limit = _stream.Length - footer;
            _position = header;
            _recordNumber = 0;
        }

        protected override void OnWorkFinished()
        {
            _stream?.Dispose();
            _stream = null;
        }

        protected override (string Key, byte[] Value)? ReadRecord()
        {
            if (_position + record > _limit) return null;
            var value = new byte[record];
            _stream!.Position = _position;
            _stream.ReadExactly(value);
            _position += hop > 0 ? hop : record;
            return ($"{CurrentWork}:{_recordNumber++}", value);
        }
    }

    /// <summary>The reader op.</summary>
    public static Tensor Build(int recordBytes, int headerBytes, int footerBytes, int hopBytes, string? name) =>
        Def.Create(name, new()
        {
            { RecordBytes, recordBytes },
            { HeaderBytes, headerBytes },
            { FooterBytes, footerBytes },
            { HopBytes, hopBytes },
            { Encoding, "" },
        });
}
