using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.FileIO.ReaderOps;

/// <summary>WholeFileReaderV2: one record per file, its whole contents, keyed by the file name.</summary>
internal sealed class WholeFileReaderV2 : ReaderCreationOp
{
    public static readonly WholeFileReaderV2 Def = new();

    public override string Type => "WholeFileReaderV2";

    protected override ReaderResource CreateReader(Operation op, string name) => new Reader(name);

    private sealed class Reader(string name) : ReaderResource(name)
    {
        private bool _done;

        protected override void OnWorkStarted(string work) => _done = false;

        protected override void OnWorkFinished() { }

        protected override (string Key, byte[] Value)? ReadRecord()
        {
            if (_done) return null;
            _done = true;
            using var stream = Open(CurrentWork);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            return (CurrentWork, memory.ToArray());
        }
    }

    /// <summary>The reader op.</summary>
    public static Tensor Build(string? name) => Def.Create(name);
}
