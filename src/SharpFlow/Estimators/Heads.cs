using SharpFlow.Functions;
using SharpFlow.Metrics;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.Strings;
using SharpFlow.Summaries.SummaryOps;

namespace SharpFlow.Estimators;

/// <summary>
/// A canned estimator's head (TensorFlow's <c>head.py</c>): the logits' size, the loss (summed over the batch,
/// the v1 canned estimators' <c>Reduction.SUM</c>), the predictions, the eval metrics and the train op.
/// </summary>
internal abstract class Head
{
    public abstract int LogitsDimension { get; }

    protected abstract Dictionary<string, Tensor> Predictions(Tensor logits);

    protected abstract Tensor UnweightedLoss(Tensor labels, Tensor logits);

    protected abstract Dictionary<string, (Tensor, Tensor)> Metrics(Tensor labels, Dictionary<string, Tensor> predictions, Tensor unweightedLoss);

    protected abstract Dictionary<string, ExportOutput> ExportOutputs(Dictionary<string, Tensor> predictions);

    public EstimatorSpec Create(string mode, Tensor logits, Tensor? labels, Func<Tensor, ITensorOrOperation> trainOpFn)
    {
        Dictionary<string, Tensor> predictions;
        using (Graph.get_default().name_scope("head"))
        {
            using (Graph.get_default().name_scope("predictions")) predictions = Predictions(logits);
            if (mode == ModeKeys.PREDICT) return new EstimatorSpec(mode, predictions: predictions, export_outputs: ExportOutputs(predictions));
            if (labels is null) throw new ValueError("You must provide a labels Tensor. Given: None. Suggested troubleshooting steps: Check that your data contain your label feature. Check that your input_fn properly parses and returns labels.");
            Tensor unweighted, loss;
            using (Graph.get_default().name_scope("losses"))
            {
                unweighted = UnweightedLoss(labels, logits);
                loss = Sum.Build(unweighted, null, false, "weighted_loss");
            }
            var regularization = Losses.GetRegularizationLosses(null);
            if (regularization.Count > 0) loss = AddN.Build(regularization.Prepend(loss).Select(t => (TensorLike)t).ToList(), "total_loss");
            if (mode == ModeKeys.EVAL)
            {
                Dictionary<string, (Tensor, Tensor)> metrics;
                using (Graph.get_default().name_scope("metrics")) metrics = Metrics(labels, predictions, unweighted);
                return new EstimatorSpec(mode, predictions: predictions, loss: loss, eval_metric_ops: metrics);
            }
            ScalarSummary.Build("average_loss", Mean.Build(unweighted, null, false, null), null, null);
            return new EstimatorSpec(mode, predictions: predictions, loss: loss, train_op: trainOpFn(loss));
        }
    }

    protected static Tensor LabelsAsColumn(Tensor labels, int dimension) => Reshape.Build(labels, new[] { -1, dimension }, null);
}

/// <summary><c>_multi_class_head_with_softmax_cross_entropy_loss</c>: softmax over n_classes logits.</summary>
internal sealed class MultiClassHead(int nClasses) : Head
{
    public override int LogitsDimension => nClasses;

    protected override Dictionary<string, Tensor> Predictions(Tensor logits)
    {
        var classIds = ExpandDims.Build(ArgMax.Def.Apply(logits, -1, DType.int64, null), -1, "class_ids");
        return new()
        {
            ["logits"] = logits,
            ["probabilities"] = Activations.Softmax(logits, -1, log: false, "probabilities"),
            ["class_ids"] = classIds,
            ["classes"] = AsString.Build(classIds, name: "str_classes"),
        };
    }

    protected override Tensor UnweightedLoss(Tensor labels, Tensor logits) =>
        ExpandDims.Build(CrossEntropy.Sparse(Reshape.Build(Cast.Build(labels, DType.int64, null), new[] { -1 }, null), logits, null), -1, null);

    protected override Dictionary<string, (Tensor, Tensor)> Metrics(Tensor labels, Dictionary<string, Tensor> predictions, Tensor unweightedLoss) => new()
    {
        ["accuracy"] = MetricsImpl.Accuracy(LabelsAsColumn(Cast.Build(labels, DType.int64, null), 1), predictions["class_ids"], null, null, null, "accuracy"),
        ["average_loss"] = MetricsImpl.Mean(unweightedLoss, null, null, null, "average_loss"),
    };

    protected override Dictionary<string, ExportOutput> ExportOutputs(Dictionary<string, Tensor> predictions)
    {
        var classification = new ClassificationOutput(scores: predictions["probabilities"]);
        return new()
        {
            ["serving_default"] = classification,
            ["classification"] = classification,
            ["predict"] = new PredictOutput(predictions),
        };
    }
}

