using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.RandomOps;

namespace SharpFlow.Functions;

/// <summary>
/// The sampled losses of word2vec and large-vocabulary language models, as TensorFlow 1.x's <c>nn_impl.py</c>
/// builds them: <c>tf.nn.nce_loss</c> and <c>tf.nn.sampled_softmax_loss</c> score each example's true classes and
/// <c>num_sampled</c> negative classes drawn by a candidate sampler (log-uniform by default), looking the class
/// weights up with <c>embedding_lookup</c> so only those rows receive (sparse) gradients.
/// </summary>
internal static class SampledLosses
{
    /// <summary>
    /// The sampled sigmoid (NCE) loss per example: <c>[batch]</c>.
    /// </summary>
    public static Tensor Nce(IReadOnlyList<TensorLike> weights, TensorLike biases, TensorLike labels, TensorLike inputs, int numSampled, long numClasses,
        int numTrue, (Tensor, Tensor, Tensor)? sampledValues, bool removeAccidentalHits, string partitionStrategy, string? name)
    {
        using var b = OpBuilder.Begin(name, "nce_loss", [.. weights, biases, labels, inputs]);
        var (logits, targets) = ComputeSampledLogits(weights, biases, labels, inputs, numSampled, numClasses, numTrue, sampledValues,
            subtractLogQ: true, removeAccidentalHits, partitionStrategy, null, null);
        var losses = CrossEntropy.Sigmoid(targets, logits, "sampled_losses");
        return SumRows(losses);
    }

    /// <summary>The sampled softmax loss per example: <c>[batch]</c>.</summary>
    public static Tensor SampledSoftmax(IReadOnlyList<TensorLike> weights, TensorLike biases, TensorLike labels, TensorLike inputs, int numSampled, long numClasses,
        int numTrue, (Tensor, Tensor, Tensor)? sampledValues, bool removeAccidentalHits, string partitionStrategy, string? name, int? seed)
    {
        using var b = OpBuilder.Begin(name, "sampled_softmax_loss", [.. weights, biases, labels, inputs]);
        var (logits, targets) = ComputeSampledLogits(weights, biases, labels, inputs, numSampled, numClasses, numTrue, sampledValues,
            subtractLogQ: true, removeAccidentalHits, partitionStrategy, null, seed);
        targets = StopGradient.Build(targets, "labels_stop_gradient");
        return CrossEntropy.SoftmaxV2(targets, logits, null);
    }

