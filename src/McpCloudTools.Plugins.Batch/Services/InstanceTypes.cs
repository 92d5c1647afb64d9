using System.Collections.Frozen;
using System.Globalization;

namespace McpCloudTools.Plugins.Batch.Services;

/// <summary>The size of an instance type, and what of it a container can use.</summary>
/// <param name="Name">The type (or the family's largest type) it stands for.</param>
/// <param name="Vcpus">vCPUs.</param>
/// <param name="MemoryMiB">Memory.</param>
internal readonly record struct InstanceSize(string Name, int Vcpus, int MemoryMiB)
{
    /// <summary>
    /// Memory a job can ask for: the OS and the ECS agent keep some, so a job asking for all of an instance's memory
    /// never fits on it (a classic reason for jobs stuck RUNNABLE). About 5% is an estimate that errs on the safe side.
    /// </summary>
    public int UsableMemoryMiB => (int)(MemoryMiB * 0.95);
}

/// <summary>
/// Enough knowledge of EC2 instance types to tell whether a job can ever be placed: sizes of the common families
/// Batch uses, by name (<c>m5.2xlarge</c>), family (<c>m5</c>: its largest size) or <c>optimal</c>. Unknown types
/// answer null, and a check that meets one draws no conclusion.
/// </summary>
internal static class InstanceTypes
{
    // vCPUs per size suffix, for the regular families.
    private static readonly FrozenDictionary<string, int> SizeVcpus = new Dictionary<string, int>
    {
        ["medium"] = 1, ["large"] = 2, ["xlarge"] = 4, ["2xlarge"] = 8, ["3xlarge"] = 12, ["4xlarge"] = 16, ["6xlarge"] = 24,
        ["8xlarge"] = 32, ["9xlarge"] = 36, ["10xlarge"] = 40, ["12xlarge"] = 48, ["16xlarge"] = 64, ["18xlarge"] = 72,
        ["24xlarge"] = 96, ["32xlarge"] = 128, ["48xlarge"] = 192,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Memory per vCPU (MiB) and largest size, by family.
    private static readonly FrozenDictionary<string, (int MiBPerVcpu, string Largest)> Families = new Dictionary<string, (int, string)>
    {
        ["c4"] = (1920, "8xlarge"), ["c5"] = (2048, "24xlarge"), ["c5a"] = (2048, "24xlarge"), ["c5n"] = (2688, "18xlarge"),
        ["c6i"] = (2048, "32xlarge"), ["c6a"] = (2048, "48xlarge"), ["c6g"] = (2048, "16xlarge"), ["c7i"] = (2048, "48xlarge"),
        ["c7g"] = (2048, "16xlarge"), ["m4"] = (4096, "16xlarge"), ["m5"] = (4096, "24xlarge"), ["m5a"] = (4096, "24xlarge"),
        ["m5d"] = (4096, "24xlarge"), ["m6i"] = (4096, "32xlarge"), ["m6a"] = (4096, "48xlarge"), ["m6g"] = (4096, "16xlarge"),
        ["m7i"] = (4096, "48xlarge"), ["m7g"] = (4096, "16xlarge"), ["r4"] = (7808, "16xlarge"), ["r5"] = (8192, "24xlarge"),
        ["r5a"] = (8192, "24xlarge"), ["r5d"] = (8192, "24xlarge"), ["r6i"] = (8192, "32xlarge"), ["r6a"] = (8192, "48xlarge"),
        ["r6g"] = (8192, "16xlarge"), ["r7i"] = (8192, "48xlarge"), ["r7g"] = (8192, "16xlarge"), ["x1"] = (15616, "32xlarge"),
        ["x2idn"] = (16384, "32xlarge"), ["z1d"] = (8192, "12xlarge"), ["i3"] = (7808, "16xlarge"), ["g4dn"] = (4096, "16xlarge"),
        ["g5"] = (4096, "48xlarge"), ["g6"] = (4096, "48xlarge"), ["p3"] = (7808, "16xlarge"), ["p4d"] = (12288, "24xlarge"),
        ["t3"] = (4096, "2xlarge"), ["t3a"] = (4096, "2xlarge"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The largest size a name allows: a type, a family, or <c>optimal</c>; null when unknown.</summary>
    public static InstanceSize? Largest(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var name = type.Trim().ToLowerInvariant();
        if (name is "optimal" or "default_x86_64")
        {
            // Batch picks from the C, M and R families; the largest it can launch is an r5.24xlarge-class instance.
            return new InstanceSize("optimal (up to r5.24xlarge)", 96, 96 * 8192);
        }

        if (name is "default_arm64")
        {
            return new InstanceSize("default_arm64 (up to r6g.16xlarge)", 64, 64 * 8192);
        }

        var dot = name.IndexOf('.', StringComparison.Ordinal);
        var family = dot < 0 ? name : name[..dot];
        var size = dot < 0 ? null : name[(dot + 1)..];
        if (!Families.TryGetValue(family, out var f))
        {
            return null;
        }

        if (size is null || size == "metal")
        {
            size = f.Largest;
            name = $"{family}.{f.Largest}";
        }

        if (!SizeVcpus.TryGetValue(size, out var vcpus))
        {
            return null;
        }

        // t3 sizes below xlarge have 2 vCPUs with less memory; they are too small to matter for a "can it fit" check.
        return new InstanceSize(name, vcpus, vcpus * f.MiBPerVcpu);
    }

    /// <summary>The largest of several allowed types; <c>Unknown</c> lists the names this table does not know.</summary>
    public static (InstanceSize? Largest, IReadOnlyList<string> Unknown) LargestOf(IEnumerable<string>? types)
    {
        InstanceSize? best = null;
        var unknown = new List<string>();
        foreach (var t in types ?? [])
        {
            if (Largest(t) is not { } size)
            {
                unknown.Add(t);
            }
            else if (best is null || size.MemoryMiB > best.Value.MemoryMiB || (size.MemoryMiB == best.Value.MemoryMiB && size.Vcpus > best.Value.Vcpus))
            {
                best = size;
            }
        }

        return (best, unknown);
    }

    /// <summary>Whether one of <paramref name="types"/> can hold a job of <paramref name="needs"/>; null when unknown.</summary>
    public static bool? Fits(IEnumerable<string>? types, JobNeeds needs)
    {
        var list = (types ?? []).ToList();
        var sizes = list.Select(Largest).ToList();
        if (sizes.Any(s => s is { } x && (needs.Vcpus ?? 0) <= x.Vcpus && (needs.MemoryMiB ?? 0) <= x.UsableMemoryMiB))
        {
            return true;
        }

        return sizes.Any(s => s is null) || list.Count == 0 ? null : false;
    }

    /// <summary><c>7.6 GiB</c>.</summary>
    public static string Gib(int mib) => (mib / 1024.0).ToString(mib % 1024 == 0 ? "0" : "0.#", CultureInfo.InvariantCulture) + " GiB";
}
