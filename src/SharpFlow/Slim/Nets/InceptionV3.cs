using SharpFlow.Functions;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using SharpFlow.Ops.State;
using SharpFlow.Ops.Initializers;
#pragma warning disable CS8981 // slim is the alias Python programs use

namespace SharpFlow.Slim.Nets;

/// <summary>
/// slim's <c>nets/inception_v3.py</c> with slim's scopes (<c>InceptionV3/Conv2d_1a_3x3/weights</c>,
/// <c>InceptionV3/Mixed_5b/Branch_1/Conv2d_0b_5x5/BatchNorm/moving_mean</c>, <c>InceptionV3/AuxLogits/...</c>,
/// <c>InceptionV3/Logits/Conv2d_1c_1x1/biases</c>), so slim's published <c>inception_v3.ckpt</c> loads by name.
/// </summary>
internal static class InceptionV3
{
    public static ArgScope ArgScope(double weightDecay, bool useBatchNorm, double batchNormDecay, double batchNormEpsilon,
        Func<Tensor, Tensor>? activationFn, string? batchNormUpdatesCollections, bool batchNormScale)
    {
        var batchNormParams = new Dictionary<string, object?>
        {
            ["decay"] = batchNormDecay,
            ["epsilon"] = batchNormEpsilon,
            ["updates_collections"] = batchNormUpdatesCollections ?? (string)NoneType.Instance,
            ["fused"] = null,
            ["scale"] = batchNormScale,
        };
        Delegate normalizerFn = useBatchNorm ? SlimLayers.BatchNormOp : NoneType.Instance;
        var normalizerParams = useBatchNorm ? batchNormParams : [];
        using (ArgScopes.Enter([SlimLayers.Convolution2dOp, SlimLayers.FullyConnectedOp], weights_regularizer: Regularizers.L2(weightDecay)))
        using (var sc = ArgScopes.Enter([SlimLayers.Convolution2dOp], weights_initializer: new ContribVarianceScalingInitializer(), activation_fn: activationFn ?? SlimLayers.Relu,
            normalizer_fn: normalizerFn, normalizer_params: normalizerParams))
            return sc;
    }

    private static Func<int, int> Depth(double depthMultiplier, int minDepth)
    {
        if (depthMultiplier <= 0) throw new ValueError("depth_multiplier is not greater than zero.");
        return d => Math.Max((int)(d * depthMultiplier), minDepth);
    }

    private static Tensor Concat(params Tensor[] branches) => ConcatV2.Build([.. branches], 3);

