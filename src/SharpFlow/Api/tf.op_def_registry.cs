#pragma warning disable CS8981
#pragma warning disable CA1034 // nested types mirror TensorFlow's module path (tf.op_def_registry.get)
using SharpFlow.GraphIO;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>
        /// TensorFlow's <c>op_def_registry</c> (<c>tensorflow/python/framework/op_def_registry.py</c>): the op types
        /// a GraphDef may name, so that <c>tf.import_graph_def</c>, <c>tf.train.import_meta_graph</c> and SavedModel
        /// loading can rebuild them. They are SharpFlow's own ops and those <see cref="load_op_library(System.Reflection.Assembly)"/>
        /// registered.
        /// </summary>
        public static class op_def_registry
        {
            /// <summary>
            /// The definition of op type <paramref name="name"/> (<c>op_def_registry.get</c>), or null when no
            /// definition is registered: a graph naming that type cannot be imported.
            /// </summary>
            public static SharpFlow.Framework.OpDef? get(string name)
            {
                ArgumentNullException.ThrowIfNull(name);
                return OpRegistry.Find(name);
            }

            /// <summary>Every registered op type, sorted (the names of TensorFlow's <c>get_registered_ops()</c>).</summary>
            public static IReadOnlyList<string> get_registered_ops() => OpRegistry.Types;
        }
    }
}
