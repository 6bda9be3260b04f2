using System.Collections.Concurrent;
using SharpFlow.Framework;

namespace SharpFlow.Execution;

/// <summary>A session's variable values, keyed by the VariableV2 op that declares each variable.</summary>
internal sealed class VariableStore : IVariableStore
{
    private readonly ConcurrentDictionary<Operation, NDArray> _values = new();
    private readonly ConcurrentDictionary<Operation, object> _locks = new();

    public NDArray? Read(Operation variableOp) => _values.TryGetValue(variableOp, out var v) ? v : null;

    public void Write(Operation variableOp, NDArray value) => _values[variableOp] = value;

    public IDisposable Lock(Operation variableOp)
    {
        var gate = _locks.GetOrAdd(variableOp, _ => new object());
        Monitor.Enter(gate);
        return new Release(gate);
    }

    public void Clear() => _values.Clear();

    private sealed class Release(object gate) : IDisposable
    {
        private object? _gate = gate;

        public void Dispose()
        {
            if (_gate is null) return;
            Monitor.Exit(_gate);
            _gate = null;
        }
    }
}
