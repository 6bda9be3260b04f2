using SharpFlow.Functions;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using SharpFlow.Ops.State;
using SharpFlow.Ops.Initializers;

namespace SharpFlow.Rnn.Seq2Seq;

/// <summary>
/// TensorFlow 1.x's <c>tf.contrib.seq2seq.Helper</c>: how a decoder gets its first inputs, reads the ids of its
/// outputs, and gets its next inputs and which sequences have finished.
/// </summary>
public abstract class Helper
{
    /// <summary>The batch size (a scalar int32 tensor).</summary>
    public abstract Tensor batch_size { get; }

    /// <summary>The shape of one sample id (without the batch axis).</summary>
    public virtual Shape sample_ids_shape => Shape.Scalar;

    /// <summary>The dtype of the sample ids.</summary>
    public virtual DType sample_ids_dtype => DType.int32;

    /// <summary>(finished, next_inputs) at the first step.</summary>
    public abstract (Tensor finished, Tensor next_inputs) initialize(string? name = null);

    /// <summary>The sample ids of the outputs at <paramref name="time"/>.</summary>
    public abstract Tensor sample(Tensor time, Tensor outputs, object state, string? name = null);

    /// <summary>(finished, next_inputs, next_state) after the step at <paramref name="time"/>.</summary>
    public abstract (Tensor finished, Tensor next_inputs, object next_state) next_inputs(Tensor time, Tensor outputs, object state,
        Tensor sample_ids, string? name = null);

    /// <summary>TensorFlow's <c>_transpose_batch_time</c>: swaps the first two axes.</summary>
    internal static Tensor TransposeBatchTime(Tensor x)
    {
        if (!x.shape.IsKnownRank || x.shape.ndims < 2)
            throw new ValueError($"Expected input tensor {x} to have rank at least 2");
        var perm = new[] { 1, 0 }.Concat(Enumerable.Range(2, x.shape.ndims - 2)).ToArray();
        return Transpose.Build(x, perm);
    }
}

/// <summary>
/// <c>tf.contrib.seq2seq.TrainingHelper(inputs, sequence_length, time_major)</c> (teacher forcing): step t reads
/// <c>inputs[:, t]</c>; a sequence finishes when the next time reaches its length; once all have finished the
/// next inputs are zeros. The sample ids are the argmax of the outputs.
/// </summary>
public sealed class TrainingHelper : Helper
{
    private readonly TensorArray _inputTa;
    private readonly Tensor _zeroInputs;
    private readonly Shape _stepShape;

    /// <summary>A helper reading <paramref name="inputs"/> ([batch, time, ...], or [time, batch, ...] when time_major).</summary>
    public TrainingHelper(TensorLike inputs, TensorLike sequence_length, bool time_major = false, string? name = null)
    {
        using var _ = Graph.get_default().name_scope(name ?? "TrainingHelper");
        var x = ArrayFunctions.ConvertToTensor(inputs.Value, null, "inputs");
        this.inputs = x;
        if (!time_major) x = TransposeBatchTime(x);
        this.sequence_length = ArrayFunctions.ConvertToTensor(sequence_length.Value, null, "sequence_length");
        if (this.sequence_length.shape.ndims != 1)
            throw new ValueError($"Expected sequence_length to be a vector, but received shape: {this.sequence_length.shape}");
        _stepShape = new Shape(x.shape.AsSpan()[1..].ToArray());
        _zeroInputs = ZerosLike.Def.Apply(x[0, ..], null, true, null);
        // One step of zeros after the last one: the read at the step after the end gives zeros, as TensorFlow's
        // cond on all-finished does, without reading past the array.
        var padded = ConcatV2.Build([x, ExpandDims.Build(_zeroInputs, 0)], 0);
        _inputTa = new TensorArray(x.dtype, Shape_.Build(padded)[0], element_shape: _stepShape, tensor_array_name: "input_ta").unstack(padded);
        batch_size = Size.Build(this.sequence_length);
    }

    /// <summary>The inputs as given.</summary>
    public Tensor inputs { get; }

    /// <summary>The sequence lengths.</summary>
    public Tensor sequence_length { get; }

    /// <inheritdoc/>
    public override Tensor batch_size { get; }

