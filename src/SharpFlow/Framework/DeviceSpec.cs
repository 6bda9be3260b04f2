namespace SharpFlow.Framework;

/// <summary>
/// TensorFlow's device strings (python/framework/device_spec.py): parses <c>/job:localhost/replica:0/task:0/device:CPU:0</c>,
/// its partial forms and the legacy <c>/cpu:0</c>, <c>/gpu:1</c>, and prints the canonical form
/// (<c>/device:CPU:0</c>). The one device of this runtime is <see cref="LocalCpu"/>.
/// </summary>
internal sealed record DeviceSpec(string? Job, int? Replica, int? Task, string? DeviceType, int? DeviceIndex)
{
    /// <summary>The full name of the CPU every op runs on.</summary>
    public const string LocalCpu = "/job:localhost/replica:0/task:0/device:CPU:0";

    /// <summary>Parses a device string; ValueError for an unknown part, as TensorFlow's <c>DeviceSpec.from_string</c>.</summary>
    public static DeviceSpec Parse(string spec)
    {
        string? job = null, type = null;
        int? replica = null, task = null, index = null;
        foreach (var part in spec.Split('/'))
        {
            if (part.Length == 0) continue;
            var y = part.Split(':');
            var known = true;
            switch (y.Length)
            {
                case 2 when y[0] == "job": job = y[1]; break;
                case 2 when y[0] == "replica" && int.TryParse(y[1], out var r): replica = r; break;
                case 2 when y[0] == "task" && int.TryParse(y[1], out var t): task = t; break;
                case 2 when y[0] is "cpu" or "gpu" or "CPU" or "GPU":
                    type = y[0].ToUpperInvariant();
                    if (y[1] != "*") index = int.TryParse(y[1], out var i) ? i : throw Unknown(y[0], spec);
                    break;
                case 2 when y[0] == "device": type = y[1]; break;
                case 3 when y[0] == "device":
                    type = y[1];
                    if (y[2] != "*") index = int.TryParse(y[2], out var d) ? d : throw Unknown(y[0], spec);
                    break;
                default: known = false; break;
            }
            if (!known) throw Unknown(y[0], spec);
        }
        return new DeviceSpec(job, replica, task, type, index);
    }

    private static ValueError Unknown(string attribute, string spec) => new($"Unknown attribute: '{attribute}' in '{spec}'");

    /// <summary>The canonical string of a device string; <c>""</c> for null or empty.</summary>
    public static string Canonical(string? spec) => string.IsNullOrEmpty(spec) ? "" : Parse(spec).ToString();

    /// <summary>
    /// TensorFlow 1.x's nesting of device scopes (<c>DeviceSpec.merge_from</c>): the parts the inner string names
    /// replace the outer ones, the others are kept (<c>/job:worker</c> then <c>/cpu:0</c> is
    /// <c>/job:worker/device:CPU:0</c>).
    /// </summary>
    public static string Merge(string outer, string inner)
    {
        if (outer.Length == 0 || inner.Length == 0) return inner.Length == 0 ? outer : inner;
        var (o, i) = (Parse(outer), Parse(inner));
        return new DeviceSpec(i.Job ?? o.Job, i.Replica ?? o.Replica, i.Task ?? o.Task,
            i.DeviceType ?? o.DeviceType, i.DeviceType is not null ? i.DeviceIndex : o.DeviceIndex).ToString();
    }

    /// <summary>True when the canonical device string names this process's CPU:0 (or leaves parts of it open).</summary>
    public static bool IsLocalCpu(string device)
    {
        if (device.Length == 0) return true;
        var d = Parse(device);
        return d.Job is null or "localhost" && d.Replica is null or 0 && d.Task is null or 0
               && d.DeviceType is null or "CPU" && d.DeviceIndex is null or 0;
    }

    /// <summary>The canonical string: <c>/job:…/replica:…/task:…/device:TYPE:index</c>, the known parts only.</summary>
    public override string ToString()
    {
        var s = "";
        if (Job is not null) s += "/job:" + Job;
        if (Replica is not null) s += "/replica:" + Replica;
        if (Task is not null) s += "/task:" + Task;
        if (DeviceType is not null) s += "/device:" + DeviceType + ":" + (DeviceIndex is { } i ? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : "*");
        return s;
    }
}
