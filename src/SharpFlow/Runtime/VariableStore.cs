using System.Collections.Concurrent;
using SharpFlow.Framework;

namespace SharpFlow.Runtime;

/// <summary>A session's variable values, keyed by the VariableV2 op that declares each variable.</summary>
internal sealed class VariableStore : IVariableStore
{
    private readonly ConcurrentDictionary<Operation, NDArray> _values = new();

    public NDArray? Read(Operation variableOp) => _values.TryGetValue(variableOp, out var v) ? v : null;

    public void Write(Operation variableOp, NDArray value) => _values[variableOp] = value;

    public void Clear() => _values.Clear();
}
