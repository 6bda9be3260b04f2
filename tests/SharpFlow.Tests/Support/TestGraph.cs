namespace SharpFlow.Tests.Support;

/// <summary>
/// Gives a test its own default graph (tests run in parallel; the default graph is per thread once one is
/// entered): <c>using var g = TestGraph.Enter();</c>.
/// </summary>
public sealed class TestGraph : IDisposable
{
    private readonly IDisposable _scope;

    private TestGraph()
    {
        Graph = new Graph();
        _scope = Graph.as_default();
    }

    public Graph Graph { get; }

    public static TestGraph Enter() => new();

    /// <summary>Evaluates a tensor in a fresh session on this graph.</summary>
    public NDArray Eval(Tensor t, FeedDict? feed = null)
    {
        using var sess = new Session(Graph);
        return sess.run(t, feed);
    }

    public void Dispose() => _scope.Dispose();
}
