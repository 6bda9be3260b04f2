using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.FileIO.ReaderOps;

/// <summary>
/// TextLineReaderV2: one record per line (without its <c>\n</c> or <c>\r\n</c>), key <c>file:line</c> with lines
/// counted from 1; the first <c>skip_header_lines</c> lines of each file are skipped (and counted).
/// </summary>
internal sealed class TextLineReaderV2 : ReaderCreationOp
{
    public static readonly TextLineReaderV2 Def = new();

    private static readonly OpAttr<int> SkipHeaderLines = new("skip_header_lines", 0);

    public override string Type => "TextLineReaderV2";

    protected override void Check(InferenceContext ctx)
    {
        var skip = SkipHeaderLines.Of(ctx);
        if (skip < 0) throw ctx.Error($"skip_header_lines must be >= 0 not {skip}");
    }

    protected override ReaderResource CreateReader(Operation op, string name) => new Reader(name, SkipHeaderLines.Of(op));

    private sealed class Reader(string name, int skipHeaderLines) : ReaderResource(name)
    {
        private Stream? _stream;
        private long _lineNumber;

        protected override void OnWorkStarted(string work)
        {
            _stream = new BufferedStream(Open(work), 1 << 16);
            _lineNumber = 0;
            for (var i = 0; i < skipHeaderLines; i++)
            {
                if (ReadLine() is null) break;
                _lineNumber++;
            }
        }

        protected override void OnWorkFinished()
        {
            _stream?.Dispose();
            _stream = null;
        }

        protected override (string Key, byte[] Value)? ReadRecord()
        {
            var line = ReadLine();
            _lineNumber++;
            return line is null ? null : ($"{CurrentWork}:{_lineNumber}", line);
        }

        private byte[]? ReadLine()
        {
            var bytes = new List<byte>();
            while (true)
            {
                var b = _stream!.ReadByte();
                if (b < 0)
                {
                    if (bytes.Count == 0) return null;
                    break;
                }
                if (b == '\n') break;
                bytes.Add((byte)b);
            }
            if (bytes.Count > 0 && bytes[^1] == '\r') bytes.RemoveAt(bytes.Count - 1);
            return [.. bytes];
        }
    }

    /// <summary>The reader op.</summary>
    public static Tensor Build(int skipHeaderLines, string? name) => Def.Create(name, new() { { SkipHeaderLines, skipHeaderLines } });
}
