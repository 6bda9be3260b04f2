#pragma warning disable CS8981
using SharpFlow.Ops.Image;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class image
        {
            /// <summary>Resizes NHWC images by copying the nearest pixel; the dtype is kept (<c>tf.image.resize_nearest_neighbor</c>).</summary>
            public static Tensor resize_nearest_neighbor(TensorLike images, TensorLike size, bool align_corners = false, bool half_pixel_centers = false, string? name = null) =>
                ResizeNearestNeighbor.Build(images, size, align_corners, half_pixel_centers, name);

            /// <summary>Resizes NHWC images by cubic convolution to float32 (<c>tf.image.resize_bicubic</c>).</summary>
            public static Tensor resize_bicubic(TensorLike images, TensorLike size, bool align_corners = false, bool half_pixel_centers = false, string? name = null) =>
                ResizeBicubic.Build(images, size, align_corners, half_pixel_centers, name);

            /// <summary>Resizes NHWC images by area averaging to float32 (<c>tf.image.resize_area</c>).</summary>
            public static Tensor resize_area(TensorLike images, TensorLike size, bool align_corners = false, string? name = null) =>
                ResizeArea.Build(images, size, align_corners, name);

            /// <summary>
            /// Crops the boxes [y1, x1, y2, x2] (normalized) of images <paramref name="box_ind"/> and resizes each to
            /// <paramref name="crop_size"/>; float32 [num_boxes, crop_h, crop_w, depth] (<c>tf.image.crop_and_resize</c>).
            /// </summary>
            public static Tensor crop_and_resize(TensorLike image, TensorLike boxes, TensorLike box_ind, TensorLike crop_size, string method = "bilinear",
                float extrapolation_value = 0, string? name = null) =>
                CropAndResize.Build(image, boxes, box_ind, crop_size, method, extrapolation_value, name);

            /// <summary>RGB values in [0, 1] (last axis 3) to HSV, hue in [0, 1) (<c>tf.image.rgb_to_hsv</c>).</summary>
            public static Tensor rgb_to_hsv(TensorLike images, string? name = null) => RGBToHSV.Build(images, name);

            /// <summary>HSV values (last axis 3) to RGB (<c>tf.image.hsv_to_rgb</c>).</summary>
            public static Tensor hsv_to_rgb(TensorLike images, string? name = null) => HSVToRGB.Build(images, name);

            /// <summary>
            /// Greedy non-maximum suppression: the indices (int32) of at most <paramref name="max_output_size"/> boxes by
            /// decreasing score, none overlapping a kept one by more than <paramref name="iou_threshold"/>
            /// (<c>tf.image.non_max_suppression</c>).
            /// </summary>
            public static Tensor non_max_suppression(TensorLike boxes, TensorLike scores, TensorLike max_output_size, float iou_threshold = 0.5f,
                float score_threshold = float.NegativeInfinity, string? name = null) =>
                NonMaxSuppressionV3.Build(boxes, scores, max_output_size, iou_threshold, score_threshold, name);

            /// <summary>
            /// non_max_suppression returning also the number of boxes kept; with <paramref name="pad_to_max_output_size"/>
            /// the indices are padded with 0 to <paramref name="max_output_size"/> (a static shape when it is constant):
            /// NonMaxSuppressionV4, as TensorFlow 1.15 builds it (<c>tf.image.non_max_suppression_padded</c>).
            /// </summary>
            public static (Tensor selected_indices, Tensor valid_outputs) non_max_suppression_padded(TensorLike boxes, TensorLike scores, TensorLike max_output_size,
                float iou_threshold = 0.5f, float score_threshold = float.NegativeInfinity, bool pad_to_max_output_size = false, string? name = null)
            {
                using var scope = get_default_graph().name_scope(name ?? "non_max_suppression_padded");
                var iou = convert_to_tensor(iou_threshold, name: "iou_threshold");
                var score = convert_to_tensor(score_threshold, name: "score_threshold");
                return NonMaxSuppressionV4.Build(boxes, scores, max_output_size, iou, score, pad_to_max_output_size);
            }

            /// <summary>
            /// non_max_suppression returning the kept boxes' scores too; a positive <paramref name="soft_nms_sigma"/> decays
            /// the scores of overlapping boxes by exp(-IoU² / (2σ)) instead of dropping them (Soft-NMS), the returned scores
            /// being the decayed ones: NonMaxSuppressionV5 (<c>tf.image.non_max_suppression_with_scores</c>).
            /// </summary>
            public static (Tensor selected_indices, Tensor selected_scores) non_max_suppression_with_scores(TensorLike boxes, TensorLike scores,
                TensorLike max_output_size, float iou_threshold = 0.5f, float score_threshold = float.NegativeInfinity, float soft_nms_sigma = 0f, string? name = null)
            {
                using var scope = get_default_graph().name_scope(name ?? "non_max_suppression_with_scores");
                var iou = convert_to_tensor(iou_threshold, name: "iou_threshold");
                var score = convert_to_tensor(score_threshold, name: "score_threshold");
                var sigma = convert_to_tensor(soft_nms_sigma, name: "soft_nms_sigma");
                var (indices, selectedScores, _) = NonMaxSuppressionV5.Build(boxes, scores, max_output_size, iou, score, sigma);
                return (indices, selectedScores);
            }

            /// <summary>Draws the outlines of boxes [batch, n, 4] onto float images [batch, H, W, depth] (<c>tf.image.draw_bounding_boxes</c>).</summary>
            public static Tensor draw_bounding_boxes(TensorLike images, TensorLike boxes, string? name = null) => DrawBoundingBoxes.Build(images, boxes, name);

            /// <summary>
            /// A random crop of an image of size <paramref name="image_size"/> [H, W, C] covering at least
            /// <paramref name="min_object_covered"/> of one of <paramref name="bounding_boxes"/> [batch, n, 4]: (begin, size)
            /// for <c>tf.slice</c> and the crop as a box [1, 1, 4] (<c>tf.image.sample_distorted_bounding_box</c>). As in
            /// TensorFlow 1.x's version, <paramref name="seed"/> and <paramref name="seed2"/> go to the op as given (none: not seeded).
            /// </summary>
            public static (Tensor begin, Tensor size, Tensor bboxes) sample_distorted_bounding_box(TensorLike image_size, TensorLike bounding_boxes,
                int? seed = null, int? seed2 = null, float min_object_covered = 0.1f, float[]? aspect_ratio_range = null, float[]? area_range = null,
                int? max_attempts = null, bool use_image_if_no_bounding_boxes = false, string? name = null)
            {
                return SampleDistortedBoundingBoxV2.Build(image_size, bounding_boxes, (seed ?? 0, seed2 ?? 0), min_object_covered, aspect_ratio_range ?? [0.75f, 1.33f],
                    area_range ?? [0.05f, 1f], max_attempts ?? 100, use_image_if_no_bounding_boxes, name);
            }
        }
    }
}
