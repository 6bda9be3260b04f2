using static SharpFlow.Binding;

namespace SharpFlow.Models;

/// <summary>
/// Inception-v3 (seed §41; Szegedy et al. 2015, laid out as Keras's <c>InceptionV3</c> without the auxiliary
/// classifier): every convolution is conv (no bias) + batch normalization (no scale) + ReLU; the 11 mixed blocks
/// run 1×1, 3×3, 5×5 (or factorized 1×7/7×1) and pooling branches side by side and concatenate them; global
/// average pooling feeds the classifier. 23,851,784 parameters at 299×299×3 with 1000 classes (moving
/// statistics included). Inputs down to 75×75 work.
/// </summary>
public sealed class InceptionV3(int classes = 1000) : Model(classes)
{
    private TensorLike _training;

    /// <inheritdoc/>
    public override string Name => "inception_v3";

    /// <inheritdoc/>
    public override string Title => "Inception-v3 (seed §41): stem, 3×A, reduction, 4×B (1×7/7×1), reduction, 2×C, global pool";

    /// <inheritdoc/>
    public override (int Height, int Width, int Channels) DefaultInput => (299, 299, 3);

    /// <summary>The input of the classifier (2048 features per image): the bottleneck for transfer learning.</summary>
    public Tensor? Bottleneck { get; private set; }

    /// <inheritdoc/>
    protected override Tensor Layers(LayerRecorder r, Tensor images, TensorLike training)
    {
        _training = training;
        var x = r.Add("conv1", Conv(3, 32, 2, "valid"), ConvBn(images, 32, 3, 3, 2, "valid", "conv1"));
        x = r.Add("conv2", Conv(3, 32, 1, "valid"), ConvBn(x, 32, 3, 3, 1, "valid", "conv2"));
        x = r.Add("conv3", Conv(3, 64), ConvBn(x, 64, 3, 3, 1, "same", "conv3"));
        x = r.Add("pool1", "max pool 3×3 /2", tf.layers.max_pooling2d(x, 3, 2, name: "pool1"));
        x = r.Add("conv4", Conv(1, 80, 1, "valid"), ConvBn(x, 80, 1, 1, 1, "valid", "conv4"));
        x = r.Add("conv5", Conv(3, 192, 1, "valid"), ConvBn(x, 192, 3, 3, 1, "valid", "conv5"));
        x = r.Add("pool2", "max pool 3×3 /2", tf.layers.max_pooling2d(x, 3, 2, name: "pool2"));

        for (var i = 0; i < 3; i++) x = r.Add($"mixed_{i}", "inception A: 1×1 | 5×5 | 3×3·3×3 | pool", BlockA(x, i == 0 ? 32 : 64, $"mixed_{i}"));
        x = r.Add("mixed_3", "reduction A: 3×3 /2 | 3×3·3×3 /2 | max pool", ReductionA(x, "mixed_3"));
        for (var i = 4; i < 8; i++) x = r.Add($"mixed_{i}", "inception B: 1×1 | 1×7·7×1 | 7×1·1×7·7×1·1×7 | pool", BlockB(x, i switch { 4 => 128, 7 => 192, _ => 160 }, $"mixed_{i}"));
        x = r.Add("mixed_8", "reduction B: 3×3 /2 | 1×7·7×1·3×3 /2 | max pool", ReductionB(x, "mixed_8"));
        for (var i = 9; i < 11; i++) x = r.Add($"mixed_{i}", "inception C: 1×1 | 1×3+3×1 | 3×3·(1×3+3×1) | pool", BlockC(x, $"mixed_{i}"));

        x = r.Add("avg_pool", "global average pool", tf.reduce_mean(x, new[] { 1, 2 }, name: "avg_pool"));
        Bottleneck = x;
        return r.Add("predictions", $"dense {Classes}", tf.layers.dense(x, Classes, name: "predictions"));
    }

    private Tensor ConvBn(Tensor x, int filters, int kh, int kw, int stride, string padding, string name)
    {
        using var scope = tf.variable_scope(name);
        x = tf.layers.conv2d(x, filters, new[] { kh, kw }, strides: stride, padding: padding, use_bias: false, name: "conv");
        x = tf.layers.batch_normalization(x, scale: false, training: _training, name: "bn");
        return tf.nn.relu(x);
    }

    private static Tensor Concat(string name, params Tensor[] branches) => tf.concat(branches, 3, name: name);

