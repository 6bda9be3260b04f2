using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.FileIO.ReaderOps;

/// <summary>
/// What the reader ops (TFRecordReaderV2, TextLineReaderV2, WholeFileReaderV2, FixedLengthRecordReaderV2) share:
/// attributes <c>container</c> and <c>shared_name</c>, a scalar resource handle as output, and a kernel that
/// creates the reader on its first run, keeps it for the session, and closes its file with the session. Ops with the
/// same <c>container</c> and <c>shared_name</c> share one reader in a session (TensorFlow's resource manager).
/// </summary>
internal abstract class ReaderCreationOp : OpDef
{
    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        Check(ctx);
        ctx.AddOutput(DType.resource, Shape.Scalar);
    }

    /// <summary>Checks the kind's attributes.</summary>
    protected virtual void Check(InferenceContext ctx) { }

    /// <summary>The reader for one session.</summary>
    protected abstract ReaderResource CreateReader(Operation op, string name);

    private static readonly OpAttr<string> SharedName = new("shared_name");
    private static readonly OpAttr<string> Container = new("container");

    public override OpKernel CreateKernel(Operation op) => new Kernel(this, op);

    private sealed class Kernel(ReaderCreationOp def, Operation op) : OpKernel, IDisposable
    {
        private readonly object _lock = new();
        private NDArray? _handle;
        private ReaderResource? _reader;

        private bool _disposed;

        public override void Compute(OpKernelContext ctx)
        {
            lock (_lock)
            {
                // A run that reaches the op after its session closed would make a resource nobody can wake.
                if (_disposed) throw new CancelledError($"{op.name}: the session was closed");
                if (_handle is null)
                {
                    var shared = SharedName.Of(op);
                    _reader = shared.Length == 0
                        ? def.CreateReader(op, Ops.Queues.QueueResource.UniqueName(op.name))
                        : Ops.Queues.SharedResources.LookupOrCreate(ctx, Container.Of(op), shared, () => def.CreateReader(op, shared), existing =>
                        {
                            // TensorFlow's resource manager would hand any reader over; a reader of another kind is refused here
                            // (each kind's reader class is nested in its op's class).
                            var kind = existing.GetType().DeclaringType;
                            if (kind != def.GetType())
                                throw ctx.InvalidArgument($"Shared reader '{shared}' was made by a {kind?.Name ?? existing.GetType().Name} op, not a {def.Type} like node '{op.name}'");
                        });
                    _handle = new NDArray(new object[] { _reader }, Shape.Scalar);
                }
                ctx.ForwardOutput(0, _handle);
            }
        }

        public void Dispose()
        {
            lock (_lock)
            {
                _disposed = true;
                _reader?.Dispose();
            }
        }
    }

    /// <summary>
    /// Adds the reader op with its own attributes (written by its builder through its descriptors) and the common
    /// ones: readers with the same <paramref name="container"/> and non-empty <paramref name="sharedName"/> are one
    /// reader in a session.
    /// </summary>
    public Tensor Create(string? name, Dictionary<string, object>? extra = null, string container = "", string sharedName = "")
    {
        using var b = OpBuilder.Begin(Graph.get_default(), name, Type);
        var attrs = extra is null ? new Dictionary<string, object>() : new Dictionary<string, object>(extra);
        Container.Set(attrs, container);
        SharedName.Set(attrs, sharedName);
        return b.Create(this, [], attrs).outputs[0];
    }
}
