using System.IO.Compression;
using SharpFlow.FileIO;
using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Summaries;

namespace SharpFlow.FileIO.ReaderOps;

/// <summary>
/// TFRecordReaderV2: the records of TFRecord files (optionally GZIP or ZLIB compressed), keyed
/// <c>file:offset</c> with the record's byte offset, as TensorFlow keys them; corrupt framing is a DataLossError
/// naming the file.
/// </summary>
internal sealed class TFRecordReaderV2 : ReaderCreationOp
{
    public static readonly TFRecordReaderV2 Def = new();

    private static readonly OpAttr<string> CompressionType = new("compression_type", "");

    public override string Type => "TFRecordReaderV2";

    protected override void Check(InferenceContext ctx)
    {
        var compression = CompressionType.Of(ctx);
        if (compression is not ("" or "GZIP" or "ZLIB"))
            throw ctx.Error($"compression_type must be '', 'GZIP' or 'ZLIB', got '{compression}'");
    }

    protected override ReaderResource CreateReader(Operation op, string name) => new Reader(name, CompressionType.Of(op));

    private sealed class Reader(string name, string compression) : ReaderResource(name)
    {
        private Stream? _stream;
        private IEnumerator<byte[]>? _records;
        private long _offset;

        protected override void OnWorkStarted(string work)
        {
            Stream stream = Open(work);
            stream = compression switch
            {
                "GZIP" => new GZipStream(stream, CompressionMode.Decompress),
                "ZLIB" => new ZLibStream(stream, CompressionMode.Decompress),
                _ => stream,
            };
            _stream = stream;
            _records = TFRecord.Read(stream, work).GetEnumerator();
            _offset = 0;
        }

        protected override void OnWorkFinished()
        {
            _records?.Dispose();
            _records = null;
            _stream?.Dispose();
            _stream = null;
        }

        protected override (string Key, byte[] Value)? ReadRecord()
        {
            try
            {
                if (!_records!.MoveNext()) return null;
            }
            catch (Exception e) when (e is InvalidDataException || (e is IOException && e.GetType().Name == "ZLibException"))
            {
                throw new DataLossError($"{CurrentWork}: {e.Message}");
            }
            var record = _records.Current;
            var key = $"{CurrentWork}:{_offset}";
            _offset += 16 + record.LongLength;
            return (key, record);
        }
    }

    /// <summary>The reader op.</summary>
    public static Tensor Build(string compressionType, string? name) => Def.Create(name, new() { { CompressionType, compressionType } });
}
