using System.Text;
using System.Text.RegularExpressions;

namespace SharpFlow.FileIO;

/// <summary>
/// The file operations behind <c>tf.gfile</c> and the file ops (ReadFile, WriteFile, MatchingFiles), with
/// TensorFlow's error classes: a missing file is a <see cref="NotFoundError"/>, an existing target an
/// <see cref="AlreadyExistsError"/>, denied access a <see cref="PermissionDeniedError"/>, other failures an <see cref="UnknownError"/>.
/// </summary>
public static class FileSystem
{
    /// <summary>True when a file or directory exists at <paramref name="path"/>.</summary>
    public static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    /// <summary>True when <paramref name="path"/> is a directory.</summary>
    public static bool IsDirectory(string path) => Directory.Exists(path);

    /// <summary>Creates a directory and its missing parents (an existing one is fine).</summary>
    public static void MakeDirs(string path)
    {
        if (File.Exists(path)) throw new FailedPreconditionError($"{path}: a file exists where a directory is wanted");
        Guard(path, () => Directory.CreateDirectory(path));
    }

    /// <summary>Creates one directory whose parent exists.</summary>
    public static void MkDir(string path)
    {
        if (Exists(path)) throw new AlreadyExistsError($"{path}: file exists");
        var parent = Path.GetDirectoryName(Path.GetFullPath(path));
        if (parent is not null && !Directory.Exists(parent)) throw new NotFoundError($"{path}; No such file or directory");
        Guard(path, () => Directory.CreateDirectory(path));
    }

    /// <summary>The names (not paths) of the entries of a directory, sorted.</summary>
    public static string[] ListDirectory(string dirname)
    {
        if (!Directory.Exists(dirname)) throw new NotFoundError($"Could not find directory {dirname}");
        var names = Directory.EnumerateFileSystemEntries(dirname).Select(p => Path.GetFileName(p)).ToArray();
        System.Array.Sort(names, StringComparer.Ordinal);
        return names;
    }

    /// <summary>Deletes a file.</summary>
    public static void Remove(string path)
    {
        if (!File.Exists(path)) throw new NotFoundError($"{path}; No such file or directory");
        Guard(path, () => File.Delete(path));
    }

    /// <summary>Deletes a directory and everything under it (or a file).</summary>
    public static void DeleteRecursively(string path)
    {
        if (Directory.Exists(path)) Guard(path, () => Directory.Delete(path, recursive: true));
        else if (File.Exists(path)) Guard(path, () => File.Delete(path));
        else throw new NotFoundError($"{path}; No such file or directory");
    }

    /// <summary>Renames a file; an existing target is an error unless <paramref name="overwrite"/>.</summary>
    public static void Rename(string oldname, string newname, bool overwrite = false)
    {
        if (!Exists(oldname)) throw new NotFoundError($"{oldname}; No such file or directory");
        if (!overwrite && Exists(newname)) throw new AlreadyExistsError($"file already exists: {newname}");
        if (Directory.Exists(oldname)) Guard(oldname, () => Directory.Move(oldname, newname));
        else Guard(oldname, () => File.Move(oldname, newname, overwrite));
    }

    /// <summary>Copies a file; an existing target is an error unless <paramref name="overwrite"/>.</summary>
    public static void Copy(string oldpath, string newpath, bool overwrite = false)
    {
        if (!File.Exists(oldpath)) throw new NotFoundError($"{oldpath}; No such file or directory");
        if (!overwrite && Exists(newpath)) throw new AlreadyExistsError($"file already exists: {newpath}");
        Guard(oldpath, () => File.Copy(oldpath, newpath, overwrite));
    }

    /// <summary>The bytes of a file.</summary>
    public static byte[] ReadAllBytes(string path)
    {
        if (Directory.Exists(path)) throw new FailedPreconditionError($"{path}; Is a directory");
        if (!File.Exists(path)) throw new NotFoundError($"{path}; No such file or directory");
        byte[] result = [];
        Guard(path, () => result = File.ReadAllBytes(path));
        return result;
    }

    /// <summary>Writes a file, creating or truncating it.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> contents)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(path));
        if (parent is not null && !Directory.Exists(parent)) throw new NotFoundError($"{path}; No such file or directory");
        var copy = contents.ToArray();
        Guard(path, () => File.WriteAllBytes(path, copy));
    }

    /// <summary>
    /// The paths that match <paramref name="pattern"/>, sorted: <c>*</c>, <c>?</c> and <c>[...]</c> match within
    /// one path component, in any component (TensorFlow's <c>GetMatchingPaths</c>); a pattern without
    /// wildcards matches itself when it exists.
    /// </summary>
    public static string[] Glob(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Length == 0) return [];
        var separators = new[] { '/', Path.DirectorySeparatorChar };
        var rooted = Path.IsPathRooted(pattern);
        var parts = pattern.Split(separators, StringSplitOptions.RemoveEmptyEntries);
        var first = 0;
        var prefix = rooted ? pattern[..(pattern.Length - pattern.TrimStart(separators).Length)] : "";
        // The fixed directory part before the first wildcard is walked directly.
        var fixedParts = new List<string>();
        while (first < parts.Length - 1 && !HasWildcard(parts[first])) fixedParts.Add(parts[first++]);
        var start = prefix + string.Join('/', fixedParts);
        var current = new List<string> { start };
        for (var i = first; i < parts.Length; i++)
        {
            var last = i == parts.Length - 1;
            var next = new List<string>();
            foreach (var dir in current)
            {
                if (!HasWildcard(parts[i]))
                {
                    var candidate = Join(dir, parts[i]);
                    if (last ? Exists(candidate) : Directory.Exists(candidate)) next.Add(candidate);
                    continue;
                }
                var listDir = dir.Length == 0 ? "." : dir;
                if (!Directory.Exists(listDir)) continue;
                var regex = ComponentRegex(parts[i]);
                foreach (var entry in Directory.EnumerateFileSystemEntries(listDir))
                {
                    var name = Path.GetFileName(entry);
                    if (!regex.IsMatch(name)) continue;
                    var candidate = Join(dir, name);
                    if (last || Directory.Exists(candidate)) next.Add(candidate);
                }
            }
            current = next;
        }
        var result = current.Where(p => p.Length > 0).Distinct().ToArray();
        System.Array.Sort(result, StringComparer.Ordinal);
        return result;
    }

    private static string Join(string dir, string name) => dir.Length == 0 ? name : dir.EndsWith('/') ? dir + name : dir + "/" + name;

    private static bool HasWildcard(string s) => s.AsSpan().IndexOfAny("*?[") >= 0;

    private static Regex ComponentRegex(string glob)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '*': sb.Append("[^/]*"); break;
                case '?': sb.Append("[^/]"); break;
                case '[':
                    var close = glob.IndexOf(']', i + 1);
                    if (close < 0) { sb.Append(@"\["); break; }
                    var set = glob[(i + 1)..close];
                    if (set.StartsWith('!') || set.StartsWith('^')) set = "^" + set[1..];
                    sb.Append('[').Append(set.Replace(@"\", @"\\")).Append(']');
                    i = close;
                    break;
                case '\\' when i + 1 < glob.Length: sb.Append(Regex.Escape(glob[++i].ToString())); break;
                default: sb.Append(Regex.Escape(c.ToString())); break;
            }
        }
        return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant);
    }

    private static void Guard(string path, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NotFoundError($"{path}; No such file or directory", null, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new PermissionDeniedError($"{path}; Permission denied", null, e);
        }
        catch (IOException e)
        {
            throw new UnknownError($"{path}: {e.Message}", null, e);
        }
    }
}
