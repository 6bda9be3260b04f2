#pragma warning disable CS8981 // the facade keeps TensorFlow's lower-case names
using SharpFlow.Slim;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class contrib
        {
            public static partial class slim
            {
                /// <summary>slim's nets (<c>from nets import vgg, inception</c>; <c>tf.contrib.slim.nets</c>).</summary>
                public static class nets
                {
                    /// <summary><c>nets.vgg</c>.</summary>
                    public static class vgg
                    {
                        /// <summary>
                        /// <c>vgg_16(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.5, spatial_squeeze=True,
                        /// scope='vgg_16', fc_conv_padding='VALID', global_pool=False)</c>: the logits and the end points
                        /// (<c>vgg_16/conv1/conv1_1</c> ... <c>vgg_16/fc8</c>). Build it inside <see cref="vgg_arg_scope"/>.
                        /// </summary>
                        public static (Tensor net, Dictionary<string, Tensor> end_points) vgg_16(Tensor inputs, int num_classes = 1000, TensorLike? is_training = null,
                            double dropout_keep_prob = 0.5, bool spatial_squeeze = true, string scope = "vgg_16", string fc_conv_padding = "VALID", bool global_pool = false) =>
                            Slim.Nets.Vgg.Vgg16(inputs, num_classes, is_training ?? true, dropout_keep_prob, spatial_squeeze, scope, fc_conv_padding, global_pool);

                        /// <summary>VGG's arg scope: relu, l2 weight decay, zero biases, SAME padding.</summary>
                        public static ArgScope vgg_arg_scope(double weight_decay = 0.0005) => Slim.Nets.Vgg.ArgScope(weight_decay);

                        /// <summary>The input size VGG-16 was trained at.</summary>
                        public const int default_image_size = 224;
                    }

                    /// <summary><c>nets.inception</c> (Inception-v3).</summary>
                    public static class inception
                    {
                        /// <summary>
                        /// <c>inception_v3(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.8, min_depth=16,
                        /// depth_multiplier=1.0, spatial_squeeze=True, reuse=None, create_aux_logits=True, scope='InceptionV3',
                        /// global_pool=False)</c>: the logits and the end points (Conv2d_1a_3x3 ... Mixed_7c, AuxLogits, PreLogits,
                        /// Logits, Predictions). Build it inside <see cref="inception_v3_arg_scope"/>.
                        /// </summary>
                        public static (Tensor logits, Dictionary<string, Tensor> end_points) inception_v3(Tensor inputs, int num_classes = 1000,
                            TensorLike? is_training = null, double dropout_keep_prob = 0.8, int min_depth = 16, double depth_multiplier = 1.0,
                            bool spatial_squeeze = true, Reuse? reuse = null, bool create_aux_logits = true, string scope = "InceptionV3", bool global_pool = false) =>
                            Slim.Nets.InceptionV3.Build(inputs, num_classes, is_training ?? true, dropout_keep_prob, min_depth, depth_multiplier, spatial_squeeze,
                                reuse, create_aux_logits, scope, global_pool);

                        /// <summary><c>inception_v3_base(inputs, final_endpoint='Mixed_7c')</c>: the network up to an end point.</summary>
                        public static (Tensor net, Dictionary<string, Tensor> end_points) inception_v3_base(Tensor inputs, string final_endpoint = "Mixed_7c",
                            int min_depth = 16, double depth_multiplier = 1.0, string? scope = null) =>
                            Slim.Nets.InceptionV3.Base(inputs, final_endpoint, min_depth, depth_multiplier, scope);

                        /// <summary>
                        /// <c>inception_v3_arg_scope(weight_decay=0.00004, use_batch_norm=True, batch_norm_decay=0.9997,
                        /// batch_norm_epsilon=0.001, activation_fn=relu, batch_norm_updates_collections=UPDATE_OPS, batch_norm_scale=False)</c>:
                        /// l2 weight decay on conv and fully connected weights; convolutions with variance scaling, relu and batch norm.
                        /// </summary>
                        public static ArgScope inception_v3_arg_scope(double weight_decay = 0.00004, bool use_batch_norm = true, double batch_norm_decay = 0.9997,
                            double batch_norm_epsilon = 0.001, Func<Tensor, Tensor>? activation_fn = null, string? batch_norm_updates_collections = SharpFlow.GraphKeys.UPDATE_OPS,
                            bool batch_norm_scale = false) =>
                            Slim.Nets.InceptionV3.ArgScope(weight_decay, use_batch_norm, batch_norm_decay, batch_norm_epsilon, activation_fn,
                                batch_norm_updates_collections, batch_norm_scale);

                        /// <summary>The input size Inception-v3 was trained at.</summary>
                        public const int default_image_size = 299;
                    }
                }
            }
        }
    }
}
