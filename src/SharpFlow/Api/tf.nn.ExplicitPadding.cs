#pragma warning disable CS8981
using SharpFlow.Ops.NN;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class nn
        {
            /// <summary>
            /// <c>tf.nn.conv2d</c> with explicit padding, as TensorFlow 1.15 takes a list for <c>padding</c>:
            /// <c>[[0, 0], [pad_top, pad_bottom], [pad_left, pad_right], [0, 0]]</c> (NHWC). The op is a Conv2D with
            /// <c>padding="EXPLICIT"</c> and <c>explicit_paddings</c> the flattened list.
            /// </summary>
            public static Tensor conv2d(TensorLike input, TensorLike filter, int[] strides, int[][] padding, int[]? dilations = null, string? name = null) =>
                Conv2D.Def.Build(input, filter, WindowAttrs.ForConv(strides, "EXPLICIT", dilations, ExplicitPaddings(padding)), name);

            private static int[] ExplicitPaddings(int[][] padding)
            {
                var flat = new List<int>();
                for (var i = 0; i < padding.Length; i++)
                {
                    if (padding[i] is not { Length: 2 })
                        throw new ValueError($"When padding is a list, each element of padding must be a list/tuple of size 2. Got padding[{i}]=[{string.Join(", ", padding[i] ?? [])}]");
                    flat.AddRange(padding[i]);
                }
                if (padding.Length != 4) throw new ValueError($"When padding is a list, it must be of size 4. Got padding of size: {padding.Length}");
                return [.. flat];
            }
        }
    }
}
