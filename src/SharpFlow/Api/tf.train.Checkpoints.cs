#pragma warning disable CS8981
using SharpFlow.Checkpoints;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class train
        {
            /// <summary>
            /// A reader of the TensorFlow checkpoint <paramref name="filepattern"/> (a prefix such as
            /// <c>model.ckpt-1000</c>, format V2): <c>get_tensor</c>, <c>has_tensor</c>,
            /// <c>get_variable_to_shape_map</c>, <c>get_variable_to_dtype_map</c>.
            /// </summary>
            public static CheckpointReader NewCheckpointReader(string filepattern) => new(filepattern);

            /// <summary>
            /// The (name, shape) of every variable in the checkpoint <paramref name="ckpt_dir_or_file"/> (a
            /// checkpoint prefix, or a directory whose state file names the latest one), sorted by name.
            /// </summary>
            public static List<(string Name, Shape Shape)> list_variables(string ckpt_dir_or_file) => CheckpointUtils.ListVariables(ckpt_dir_or_file);

            /// <summary>The value of the variable <paramref name="name"/> in the checkpoint <paramref name="ckpt_dir_or_file"/> (a trailing <c>:0</c> is dropped).</summary>
            public static NDArray load_variable(string ckpt_dir_or_file, string name) => CheckpointUtils.LoadVariable(ckpt_dir_or_file, name);

            /// <summary>
            /// Replaces the initializers of the variables named by <paramref name="assignment_map"/> with the values
            /// from the checkpoint <paramref name="ckpt_dir_or_file"/>, so that <c>global_variables_initializer</c> (or
            /// the variables' own initializers) loads them. The map's rules are TensorFlow's: <c>"scope/": "scope/"</c>
            /// maps every variable under a checkpoint scope to the variable with the same name under a graph scope
            /// (<c>"/": "scope/"</c> for the whole checkpoint), <c>"name": "name"</c> one checkpoint tensor to one
            /// variable, and a graph scope or name may also be given as a variable.
            /// </summary>
            public static void init_from_checkpoint(string ckpt_dir_or_file, IReadOnlyDictionary<string, string> assignment_map) =>
                CheckpointUtils.InitFromCheckpoint(ckpt_dir_or_file, assignment_map.Select(kv => (kv.Key, (object)kv.Value)));

            /// <summary><see cref="init_from_checkpoint(string, IReadOnlyDictionary{string, string})"/> with variables as the map's targets.</summary>
            public static void init_from_checkpoint(string ckpt_dir_or_file, IReadOnlyDictionary<string, Variable> assignment_map) =>
                CheckpointUtils.InitFromCheckpoint(ckpt_dir_or_file, assignment_map.Select(kv => (kv.Key, (object)kv.Value)));

            /// <summary>Whether a checkpoint (format V2, or SharpFlow's safetensors) exists under <paramref name="checkpoint_prefix"/>.</summary>
            public static bool checkpoint_exists(string checkpoint_prefix) => SharpFlow.Train.Saver.CheckpointExists(checkpoint_prefix);
        }
    }
}
