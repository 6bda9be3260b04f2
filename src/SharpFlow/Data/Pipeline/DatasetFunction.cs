using SharpFlow.Functions;

namespace SharpFlow.Data.Pipeline;

/// <summary>
/// A dataset op's <see cref="TracedFunction"/> run per element: bound to a session over the function's graph and to
/// the captured values of one run of the op.
/// </summary>
internal static class DatasetFunction
{
    /// <summary>A runner of <paramref name="function"/> with the captured values of one dataset op run.</summary>
    public static Instance Bind(this TracedFunction function, Session session, NDArray[] captured) => new(function, session, captured);

    /// <summary>The function bound to its captured values, called once per element.</summary>
    public sealed class Instance(TracedFunction function, Session session, NDArray[] captured)
    {
        /// <summary>The function's outputs for one element (safe to call from several threads).</summary>
        public NDArray[] Call(NDArray[] args)
        {
            if (args.Length != function.Args.Length)
                throw new InvalidArgumentError($"Function '{function.LibraryName ?? function.Name}' takes {function.Args.Length} argument(s), but the element has {args.Length} component(s).");
            if (captured.Length != function.CapturedInner.Length)
                throw new InvalidArgumentError($"Function '{function.LibraryName ?? function.Name}' captures {function.CapturedInner.Length} value(s), but the dataset op passes {captured.Length}.");
            var feeds = new FeedDict();
            for (var i = 0; i < args.Length; i++) feeds[function.Args[i]] = args[i];
            for (var i = 0; i < captured.Length; i++) feeds[function.CapturedInner[i]] = captured[i];
            return session.run(function.Outputs, feeds);
        }
    }
}
