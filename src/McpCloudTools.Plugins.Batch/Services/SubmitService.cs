using System.Globalization;
using System.Text.RegularExpressions;
using McpCloudTools.Aws;
using McpCloudTools.Core;
using McpCloudTools.Core.Output;
using McpCloudTools.Plugins.Batch.Client;

namespace McpCloudTools.Plugins.Batch.Services;

/// <summary>What to submit, as the tool received it.</summary>
internal sealed record SubmitArguments(
    string Name, string Definition, string? Queue, string[]? Command, Dictionary<string, string>? Environment, double? Vcpus, int? Memory,
    int? ArraySize, string[]? DependsOn, int? RetryAttempts, int? TimeoutSeconds);

/// <summary>
/// Submits a job after checking the arguments here (so the agent gets the rule, not a bare ClientException), then
/// checks the queue the way diagnosis would, so a job bound to wait forever in RUNNABLE is flagged at once.
/// </summary>
internal sealed partial class SubmitService(BatchTargets targets)
{
    public async Task<string> SubmitAsync(SubmitArguments args, CancellationToken cancellationToken)
    {
        var request = Build(args);
        var target = await targets.QueueAsync(args.Queue, cancellationToken).ConfigureAwait(false);
        request.JobQueue = target.Queue;
        var submitted = await target.Connection.Batch.SubmitJobAsync(request, cancellationToken).ConfigureAwait(false);

        var o = new ToolOutput().Line($"submitted job {submitted.JobId} ({submitted.JobName}) to queue {JobText.Name(target.Queue)}" +
            (target.Cluster is { } c ? $" (default queue of {c.Id})" : "") + $", definition {args.Definition.Trim()}");
        if (args.ArraySize is { } size)
        {
            o.Line($"array job: {size} children {submitted.JobId}:0 … {submitted.JobId}:{size - 1} (batch_job_list array_job_id={submitted.JobId})");
        }

        o.Line($"follow it: batch_job_wait job_id={submitted.JobId}");
        foreach (var warning in await WarningsAsync(target, JobText.Needs(request.ContainerOverrides?.ResourceRequirements, null, null), cancellationToken)
                     .ConfigureAwait(false))
        {
            o.Line("warning: " + warning);
        }

        return o.ToString();
    }

    /// <summary>The SubmitJob request, or a ToolException naming the rule a value breaks.</summary>
    public static SubmitJobRequest Build(SubmitArguments args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var name = args.Name?.Trim() ?? "";
        if (!JobName().IsMatch(name))
        {
            throw new ToolException($"Invalid job name '{args.Name}': 1-128 letters, digits, hyphens and underscores, starting with a letter or digit.");
        }

        if (string.IsNullOrWhiteSpace(args.Definition))
        {
            throw new ToolException("definition is required: a job definition name (latest active revision), name:revision, or ARN. batch_job_definition_list shows them.");
        }

        Check(args.ArraySize, 2, 10_000, "array_size", "children of an array job");
        Check(args.RetryAttempts, 1, 10, "retry_attempts", "attempts in all");
        Check(args.TimeoutSeconds, 60, int.MaxValue, "timeout_seconds", "seconds per attempt (Batch's minimum is 60)");
        Check(args.Memory, 4, int.MaxValue, "memory", "MiB");
        if (args.Vcpus is <= 0)
        {
            throw new ToolException($"vcpus must be positive (got {args.Vcpus}); Fargate also takes 0.25, 0.5, 1, 2, 4, 8 or 16.");
        }

        var reserved = args.Environment?.Keys.Where(k => k.StartsWith("AWS_BATCH", StringComparison.OrdinalIgnoreCase)).ToList();
        if (reserved is { Count: > 0 })
        {
            throw new ToolException($"Environment names starting with AWS_BATCH are reserved by Batch ({string.Join(", ", reserved)}); rename them.");
        }

        var requirements = new List<ResourceRequirement>();
        if (args.Vcpus is { } v)
        {
            requirements.Add(new ResourceRequirement { Type = "VCPU", Value = v.ToString("0.##", CultureInfo.InvariantCulture) });
        }

        if (args.Memory is { } m)
        {
            requirements.Add(new ResourceRequirement { Type = "MEMORY", Value = m.ToString(CultureInfo.InvariantCulture) });
        }

        var overrides = new ContainerOverrides
        {
            Command = args.Command is { Length: > 0 } cmd ? [.. cmd] : null,
            Environment = args.Environment is { Count: > 0 } env ? [.. env.Select(e => new Client.KeyValuePair { Name = e.Key, Value = e.Value })] : null,
            ResourceRequirements = requirements.Count > 0 ? requirements : null,
        };
        return new SubmitJobRequest
        {
            JobName = name,
            JobDefinition = args.Definition.Trim(),
            ArrayProperties = args.ArraySize is { } size ? new ArrayProperties { Size = size } : null,
            DependsOn = Dependencies(args.DependsOn, args.ArraySize is not null),
            ContainerOverrides = overrides.Command is null && overrides.Environment is null && overrides.ResourceRequirements is null ? null : overrides,
            RetryStrategy = args.RetryAttempts is { } a ? new RetryStrategy { Attempts = a } : null,
            Timeout = args.TimeoutSeconds is { } t ? new JobTimeout { AttemptDurationSeconds = t } : null,
        };
    }