/// <summary><c>_binary_logistic_head_with_sigmoid_cross_entropy_loss</c>: one logit, sigmoid cross entropy.</summary>
internal sealed class BinaryHead : Head
{
    public override int LogitsDimension => 1;

    protected override Dictionary<string, Tensor> Predictions(Tensor logits)
    {
        var twoClass = ConcatV2.Build(new TensorLike[] { ZerosLike.Def.Apply(logits, null, true, null), logits }, -1, "two_class_logits");
        var classIds = ExpandDims.Build(ArgMax.Def.Apply(twoClass, -1, DType.int64, null), -1, "class_ids");
        return new()
        {
            ["logits"] = logits,
            ["logistic"] = Sigmoid.Build(logits, "logistic"),
            ["probabilities"] = Activations.Softmax(twoClass, -1, log: false, "probabilities"),
            ["class_ids"] = classIds,
            ["classes"] = AsString.Build(classIds, name: "str_classes"),
        };
    }

    protected override Tensor UnweightedLoss(Tensor labels, Tensor logits) =>
        CrossEntropy.Sigmoid(LabelsAsColumn(Cast.Build(labels, DType.float32, null), 1), logits, null);

    protected override Dictionary<string, (Tensor, Tensor)> Metrics(Tensor labels, Dictionary<string, Tensor> predictions, Tensor unweightedLoss)
    {
        var floatLabels = LabelsAsColumn(Cast.Build(labels, DType.float32, null), 1);
        (Tensor value, Tensor update_op) labelMean = MetricsImpl.Mean(floatLabels, null, null, null, "label/mean");
        var logistic = predictions["logistic"];
        return new()
        {
            ["accuracy"] = MetricsImpl.Accuracy(LabelsAsColumn(Cast.Build(labels, DType.int64, null), 1), predictions["class_ids"], null, null, null, "accuracy"),
            ["precision"] = MetricsImpl.PrecisionOrRecall(false, floatLabels, predictions["class_ids"], null, null, null, "precision"),
            ["recall"] = MetricsImpl.PrecisionOrRecall(true, floatLabels, predictions["class_ids"], null, null, null, "recall"),
            ["average_loss"] = MetricsImpl.Mean(unweightedLoss, null, null, null, "average_loss"),
            ["prediction/mean"] = MetricsImpl.Mean(logistic, null, null, null, "prediction/mean"),
            ["label/mean"] = labelMean,
            ["accuracy_baseline"] = (Maximum.Build(labelMean.value, 1f - labelMean.value, name: "accuracy_baseline"),
                Maximum.Build(labelMean.update_op, 1f - labelMean.update_op)),
            ["auc"] = MetricsImpl.Auc(floatLabels, logistic, null, 200, null, null, "ROC", "auc", "trapezoidal", null),
            ["auc_precision_recall"] = MetricsImpl.Auc(floatLabels, logistic, null, 200, null, null, "PR", "auc_precision_recall", "careful_interpolation", null),
        };
    }

    protected override Dictionary<string, ExportOutput> ExportOutputs(Dictionary<string, Tensor> predictions)
    {
        var classification = new ClassificationOutput(scores: predictions["probabilities"]);
        return new()
        {
            ["serving_default"] = classification,
            ["classification"] = classification,
            ["regression"] = new RegressionOutput(predictions["logistic"]),
            ["predict"] = new PredictOutput(predictions),
        };
    }
}

/// <summary><c>_regression_head</c>: mean squared error on label_dimension outputs.</summary>
internal sealed class RegressionHead(int labelDimension) : Head
{
    public override int LogitsDimension => labelDimension;

    protected override Dictionary<string, Tensor> Predictions(Tensor logits) => new() { ["predictions"] = logits };

    protected override Tensor UnweightedLoss(Tensor labels, Tensor logits) =>
        SquaredDifference.Build(LabelsAsColumn(Cast.Build(labels, DType.float32, null), labelDimension), logits, null);

    protected override Dictionary<string, (Tensor, Tensor)> Metrics(Tensor labels, Dictionary<string, Tensor> predictions, Tensor unweightedLoss) => new()
    {
        ["average_loss"] = MetricsImpl.Mean(unweightedLoss, null, null, null, "average_loss"),
        ["prediction/mean"] = MetricsImpl.Mean(predictions["predictions"], null, null, null, "prediction/mean"),
        ["label/mean"] = MetricsImpl.Mean(LabelsAsColumn(Cast.Build(labels, DType.float32, null), labelDimension), null, null, null, "label/mean"),
    };

    protected override Dictionary<string, ExportOutput> ExportOutputs(Dictionary<string, Tensor> predictions)
    {
        var regression = new RegressionOutput(predictions["predictions"]);
        return new()
        {
            ["serving_default"] = regression,
            ["regression"] = regression,
            ["predict"] = new PredictOutput(predictions),
        };
    }
}
