#:project ../src/SharpFlow.Models/SharpFlow.Models.csproj
// Seed §40–§41: VGG-16 (convX-Y: an X×X filter of depth Y) and Inception-v3 (filters of several sizes side by
// side, their outputs concatenated), built by SharpFlow.Models, with their layer tables and parameter counts;
// then one forward pass of Inception-v3 at the smallest input it allows (75×75).
using SharpFlow;
using SharpFlow.Models;
using static SharpFlow.Binding;

foreach (var model in new Model[] { new Vgg16(), new InceptionV3() })
{
    using (new Graph().as_default())
    {
        var (h, w, c) = model.DefaultInput;
        var output = model.Build(tf.placeholder(tf.float32, new[] { -1, h, w, c }, name: "images"));
        Console.WriteLine($"{model.Title}");
        foreach (var layer in output.Layers)
            Console.WriteLine($"  {layer.Name,-14} {layer.Kind,-58} {layer.OutputShape,-20} {layer.Parameters,12:N0}");
        Console.WriteLine($"  total parameters: {output.Parameters:N0}");
    }
}

// The whole network runs: 11 mixed blocks, each concatenating its branches (mixed_0: 64 + 64 + 96 + 32 = 256
// channels), on two random 75x75 images with a 10-class head.
using (new Graph().as_default())
{
    tf.set_random_seed(1);
    var images = tf.random_uniform(new[] { 2, 75, 75, 3 }, seed: 2);
    var inception = new InceptionV3(classes: 10);
    var logits = inception.Build(images).Logits;
    using var sess = tf.Session();
    sess.run(tf.global_variables_initializer());
    var probabilities = sess.run(tf.nn.softmax(logits));
    Console.WriteLine($"Inception-v3 on two 75x75 images: class probabilities of shape {probabilities.shape}, rows summing to " +
                      string.Join(", ", Enumerable.Range(0, 2).Select(r => probabilities.ToArray<float>().Skip(r * 10).Take(10).Sum().ToString("F4"))));
}