    // "<id>", "<id>=N_TO_N" (child i waits for the other array's child i), or "SEQUENTIAL" (children one after another).
    private static List<JobDependency>? Dependencies(string[]? items, bool isArray)
    {
        if (items is not { Length: > 0 })
        {
            return null;
        }

        if (items.Length > 20)
        {
            throw new ToolException($"A job can depend on at most 20 jobs (got {items.Length}).");
        }

        var result = new List<JobDependency>();
        foreach (var raw in items.Select(i => i.Trim()).Where(i => i.Length > 0))
        {
            var eq = raw.LastIndexOf('=');
            var id = eq < 0 ? raw : raw[..eq].Trim();
            var type = eq < 0 ? null : raw[(eq + 1)..].Trim().ToUpperInvariant();
            if (id.Equals("SEQUENTIAL", StringComparison.OrdinalIgnoreCase) && type is null)
            {
                (id, type) = ("", "SEQUENTIAL");
            }

            if (type is not (null or "N_TO_N" or "SEQUENTIAL") || (type is not null && !isArray))
            {
                throw new ToolException($"Invalid dependency '{raw}': use a job id, '<id>=N_TO_N' (array jobs: child i waits for child i), " +
                    "or 'SEQUENTIAL' (array jobs: children run one after another); N_TO_N and SEQUENTIAL need array_size.");
            }

            result.Add(new JobDependency { JobId = id.Length == 0 ? null : id, Type = type });
        }

        return result.Count > 0 ? result : null;
    }

    private static void Check(int? value, int min, int max, string name, string unit)
    {
        if (value is { } v && (v < min || v > max))
        {
            throw new ToolException(max == int.MaxValue
                ? $"{name} must be at least {min} {unit} (got {v})."
                : $"{name} must be between {min} and {max} {unit} (got {v}).");
        }
    }

    // Best effort: the job is submitted whatever these reads say; a failure here must not hide its id.
    private static async Task<IReadOnlyList<string>> WarningsAsync(QueueTarget target, JobNeeds needs, CancellationToken cancellationToken)
    {
        try
        {
            var queue = await target.Connection.Batch.JobQueueAsync(target.Queue, cancellationToken).ConfigureAwait(false);
            if (queue is null)
            {
                return [];
            }

            var arns = (queue.ComputeEnvironmentOrder ?? []).Select(o => o.ComputeEnvironment).ToList();
            var ces = arns.Count == 0 ? [] : await target.Connection.Batch.AllComputeEnvironmentsAsync(arns, cancellationToken).ConfigureAwait(false);
            var capacity = CapacityCheck.Check(queue, ces, needs);
            return capacity.Blocked ? [capacity.Cause + "; the job will wait in RUNNABLE until that changes (batch_job_diagnose explains)."] : [];
        }
        catch (AwsServiceException)
        {
            return [];
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")]
    private static partial Regex JobName();
}
