using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using McpCloudTools.Core.Validation;

namespace McpCloudTools.Plugins.Slurm.Client;

/// <summary>
/// What each value a user gives the Slurm tools may hold: Slurm's own rules (job ids are 32-bit numbers, an array task
/// is <c>&lt;id&gt;_&lt;task&gt;</c>; partition, user and cluster names are used in comma-separated lists and URL
/// paths), with this plugin's own bounds on free text. The call guard checks every tool argument against these before
/// the tool runs; the path builder and the services use the same objects, so each rule is written once.
/// </summary>
internal static partial class SlurmNames
{
    /// <summary>The longest partition, user or cluster name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>The largest job id: Slurm's ids are unsigned 32-bit numbers.</summary>
    public const long MaxJobId = uint.MaxValue;

    /// <summary>The job states <c>slurm_job_list</c> filters on.</summary>
    public static readonly IReadOnlyList<string> JobStateNames =
        ["PENDING", "RUNNING", "SUSPENDED", "COMPLETING", "CONFIGURING", "COMPLETED", "CANCELLED", "FAILED", "TIMEOUT", "NODE_FAIL", "BOOT_FAIL",
            "OUT_OF_MEMORY", "DEADLINE", "PREEMPTED"];

    /// <summary>The node states <c>slurm_node_list</c> filters on (sinfo's words).</summary>
    public static readonly IReadOnlyList<string> NodeStateNames =
        ["idle", "mixed", "allocated", "down", "drained", "draining", "fail", "unknown", "future", "completing"];

    /// <summary>A job id: <c>1234</c>, or an array task <c>1234_7</c>.</summary>
    public static NameRule JobId { get; } = new("a Slurm job id", JobIdPattern(), 18, c => char.IsAsciiDigit(c) || c == '_',
        $"a number from 1 to {MaxJobId.ToString(CultureInfo.InvariantCulture)} such as 1234, or an array task such as 1234_7, at most 18 characters",
        "slurm_job_list shows the jobs; slurmctld forgets finished ones after MinJobAge (300 s by default).");

    /// <summary>A partition name.</summary>
    public static NameRule Partition { get; } = Name("a partition name", NamePattern(), "", "slurm_partition_list shows the partitions.");

    /// <summary>A user name (sssd's fully qualified <c>alice@example.org</c> included).</summary>
    public static NameRule User { get; } = Name("a user name", UserPattern(), "@", null);

    /// <summary>A cluster name (the <c>cluster_name</c> config key, the name in <c>slurm:&lt;name&gt;</c>).</summary>
    public static NameRule ClusterName { get; } = Name("a cluster name", NamePattern(), "", "clusters_list shows the clusters.");

    /// <summary>The state filter of <c>slurm_job_list</c>: job states, comma-separated.</summary>
    public static NameRule JobStates { get; } = States("a job state list", JobStateNames);

    /// <summary>The state filter of <c>slurm_node_list</c>: node states, comma-separated.</summary>
    public static NameRule NodeStates { get; } = States("a node state list", NodeStateNames);

    /// <summary>A job name: Slurm takes any text; one line of at most 128 characters here.</summary>
    public static TextRule JobName { get; } = new("a job name", 128);

    /// <summary>A batch script.</summary>
    public static SlurmScriptRule Script { get; } = new();

    /// <summary>One shell command line, run by <c>#!/bin/bash</c>.</summary>
    public static TextRule Command { get; } = new("a command", 8 * 1024,
        hint: "Give one shell command line; for more, pass script (a whole batch script starting with #!) instead.");

    /// <summary>A job array's indexes (sbatch <c>--array</c>).</summary>
    public static NameRule Array { get; } = new("a job array spec", ArrayPattern(), 256, c => char.IsAsciiDigit(c) || c is '-' or ',' or ':' or '%',
        "indexes such as 0-99, 1,3,5 or 0-15:4 (a step), optionally followed by %N (at most N running at once), at most 256 characters");

    /// <summary>A job's dependency (sbatch <c>--dependency</c>).</summary>
    public static NameRule Dependency { get; } = new("a dependency", DependencyPattern(), 512,
        c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is ':' or '_' or '+' or ',' or '?',
        "type:jobid[:jobid…] with type after, afterany, afterok, afternotok, aftercorr or afterburstbuffer (afterok:123, afterany:123:124_4, " +
        "after:123+10), or singleton; several joined by ',' (all of them) or '?' (any of them), at most 512 characters",
        "slurm_job_list shows job ids.");

    /// <summary>The directory a job runs in.</summary>
    public static NameRule WorkDir { get; } = new("a work dir", AbsolutePathPattern(), 1024, c => !char.IsControl(c),
        "an absolute path on the cluster (starting with '/'), at most 1,024 characters");

    /// <summary>The name of an environment variable (a job's environment, the <c>token_env</c> config key).</summary>
    public static NameRule EnvironmentName { get; } = new("an environment variable name", EnvironmentNamePattern(), 128,
        c => char.IsAsciiLetterOrDigit(c) || c == '_', "letters, digits and '_', not starting with a digit, at most 128 characters");

    /// <summary>The value of a job's environment variable.</summary>
    public static TextRule EnvironmentValue { get; } = new("an environment value", 32 * 1024, multiline: true);