    /// <summary>
    /// TensorFlow's <c>_compute_sampled_logits</c>: the logits of the true and sampled classes, <c>[batch, num_true +
    /// num_sampled]</c>, less <c>log Q</c> (the expected counts), and the targets (<c>1/num_true</c> for the true
    /// classes, 0 for the sampled ones).
    /// </summary>
    public static (Tensor Logits, Tensor Labels) ComputeSampledLogits(IReadOnlyList<TensorLike> weights, TensorLike biases, TensorLike labels,
        TensorLike inputs, int numSampled, long numClasses, int numTrue, (Tensor, Tensor, Tensor)? sampledValues, bool subtractLogQ,
        bool removeAccidentalHits, string partitionStrategy, string? name, int? seed)
    {
        using var b = OpBuilder.Begin(name, "compute_sampled_logits", [.. weights, biases, labels, inputs]);
        var x = b.Convert(inputs, "inputs");
        var classes = b.Convert(labels, "labels");
        if (classes.dtype != DType.int64) classes = Cast.Build(classes, DType.int64);
        var labelsFlat = Reshape.Build(classes, new[] { -1 });

        var (sampled, trueExpected, sampledExpected) = sampledValues
            ?? LogUniformCandidateSampler.Build(classes, numTrue, numSampled, unique: true, numClasses, seed);
        sampled = StopGradient.Build(sampled);
        trueExpected = StopGradient.Build(trueExpected);
        sampledExpected = StopGradient.Build(sampledExpected);
        if (sampled.dtype != DType.int64) sampled = Cast.Build(sampled, DType.int64);
        var allIds = ConcatV2.Build([labelsFlat, sampled], 0);

        var allW = Embedding.Lookup(weights, allIds, partitionStrategy, null, null);
        if (allW.dtype != x.dtype) allW = Cast.Build(allW, x.dtype);
        var trueCount = Shape_.Build(labelsFlat)[0];
        var trueW = Slice.Build(allW, new[] { 0, 0 }, Pack.Build([trueCount, -1]));
        var sampledW = Slice.Build(allW, Pack.Build([trueCount, 0]), new[] { -1, -1 });
        var sampledLogits = MatMul.Build(x, sampledW, transposeB: true);

        var allB = Embedding.Lookup([biases], allIds, partitionStrategy, null, null);
        if (allB.dtype != x.dtype) allB = Cast.Build(allB, x.dtype);
        var trueB = Slice.Build(allB, new[] { 0 }, Shape_.Build(labelsFlat));
        var sampledB = Slice.Build(allB, Shape_.Build(labelsFlat), new[] { -1 });

        var dim = Slice.Build(Shape_.Build(trueW), new[] { 1 }, new[] { 1 });
        var rowWiseDots = Mul.Build(ExpandDims.Build(x, 1), Reshape.Build(trueW, ConcatV2.Build([new[] { -1, numTrue }, dim], 0)));
        var dotsAsMatrix = Reshape.Build(rowWiseDots, ConcatV2.Build([new[] { -1 }, dim], 0));
        var trueLogits = Reshape.Build(SumRows(dotsAsMatrix), new[] { -1, numTrue });
        trueLogits = Add.Build(trueLogits, Reshape.Build(trueB, new[] { -1, numTrue }));
        sampledLogits = Add.Build(sampledLogits, sampledB);

        if (removeAccidentalHits)
        {
            // Sampled classes that are a row's true class get -FLT_MAX added to their logit there.
            var (accIndices, accIds, accWeights) = ComputeAccidentalHits.Build(classes, sampled, numTrue);
            var sparseIndices = ConcatV2.Build([Reshape.Build(accIndices, new[] { -1, 1 }), Reshape.Build(Cast.Build(accIds, DType.int32), new[] { -1, 1 })], 1, "sparse_indices");
            var logitsShape = ConcatV2.Build([Slice.Build(Shape_.Build(classes), new[] { 0 }, new[] { 1 }), new[] { numSampled }], 0);
            if (accWeights.dtype != sampledLogits.dtype) accWeights = Cast.Build(accWeights, sampledLogits.dtype);
            sampledLogits = Add.Build(sampledLogits, ScatterNd.Build(sparseIndices, accWeights, logitsShape));
        }
        if (subtractLogQ)
        {
            trueLogits = Sub.Build(trueLogits, Log.Build(As(trueExpected, x.dtype)));
            sampledLogits = Sub.Build(sampledLogits, Log.Build(As(sampledExpected, x.dtype)));
        }
        var outLogits = ConcatV2.Build([trueLogits, sampledLogits], 1);
        var outLabels = ConcatV2.Build([
            RealDiv.Build(OnesLike.Def.Apply(trueLogits, null, true, null), Literal.ToNDArray((double)numTrue, x.dtype)),
            ZerosLike.Def.Apply(sampledLogits, null, true, null)], 1);
        return (outLogits, outLabels);
    }

    private static Tensor As(Tensor t, DType dtype) => t.dtype == dtype ? t : Cast.Build(t, dtype);

    /// <summary>TensorFlow's <c>_sum_rows</c>: <c>reduce_sum(x, 1)</c> as a product with a column of ones.</summary>
    private static Tensor SumRows(Tensor x)
    {
        var cols = Shape_.Build(x)[1];
        var ones = Fill.Build(Pack.Build([cols, 1]), Const.Create(x.graph, Literal.ToNDArray(1.0, x.dtype), "ones"));
        return Reshape.Build(MatMul.Build(x, ones), new[] { -1 });
    }
}
