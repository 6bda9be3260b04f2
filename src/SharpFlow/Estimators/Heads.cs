using static SharpFlow.Binding;

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
        using (tf.name_scope("head"))
        {
            using (tf.name_scope("predictions")) predictions = Predictions(logits);
            if (mode == ModeKeys.PREDICT) return new EstimatorSpec(mode, predictions: predictions, export_outputs: ExportOutputs(predictions));
            if (labels is null) throw new ValueError("You must provide a labels Tensor. Given: None. Suggested troubleshooting steps: Check that your data contain your label feature. Check that your input_fn properly parses and returns labels.");
            Tensor unweighted, loss;
            using (tf.name_scope("losses"))
            {
                unweighted = UnweightedLoss(labels, logits);
                loss = tf.reduce_sum(unweighted, name: "weighted_loss");
            }
            var regularization = tf.losses.get_regularization_losses();
            if (regularization.Count > 0) loss = tf.add_n(regularization.Prepend(loss), name: "total_loss");
            if (mode == ModeKeys.EVAL)
            {
                Dictionary<string, (Tensor, Tensor)> metrics;
                using (tf.name_scope("metrics")) metrics = Metrics(labels, predictions, unweighted);
                return new EstimatorSpec(mode, predictions: predictions, loss: loss, eval_metric_ops: metrics);
            }
            tf.summary.scalar("average_loss", tf.reduce_mean(unweighted));
            return new EstimatorSpec(mode, predictions: predictions, loss: loss, train_op: trainOpFn(loss));
        }
    }

    protected static Tensor LabelsAsColumn(Tensor labels, int dimension) => tf.reshape(labels, new[] { -1, dimension });
}

/// <summary><c>_multi_class_head_with_softmax_cross_entropy_loss</c>: softmax over n_classes logits.</summary>
internal sealed class MultiClassHead(int nClasses) : Head
{
    public override int LogitsDimension => nClasses;

    protected override Dictionary<string, Tensor> Predictions(Tensor logits)
    {
        var classIds = tf.expand_dims(tf.argmax(logits, -1, output_type: tf.int64), -1, name: "class_ids");
        return new()
        {
            ["logits"] = logits,
            ["probabilities"] = tf.nn.softmax(logits, name: "probabilities"),
            ["class_ids"] = classIds,
            ["classes"] = tf.as_string(classIds, name: "str_classes"),
        };
    }

    protected override Tensor UnweightedLoss(Tensor labels, Tensor logits) =>
        tf.expand_dims(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: tf.reshape(tf.cast(labels, tf.int64), new[] { -1 }), logits: logits), -1);

    protected override Dictionary<string, (Tensor, Tensor)> Metrics(Tensor labels, Dictionary<string, Tensor> predictions, Tensor unweightedLoss) => new()
    {
        ["accuracy"] = tf.metrics.accuracy(LabelsAsColumn(tf.cast(labels, tf.int64), 1), predictions["class_ids"], name: "accuracy"),
        ["average_loss"] = tf.metrics.mean(unweightedLoss, name: "average_loss"),
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
        var twoClass = tf.concat(new[] { tf.zeros_like(logits), logits }, -1, name: "two_class_logits");
        var classIds = tf.expand_dims(tf.argmax(twoClass, -1, output_type: tf.int64), -1, name: "class_ids");
        return new()
        {
            ["logits"] = logits,
            ["logistic"] = tf.sigmoid(logits, name: "logistic"),
            ["probabilities"] = tf.nn.softmax(twoClass, name: "probabilities"),
            ["class_ids"] = classIds,
            ["classes"] = tf.as_string(classIds, name: "str_classes"),
        };
    }

    protected override Tensor UnweightedLoss(Tensor labels, Tensor logits) =>
        tf.nn.sigmoid_cross_entropy_with_logits(labels: LabelsAsColumn(tf.cast(labels, tf.float32), 1), logits: logits);

    protected override Dictionary<string, (Tensor, Tensor)> Metrics(Tensor labels, Dictionary<string, Tensor> predictions, Tensor unweightedLoss)
    {
        var floatLabels = LabelsAsColumn(tf.cast(labels, tf.float32), 1);
        var labelMean = tf.metrics.mean(floatLabels, name: "label/mean");
        var logistic = predictions["logistic"];
        return new()
        {
            ["accuracy"] = tf.metrics.accuracy(LabelsAsColumn(tf.cast(labels, tf.int64), 1), predictions["class_ids"], name: "accuracy"),
            ["precision"] = tf.metrics.precision(floatLabels, predictions["class_ids"], name: "precision"),
            ["recall"] = tf.metrics.recall(floatLabels, predictions["class_ids"], name: "recall"),
            ["average_loss"] = tf.metrics.mean(unweightedLoss, name: "average_loss"),
            ["prediction/mean"] = tf.metrics.mean(logistic, name: "prediction/mean"),
            ["label/mean"] = labelMean,
            ["accuracy_baseline"] = (tf.maximum(labelMean.value, 1f - labelMean.value, name: "accuracy_baseline"),
                tf.maximum(labelMean.update_op, 1f - labelMean.update_op)),
            ["auc"] = tf.metrics.auc(floatLabels, logistic, curve: "ROC", name: "auc"),
            ["auc_precision_recall"] = tf.metrics.auc(floatLabels, logistic, curve: "PR", name: "auc_precision_recall", summation_method: "careful_interpolation"),
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
        tf.squared_difference(LabelsAsColumn(tf.cast(labels, tf.float32), labelDimension), logits);

    protected override Dictionary<string, (Tensor, Tensor)> Metrics(Tensor labels, Dictionary<string, Tensor> predictions, Tensor unweightedLoss) => new()
    {
        ["average_loss"] = tf.metrics.mean(unweightedLoss, name: "average_loss"),
        ["prediction/mean"] = tf.metrics.mean(predictions["predictions"], name: "prediction/mean"),
        ["label/mean"] = tf.metrics.mean(LabelsAsColumn(tf.cast(labels, tf.float32), labelDimension), name: "label/mean"),
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
