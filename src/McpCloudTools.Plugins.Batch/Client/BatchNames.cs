using System.Text.RegularExpressions;
using McpCloudTools.Core.Validation;

namespace McpCloudTools.Plugins.Batch.Client;

/// <summary>
/// AWS Batch's own naming rules (batch.service-2.json documents them in words: names of up to 128 letters, digits,
/// '-' and '_'; job ids are UUIDs, <c>:index</c> for an array child, <c>#node</c> for a multi-node one).
/// </summary>
internal static partial class BatchNames
{
    private const string Uuid = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
    private const string JobIdText = "a UUID (e.g. 0b5f4c58-2f7e-4a4e-9f6b-8d2a9c1e7a31), with :index for an array child";

    /// <summary>A job id.</summary>
    public static NameRule JobId { get; } = new("a job id", JobIdPattern(), 48, c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ':' or '#', JobIdText,
        "batch_job_list shows job ids (its name argument finds jobs by name); jobs are kept about 7 days after they end.");

    /// <summary>A dependency: a job id, <c>&lt;id&gt;=N_TO_N</c> or <c>SEQUENTIAL</c>.</summary>
    public static NameRule Dependency { get; } = new("a dependency", DependencyPattern(), 64,
        c => char.IsAsciiLetterOrDigit(c) || c is '-' or ':' or '=' or '_' or ' ', "a job id (a UUID, with :index for an array child), optionally followed by =N_TO_N, or SEQUENTIAL",
        "batch_job_list shows job ids.");

    /// <summary>A job queue: name or ARN.</summary>
    public static NameRule Queue { get; } = new("a job queue", QueuePattern(), 300, ArnChar,
        "its name (letters, digits, '-', '_', at most 128) or its ARN", "batch_job_queue_list shows the queues.");

    /// <summary>A compute environment: name or ARN.</summary>
    public static NameRule ComputeEnvironment { get; } = new("a compute environment", ComputeEnvironmentPattern(), 300, ArnChar,
        "its name (letters, digits, '-', '_', at most 128) or its ARN", "batch_compute_environment_list shows them.");

    /// <summary>A job definition: name, <c>name:revision</c> or ARN.</summary>
    public static NameRule Definition { get; } = new("a job definition", DefinitionPattern(), 320, ArnChar,
        "its name (letters, digits, '-', '_', at most 128), optionally followed by :revision, or its ARN",
        "batch_job_definition_list shows them.");

    /// <summary>A job definition name (every revision of it).</summary>
    public static NameRule DefinitionName { get; } = new("a job definition name", NamePattern(), 128, Word,
        "letters, digits, '-' and '_', at most 128 characters", "batch_job_definition_list shows them.");

    /// <summary>A job name.</summary>
    public static NameRule JobName { get; } = new("a job name", JobNamePattern(), 128, Word,
        "letters, digits, '-' and '_', starting with a letter or digit, at most 128 characters");

    /// <summary>The job-name filter of batch_job_list, by the name-filter rule: part of a job name, or a pattern with '*'.</summary>
    public static NameRule JobNameFilter { get; } = new("a job name filter", JobNameFilterPattern(), 129, c => Word(c) || c == '*',
        "part of a job name, or a pattern with * (letters, digits, '-', '_', '*', at most 129)");

    private static bool Word(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    private static bool ArnChar(char c) => Word(c) || c is ':' or '/';

    [GeneratedRegex("^" + Uuid + "(:[0-9]{1,5})?(#[0-9]{1,5})?$")]
    private static partial Regex JobIdPattern();

    [GeneratedRegex("^(" + Uuid + @"(:[0-9]{1,5})?( *= *(?i:N_TO_N|SEQUENTIAL))?|(?i:SEQUENTIAL))$")]
    private static partial Regex DependencyPattern();

    [GeneratedRegex("^([A-Za-z0-9_-]{1,128}|arn:aws[a-zA-Z-]*:batch:[a-z0-9-]+:[0-9]{12}:job-queue/[A-Za-z0-9_-]{1,128})$")]
    private static partial Regex QueuePattern();

    [GeneratedRegex("^([A-Za-z0-9_-]{1,128}|arn:aws[a-zA-Z-]*:batch:[a-z0-9-]+:[0-9]{12}:compute-environment/[A-Za-z0-9_-]{1,128})$")]
    private static partial Regex ComputeEnvironmentPattern();

    [GeneratedRegex("^([A-Za-z0-9_-]{1,128}(:[0-9]{1,9})?|arn:aws[a-zA-Z-]*:batch:[a-z0-9-]+:[0-9]{12}:job-definition/[A-Za-z0-9_-]{1,128}(:[0-9]{1,9})?)$")]
    private static partial Regex DefinitionPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")]
    private static partial Regex JobNamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9_*-]{1,129}$")]
    private static partial Regex JobNameFilterPattern();
}

/// <summary>Which rule a value of a Batch tool parameter follows.</summary>
internal enum BatchName
{
    JobId,
    Dependency,
    Queue,
    Definition,
    DefinitionName,
    JobName,
    JobNameFilter,
}

/// <summary>Declares that a tool parameter is a Batch name or id; the call guard checks it before the tool runs.</summary>
/// <param name="name">Which rule.</param>
[AttributeUsage(AttributeTargets.Parameter)]
internal sealed class BatchNameAttribute(BatchName name) : ArgumentRuleAttribute
{
    /// <summary>Which rule.</summary>
    public BatchName Name => name;

    /// <inheritdoc />
    public override ArgumentRule Rule => name switch
    {
        BatchName.JobId => BatchNames.JobId,
        BatchName.Dependency => BatchNames.Dependency,
        BatchName.Queue => BatchNames.Queue,
        BatchName.Definition => BatchNames.Definition,
        BatchName.DefinitionName => BatchNames.DefinitionName,
        BatchName.JobName => BatchNames.JobName,
        BatchName.JobNameFilter => BatchNames.JobNameFilter,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
