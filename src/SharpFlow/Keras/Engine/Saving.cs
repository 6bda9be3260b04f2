namespace SharpFlow.Keras.Engine;

public partial class Model
{
    /// <summary>
    /// Writes the model's weights as a TensorFlow checkpoint (<c>filepath.index</c> and
    /// <c>filepath.data-00000-of-00001</c>) keyed by the variables' names (<c>dense/kernel</c>).
    /// </summary>
    public void save_weights(string filepath)
    {
        ArgumentNullException.ThrowIfNull(filepath);
        var dir = Path.GetDirectoryName(Path.GetFullPath(filepath));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var saver = new Train.Saver(variables, max_to_keep: 0);
        saver.save(Backend.get_session(), filepath, write_state: false);
    }

    /// <summary>Loads weights written by <see cref="save_weights"/> (or any checkpoint holding the same variable names).</summary>
    public void load_weights(string filepath)
    {
        ArgumentNullException.ThrowIfNull(filepath);
        var saver = new Train.Saver(variables, max_to_keep: 0);
        saver.restore(Backend.get_session(), filepath);
    }
}
