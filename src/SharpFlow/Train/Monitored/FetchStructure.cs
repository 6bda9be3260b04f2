using System.Collections;

namespace SharpFlow.Train.Monitored;

/// <summary>
/// Flattens nested fetches (a tensor, an operation, a list, a dictionary keyed by strings or hooks) into one list
/// for <see cref="Session.run(IReadOnlyList{ITensorOrOperation}, FeedDict?, Execution.RunOptions?, Execution.RunMetadata?)"/>
/// and rebuilds the results in the same shape, as TensorFlow's fetch mapper does.
/// </summary>
internal static class FetchStructure
{
    public static void Flatten(object? fetches, List<ITensorOrOperation> into)
    {
        switch (fetches)
        {
            case null:
                return;
            case ITensorOrOperation t:
                into.Add(t);
                return;
            case IDictionary dict:
                foreach (DictionaryEntry e in dict) Flatten(e.Value, into);
                return;
            case IEnumerable list and not string:
                foreach (var item in list) Flatten(item, into);
                return;
            default:
                throw new TypeError($"Fetch argument {fetches} has invalid type {fetches.GetType().Name}, must be a tensor, an operation, a list or a dictionary of them.");
        }
    }

    public static object? Rebuild(object? fetches, IReadOnlyList<NDArray?> values, ref int next)
    {
        switch (fetches)
        {
            case null:
                return null;
            case ITensorOrOperation:
                return values[next++];
            case IDictionary dict:
            {
                var result = new Dictionary<string, object?>();
                foreach (DictionaryEntry e in dict) result[e.Key.ToString() ?? ""] = Rebuild(e.Value, values, ref next);
                return result;
            }
            case IEnumerable list:
            {
                var result = new List<object?>();
                foreach (var item in list) result.Add(Rebuild(item, values, ref next));
                return result.ToArray();
            }
            default:
                throw new TypeError($"Fetch argument {fetches} has invalid type {fetches.GetType().Name}.");
        }
    }
}
