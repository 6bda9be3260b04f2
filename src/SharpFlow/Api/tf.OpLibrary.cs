#pragma warning disable CS8981
using System.Reflection;
using SharpFlow.GraphIO;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>
        /// TensorFlow's <c>tf.load_op_library</c> for ops written in C#: registers every op definition that
        /// <paramref name="library"/> declares (each <c>static readonly</c> field of a type derived from
        /// <see cref="SharpFlow.Framework.OpDef"/>, the convention of SharpFlow's own op files), so that
        /// <c>tf.import_graph_def</c>, <c>tf.train.import_meta_graph</c> and SavedModel loading know their op types.
        /// Building and running such ops needs no registration; only reading them back from a file does.
        /// Returns the op types registered, sorted. An op type that SharpFlow already defines is refused, naming it.
        /// </summary>
        public static IReadOnlyList<string> load_op_library(Assembly library)
        {
            ArgumentNullException.ThrowIfNull(library);
            var found = new SortedDictionary<string, SharpFlow.Framework.OpDef>(StringComparer.Ordinal);
            foreach (var type in library.GetTypes())
            {
                if (type.ContainsGenericParameters) continue;
                foreach (var field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    if (field.IsInitOnly && typeof(SharpFlow.Framework.OpDef).IsAssignableFrom(field.FieldType) && field.GetValue(null) is SharpFlow.Framework.OpDef def)
                        found.TryAdd(def.Type, def);
            }
            return RegisterOps(library.GetName().Name ?? "?", found.Values);
        }

        /// <summary>Registers <paramref name="defs"/> for the importers; SharpFlow's own op types cannot be redefined.</summary>
        internal static IReadOnlyList<string> RegisterOps(string library, IEnumerable<SharpFlow.Framework.OpDef> defs)
        {
            var list = defs.ToList();
            foreach (var def in list)
                if (OpRegistry.Find(def.Type) is { } known && !ReferenceEquals(known, def) && known.GetType().Assembly == typeof(Binding).Assembly)
                    throw new AlreadyExistsError($"load_op_library({library}): op type '{def.Type}' is already defined by SharpFlow");
            foreach (var def in list) OpRegistry.Register(def);
            return [.. list.Select(d => d.Type).Order(StringComparer.Ordinal)];
        }

        /// <summary><see cref="load_op_library(Assembly)"/> of the assembly in the file <paramref name="library_filename"/> (a .dll).</summary>
        public static IReadOnlyList<string> load_op_library(string library_filename)
        {
            if (!File.Exists(library_filename)) throw new NotFoundError($"load_op_library: {library_filename} not found");
            return load_op_library(Assembly.LoadFrom(library_filename));
        }
    }
}
