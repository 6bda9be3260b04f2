#pragma warning disable CS8981
using SharpFlow.Summaries;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>TensorFlow's <c>tf.summary</c>: event files for TensorBoard.</summary>
        public static class summary
        {
            /// <summary>A writer of an event file in <paramref name="logdir"/>; with <paramref name="graph"/>, the graph is written first.</summary>
            public static FileWriter FileWriter(string logdir, Graph? graph = null, int max_queue = 10, double flush_secs = 120, string filename_suffix = "") =>
                new(logdir, graph, max_queue, flush_secs, filename_suffix);
        }

        /// <summary><c>tf.Summary(value=[...])</c>: a summary built in code, for <c>FileWriter.add_summary</c>.</summary>
        public static Summaries.Summary Summary(params IEnumerable<SummaryValue> value) => new(value);
    }
}
