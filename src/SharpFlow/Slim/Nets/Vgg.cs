using SharpFlow.Functions;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using SharpFlow.Ops.State;
using SharpFlow.Ops.Initializers;
#pragma warning disable CS8981 // slim is the alias Python programs use

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
        using (ArgScopes.Enter([SlimLayers.Convolution2dOp, SlimLayers.FullyConnectedOp], activation_fn: SlimLayers.Relu, weights_regularizer: Regularizers.L2(weightDecay),
            biases_initializer: new ZerosInitializer()))
        using (var sc = ArgScopes.Enter([SlimLayers.Convolution2dOp], padding: "SAME"))
            return sc;
    }

    public static (Tensor net, Dictionary<string, Tensor> end_points) Vgg16(Tensor inputs, int numClasses, TensorLike isTraining, double dropoutKeepProb,
        bool spatialSqueeze, string scope, string fcConvPadding, bool globalPool)
    {
        using var sc = VariableScopes.Enter(scope, "vgg_16");
        var endPointsCollection = sc.original_name_scope + "_end_points";
        using (ArgScopes.Enter([SlimLayers.Convolution2dOp, SlimLayers.FullyConnectedOp, SlimLayers.MaxPool2dOp], outputs_collections: endPointsCollection))
        {
            var net = SlimLayers.Repeat(inputs, 2, SlimLayers.Convolution2dOp, [64, new[] { 3, 3 }], scope: "conv1");
            net = SlimLayers.MaxPool2dOp(net, new[] { 2, 2 }, scope: "pool1");
            net = SlimLayers.Repeat(net, 2, SlimLayers.Convolution2dOp, [128, new[] { 3, 3 }], scope: "conv2");
            net = SlimLayers.MaxPool2dOp(net, new[] { 2, 2 }, scope: "pool2");
            net = SlimLayers.Repeat(net, 3, SlimLayers.Convolution2dOp, [256, new[] { 3, 3 }], scope: "conv3");
            net = SlimLayers.MaxPool2dOp(net, new[] { 2, 2 }, scope: "pool3");
            net = SlimLayers.Repeat(net, 3, SlimLayers.Convolution2dOp, [512, new[] { 3, 3 }], scope: "conv4");
            net = SlimLayers.MaxPool2dOp(net, new[] { 2, 2 }, scope: "pool4");
            net = SlimLayers.Repeat(net, 3, SlimLayers.Convolution2dOp, [512, new[] { 3, 3 }], scope: "conv5");
            net = SlimLayers.MaxPool2dOp(net, new[] { 2, 2 }, scope: "pool5");
            // The fully connected layers as convolutions.
            net = SlimLayers.Convolution2dOp(net, 4096, new[] { 7, 7 }, padding: fcConvPadding, scope: "fc6");
            net = SlimLayers.DropoutOp(net, dropoutKeepProb, is_training: isTraining, scope: "dropout6");
            net = SlimLayers.Convolution2dOp(net, 4096, new[] { 1, 1 }, scope: "fc7");
            var endPoints = SlimLayers.CollectionToDict(endPointsCollection);
            if (globalPool)
            {
                net = Mean.Build(net, new[] { 1, 2 }, true, "global_pool");
                endPoints["global_pool"] = net;
            }
            if (numClasses > 0)
            {
                net = SlimLayers.DropoutOp(net, dropoutKeepProb, is_training: isTraining, scope: "dropout7");
                net = SlimLayers.Convolution2dOp(net, numClasses, new[] { 1, 1 }, activation_fn: NoneType.Instance, normalizer_fn: NoneType.Instance, scope: "fc8");
                if (spatialSqueeze) net = Squeeze.Build(net, new[] { 1, 2 }, "fc8/squeezed");
                endPoints[sc.name + "/fc8"] = net;
            }
            return (net, endPoints);
        }
    }
}
