using SharpFlow.Ops.Initializers;
using SharpFlow.Layers;
using SharpFlow.Ops.State;
using SharpFlow.Functions;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;

namespace SharpFlow.Rnn.Seq2Seq;

/// <summary>
/// TensorFlow 1.15's <c>_BaseAttentionMechanism</c> (attention_wrapper.py): the memory ([batch, max_time, depth])
/// is zeroed past each <c>memory_sequence_length</c> (the <c>values</c>), projected by the <c>memory_layer</c> (the
/// <c>keys</c>); a query's scores over the keys are masked past each length with <c>score_mask_value</c> (−∞ by
/// default) and turned into alignments by the probability function (softmax).
/// </summary>
public abstract class AttentionMechanism
{
    private readonly Func<Tensor, Tensor> _probabilityFn;

    /// <summary>Prepares the memory and its keys.</summary>
    protected AttentionMechanism(DenseLayer? queryLayer, Tensor memory, Func<Tensor, Tensor>? probabilityFn, TensorLike? memorySequenceLength,
        DenseLayer? memoryLayer, double? scoreMaskValue, string name)
    {
        ArgumentNullException.ThrowIfNull(memory);
        query_layer = queryLayer;
        memory_layer = memoryLayer;
        using (Graph.get_default().name_scope(name))
        {
            memory_sequence_length = memorySequenceLength is { } l ? ArrayFunctions.ConvertToTensor(l.Value, null, "memory_sequence_length") : null;
            values = PrepareMemory(memory, memory_sequence_length);
            keys = memory_layer is null ? values : memory_layer.__call__(values);
        }
        batch_size = keys.shape[0] >= 0 ? Const.Build(keys.shape[0]) : Shape_.Build(keys)[0];
        alignments_size = keys.shape[1] >= 0 ? Const.Build(keys.shape[1]) : Shape_.Build(keys)[1];
        var softmax = probabilityFn ?? (s => Activations.Softmax(s, -1, log: false, null));
        var mask = memory_sequence_length;
        _probabilityFn = score => softmax(MaybeMaskScore(score, mask, scoreMaskValue));
    }

    /// <summary>The memory, zeroed past each sequence's length.</summary>
    public Tensor values { get; }

    /// <summary>The memory layer's projection of the values (the values without one).</summary>
    public Tensor keys { get; }

    /// <summary>The memory's sequence lengths, or null.</summary>
    public Tensor? memory_sequence_length { get; }

    /// <summary>The layer applied to queries, or null.</summary>
    public DenseLayer? query_layer { get; }

    /// <summary>The layer applied to the memory, or null.</summary>
    public DenseLayer? memory_layer { get; }

    /// <summary>The batch size of the memory.</summary>
    public Tensor batch_size { get; }

    /// <summary>The memory's time length (the size of an alignment).</summary>
    public Tensor alignments_size { get; }

    /// <summary>The static memory time length, or -1.</summary>
    internal int StaticAlignmentsSize => keys.shape[1];

    /// <summary>(alignments, next_state) of <paramref name="query"/> ([batch, query_depth]) over the memory.</summary>
    public (Tensor alignments, Tensor next_state) __call__(Tensor query, Tensor state)
    {
        var score = Score(query);
        var alignments = _probabilityFn(score);
        return (alignments, alignments);
    }

    /// <summary>The unnormalised scores [batch, max_time].</summary>
    protected abstract Tensor Score(Tensor query);

    /// <summary>Zeros [batch, max_time]: the alignments before the first step.</summary>
    public Tensor initial_alignments(TensorLike batch_size, DType dtype)
    {
        var z = Fill.Dynamic(Pack.Build([batch_size, (TensorLike)alignments_size]), dtype, false, null);
        z.SetShape(new Shape(batch_size.Value is int b ? b : -1, StaticAlignmentsSize));
        return z;
    }

    /// <summary>The initial attention state (the initial alignments).</summary>
    public Tensor initial_state(TensorLike batch_size, DType dtype) => initial_alignments(batch_size, dtype);

    private static Tensor PrepareMemory(Tensor memory, Tensor? lengths)
    {
        if (!memory.shape.IsKnownRank || memory.shape.ndims < 3 || memory.shape.Dims.Skip(2).Any(d => d < 0))
            throw new ValueError($"Expected memory {memory.name} to have fully defined inner dims, but saw shape: {memory.shape}");
        if (lengths is null) return memory;
        if (lengths.shape[0] >= 0 && memory.shape[0] >= 0 && lengths.shape[0] != memory.shape[0])
            throw new ValueError("memory_sequence_length and memory tensor batch sizes do not match.");
        var mask = ArrayFunctions.SequenceMask(lengths, Shape_.Build(memory)[1], memory.dtype, null);
        var extra = Enumerable.Repeat(1, memory.shape.ndims - 2).ToArray();
        mask = Reshape.Build(mask, ConcatV2.Build([Shape_.Build(mask), Const.Build(extra)], 0));
        return memory * mask;
    }

