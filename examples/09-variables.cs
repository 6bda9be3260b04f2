#:project ../src/SharpFlow/SharpFlow.csproj
// Seed §9: variables are initialized one by one, or all at once with tf.global_variables_initializer().
using SharpFlow;
using static SharpFlow.Binding;

tf.set_random_seed(1);
var w1 = tf.Variable(tf.random_normal((2, 2)));
var w2 = tf.Variable(tf.random_normal((2, 2)));
var add = tf.add(w1, w2, name: "add");
Console.WriteLine(w1);

// One initializer at a time.
var sess = tf.Session();
try
{
    sess.run(add);
}
catch (FailedPreconditionError e)
{
    Console.WriteLine($"before initialization: {e.RawMessage}");
}
sess.run(w1.initializer);
sess.run(w2.initializer);
var values = sess.run(new[] { w1, w2, add });
Console.WriteLine($"w1 =\n{values[0]}\nw2 =\n{values[1]}\nadd =\n{values[2]}");
sess.close();

// All variables at once.
sess = tf.Session();
var init_op = tf.global_variables_initializer();
sess.run(init_op);
values = sess.run(new[] { w1, w2, add });
Console.WriteLine($"after global_variables_initializer, add =\n{values[2]}");

// initialized_value() initializes one variable from another; assign changes a value.
var w3 = tf.Variable(w1.initialized_value() * 2.0, name: "w3");
sess.run(w3.initializer);
Console.WriteLine($"w3 = 2 * w1:\n{sess.run(w3)}");
sess.run(w1.assign(tf.ones((2, 2))));
sess.run(w1.assign_add(tf.ones((2, 2))));
Console.WriteLine($"w1 after assign(1) and assign_add(1):\n{sess.run(w1)}");
sess.close();