    public static (Tensor net, Dictionary<string, Tensor> end_points) Base(Tensor inputs, string finalEndpoint, int minDepth, double depthMultiplier, object? scope)
    {
        var endPoints = new Dictionary<string, Tensor>();
        var depth = Depth(depthMultiplier, minDepth);
        // Called from inception_v3 with its (current) scope: stay in it, as Python re-enters the same name scope.
        using var vs = scope is VariableScope ? null : VariableScopes.Enter((string?)scope, "InceptionV3");
        Tensor net;
        bool Done(string endPoint, Tensor t)
        {
            endPoints[endPoint] = t;
            return endPoint == finalEndpoint;
        }
        using (ArgScopes.Enter([SlimLayers.Convolution2dOp, SlimLayers.MaxPool2dOp, SlimLayers.AvgPool2dOp], stride: 1, padding: "VALID"))
        {
            net = SlimLayers.Convolution2dOp(inputs, depth(32), new[] { 3, 3 }, stride: 2, scope: "Conv2d_1a_3x3");
            if (Done("Conv2d_1a_3x3", net)) return (net, endPoints);
            net = SlimLayers.Convolution2dOp(net, depth(32), new[] { 3, 3 }, scope: "Conv2d_2a_3x3");
            if (Done("Conv2d_2a_3x3", net)) return (net, endPoints);
            net = SlimLayers.Convolution2dOp(net, depth(64), new[] { 3, 3 }, padding: "SAME", scope: "Conv2d_2b_3x3");
            if (Done("Conv2d_2b_3x3", net)) return (net, endPoints);
            net = SlimLayers.MaxPool2dOp(net, new[] { 3, 3 }, stride: 2, scope: "MaxPool_3a_3x3");
            if (Done("MaxPool_3a_3x3", net)) return (net, endPoints);
            net = SlimLayers.Convolution2dOp(net, depth(80), new[] { 1, 1 }, scope: "Conv2d_3b_1x1");
            if (Done("Conv2d_3b_1x1", net)) return (net, endPoints);
            net = SlimLayers.Convolution2dOp(net, depth(192), new[] { 3, 3 }, scope: "Conv2d_4a_3x3");
            if (Done("Conv2d_4a_3x3", net)) return (net, endPoints);
            net = SlimLayers.MaxPool2dOp(net, new[] { 3, 3 }, stride: 2, scope: "MaxPool_5a_3x3");
            if (Done("MaxPool_5a_3x3", net)) return (net, endPoints);
        }

        using (ArgScopes.Enter([SlimLayers.Convolution2dOp, SlimLayers.MaxPool2dOp, SlimLayers.AvgPool2dOp], stride: 1, padding: "SAME"))
        {
            // Mixed_5b, 5c, 5d: 35 x 35.
            foreach (var (endPoint, poolDepth, b1a, b1b) in new[] { ("Mixed_5b", 32, "Conv2d_0a_1x1", "Conv2d_0b_5x5"),
                ("Mixed_5c", 64, "Conv2d_0b_1x1", "Conv_1_0c_5x5"), ("Mixed_5d", 64, "Conv2d_0a_1x1", "Conv2d_0b_5x5") })
            {
                using (VariableScopes.Enter(endPoint))
                {
                    Tensor b0, b1, b2, b3;
                    using (VariableScopes.Enter("Branch_0")) b0 = SlimLayers.Convolution2dOp(net, depth(64), new[] { 1, 1 }, scope: "Conv2d_0a_1x1");
                    using (VariableScopes.Enter("Branch_1"))
                    {
                        b1 = SlimLayers.Convolution2dOp(net, depth(48), new[] { 1, 1 }, scope: b1a);
                        b1 = SlimLayers.Convolution2dOp(b1, depth(64), new[] { 5, 5 }, scope: b1b);
                    }
                    using (VariableScopes.Enter("Branch_2"))
                    {
                        b2 = SlimLayers.Convolution2dOp(net, depth(64), new[] { 1, 1 }, scope: "Conv2d_0a_1x1");
                        b2 = SlimLayers.Convolution2dOp(b2, depth(96), new[] { 3, 3 }, scope: "Conv2d_0b_3x3");
                        b2 = SlimLayers.Convolution2dOp(b2, depth(96), new[] { 3, 3 }, scope: "Conv2d_0c_3x3");
                    }
                    using (VariableScopes.Enter("Branch_3"))
                    {
                        b3 = SlimLayers.AvgPool2dOp(net, new[] { 3, 3 }, scope: "AvgPool_0a_3x3");
                        b3 = SlimLayers.Convolution2dOp(b3, depth(poolDepth), new[] { 1, 1 }, scope: "Conv2d_0b_1x1");
                    }
                    net = Concat(b0, b1, b2, b3);
                }
                if (Done(endPoint, net)) return (net, endPoints);
            }

            // Mixed_6a: 17 x 17 x 768.
            using (VariableScopes.Enter("Mixed_6a"))
            {
                Tensor b0, b1, b2;
                using (VariableScopes.Enter("Branch_0")) b0 = SlimLayers.Convolution2dOp(net, depth(384), new[] { 3, 3 }, stride: 2, padding: "VALID", scope: "Conv2d_1a_1x1");
                using (VariableScopes.Enter("Branch_1"))
                {
                    b1 = SlimLayers.Convolution2dOp(net, depth(64), new[] { 1, 1 }, scope: "Conv2d_0a_1x1");
                    b1 = SlimLayers.Convolution2dOp(b1, depth(96), new[] { 3, 3 }, scope: "Conv2d_0b_3x3");
                    b1 = SlimLayers.Convolution2dOp(b1, depth(96), new[] { 3, 3 }, stride: 2, padding: "VALID", scope: "Conv2d_1a_1x1");
                }
                using (VariableScopes.Enter("Branch_2")) b2 = SlimLayers.MaxPool2dOp(net, new[] { 3, 3 }, stride: 2, padding: "VALID", scope: "MaxPool_1a_3x3");
                net = Concat(b0, b1, b2);
            }
            if (Done("Mixed_6a", net)) return (net, endPoints);

            // Mixed_6b..6e: 17 x 17 x 768 with factorized 7x7 convolutions.
            foreach (var (endPoint, c) in new[] { ("Mixed_6b", 128), ("Mixed_6c", 160), ("Mixed_6d", 160), ("Mixed_6e", 192) })
            {
                using (VariableScopes.Enter(endPoint))
                {
                    Tensor b0, b1, b2, b3;
                    using (VariableScopes.Enter("Branch_0")) b0 = SlimLayers.Convolution2dOp(net, depth(192), new[] { 1, 1 }, scope: "Conv2d_0a_1x1");
                    using (VariableScopes.Enter("Branch_1"))
                    {
                        b1 = SlimLayers.Convolution2dOp(net, depth(c), new[] { 1, 1 }, scope: "Conv2d_0a_1x1");
                        b1 = SlimLayers.Convolution2dOp(b1, depth(c), new[] { 1, 7 }, scope: "Conv2d_0b_1x7");
                        b1 = SlimLayers.Convolution2dOp(b1, depth(192), new[] { 7, 1 }, scope: "Conv2d_0c_7x1");
                    }
                    using (VariableScopes.Enter("Branch_2"))
                    {
                        b2 = SlimLayers.Convolution2dOp(net, depth(c), new[] { 1, 1 }, scope: "Conv2d_0a_1x1");
                        b2 = SlimLayers.Convolution2dOp(b2, depth(c), new[] { 7, 1 }, scope: "Conv2d_0b_7x1");
                        b2 = SlimLayers.Convolution2dOp(b2, depth(c), new[] { 1, 7 }, scope: "Conv2d_0c_1x7");
                        b2 = SlimLayers.Convolution2dOp(b2, depth(c), new[] { 7, 1 }, scope: "Conv2d_0d_7x1");
                        b2 = SlimLayers.Convolution2dOp(b2, depth(192), new[] { 1, 7 }, scope: "Conv2d_0e_1x7");
                    }
                    using (VariableScopes.Enter("Branch_3"))
                    {
                        b3 = SlimLayers.AvgPool2dOp(net, new[] { 3, 3 }, scope: "AvgPool_0a_3x3");
                        b3 = SlimLayers.Convolution2dOp(b3, depth(192), new[] { 1, 1 }, scope: "Conv2d_0b_1x1");
                    }
                    net = Concat(b0, b1, b2, b3);
                }
                if (Done(endPoint, net)) return (net, endPoints);
            }

            // Mixed_7a: 8 x 8 x 1280.
            using (VariableScopes.Enter("Mixed_7a"))
            {
                Tensor b0, b1, b2;
                using (VariableScopes.Enter("Branch_0"))
                {
                    b0 = SlimLayers.Convolution2dOp(net, depth(192), new[] { 1, 1 }, scope: "Conv2d_0a_1x1");
                    b0 = SlimLayers.Convolution2dOp(b0, depth(320), new[] { 3, 3 }, stride: 2, padding: "VALID", scope: "Conv2d_1a_3x3");
                }
                using (VariableScopes.Enter("Branch_1"))
                {
                    b1 = SlimLayers.Convolution2dOp(net, depth(192), new[] { 1, 1 }, scope: "Conv2d_0a_1x1");
                    b1 = SlimLayers.Convolution2dOp(b1, depth(192), new[] { 1, 7 }, scope: "Conv2d_0b_1x7");
                    b1 = SlimLayers.Convolution2dOp(b1, depth(192), new[] { 7, 1 }, scope: "Conv2d_0c_7x1");
                    b1 = SlimLayers.Convolution2dOp(b1, depth(192), new[] { 3, 3 }, stride: 2, padding: "VALID", scope: "Conv2d_1a_3x3");
                }
                using (VariableScopes.Enter("Branch_2")) b2 = SlimLayers.MaxPool2dOp(net, new[] { 3, 3 }, stride: 2, padding: "VALID", scope: "MaxPool_1a_3x3");
                net = Concat(b0, b1, b2);
            }
            if (Done("Mixed_7a", net)) return (net, endPoints);

            // Mixed_7b, 7c: 8 x 8 x 2048 (the 1x3 and 3x1 halves side by side).
            foreach (var (endPoint, b1Second) in new[] { ("Mixed_7b", "Conv2d_0b_3x1"), ("Mixed_7c", "Conv2d_0c_3x1") })
            {
                using (VariableScopes.Enter(endPoint))
                {
                    Tensor b0, b1, b2, b3;
                    using (VariableScopes.Enter("Branch_0")) b0 = SlimLayers.Convolution2dOp(net, depth(320), new[] { 1, 1 }, scope: "Conv2d_0a_1x1");
                    using (VariableScopes.Enter("Branch_1"))
                    {
                        b1 = SlimLayers.Convolution2dOp(net, depth(384), new[] { 1, 1 }, scope: "Conv2d_0a_1x1");
                        b1 = Concat(SlimLayers.Convolution2dOp(b1, depth(384), new[] { 1, 3 }, scope: "Conv2d_0b_1x3"),
                            SlimLayers.Convolution2dOp(b1, depth(384), new[] { 3, 1 }, scope: b1Second));
                    }
                    using (VariableScopes.Enter("Branch_2"))
                    {
                        b2 = SlimLayers.Convolution2dOp(net, depth(448), new[] { 1, 1 }, scope: "Conv2d_0a_1x1");
                        b2 = SlimLayers.Convolution2dOp(b2, depth(384), new[] { 3, 3 }, scope: "Conv2d_0b_3x3");
                        b2 = Concat(SlimLayers.Convolution2dOp(b2, depth(384), new[] { 1, 3 }, scope: "Conv2d_0c_1x3"),
                            SlimLayers.Convolution2dOp(b2, depth(384), new[] { 3, 1 }, scope: "Conv2d_0d_3x1"));
                    }
                    using (VariableScopes.Enter("Branch_3"))
                    {
                        b3 = SlimLayers.AvgPool2dOp(net, new[] { 3, 3 }, scope: "AvgPool_0a_3x3");
                        b3 = SlimLayers.Convolution2dOp(b3, depth(192), new[] { 1, 1 }, scope: "Conv2d_0b_1x1");
                    }
                    net = Concat(b0, b1, b2, b3);
                }
                if (Done(endPoint, net)) return (net, endPoints);
            }
        }
        throw new ValueError($"Unknown final endpoint {finalEndpoint}");
    }