    private Tensor Read(Tensor time)
    {
        var r = _inputTa.read(time);
        r.SetShape(_stepShape);
        return r;
    }

    /// <inheritdoc/>
    public override (Tensor finished, Tensor next_inputs) initialize(string? name = null)
    {
        using var _ = Graph.get_default().name_scope(name ?? "TrainingHelperInitialize");
        var finished = Equal.Build(Const.Build(0, sequence_length.dtype), sequence_length);
        var allFinished = All.Build(finished);
        return (finished, Select.Build(allFinished, _zeroInputs, Read(Const.Build(0))));
    }

    /// <inheritdoc/>
    public override Tensor sample(Tensor time, Tensor outputs, object state, string? name = null)
    {
        using var _ = Graph.get_default().name_scope(name ?? "TrainingHelperSample");
        return Cast.Build(ArgMax.Def.Apply(outputs, -1, null, null), DType.int32);
    }

    /// <inheritdoc/>
    public override (Tensor finished, Tensor next_inputs, object next_state) next_inputs(Tensor time, Tensor outputs, object state,
        Tensor sample_ids, string? name = null)
    {
        using var _ = Graph.get_default().name_scope(name ?? "TrainingHelperNextInputs");
        var nextTime = time + 1;
        var finished = GreaterEqual.Build(Cast.Build(nextTime, sequence_length.dtype), sequence_length);
        var allFinished = All.Build(finished);
        return (finished, Select.Build(allFinished, _zeroInputs, Read(nextTime)), state);
    }
}

/// <summary>
/// <c>tf.contrib.seq2seq.GreedyEmbeddingHelper(embedding, start_tokens, end_token)</c>: the first inputs are the
/// start tokens' embeddings; each next input is the embedding of the argmax of the outputs; a sequence finishes
/// when it emits <c>end_token</c>.
/// </summary>
public sealed class GreedyEmbeddingHelper : Helper
{
    private readonly Func<Tensor, Tensor> _embeddingFn;
    private readonly Tensor _startInputs;

    /// <summary>A helper embedding ids with the matrix <paramref name="embedding"/>.</summary>
    public GreedyEmbeddingHelper(Tensor embedding, TensorLike start_tokens, TensorLike end_token)
        : this(ids => Embedding.Lookup([embedding], ids, "mod", null, null), start_tokens, end_token) { }

    /// <summary>A helper embedding ids with the function <paramref name="embedding"/>.</summary>
    public GreedyEmbeddingHelper(Func<Tensor, Tensor> embedding, TensorLike start_tokens, TensorLike end_token)
    {
        _embeddingFn = embedding ?? throw new ArgumentNullException(nameof(embedding));
        this.start_tokens = ArrayFunctions.ConvertToTensor(start_tokens.Value, DType.int32, "start_tokens");
        this.end_token = ArrayFunctions.ConvertToTensor(end_token.Value, DType.int32, "end_token");
        if (this.start_tokens.shape.ndims != 1) throw new ValueError("start_tokens must be a vector");
        batch_size = Size.Build(this.start_tokens);
        if (this.end_token.shape.ndims != 0) throw new ValueError("end_token must be a scalar");
        _startInputs = _embeddingFn(this.start_tokens);
    }

    /// <summary>The start tokens.</summary>
    public Tensor start_tokens { get; }

    /// <summary>The end token.</summary>
    public Tensor end_token { get; }

    /// <inheritdoc/>
    public override Tensor batch_size { get; }

    /// <inheritdoc/>
    public override (Tensor finished, Tensor next_inputs) initialize(string? name = null) =>
        (Tile.Build(Const.Build(new[] { false }), ExpandDims.Build(batch_size, 0)), _startInputs);

    /// <inheritdoc/>
    public override Tensor sample(Tensor time, Tensor outputs, object state, string? name = null) =>
        ArgMax.Def.Apply(outputs, -1, DType.int32, null);

    /// <inheritdoc/>
    public override (Tensor finished, Tensor next_inputs, object next_state) next_inputs(Tensor time, Tensor outputs, object state,
        Tensor sample_ids, string? name = null)
    {
        var finished = Equal.Build(sample_ids, end_token);
        var allFinished = All.Build(finished);
        return (finished, Select.Build(allFinished, _startInputs, _embeddingFn(sample_ids)), state);
    }
}