    private static Tensor MaybeMaskScore(Tensor score, Tensor? lengths, double? maskValue)
    {
        if (lengths is null) return score;
        var mask = ArrayFunctions.SequenceMask(lengths, Shape_.Build(score)[1], DType.@bool, null);
        var values = OnesLike.Def.Apply(score, null, true, null) * Const.Build(maskValue ?? double.NegativeInfinity, score.dtype);
        return Select.Build(mask, score, values);
    }

    /// <summary>The depth of the keys.</summary>
    protected int KeyDepth => keys.shape[2];
}

/// <summary>
/// <c>tf.contrib.seq2seq.BahdanauAttention(num_units, memory, memory_sequence_length, normalize)</c>: additive
/// attention, <c>score = Σ v·tanh(keys + W_q·query)</c> (<c>attention_v</c>); normalized (weight normalization),
/// <c>score = Σ g·v/‖v‖·tanh(keys + W_q·query + b)</c> (<c>attention_g</c>, <c>attention_b</c>). The keys are
/// <c>memory_layer</c> (no bias) of the memory, the query goes through <c>query_layer</c> (no bias).
/// </summary>
public sealed class BahdanauAttention(int num_units, Tensor memory, TensorLike? memory_sequence_length = null, bool normalize = false,
    Func<Tensor, Tensor>? probability_fn = null, double? score_mask_value = null, DType? dtype = null, string name = "BahdanauAttention")
    : AttentionMechanism(new DenseLayer(num_units, use_bias: false, name: "query_layer"), memory, probability_fn, memory_sequence_length,
        new DenseLayer(num_units, use_bias: false, name: "memory_layer"), score_mask_value, name)
{
    /// <summary>The attention depth.</summary>
    public int num_units { get; } = num_units;

    /// <summary>The dtype asked for (the memory's is used).</summary>
    public DType? dtype { get; } = dtype;

    /// <summary>Whether the score is weight-normalized.</summary>
    public bool normalize { get; } = normalize;

    /// <inheritdoc/>
    protected override Tensor Score(Tensor query)
    {
        using var _ = VariableScopes.Enter(null, "bahdanau_attention", null, null, null);
        var processed = query_layer!.__call__(query);
        var k = keys;
        var depth = KeyDepth;
        processed = ExpandDims.Build(processed, 1);
        var v = VariableScopes.GetVariable("attention_v", new Shape(depth), k.dtype, null, true, null, true);
        if (normalize)
        {
            var g = VariableScopes.GetVariable("attention_g", Shape.Scalar, k.dtype, new ConstantInitializer(Math.Sqrt(1.0 / depth)), true, null, true);
            var b = VariableScopes.GetVariable("attention_b", new Shape(depth), k.dtype, new ZerosInitializer(), true, null, true);
            var normedV = g * v * Rsqrt.Build(Sum.Build(Square.Build(v)));
            return Sum.Build(normedV * Tanh.Build(k + processed + b), new[] { 2 });
        }
        return Sum.Build(v * Tanh.Build(k + processed), new[] { 2 });
    }
}

/// <summary>
/// <c>tf.contrib.seq2seq.LuongAttention(num_units, memory, memory_sequence_length, scale)</c>: multiplicative
/// attention, <c>score = query · keysᵀ</c>, times the scalar <c>attention_g</c> (initially 1) when scaled. The keys
/// are <c>memory_layer</c> (no bias) of the memory; the query's depth must equal num_units.
/// </summary>
public sealed class LuongAttention(int num_units, Tensor memory, TensorLike? memory_sequence_length = null, bool scale = false,
    Func<Tensor, Tensor>? probability_fn = null, double? score_mask_value = null, DType? dtype = null, string name = "LuongAttention")
    : AttentionMechanism(null, memory, probability_fn, memory_sequence_length,
        new DenseLayer(num_units, use_bias: false, name: "memory_layer"), score_mask_value, name)
{
    /// <summary>The attention depth.</summary>
    public int num_units { get; } = num_units;

    /// <summary>The dtype asked for (the memory's is used).</summary>
    public DType? dtype { get; } = dtype;

    /// <summary>Whether the score is scaled by <c>attention_g</c>.</summary>
    public bool scale { get; } = scale;

    /// <inheritdoc/>
    protected override Tensor Score(Tensor query)
    {
        using var _ = VariableScopes.Enter(null, "luong_attention", null, null, null);
        var depth = query.shape.IsKnownRank ? query.shape[query.shape.ndims - 1] : -1;
        var keyUnits = KeyDepth;
        if (depth != keyUnits)
            throw new ValueError($"Incompatible or unknown inner dimensions between query and keys.  Query ({query.name}) has units: {(depth < 0 ? "None" : depth)}.  Keys ({keys.name}) have units: {keyUnits}.  Perhaps you need to set num_units to the keys' dimension ({keyUnits})?");
        var score = Squeeze.Build(BatchMatMulV2.MatMulOrBatch(ExpandDims.Build(query, 1), keys, false, true, false, false, null), new[] { 1 });
        if (scale)
        {
            var g = VariableScopes.GetVariable("attention_g", Shape.Scalar, score.dtype, new OnesInitializer(), true, null, true);
            score = g * score;
        }
        return score;
    }
}
