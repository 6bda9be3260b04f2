#:project ../src/SharpFlow/SharpFlow.csproj
// Seed chapter 7's complete image preprocessing sample: a JPEG is decoded, converted to float, cropped at random with
// sample_distorted_bounding_box around the annotated boxes, resized with a random method, flipped and colour-distorted
// (brightness, saturation, hue, contrast in one of two orders), and every result is written out as PNG. The book
// reads a photograph of a cat; this example first writes its own JPEG with encode_jpeg, a Fashion-MNIST picture
// (the embedded sample) tinted into colour and enlarged.
// Run: dotnet run examples/07-image-preprocessing.cs [-- output-directory]
using SharpFlow;
using SharpFlow.Data;
using static SharpFlow.Binding;

var outputDirectory = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "sharpflow-image-preprocessing");
Directory.CreateDirectory(outputDirectory);
var random = new Random(7); // the book's np.random.randint, seeded so that the run repeats
tf.set_random_seed(7);

// A JPEG of our own: a Fashion-MNIST picture, tinted and enlarged to 140×112.
var sample = FashionMnist.read_sample(validation_size: 0, seed: 1);
var picture = NDArray.FromFlat(sample.train.images.ToArray<float>()[..784], new Shape(28, 28, 1));
var jpegPath = Path.Combine(outputDirectory, "picture.jpg");
using (var g = new Graph().as_default())
{
    var grey = tf.constant(picture);
    var colour = tf.concat(new[] { grey, grey * 0.6f + 0.2f, 1f - grey * 0.8f }, 2);
    var large = tf.image.resize_images(colour, new[] { 140, 112 }, tf.image.ResizeMethod.BICUBIC);
    var encoded = tf.image.encode_jpeg(tf.image.convert_image_dtype(tf.clip_by_value(large, 0f, 1f), tf.uint8), quality: 95);
    using var sess = tf.Session();
    File.WriteAllBytes(jpegPath, sess.run(encoded).StringBytes(0));
}
Console.WriteLine($"wrote {Path.GetFileName(jpegPath)} ({new FileInfo(jpegPath).Length} bytes)");

Tensor DistortColor(Tensor image, int color_ordering)
{
    if (color_ordering == 0)
    {
        image = tf.image.random_brightness(image, max_delta: 32.0 / 255.0);
        image = tf.image.random_saturation(image, lower: 0.5, upper: 1.5);
        image = tf.image.random_hue(image, max_delta: 0.2);
        image = tf.image.random_contrast(image, lower: 0.5, upper: 1.5);
    }
    else
    {
        image = tf.image.random_saturation(image, lower: 0.5, upper: 1.5);
        image = tf.image.random_brightness(image, max_delta: 32.0 / 255.0);
        image = tf.image.random_contrast(image, lower: 0.5, upper: 1.5);
        image = tf.image.random_hue(image, max_delta: 0.2);
    }
    return tf.clip_by_value(image, 0.0f, 1.0f);
}

Tensor PreprocessForTrain(Tensor image, int height, int width, Tensor? bbox)
{
    bbox ??= tf.constant(new float[] { 0, 0, 1, 1 }, shape: new Shape(1, 1, 4));
    if (image.dtype != tf.float32) image = tf.image.convert_image_dtype(image, tf.float32);
    var (bbox_begin, bbox_size, _) = tf.image.sample_distorted_bounding_box(tf.shape(image), bounding_boxes: bbox, min_object_covered: 0.4f,
        seed: random.Next(1, 1000));
    var distorted_image = tf.slice(image, bbox_begin, bbox_size);
    distorted_image = tf.image.resize_images(distorted_image, new[] { height, width }, method: (tf.image.ResizeMethod)random.Next(4));
    distorted_image = tf.image.random_flip_left_right(distorted_image);
    return DistortColor(distorted_image, random.Next(2));
}

var image_raw_data = File.ReadAllBytes(jpegPath);
using (var g = new Graph().as_default())
{
    var img_data = tf.image.decode_jpeg(tf.constant(new NDArray(new[] { image_raw_data }, Shape.Scalar)));
    var boxes = tf.constant(new float[] { 0.05f, 0.05f, 0.9f, 0.7f, 0.35f, 0.47f, 0.5f, 0.56f }, shape: new Shape(1, 2, 4));
    var annotated = tf.image.draw_bounding_boxes(tf.expand_dims(tf.image.convert_image_dtype(img_data, tf.float32), 0), boxes);
    var results = Enumerable.Range(0, 9).Select(_ => PreprocessForTrain(img_data, 96, 96, boxes)).ToList();
    using var sess = tf.Session();
    var decoded = sess.run(img_data);
    Console.WriteLine($"decoded: shape={decoded.shape} dtype={decoded.dtype}");
    var boxed = tf.image.encode_png(tf.image.convert_image_dtype(tf.squeeze(annotated, [0]), tf.uint8));
    File.WriteAllBytes(Path.Combine(outputDirectory, "boxes.png"), sess.run(boxed).StringBytes(0));
    Console.WriteLine("wrote boxes.png");
    for (var i = 0; i < results.Count; i++)
    {
        var png = tf.image.encode_png(tf.image.convert_image_dtype(results[i], tf.uint8));
        var (pixels, bytes) = sess.run((results[i], png));
        var values = pixels.ToArray<float>();
        File.WriteAllBytes(Path.Combine(outputDirectory, $"distorted-{i}.png"), bytes.StringBytes(0));
        Console.WriteLine($"distorted-{i}.png: shape={pixels.shape} min={values.Min():F3} max={values.Max():F3} mean={values.Average():F3}");
    }
}
Console.WriteLine($"output in {outputDirectory}");
