#pragma warning disable CS8981 // slim is the alias Python programs use
using static SharpFlow.Binding;
using slim = SharpFlow.Binding.tf.contrib.slim;

namespace SharpFlow.Slim.Nets;

/// <summary>
/// slim's <c>nets/vgg.py</c>: VGG-16 with slim's scopes (<c>vgg_16/conv1/conv1_1/weights</c> ...
/// <c>vgg_16/fc8/biases</c>), the fully connected layers as convolutions, so slim's published
/// <c>vgg_16.ckpt</c> loads by name. 138,357,544 parameters with 1000 classes.
/// </summary>
internal static class Vgg
{
    public static ArgScope ArgScope(double weightDecay)
    {
        using (slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn: tf.nn.relu, weights_regularizer: slim.l2_regularizer(weightDecay),
            biases_initializer: tf.zeros_initializer()))
        using (var sc = slim.arg_scope([slim.conv2d], padding: "SAME"))
            return sc;
    }

    public static (Tensor net, Dictionary<string, Tensor> end_points) Vgg16(Tensor inputs, int numClasses, TensorLike isTraining, double dropoutKeepProb,
        bool spatialSqueeze, string scope, string fcConvPadding, bool globalPool)
    {
        using var sc = tf.variable_scope(scope, default_name: "vgg_16");
        var endPointsCollection = sc.original_name_scope + "_end_points";
        using (slim.arg_scope([slim.conv2d, slim.fully_connected, slim.max_pool2d], outputs_collections: endPointsCollection))
        {
            var net = slim.repeat(inputs, 2, slim.conv2d, [64, new[] { 3, 3 }], scope: "conv1");
            net = slim.max_pool2d(net, new[] { 2, 2 }, scope: "pool1");
            net = slim.repeat(net, 2, slim.conv2d, [128, new[] { 3, 3 }], scope: "conv2");
            net = slim.max_pool2d(net, new[] { 2, 2 }, scope: "pool2");
            net = slim.repeat(net, 3, slim.conv2d, [256, new[] { 3, 3 }], scope: "conv3");
            net = slim.max_pool2d(net, new[] { 2, 2 }, scope: "pool3");
            net = slim.repeat(net, 3, slim.conv2d, [512, new[] { 3, 3 }], scope: "conv4");
            net = slim.max_pool2d(net, new[] { 2, 2 }, scope: "pool4");
            net = slim.repeat(net, 3, slim.conv2d, [512, new[] { 3, 3 }], scope: "conv5");
            net = slim.max_pool2d(net, new[] { 2, 2 }, scope: "pool5");
            // The fully connected layers as convolutions.
            net = slim.conv2d(net, 4096, new[] { 7, 7 }, padding: fcConvPadding, scope: "fc6");
            net = slim.dropout(net, dropoutKeepProb, is_training: isTraining, scope: "dropout6");
            net = slim.conv2d(net, 4096, new[] { 1, 1 }, scope: "fc7");
            var endPoints = slim.utils.convert_collection_to_dict(endPointsCollection);
            if (globalPool)
            {
                net = tf.reduce_mean(net, new[] { 1, 2 }, keepdims: true, name: "global_pool");
                endPoints["global_pool"] = net;
            }
            if (numClasses > 0)
            {
                net = slim.dropout(net, dropoutKeepProb, is_training: isTraining, scope: "dropout7");
                net = slim.conv2d(net, numClasses, new[] { 1, 1 }, activation_fn: slim.None, normalizer_fn: slim.None, scope: "fc8");
                if (spatialSqueeze) net = tf.squeeze(net, new[] { 1, 2 }, name: "fc8/squeezed");
                endPoints[sc.name + "/fc8"] = net;
            }
            return (net, endPoints);
        }
    }
}
