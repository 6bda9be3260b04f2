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

            /// <summary>A scalar summary of <paramref name="tensor"/> tagged with the (scoped, unique) <paramref name="name"/>; added to SUMMARIES.</summary>
            public static Tensor scalar(string name, TensorLike tensor, IEnumerable<string>? collections = null, string? family = null) =>
                Summaries.SummaryOps.ScalarSummary.Build(name, tensor, collections, family);

            /// <summary>A histogram summary of all the values of <paramref name="values"/>, in TensorFlow's buckets.</summary>
            public static Tensor histogram(string name, TensorLike values, IEnumerable<string>? collections = null, string? family = null) =>
                Summaries.SummaryOps.HistogramSummary.Build(name, values, collections, family);

            /// <summary>PNG image summaries of up to <paramref name="max_outputs"/> images of a <c>[batch, h, w, 1|3|4]</c> tensor.</summary>
            public static Tensor image(string name, TensorLike tensor, int max_outputs = 3, IEnumerable<string>? collections = null, string? family = null) =>
                Summaries.SummaryOps.ImageSummary.Build(name, tensor, max_outputs, collections, family);

            /// <summary>A text summary of a string tensor, for TensorBoard's text dashboard.</summary>
            public static Tensor text(string name, Tensor tensor, IEnumerable<string>? collections = null) =>
                Summaries.SummaryOps.TensorSummaryV2.Build(name, tensor, collections);

            /// <summary>A text summary of a string.</summary>
            public static Tensor text(string name, string text, IEnumerable<string>? collections = null) =>
                Summaries.SummaryOps.TensorSummaryV2.Build(name, NDArray.FromStrings([text]), collections);

            /// <summary>One summary holding the values of all of <paramref name="inputs"/>.</summary>
            public static Tensor merge(IReadOnlyList<Tensor> inputs, IEnumerable<string>? collections = null, string? name = null) =>
                Summaries.SummaryOps.MergeSummary.Build(inputs, collections, name);

            /// <summary>The merge of every summary in the collection <paramref name="key"/>, or null when it holds none (as TensorFlow returns None).</summary>
            public static Tensor? merge_all(string key = GraphKeys.SUMMARIES, string? scope = null, string? name = null)
            {
                var summaries = SharpFlow.Graph.get_default().get_collection(key, scope).OfType<Tensor>().ToList();
                return summaries.Count == 0 ? null : merge(summaries, name: name);
            }
        }

        /// <summary><c>tf.Summary(value=[...])</c>: a summary built in code, for <c>FileWriter.add_summary</c>.</summary>
        public static Summaries.Summary Summary(params IEnumerable<SummaryValue> value) => new(value);
    }
}
