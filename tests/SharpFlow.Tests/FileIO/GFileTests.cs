using SharpFlow.FileIO;

namespace SharpFlow.Tests.FileIO;

/// <summary>tf.gfile: files and directories with TensorFlow's error classes.</summary>
public sealed class GFileTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sf-gfile-" + Guid.NewGuid().ToString("N"));

    public GFileTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void FilesAreWrittenReadAndListed()
    {
        var sub = Path.Combine(_dir, "a", "b");
        tf.gfile.MakeDirs(sub);
        tf.gfile.MakeDirs(sub);
        Assert.True(tf.gfile.IsDirectory(sub));
        var file = Path.Combine(sub, "x.txt");
        using (var f = tf.gfile.GFile(file, "w"))
        {
            f.write("line one\n");
            f.write("line two");
        }
        Assert.True(tf.gfile.Exists(file));
        Assert.False(tf.gfile.IsDirectory(file));
        using (var f = tf.gfile.GFile(file))
        {
            Assert.Equal("line one\n", f.readline());
            Assert.Equal("line two", f.readline());
            Assert.Equal("", f.readline());
        }
        using (var f = tf.gfile.FastGFile(file, "rb")) Assert.Equal("line one\nline two"u8.ToArray(), f.read());
        using (var f = tf.gfile.GFile(file, "a")) f.write("!");
        using (var f = tf.gfile.GFile(file, "rb")) Assert.Equal(["line one\n", "line two!"], f.readlines());

        tf.gfile.Copy(file, Path.Combine(sub, "y.txt"));
        Assert.Throws<AlreadyExistsError>(() => tf.gfile.Copy(file, Path.Combine(sub, "y.txt")));
        tf.gfile.Copy(file, Path.Combine(sub, "y.txt"), overwrite: true);
        tf.gfile.Rename(Path.Combine(sub, "y.txt"), Path.Combine(sub, "z.dat"));
        Assert.Equal(["x.txt", "z.dat"], tf.gfile.ListDirectory(sub));
        Assert.Equal([Path.Combine(sub, "x.txt").Replace('\\', '/')], tf.gfile.Glob(Path.Combine(sub, "*.txt")).Select(p => p.Replace('\\', '/')));
        Assert.Equal(2, tf.gfile.Glob(Path.Combine(_dir, "a", "*", "?.*")).Length);
        Assert.Single(tf.gfile.Glob(Path.Combine(_dir, "*", "b", "[x]*")));
        Assert.Empty(tf.gfile.Glob(Path.Combine(_dir, "nothing*")));
        tf.gfile.Remove(Path.Combine(sub, "z.dat"));
        Assert.False(tf.gfile.Exists(Path.Combine(sub, "z.dat")));
        tf.gfile.DeleteRecursively(Path.Combine(_dir, "a"));
        Assert.False(tf.gfile.Exists(sub));
    }

    [Fact]
    public void MissingFilesAreNotFoundErrors()
    {
        var missing = Path.Combine(_dir, "missing");
        Assert.Contains(missing, Assert.Throws<NotFoundError>(() => tf.gfile.GFile(missing)).Message);
        Assert.Throws<NotFoundError>(() => tf.gfile.Remove(missing));
        Assert.Throws<NotFoundError>(() => tf.gfile.ListDirectory(missing));
        Assert.Throws<NotFoundError>(() => tf.gfile.Rename(missing, missing + "2"));
        Assert.Throws<NotFoundError>(() => tf.gfile.GFile(Path.Combine(missing, "x"), "w"));
        using var f = tf.gfile.GFile(Path.Combine(_dir, "w"), "w");
        Assert.Throws<PermissionDeniedError>(() => f.read());
        Assert.Throws<ValueError>(() => tf.gfile.GFile(Path.Combine(_dir, "w"), "x"));
    }
}