    private Tensor BlockA(Tensor x, int poolFilters, string name)
    {
        using var scope = tf.variable_scope(name);
        var b1 = ConvBn(x, 64, 1, 1, 1, "same", "branch1x1");
        var b5 = ConvBn(ConvBn(x, 48, 1, 1, 1, "same", "branch5x5_1"), 64, 5, 5, 1, "same", "branch5x5_2");
        var b3 = ConvBn(ConvBn(ConvBn(x, 64, 1, 1, 1, "same", "branch3x3dbl_1"), 96, 3, 3, 1, "same", "branch3x3dbl_2"), 96, 3, 3, 1, "same", "branch3x3dbl_3");
        var bp = ConvBn(tf.layers.average_pooling2d(x, 3, 1, "same", name: "branch_pool_avg"), poolFilters, 1, 1, 1, "same", "branch_pool");
        return Concat("concat", b1, b5, b3, bp);
    }

    private Tensor ReductionA(Tensor x, string name)
    {
        using var scope = tf.variable_scope(name);
        var b3 = ConvBn(x, 384, 3, 3, 2, "valid", "branch3x3");
        var bd = ConvBn(ConvBn(ConvBn(x, 64, 1, 1, 1, "same", "branch3x3dbl_1"), 96, 3, 3, 1, "same", "branch3x3dbl_2"), 96, 3, 3, 2, "valid", "branch3x3dbl_3");
        var bp = tf.layers.max_pooling2d(x, 3, 2, name: "branch_pool");
        return Concat("concat", b3, bd, bp);
    }

    private Tensor BlockB(Tensor x, int c, string name)
    {
        using var scope = tf.variable_scope(name);
        var b1 = ConvBn(x, 192, 1, 1, 1, "same", "branch1x1");
        var b7 = ConvBn(x, c, 1, 1, 1, "same", "branch7x7_1");
        b7 = ConvBn(b7, c, 1, 7, 1, "same", "branch7x7_2");
        b7 = ConvBn(b7, 192, 7, 1, 1, "same", "branch7x7_3");
        var bd = ConvBn(x, c, 1, 1, 1, "same", "branch7x7dbl_1");
        bd = ConvBn(bd, c, 7, 1, 1, "same", "branch7x7dbl_2");
        bd = ConvBn(bd, c, 1, 7, 1, "same", "branch7x7dbl_3");
        bd = ConvBn(bd, c, 7, 1, 1, "same", "branch7x7dbl_4");
        bd = ConvBn(bd, 192, 1, 7, 1, "same", "branch7x7dbl_5");
        var bp = ConvBn(tf.layers.average_pooling2d(x, 3, 1, "same", name: "branch_pool_avg"), 192, 1, 1, 1, "same", "branch_pool");
        return Concat("concat", b1, b7, bd, bp);
    }

    private Tensor ReductionB(Tensor x, string name)
    {
        using var scope = tf.variable_scope(name);
        var b3 = ConvBn(ConvBn(x, 192, 1, 1, 1, "same", "branch3x3_1"), 320, 3, 3, 2, "valid", "branch3x3_2");
        var b7 = ConvBn(x, 192, 1, 1, 1, "same", "branch7x7x3_1");
        b7 = ConvBn(b7, 192, 1, 7, 1, "same", "branch7x7x3_2");
        b7 = ConvBn(b7, 192, 7, 1, 1, "same", "branch7x7x3_3");
        b7 = ConvBn(b7, 192, 3, 3, 2, "valid", "branch7x7x3_4");
        var bp = tf.layers.max_pooling2d(x, 3, 2, name: "branch_pool");
        return Concat("concat", b3, b7, bp);
    }

    private Tensor BlockC(Tensor x, string name)
    {
        using var scope = tf.variable_scope(name);
        var b1 = ConvBn(x, 320, 1, 1, 1, "same", "branch1x1");
        var b3 = ConvBn(x, 384, 1, 1, 1, "same", "branch3x3_1");
        b3 = Concat("branch3x3", ConvBn(b3, 384, 1, 3, 1, "same", "branch3x3_2a"), ConvBn(b3, 384, 3, 1, 1, "same", "branch3x3_2b"));
        var bd = ConvBn(ConvBn(x, 448, 1, 1, 1, "same", "branch3x3dbl_1"), 384, 3, 3, 1, "same", "branch3x3dbl_2");
        bd = Concat("branch3x3dbl", ConvBn(bd, 384, 1, 3, 1, "same", "branch3x3dbl_3a"), ConvBn(bd, 384, 3, 1, 1, "same", "branch3x3dbl_3b"));
        var bp = ConvBn(tf.layers.average_pooling2d(x, 3, 1, "same", name: "branch_pool_avg"), 192, 1, 1, 1, "same", "branch_pool");
        return Concat("concat", b1, b3, bd, bp);
    }
}
