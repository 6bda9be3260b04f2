#:project ../src/SharpFlow/SharpFlow.csproj
// Seed §32: tf.variable_scope controls which variables tf.get_variable creates or reuses.
using SharpFlow;
using static SharpFlow.Binding;

Variable v;
using (tf.variable_scope("foo"))
{
    v = tf.get_variable("v", new[] { 1 }, initializer: tf.constant_initializer(1.0));
}
Console.WriteLine(v.name);

// reuse=false (the default): creating a variable that exists is an error.
try
{
    using (tf.variable_scope("foo"))
        tf.get_variable("v", new[] { 1 });
}
catch (ValueError e)
{
    Console.WriteLine(e.Message);
}

// reuse=true: get_variable returns the existing variable.
using (tf.variable_scope("foo", reuse: true))
{
    var v1 = tf.get_variable("v", new[] { 1 });
    Console.WriteLine($"v1 == v: {ReferenceEquals(v1, v)}");
}

// reuse=true: a variable that does not exist is an error.
try
{
    using (tf.variable_scope("bar", reuse: true))
        tf.get_variable("v", new[] { 1 });
}
catch (ValueError e)
{
    Console.WriteLine(e.Message);
}

// Scopes nest, reuse is inherited, name scopes do not change variable names.
using (tf.variable_scope("root"))
{
    Console.WriteLine($"root reuse: {tf.get_variable_scope().reuse}");
    using (tf.variable_scope("foo", reuse: true))
    {
        Console.WriteLine($"root/foo reuse: {tf.get_variable_scope().reuse}");
        using (tf.variable_scope("bar"))
            Console.WriteLine($"root/foo/bar reuse: {tf.get_variable_scope().reuse}");
    }
    using (tf.name_scope("ignored"))
        Console.WriteLine(tf.get_variable("w", new[] { 2, 2 }).name);
}

// tf.AUTO_REUSE creates on the first call and reuses afterwards.
Variable Shared() { using (tf.variable_scope("shared", reuse: tf.AUTO_REUSE)) return tf.get_variable("counter", new[] { 1 }); }
Console.WriteLine($"AUTO_REUSE gives the same variable: {ReferenceEquals(Shared(), Shared())}");

using var sess = tf.Session();
sess.run(tf.global_variables_initializer());
Console.WriteLine(sess.run(v));
