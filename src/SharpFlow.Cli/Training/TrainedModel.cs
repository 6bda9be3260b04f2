using SharpFlow.Models;
using static SharpFlow.Binding;

namespace SharpFlow.Cli.Training;

/// <summary>
/// A model directory written by <c>sharpflow train</c>, rebuilt for inference (no dropout, batch normalization on its
/// moving statistics) in a session holding the saved weights.
/// </summary>
internal sealed class TrainedModel : IDisposable
{
    private TrainedModel(ModelInfo info, ClassifierGraph graph, Session session)
    {
        Info = info;
        Graph = graph;
        Session = session;
    }

    public ModelInfo Info { get; }
    public ClassifierGraph Graph { get; }
    public Session Session { get; }

    public static TrainedModel Open(string directory)
    {
        var (info, weights) = ModelDirectory.Load(directory);
        var model = ModelZoo.Create(info.Model, info.Classes);
        var graph = ClassifierGraph.Build(model, info.Input[0], info.Input[1], info.Input[2], settings: null);
        var sess = new Session(graph.Graph);
        try
        {
            using (graph.Graph.as_default()) sess.run(tf.global_variables_initializer());
            foreach (var v in graph.ModelVariables)
            {
                if (!weights.TryGetValue(v.op.name, out var value))
                    throw new NotFoundError($"{Path.Combine(directory, ModelDirectory.WeightsFile)}: tensor '{v.op.name}' of {info.Model} is missing");
                if (value.shape != v.shape || value.dtype != v.dtype)
                    throw new InvalidArgumentError($"{Path.Combine(directory, ModelDirectory.WeightsFile)}: tensor '{v.op.name}' is {value.dtype.name} {value.shape}, the model needs {v.dtype.name} {v.shape}");
                v.load(value, sess);
            }
            return new TrainedModel(info, graph, sess);
        }
        catch
        {
            sess.Dispose();
            throw;
        }
    }

    public void Dispose() => Session.Dispose();
}