    private static Size2D ReducedKernelSize(Tensor input, int kh, int kw)
    {
        var s = input.shape;
        if (!s.IsKnownRank || s[1] < 0 || s[2] < 0) return new Size2D(kh, kw);
        return new Size2D(Math.Min(s[1], kh), Math.Min(s[2], kw));
    }

    public static (Tensor logits, Dictionary<string, Tensor> end_points) Build(Tensor inputs, int numClasses, TensorLike isTraining, double dropoutKeepProb,
        int minDepth, double depthMultiplier, bool spatialSqueeze, Reuse? reuse, bool createAuxLogits, string scope, bool globalPool)
    {
        var depth = Depth(depthMultiplier, minDepth);
        using var sc = VariableScopes.Enter(scope, "InceptionV3", reuse);
        using (ArgScopes.Enter([SlimLayers.BatchNormOp, SlimLayers.DropoutOp], is_training: isTraining))
        {
            var (net, endPoints) = Base(inputs, "Mixed_7c", minDepth, depthMultiplier, sc.scope);
            if (createAuxLogits && numClasses > 0)
            {
                using (ArgScopes.Enter([SlimLayers.Convolution2dOp, SlimLayers.MaxPool2dOp, SlimLayers.AvgPool2dOp], stride: 1, padding: "SAME"))
                using (VariableScopes.Enter("AuxLogits"))
                {
                    var aux = SlimLayers.AvgPool2dOp(endPoints["Mixed_6e"], new[] { 5, 5 }, stride: 3, padding: "VALID", scope: "AvgPool_1a_5x5");
                    aux = SlimLayers.Convolution2dOp(aux, depth(128), new[] { 1, 1 }, scope: "Conv2d_1b_1x1");
                    var k = ReducedKernelSize(aux, 5, 5);
                    aux = SlimLayers.Convolution2dOp(aux, depth(768), k, weights_initializer: new TruncatedNormalInitializer(0.0, 0.01), padding: "VALID",
                        scope: $"Conv2d_2a_{k.Height}x{k.Width}");
                    aux = SlimLayers.Convolution2dOp(aux, numClasses, new[] { 1, 1 }, activation_fn: NoneType.Instance, normalizer_fn: NoneType.Instance,
                        weights_initializer: new TruncatedNormalInitializer(0.0, 0.001), scope: "Conv2d_2b_1x1");
                    if (spatialSqueeze) aux = Squeeze.Build(aux, new[] { 1, 2 }, "SpatialSqueeze");
                    endPoints["AuxLogits"] = aux;
                }
            }
            using (VariableScopes.Enter("Logits"))
            {
                if (globalPool)
                {
                    net = Mean.Build(net, new[] { 1, 2 }, true, "GlobalPool");
                    endPoints["global_pool"] = net;
                }
                else
                {
                    var k = ReducedKernelSize(net, 8, 8);
                    net = SlimLayers.AvgPool2dOp(net, k, padding: "VALID", scope: $"AvgPool_1a_{k.Height}x{k.Width}");
                    endPoints["AvgPool_1a"] = net;
                }
                if (numClasses <= 0) return (net, endPoints);
                net = SlimLayers.DropoutOp(net, keep_prob: dropoutKeepProb, scope: "Dropout_1b");
                endPoints["PreLogits"] = net;
                var logits = SlimLayers.Convolution2dOp(net, numClasses, new[] { 1, 1 }, activation_fn: NoneType.Instance, normalizer_fn: NoneType.Instance, scope: "Conv2d_1c_1x1");
                if (spatialSqueeze) logits = Squeeze.Build(logits, new[] { 1, 2 }, "SpatialSqueeze");
                endPoints["Logits"] = logits;
            }
            var finalLogits = endPoints["Logits"];
            using (Graph.get_default().name_scope("Predictions")) endPoints["Predictions"] = Activations.Softmax(finalLogits, -1, log: false, null);
            return (finalLogits, endPoints);
        }
    }
}
