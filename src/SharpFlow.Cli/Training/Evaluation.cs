using SharpFlow.Data;

namespace SharpFlow.Cli.Training;

/// <summary>Accuracy and confusion matrix of a classifier over a data set, in batches.</summary>
internal sealed record Evaluation(double Accuracy, int[,] Confusion, int Examples)
{
    public static Evaluation Run(Session sess, ClassifierGraph graph, DataSet data, int classes, int batchSize = 500)
    {
        var confusion = new int[classes, classes];
        var correct = 0;
        foreach (var (images, labels) in data.Batches(batchSize, shuffle: false))
        {
            var predicted = sess.run(graph.Predictions, new FeedDict { [graph.Images] = images }).AsReadOnlySpan<int>();
            var truth = labels.AsReadOnlySpan<int>();
            for (var i = 0; i < truth.Length; i++)
            {
                confusion[truth[i], predicted[i]]++;
                if (truth[i] == predicted[i]) correct++;
            }
        }
        return new Evaluation(data.num_examples == 0 ? 0 : (double)correct / data.num_examples, confusion, data.num_examples);
    }
}
