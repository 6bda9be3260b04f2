#pragma warning disable CS8981
using SharpFlow.Keras.Engine;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class keras
        {
            /// <summary><c>tf.keras.models</c>: saving and loading whole models.</summary>
            public static class models
            {
                /// <summary>Rebuilds, loads and compiles a model written by <c>model.save(filepath)</c> (TensorFlow's format, or Keras's HDF5 file for a path ending in .h5, through PureHDF).</summary>
                public static Model load_model(string filepath, bool compile = true) => SharpFlow.Keras.Engine.Model.load_model(filepath, compile);

                /// <summary>Writes <paramref name="model"/> as <c>model.save(filepath)</c> does.</summary>
                public static void save_model(Model model, string filepath, bool overwrite = true, bool include_optimizer = true, string? save_format = null)
                {
                    ArgumentNullException.ThrowIfNull(model);
                    model.save(filepath, overwrite, include_optimizer, save_format);
                }

                /// <summary>A model from the JSON of <c>model.to_json()</c>, with new weights.</summary>
                public static Model model_from_json(string json_string) => KerasSerialization.ModelFromJson(json_string);

                /// <summary>A Sequential model.</summary>
                public static Sequential Sequential(IEnumerable<Layer>? layers = null, string? name = null) => new(layers, name);
            }
        }
    }
}
