using SharpFlow.Framework;
using SharpFlow.Ops.State;

namespace SharpFlow.Execution;

/// <summary>
/// The static structure a plan with control flow runs on (TensorFlow's executor graph): for each step its out
/// edges, how many inputs it waits for, its frame (the while loop it belongs to, found from the Enter and Exit ops
/// on the way to it), and the Exits of each frame. Built once per plan; the run-time state lives in
/// <see cref="DataflowExecutor"/>.
/// </summary>
internal sealed class DataflowGraph
{
    /// <summary>An edge to input <see cref="Input"/> of step <see cref="Dst"/> from output <see cref="Output"/> (-1: a control edge).</summary>
    internal readonly record struct Edge(int Dst, int Output, int Input);

    public DataflowGraph(Plan plan, IReadOnlyList<Tensor> feeds)
    {
        var steps = plan.Steps;
        var n = steps.Length;
        var index = new Dictionary<Operation, int>(n);
        for (var i = 0; i < n; i++) index[steps[i].Op] = i;
        var fed = new Dictionary<Tensor, int>(TensorComparer.Instance);
        for (var i = 0; i < feeds.Count; i++) fed[feeds[i]] = i;

        Roles = new ControlFlowRole[n];
        Pending = new int[n];
        DataInputs = new int[n];
        FedInputs = new (int Input, int Feed)[n][];
        var outEdges = new List<Edge>[n];
        for (var i = 0; i < n; i++) outEdges[i] = [];
        for (var i = 0; i < n; i++)
        {
            var op = steps[i].Op;
            Roles[i] = op.Def.ControlFlow;
            var fedInputs = new List<(int, int)>();
            var inputs = steps[i].Inputs;
            for (var j = 0; j < inputs.Length; j++)
            {
                var t = inputs[j];
                if (fed.TryGetValue(t, out var f))
                {
                    fedInputs.Add((j, f));
                    continue;
                }
                // A variable reference names the variable; its kernel reads the session's store, so it is no edge
                // (and may cross frames: an assignment inside a loop to a variable created outside).
                if (steps[i].RefInputs[j] && t.op.Def is VariableV2) continue;
                outEdges[index[t.op]].Add(new Edge(i, t.value_index, j));
                DataInputs[i]++;
            }
            foreach (var c in steps[i].ControlInputs)
                if (index.TryGetValue(c, out var src))
                {
                    outEdges[src].Add(new Edge(i, -1, -1));
                    Pending[i]++;
                }
            FedInputs[i] = [.. fedInputs];
            // A Merge waits for its control inputs and one live data input; every other op for all its inputs.
            if (Roles[i] != ControlFlowRole.Merge) Pending[i] += DataInputs[i];
        }
        Out = [.. outEdges.Select(e => e.ToArray())];

        // Frames: an Enter's consumers are in the frame it names, an Exit's in its frame's parent, everyone else's
        // in the frame of its inputs. Creation order visits every op after its inputs except the back edges.
        FrameOf = new int[n];
        Array.Fill(FrameOf, -1);
        var frameNames = new List<string> { "" };
        var frameParent = new List<int> { -1 };
        var frameIds = new Dictionary<string, int>(StringComparer.Ordinal) { [""] = 0 };
        ChildFrame = new int[n];
        Array.Fill(ChildFrame, -1);
        IsConstantEnter = new bool[n];
        var order = Enumerable.Range(0, n).OrderBy(i => steps[i].Op.Id).ToArray();
        int FrameAfter(int src)
        {
            var f = FrameOf[src];
            if (f < 0) return -1;
            return Roles[src] switch
            {
                ControlFlowRole.Enter => ChildFrame[src],
                ControlFlowRole.Exit => frameParent[f],
                _ => f,
            };
        }
        var incoming = new List<int>[n];
        for (var i = 0; i < n; i++) incoming[i] = [];
        for (var s = 0; s < n; s++)
            foreach (var e in Out[s]) incoming[e.Dst].Add(s);
        foreach (var i in order)
        {
            var frame = -1;
            foreach (var src in incoming[i].OrderBy(s => steps[s].Op.Id))
                if (FrameAfter(src) is >= 0 and var f)
                {
                    frame = f;
                    break;
                }
            FrameOf[i] = frame < 0 ? 0 : frame;
            if (Roles[i] == ControlFlowRole.Enter)
            {
                var name = steps[i].Op.Attr<string>("frame_name");
                // Frame names are unique in a graph; a frame entered from two parents is the same loop.
                if (!frameIds.TryGetValue(name, out var child))
                {
                    frameIds[name] = child = frameNames.Count;
                    frameNames.Add(name);
                    frameParent.Add(FrameOf[i]);
                }
                ChildFrame[i] = child;
                IsConstantEnter[i] = steps[i].Op.Attr<bool>("is_constant");
            }
        }
        FrameNames = [.. frameNames];
        FrameParent = [.. frameParent];
        var exits = new List<int>[FrameNames.Length];
        for (var f = 0; f < exits.Length; f++) exits[f] = [];
        for (var i = 0; i < n; i++)
            if (Roles[i] == ControlFlowRole.Exit) exits[FrameOf[i]].Add(i);
        ExitsOfFrame = [.. exits.Select(e => e.ToArray())];
        ExitPosition = new int[n];
        foreach (var e in ExitsOfFrame)
            for (var k = 0; k < e.Length; k++) ExitPosition[e[k]] = k;
        Roots = [.. Enumerable.Range(0, n).Where(i => FrameOf[i] == 0 && Pending[i] == 0 && (Roles[i] != ControlFlowRole.Merge || DataInputs[i] == 0))];

        var fetchSources = new (int Step, int Output, int Feed)[plan.Fetches.Length];
        for (var k = 0; k < fetchSources.Length; k++)
        {
            var t = plan.RunFetches[k];
            fetchSources[k] = fed.TryGetValue(t, out var f) ? (-1, -1, f) : (index[t.op], t.value_index, -1);
        }
        FetchSources = fetchSources;
        FetchesOf = new List<int>?[n];
        for (var k = 0; k < fetchSources.Length; k++)
            if (fetchSources[k].Step >= 0) (FetchesOf[fetchSources[k].Step] ??= []).Add(k);
    }

    public ControlFlowRole[] Roles { get; }
    /// <summary>Inputs each step waits for (for a Merge: its control inputs only).</summary>
    public int[] Pending { get; }
    /// <summary>Data inputs that arrive through edges (not fed).</summary>
    public int[] DataInputs { get; }
    public (int Input, int Feed)[][] FedInputs { get; }
    public Edge[][] Out { get; }
    public int[] FrameOf { get; }
    /// <summary>For an Enter, the frame it enters.</summary>
    public int[] ChildFrame { get; }
    public bool[] IsConstantEnter { get; }
    public string[] FrameNames { get; }
    public int[] FrameParent { get; }
    public int[][] ExitsOfFrame { get; }
    /// <summary>For an Exit, its position in its frame's <see cref="ExitsOfFrame"/>.</summary>
    public int[] ExitPosition { get; }
    /// <summary>Root-frame steps with nothing to wait for.</summary>
    public int[] Roots { get; }
    /// <summary>Where each fetch comes from: a step's output, or a feed.</summary>
    public (int Step, int Output, int Feed)[] FetchSources { get; }
    /// <summary>The fetch indices each step produces.</summary>
    public List<int>?[] FetchesOf { get; }
}
