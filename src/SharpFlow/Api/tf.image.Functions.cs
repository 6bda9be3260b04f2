#pragma warning disable CS8981
using System.Numerics;
using SharpFlow.Ops.Image;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>
        /// A random <paramref name="size"/>-shaped slice of <paramref name="value"/> at a uniformly drawn offset
        /// (<c>tf.random_crop</c>).
        /// </summary>
        public static Tensor random_crop(TensorLike value, TensorLike size, int? seed = null, string? name = null)
        {
            using var scope = name_scope(name ?? "random_crop");
            var v = convert_to_tensor(value, name: "value");
            var s = convert_to_tensor(size, dtype: int32, name: "size");
            var shape = tf.shape(v);
            var limit = shape - s + 1;
            var offset = tf.mod(random_uniform(tf.shape(shape), maxval: int.MaxValue, dtype: int32, seed: seed), limit);
            return slice(v, offset, s, name: "crop");
        }

        public static partial class image
        {
            /// <summary>A dimension known at graph-building time (an int) or only at run time (an int32 scalar tensor).</summary>
            private readonly record struct Dim(int? Static, Tensor? Dynamic)
            {
                public static implicit operator Dim(int v) => new(v, null);

                public static implicit operator Dim(Tensor t) => new(null, t);

                public TensorLike Value => Static is { } s ? s : Dynamic!;

                public Tensor AsTensor => Dynamic ?? constant(Static!.Value);

                public static Dim operator -(Dim a, Dim b) => a.Static is { } x && b.Static is { } y ? x - y : a.AsTensor - b.AsTensor;

                public static Dim operator +(Dim a, Dim b) => a.Static is { } x && b.Static is { } y ? x + y : a.AsTensor + b.AsTensor;

                /// <summary>Python's floor division by 2.</summary>
                public Dim Half() => Static is { } x ? (int)System.Math.Floor(x / 2.0) : floordiv(Dynamic!, 2);

                public Dim Neg() => Static is { } x ? -x : -Dynamic!;

                public static Dim Max(Dim a, Dim b) => a.Static is { } x && b.Static is { } y ? System.Math.Max(x, y) : maximum(a.AsTensor, b.AsTensor);

                public static Dim Min(Dim a, Dim b) => a.Static is { } x && b.Static is { } y ? System.Math.Min(x, y) : minimum(a.AsTensor, b.AsTensor);

                public int ShapeDim => Static ?? -1;
            }

            /// <summary>_ImageDimensions: each dimension static where known, else from tf.shape.</summary>
            private static Dim[] Dimensions(Tensor image, int rank)
            {
                var dims = new Dim[rank];
                Tensor? dynamic = null;
                for (var i = 0; i < rank; i++)
                {
                    var d = image.shape.IsKnownRank ? image.shape[i] : -1;
                    if (d >= 0) dims[i] = d;
                    else
                    {
                        dynamic ??= tf.shape(image);
                        dims[i] = dynamic[i];
                    }
                }
                return dims;
            }

            /// <summary>A 3-D image becomes a batch of one; the flag says to squeeze it back.</summary>
            private static (Tensor Batch, bool IsBatch) AsBatch(Tensor image, string what = "'image'")
            {
                if (!image.shape.IsKnownRank)
                {
                    var e = expand_dims(image, 0);
                    e.SetShape(Shape.UnknownDims(4));
                    return (e, false);
                }
                return image.shape.ndims switch
                {
                    3 => (expand_dims(image, 0), false),
                    4 => (image, true),
                    _ => throw new ValueError($"{what} must have either 3 or 4 dimensions, got shape {image.shape}."),
                };
            }

            private static Tensor Unbatch(Tensor t, bool isBatch) => isBatch ? t : squeeze(t, [0]);

            /// <summary>TensorFlow's _assert on a static condition: a ValueError when it is known to fail.</summary>
            private static void Check(Dim value, Func<int, bool> ok, string message)
            {
                if (value.Static is { } v && !ok(v)) throw new ValueError(message);
            }

            private static void CheckAtLeast3D(Tensor image)
            {
                if (image.shape.IsKnownRank && image.shape.ndims < 3)
                    throw new ValueError($"'image' (shape {image.shape}) must be at least three-dimensional.");
                if (image.shape.IsKnownRank && image.shape.Dims[^3..].Any(d => d == 0))
                    throw new ValueError($"all dims of 'image.shape' must be > 0: {image.shape}");
            }

            /// <summary>
            /// The [offset_height, offset_width] window of size [target_height, target_width] of an image [H, W, C] or a
            /// batch [N, H, W, C] (<c>tf.image.crop_to_bounding_box</c>).
            /// </summary>
            public static Tensor crop_to_bounding_box(TensorLike image, TensorLike offset_height, TensorLike offset_width, TensorLike target_height, TensorLike target_width)
            {
                using var scope = name_scope("crop_to_bounding_box");
                var (batch, isBatch) = AsBatch(convert_to_tensor(image, name: "image"));
                CheckAtLeast3D(batch);
                var d = Dimensions(batch, 4);
                var (oh, ow, th, tw) = (ToDim(offset_height), ToDim(offset_width), ToDim(target_height), ToDim(target_width));
                Check(ow, v => v >= 0, "offset_width must be >= 0.");
                Check(oh, v => v >= 0, "offset_height must be >= 0.");
                Check(tw, v => v > 0, "target_width must be > 0.");
                Check(th, v => v > 0, "target_height must be > 0.");
                Check(d[2] - (tw + ow), v => v >= 0, "width must be >= target + offset.");
                Check(d[1] - (th + oh), v => v >= 0, "height must be >= target + offset.");
                var cropped = slice(batch, Stack([0, oh, ow, 0]), Stack([-1, th, tw, -1]));
                cropped.SetShape(new Shape(d[0].ShapeDim, th.ShapeDim, tw.ShapeDim, d[3].ShapeDim));
                return Unbatch(cropped, isBatch);
            }

            /// <summary>
            /// Pads an image [H, W, C] or a batch with zeros to [target_height, target_width], the image at
            /// [offset_height, offset_width] (<c>tf.image.pad_to_bounding_box</c>).
            /// </summary>
            public static Tensor pad_to_bounding_box(TensorLike image, TensorLike offset_height, TensorLike offset_width, TensorLike target_height, TensorLike target_width)
            {
                using var scope = name_scope("pad_to_bounding_box");
                var (batch, isBatch) = AsBatch(convert_to_tensor(image, name: "image"));
                CheckAtLeast3D(batch);
                var d = Dimensions(batch, 4);
                var (oh, ow, th, tw) = (ToDim(offset_height), ToDim(offset_width), ToDim(target_height), ToDim(target_width));
                var afterWidth = tw - ow - d[2];
                var afterHeight = th - oh - d[1];
                Check(oh, v => v >= 0, "offset_height must be >= 0");
                Check(ow, v => v >= 0, "offset_width must be >= 0");
                Check(afterWidth, v => v >= 0, "width must be <= target - offset");
                Check(afterHeight, v => v >= 0, "height must be <= target - offset");
                var paddings = reshape(Stack([0, 0, oh, afterHeight, ow, afterWidth, 0, 0]), new[] { 4, 2 });
                var padded = pad(batch, paddings);
                padded.SetShape(new Shape(d[0].ShapeDim, th.ShapeDim, tw.ShapeDim, d[3].ShapeDim));
                return Unbatch(padded, isBatch);
            }

            /// <summary>
            /// Crops (centrally) and/or pads (evenly, with zeros) an image or a batch to [target_height, target_width]
            /// (<c>tf.image.resize_image_with_crop_or_pad</c>).
            /// </summary>
            public static Tensor resize_image_with_crop_or_pad(TensorLike image, TensorLike target_height, TensorLike target_width)
            {
                using var scope = name_scope("resize_image_with_crop_or_pad");
                var (batch, isBatch) = AsBatch(convert_to_tensor(image, name: "image"));
                CheckAtLeast3D(batch);
                var (th, tw) = (ToDim(target_height), ToDim(target_width));
                Check(tw, v => v > 0, "target_width must be > 0.");
                Check(th, v => v > 0, "target_height must be > 0.");
                var d = Dimensions(batch, 4);
                var widthDiff = tw - d[2];
                var heightDiff = th - d[1];
                var cropWidth = Dim.Max(widthDiff.Neg().Half(), 0);
                var padWidth = Dim.Max(widthDiff.Half(), 0);
                var cropHeight = Dim.Max(heightDiff.Neg().Half(), 0);
                var padHeight = Dim.Max(heightDiff.Half(), 0);
                var cropped = crop_to_bounding_box(batch, cropHeight.Value, cropWidth.Value, Dim.Min(th, d[1]).Value, Dim.Min(tw, d[2]).Value);
                var resized = pad_to_bounding_box(cropped, padHeight.Value, padWidth.Value, th.Value, tw.Value);
                return Unbatch(resized, isBatch);
            }

            /// <summary>
            /// The central <paramref name="central_fraction"/> of an image [H, W, C] or a batch, along height and width
            /// (<c>tf.image.central_crop</c>).
            /// </summary>
            public static Tensor central_crop(TensorLike image, double central_fraction)
            {
                using var scope = name_scope("central_crop");
                var x = convert_to_tensor(image, name: "image");
                if (central_fraction <= 0.0 || central_fraction > 1.0) throw new ValueError("central_fraction must be within (0, 1]");
                if (central_fraction == 1.0) return x;
                CheckAtLeast3D(x);
                var rank = x.shape.ndims;
                if (rank is not (3 or 4)) throw new ValueError($"`image` should either be a Tensor with rank = 3 or rank = 4. Had rank = {rank}.");
                var offset = rank - 3;
                var d = Dimensions(x, rank);
                Dim Start(Dim size) => size.Static is { } s
                    ? (int)((s - s * central_fraction) / 2)
                    : cast((cast(size.Dynamic!, float64) - cast(size.Dynamic!, float64) * central_fraction) / 2.0, int32);
                var (hs, ws) = (Start(d[offset]), Start(d[offset + 1]));
                var (hSize, wSize) = (d[offset] - hs - hs, d[offset + 1] - ws - ws);
                var cropped = rank == 3
                    ? slice(x, Stack([hs, ws, 0]), Stack([hSize, wSize, -1]))
                    : slice(x, Stack([0, hs, ws, 0]), Stack([-1, hSize, wSize, -1]));
                cropped.SetShape(rank == 3
                    ? new Shape(hSize.ShapeDim, wSize.ShapeDim, x.shape[2])
                    : new Shape(x.shape[0], hSize.ShapeDim, wSize.ShapeDim, x.shape[3]));
                return cropped;
            }

            private static Dim ToDim(TensorLike v) => v.Value switch
            {
                int i => i,
                long l => checked((int)l),
                Tensor t => t.dtype == int32 ? t : cast(t, int32),
                _ => convert_to_tensor(v, dtype: int32),
            };

            private static Tensor Stack(Dim[] dims) => dims.All(d => d.Static.HasValue)
                ? constant(dims.Select(d => d.Static!.Value).ToArray())
                : stack(dims.Select(d => d.AsTensor));

            /// <summary>Reverses axis <paramref name="axis"/> (0: rows) of an image, or axis+1 of a batch.</summary>
            private static Tensor Flip(TensorLike image, int axis, string scopeName)
            {
                using var scope = name_scope(scopeName);
                var x = convert_to_tensor(image, name: "image");
                CheckAtLeast3D(x);
                if (!x.shape.IsKnownRank || x.shape.ndims == 3) return reverse(x, new[] { axis });
                if (x.shape.ndims == 4) return reverse(x, new[] { axis + 1 });
                throw new ValueError("'image' must have either 3 or 4 dimensions.");
            }

            /// <summary>Mirrors an image or a batch left to right (<c>tf.image.flip_left_right</c>).</summary>
            public static Tensor flip_left_right(TensorLike image) => Flip(image, 1, "flip_left_right");

            /// <summary>Mirrors an image or a batch top to bottom (<c>tf.image.flip_up_down</c>).</summary>
            public static Tensor flip_up_down(TensorLike image) => Flip(image, 0, "flip_up_down");

            /// <summary>
            /// Flips with probability ½: one draw for an image (a cond, as TensorFlow), one per image for a batch.
            /// </summary>
            private static Tensor RandomFlip(TensorLike image, int axis, int? seed, string scopeName)
            {
                using var scope = name_scope(scopeName);
                var x = convert_to_tensor(image, name: "image");
                CheckAtLeast3D(x);
                if (!x.shape.IsKnownRank || x.shape.ndims == 3)
                {
                    var u = random_uniform(Shape.Scalar, 0, 1.0, seed: seed);
                    var mirror = less(u, 0.5);
                    var result = cond(mirror, () => reverse(x, new[] { axis }), () => identity(x));
                    result.SetShape(x.shape);
                    return result;
                }
                if (x.shape.ndims != 4) throw new ValueError("'image' must have either 3 or 4 dimensions.");
                var batchSize = tf.shape(x)[0];
                var uniform = random_uniform(stack(new[] { batchSize }), 0, 1.0, seed: seed);
                var flips = cast(round(reshape(uniform, stack(new Tensor[] { batchSize, constant(1), constant(1), constant(1) }))), x.dtype);
                var flipped = reverse(x, new[] { axis + 1 });
                return flips * flipped + (cast(constant(1), x.dtype) - flips) * x;
            }

            /// <summary>Mirrors left to right with probability ½ (each image of a batch on its own) (<c>tf.image.random_flip_left_right</c>).</summary>
            public static Tensor random_flip_left_right(TensorLike image, int? seed = null) => RandomFlip(image, 1, seed, "random_flip_left_right");

            /// <summary>Mirrors top to bottom with probability ½ (each image of a batch on its own) (<c>tf.image.random_flip_up_down</c>).</summary>
            public static Tensor random_flip_up_down(TensorLike image, int? seed = null) => RandomFlip(image, 0, seed, "random_flip_up_down");

            /// <summary>Swaps height and width of an image or a batch (<c>tf.image.transpose_image</c>).</summary>
            public static Tensor transpose_image(TensorLike image)
            {
                using var scope = name_scope("transpose_image");
                var x = convert_to_tensor(image, name: "image");
                CheckAtLeast3D(x);
                return x.shape.ndims switch
                {
                    3 => transpose(x, new[] { 1, 0, 2 }),
                    4 => transpose(x, new[] { 0, 2, 1, 3 }),
                    _ => throw new ValueError("'image' must have either 3 or 4 dimensions."),
                };
            }

            /// <summary>Rotates an image or a batch by <paramref name="k"/> quarter turns counter-clockwise (<c>tf.image.rot90</c>).</summary>
            public static Tensor rot90(TensorLike image, int k = 1, string? name = null)
            {
                using var scope = name_scope(name ?? "rot90");
                var x = convert_to_tensor(image, name: "image");
                CheckAtLeast3D(x);
                var o = x.shape.ndims switch
                {
                    3 => 0,
                    4 => 1,
                    _ => throw new ValueError("'image' must have either 3 or 4 dimensions."),
                };
                int[] swap = o == 0 ? [1, 0, 2] : [0, 2, 1, 3];
                return (((k % 4) + 4) % 4) switch
                {
                    1 => transpose(reverse(x, new[] { o + 1 }), swap),
                    2 => reverse(x, new[] { o, o + 1 }),
                    3 => reverse(transpose(x, swap), new[] { o + 1 }),
                    _ => identity(x),
                };
            }

            private static (BigInteger Min, BigInteger Max) IntRange(DType d) => d.Id switch
            {
                DataType.UInt8 => (0, byte.MaxValue),
                DataType.UInt16 => (0, ushort.MaxValue),
                DataType.Int32 => (int.MinValue, int.MaxValue),
                DataType.Int64 => (long.MinValue, long.MaxValue),
                _ => throw new TypeError($"{d.name} is not an integer image dtype"),
            };

            private static TensorLike Constant(BigInteger v, DType d) => d.Id switch
            {
                DataType.UInt8 => constant((byte)v),
                DataType.UInt16 => constant((ushort)v),
                DataType.Int32 => (int)v,
                DataType.Int64 => (long)v,
                DataType.Float => (float)v,
                _ => (double)v,
            };

            /// <summary>TensorFlow's <c>saturate_cast</c>: clamps into the target's range (where the source's is wider), then casts.</summary>
            private static Tensor SaturateCast(Tensor value, DType dtype)
            {
                if (value.dtype == dtype) return value;
                double Lo(DType d) => d.is_floating ? (d == float32 ? float.MinValue : double.MinValue) : (double)IntRange(d).Min;
                double Hi(DType d) => d.is_floating ? (d == float32 ? float.MaxValue : double.MaxValue) : (double)IntRange(d).Max;
                if (Lo(value.dtype) < Lo(dtype))
                    value = maximum(value, value.dtype.is_floating ? Scalar(Lo(dtype), value.dtype) : Constant(IntRange(dtype).Min, value.dtype));
                if (Hi(value.dtype) > Hi(dtype))
                    value = minimum(value, value.dtype.is_floating ? Scalar(Hi(dtype), value.dtype) : Constant(IntRange(dtype).Max, value.dtype));
                return cast(value, dtype);
            }

            private static Tensor Scalar(double v, DType d) => d == float32 ? constant((float)v) : constant(NDArray.Scalar(v));

            /// <summary>
            /// Converts images between dtypes with TensorFlow's scaling: floats span [0, 1), integers [0, MAX]; integer to
            /// integer shifts by the ratio of the ranges; float to integer multiplies by MAX + 0.5 and casts (saturating when
            /// <paramref name="saturate"/>) (<c>tf.image.convert_image_dtype</c>).
            /// </summary>
            public static Tensor convert_image_dtype(TensorLike image, DType dtype, bool saturate = false, string? name = null)
            {
                var x = convert_to_tensor(image, name: "image");
                if (!(dtype.is_floating || dtype.is_integer)) throw new TypeError($"dtype must be either floating point or integer, got {dtype.name}");
                if (!(x.dtype.is_floating || x.dtype.is_integer)) throw new TypeError($"image must be either floating point or integer, got {x.dtype.name}");
                if (x.dtype == dtype) return identity(x, name);
                using var scope = name_scope(name ?? "convert_image");
                if (x.dtype.is_integer && dtype.is_integer)
                {
                    var (scaleIn, scaleOut) = (IntRange(x.dtype).Max, IntRange(dtype).Max);
                    if (scaleIn > scaleOut)
                    {
                        var scaled = floordiv(x, Constant((scaleIn + 1) / (scaleOut + 1), x.dtype));
                        return saturate ? SaturateCast(scaled, dtype) : cast(scaled, dtype);
                    }
                    var c = saturate ? SaturateCast(x, dtype) : cast(x, dtype);
                    return multiply(c, Constant((scaleOut + 1) / (scaleIn + 1), dtype));
                }
                if (x.dtype.is_floating && dtype.is_floating) return cast(x, dtype);
                if (x.dtype.is_integer)
                    return multiply(cast(x, dtype), Scalar(1.0 / (double)IntRange(x.dtype).Max, dtype));
                var product = multiply(x, Scalar((double)IntRange(dtype).Max + 0.5, x.dtype));
                return saturate ? SaturateCast(product, dtype) : cast(product, dtype);
            }

            /// <summary>The float32 working copy TensorFlow's adjust_* functions use (float32 images as they are).</summary>
            private static Tensor ToFloat(Tensor x) => x.dtype == float32 ? x : convert_image_dtype(x, float32);

            /// <summary>Adds <paramref name="delta"/> to every value (in float32; converted back saturating) (<c>tf.image.adjust_brightness</c>).</summary>
            public static Tensor adjust_brightness(TensorLike image, TensorLike delta)
            {
                using var scope = name_scope("adjust_brightness");
                var x = convert_to_tensor(image, name: "image");
                var f = ToFloat(x);
                var adjusted = add(f, cast(delta, f.dtype));
                return convert_image_dtype(adjusted, x.dtype, saturate: true);
            }

            /// <summary>
            /// Moves every value away from its channel's mean over height and width by <paramref name="contrast_factor"/>:
            /// (x - mean)·factor + mean, one AdjustContrastv2 node named <c>adjust_contrast</c> as TensorFlow 1.15 builds it
            /// (half and float32 images as they are, others converted to float32 and back, saturating)
            /// (<c>tf.image.adjust_contrast</c>). As in TensorFlow 1.15 it has no gradient.
            /// </summary>
            public static Tensor adjust_contrast(TensorLike images, TensorLike contrast_factor)
            {
                using var scope = get_default_graph().name_scope("adjust_contrast", out var scopeName);
                var x = convert_to_tensor(images, name: "images");
                var f = x.dtype == float16 || x.dtype == float32 ? x : convert_image_dtype(x, float32);
                var adjusted = AdjustContrastv2.Build(f, contrast_factor, name: scopeName);
                return convert_image_dtype(adjusted, x.dtype, saturate: true);
            }

            /// <summary>Rotates every hue by <paramref name="delta"/> (a fraction of the circle, in [-1, 1]) (<c>tf.image.adjust_hue</c>).</summary>
            public static Tensor adjust_hue(TensorLike image, TensorLike delta, string? name = null)
            {
                using var scope = name_scope(name ?? "adjust_hue");
                var x = convert_to_tensor(image, name: "image");
                var f = ToFloat(x);
                return convert_image_dtype(AdjustHue.Build(f, cast(delta, float32)), x.dtype);
            }

            /// <summary>Multiplies every saturation by <paramref name="saturation_factor"/>, clamped into [0, 1] (<c>tf.image.adjust_saturation</c>).</summary>
            public static Tensor adjust_saturation(TensorLike image, TensorLike saturation_factor, string? name = null)
            {
                using var scope = name_scope(name ?? "adjust_saturation");
                var x = convert_to_tensor(image, name: "image");
                var f = ToFloat(x);
                return convert_image_dtype(AdjustSaturation.Build(f, cast(saturation_factor, float32)), x.dtype);
            }

            /// <summary>Gamma correction: gain · image^gamma, in float32 (<c>tf.image.adjust_gamma</c>).</summary>
            public static Tensor adjust_gamma(TensorLike image, double gamma = 1, double gain = 1)
            {
                using var scope = name_scope("adjust_gamma");
                if (gamma < 0) throw new ValueError("Gamma should be a non-negative real number.");
                var x = convert_to_tensor(image, name: "image");
                var f = ToFloat(x);
                var adjusted = Scalar(gain, f.dtype) * pow(f, Scalar(gamma, f.dtype));
                return convert_image_dtype(adjusted, x.dtype, saturate: true);
            }

            /// <summary>adjust_brightness by a delta drawn from U[-max_delta, max_delta) (<c>tf.image.random_brightness</c>).</summary>
            public static Tensor random_brightness(TensorLike image, double max_delta, int? seed = null)
            {
                if (max_delta < 0) throw new ValueError("max_delta must be non-negative.");
                var delta = random_uniform(Shape.Scalar, -max_delta, max_delta, seed: seed);
                return adjust_brightness(image, delta);
            }

            /// <summary>adjust_contrast by a factor drawn from U[lower, upper) (<c>tf.image.random_contrast</c>).</summary>
            public static Tensor random_contrast(TensorLike image, double lower, double upper, int? seed = null)
            {
                if (upper <= lower) throw new ValueError("upper must be > lower.");
                if (lower < 0) throw new ValueError("lower must be non-negative.");
                var factor = random_uniform(Shape.Scalar, lower, upper, seed: seed);
                return adjust_contrast(image, factor);
            }

            /// <summary>adjust_hue by a delta drawn from U[-max_delta, max_delta), max_delta ≤ 0.5 (<c>tf.image.random_hue</c>).</summary>
            public static Tensor random_hue(TensorLike image, double max_delta, int? seed = null)
            {
                if (max_delta > 0.5) throw new ValueError("max_delta must be <= 0.5.");
                if (max_delta < 0) throw new ValueError("max_delta must be non-negative.");
                var delta = random_uniform(Shape.Scalar, -max_delta, max_delta, seed: seed);
                return adjust_hue(image, delta);
            }

            /// <summary>adjust_saturation by a factor drawn from U[lower, upper) (<c>tf.image.random_saturation</c>).</summary>
            public static Tensor random_saturation(TensorLike image, double lower, double upper, int? seed = null)
            {
                if (upper <= lower) throw new ValueError("upper must be > lower.");
                if (lower < 0) throw new ValueError("lower must be non-negative.");
                var factor = random_uniform(Shape.Scalar, lower, upper, seed: seed);
                return adjust_saturation(image, factor);
            }

            /// <summary>
            /// Grey = 0.2989 R + 0.5870 G + 0.1140 B (in float32, converted back to the images' dtype); the last axis becomes
            /// 1 (<c>tf.image.rgb_to_grayscale</c>).
            /// </summary>
            public static Tensor rgb_to_grayscale(TensorLike images, string? name = null)
            {
                using var scope = name_scope(name ?? "rgb_to_grayscale");
                var x = convert_to_tensor(images, name: "images");
                var f = convert_image_dtype(x, float32);
                var grey = tensordot(f, new[] { 0.2989f, 0.5870f, 0.1140f }, new[] { new[] { -1 }, new[] { -1 } });
                return convert_image_dtype(expand_dims(grey, -1), x.dtype);
            }

            /// <summary>
            /// Each image scaled to zero mean and unit variance: (x - mean) / max(stddev, 1/√pixels), in float32
            /// (<c>tf.image.per_image_standardization</c>).
            /// </summary>
            public static Tensor per_image_standardization(TensorLike image)
            {
                using var scope = name_scope("per_image_standardization");
                var x = convert_to_tensor(image, name: "image");
                CheckAtLeast3D(x);
                var shape = tf.shape(x);
                var pixels = reduce_prod(strided_slice(shape, new[] { -3 }, new[] { 0 }, new[] { 1 }, end_mask: 1));
                var f = cast(x, float32);
                var axes = new[] { -1, -2, -3 };
                var mean = reduce_mean(f, axes, keepdims: true);
                var variance = nn.relu(reduce_mean(square(f), axes, keepdims: true) - square(mean));
                var stddev = sqrt(variance);
                var minStddev = rsqrt(cast(pixels, float32));
                var scale = maximum(stddev, minStddev);
                return div(subtract(f, mean), scale);
            }

            /// <summary>
            /// The sum of absolute differences of neighbouring pixels, vertically and horizontally: a scalar for an image,
            /// one value per image for a batch (<c>tf.image.total_variation</c>).
            /// </summary>
            public static Tensor total_variation(TensorLike images, string? name = null)
            {
                using var scope = name_scope(name ?? "total_variation");
                var x = convert_to_tensor(images, name: "images");
                var all = new Range(0, Index.End);
                var (rest, most) = (new Range(1, Index.End), new Range(0, ^1));
                return x.shape.ndims switch
                {
                    3 => reduce_sum(abs(x[rest, all, all] - x[most, all, all])) + reduce_sum(abs(x[all, rest, all] - x[all, most, all])),
                    4 => reduce_sum(abs(x[all, rest, all, all] - x[all, most, all, all]), new[] { 1, 2, 3 })
                         + reduce_sum(abs(x[all, all, rest, all] - x[all, all, most, all]), new[] { 1, 2, 3 }),
                    _ => throw new ValueError("'images' must be either 3 or 4-dimensional."),
                };
            }
        }
    }
}
