using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using SharpFlow.Framework;

namespace SharpFlow.Ops.Queues;

/// <summary>
/// The resources a session shares by name (TensorFlow's ResourceMgr for queues and readers): ops with the same
/// <c>container</c> and <c>shared_name</c> in one session get one resource, made by whichever runs first; another
/// session has its own. The session is told apart by its variable store, which lives exactly as long as it.
/// </summary>
internal static class SharedResources
{
    private static readonly ConditionalWeakTable<IVariableStore, ConcurrentDictionary<(string Container, string Name), Lazy<object>>> Sessions = new();

    /// <summary>
    /// The resource named (<paramref name="container"/>, <paramref name="name"/>) in the session of
    /// <paramref name="ctx"/>, made by <paramref name="create"/> if there is none yet; <paramref name="verify"/>
    /// checks that an existing one is what this op asks for (it throws if not).
    /// </summary>
    public static T LookupOrCreate<T>(OpKernelContext ctx, string container, string name, Func<T> create, Action<object> verify) where T : class
    {
        var table = Sessions.GetValue(ctx.Variables, _ => new ConcurrentDictionary<(string, string), Lazy<object>>());
        var made = false;
        var entry = table.GetOrAdd((container, name), _ => new Lazy<object>(() =>
        {
            made = true;
            return create();
        }, LazyThreadSafetyMode.ExecutionAndPublication));
        object resource;
        try
        {
            resource = entry.Value;
        }
        catch
        {
            // The creation failed: forget it, so that a later run may try again.
            table.TryRemove(new KeyValuePair<(string, string), Lazy<object>>((container, name), entry));
            throw;
        }
        if (!made) verify(resource);
        return resource as T ?? throw new InvalidOperationException($"The shared resource '{name}' is a {resource.GetType().Name}, not a {typeof(T).Name}.");
    }
}