    /// <summary>A state list its rule accepted, as a set in the case Slurm writes: job states upper, node states lower.</summary>
    public static HashSet<string> StateSet(string states, bool upper) =>
        [.. states.Split(',', StringSplitOptions.TrimEntries).Select(s => upper ? s.ToUpperInvariant() : s.ToLowerInvariant())];

    private static NameRule Name(string subject, Regex pattern, string also, string? hint) =>
        new(subject, pattern, MaxNameLength, c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' || also.Contains(c, StringComparison.Ordinal),
            $"letters, digits, '.', '_', '-'{string.Concat(also.Select(c => $", '{c}'"))}, starting with a letter, digit or '_', at most {MaxNameLength} characters",
            hint);

    // One list of states makes both the pattern and its description, so the two cannot drift.
    private static NameRule States(string subject, IReadOnlyList<string> states)
    {
        var one = "(?:" + string.Join('|', states) + ")";
        var pattern = new Regex($"^{one}( *, *{one})*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        return new NameRule(subject, pattern, 256, c => char.IsAsciiLetter(c) || c is '_' or ',' or ' ',
            $"one or more of {string.Join(", ", states)} (any case), separated by commas, at most 256 characters");
    }

    [GeneratedRegex("^[1-9][0-9]{0,9}(_[0-9]{1,7})?$")]
    private static partial Regex JobIdPattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._@-]{0,63}$")]
    private static partial Regex UserPattern();

    [GeneratedRegex(@"^\d{1,7}(-\d{1,7}(:\d{1,7})?)?(,\d{1,7}(-\d{1,7}(:\d{1,7})?)?)*(%\d{1,7})?$")]
    private static partial Regex ArrayPattern();

    [GeneratedRegex(@"^(singleton|(after|afterany|afterok|afternotok|aftercorr|afterburstbuffer)(:\d{1,10}(_\d{1,7})?(\+\d{1,6})?)+)([,?](singleton|(after|afterany|afterok|afternotok|aftercorr|afterburstbuffer)(:\d{1,10}(_\d{1,7})?(\+\d{1,6})?)+))*$")]
    private static partial Regex DependencyPattern();

    [GeneratedRegex("^/.*$", RegexOptions.Singleline)]
    private static partial Regex AbsolutePathPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex EnvironmentNamePattern();
}

/// <summary>
/// A batch script as slurmrestd takes it: it must start with an interpreter line (Slurm refuses a script without
/// one), and this plugin bounds it at <see cref="MaxBytes"/> of UTF-8 (Slurm's own default, max_script_size, is 4 MB).
/// </summary>
internal sealed class SlurmScriptRule() : ArgumentRule("a batch script", MaxBytes,
    "Keep the work in files on the cluster and let the script call them; for one command line, pass command instead.")
{
    /// <summary>The largest script, in bytes of UTF-8.</summary>
    public const int MaxBytes = 256 * 1024;

    /// <inheritdoc />
    public override string Description => $"text starting with an interpreter line such as #!/bin/bash, at most {MaxBytes / 1024} KiB of UTF-8, " +
                                          "without control characters other than tab and line breaks";

    /// <inheritdoc />
    public override string? Problem(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var bytes = Encoding.UTF8.GetByteCount(value);
        if (bytes > MaxBytes)
        {
            return $"it is over {MaxBytes / 1024} KiB ({bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes of UTF-8)";
        }

        if (LengthOrControl(value, allowLineBreaks: true) is { } problem)
        {
            return problem;
        }

        return value.StartsWith("#!", StringComparison.Ordinal) ? null : "it does not start with #! (Slurm refuses a script without an interpreter line)";
    }
}

/// <summary>Which rule a value of a Slurm tool parameter follows.</summary>
internal enum SlurmName
{
    JobId,
    Partition,
    User,
    JobStates,
    NodeStates,
    JobName,
    Script,
    Command,
    Array,
    Dependency,
    WorkDir,
    EnvironmentValue,
}

/// <summary>Declares the Slurm rule of a tool parameter; the call guard checks it before the tool runs.</summary>
/// <param name="name">Which rule.</param>
[AttributeUsage(AttributeTargets.Parameter)]
internal sealed class SlurmNameAttribute(SlurmName name) : ArgumentRuleAttribute
{
    /// <summary>Which rule.</summary>
    public SlurmName Name => name;

    /// <inheritdoc />
    public override ArgumentRule Rule => name switch
    {
        SlurmName.JobId => SlurmNames.JobId,
        SlurmName.Partition => SlurmNames.Partition,
        SlurmName.User => SlurmNames.User,
        SlurmName.JobStates => SlurmNames.JobStates,
        SlurmName.NodeStates => SlurmNames.NodeStates,
        SlurmName.JobName => SlurmNames.JobName,
        SlurmName.Script => SlurmNames.Script,
        SlurmName.Command => SlurmNames.Command,
        SlurmName.Array => SlurmNames.Array,
        SlurmName.Dependency => SlurmNames.Dependency,
        SlurmName.WorkDir => SlurmNames.WorkDir,
        SlurmName.EnvironmentValue => SlurmNames.EnvironmentValue,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
