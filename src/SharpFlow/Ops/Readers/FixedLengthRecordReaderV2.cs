using SharpFlow.Framework;

namespace SharpFlow.Ops.Readers;

/// <summary>
/// FixedLengthRecordReaderV2: records of <c>record_bytes</c> bytes, after <c>header_bytes</c> and before
/// <c>footer_bytes</c>, one every <c>hop_bytes</c> (every record when 0); key <c>file:n</c> counted from 0.
/// </summary>
internal sealed class FixedLengthRecordReaderV2 : ReaderCreationOp
{
    public static readonly FixedLengthRecordReaderV2 Def = new();

    public override string Type => "FixedLengthRecordReaderV2";

    protected override void Check(InferenceContext ctx)
    {
        if (ctx.Attr<int>("record_bytes") <= 0) throw ctx.Error($"record_bytes must be > 0 not {ctx.Attr<int>("record_bytes")}");
        foreach (var attr in new[] { "header_bytes", "footer_bytes", "hop_bytes" })
            if (ctx.Attr<int>(attr) < 0) throw ctx.Error($"{attr} must be >= 0 not {ctx.Attr<int>(attr)}");
        var encoding = ctx.Attr<string>("encoding");
        if (encoding.Length > 0) throw ctx.Error($"encoding '{encoding}' is not supported: read uncompressed files");
    }

    protected override ReaderResource CreateReader(Operation op, string name) =>
        new Reader(name, op.Attr<int>("header_bytes"), op.Attr<int>("record_bytes"), op.Attr<int>("footer_bytes"), op.Attr<int>("hop_bytes"));

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
            ["record_bytes"] = recordBytes,
            ["header_bytes"] = headerBytes,
            ["footer_bytes"] = footerBytes,
            ["hop_bytes"] = hopBytes,
            ["encoding"] = "",
        });
}
