using System.Globalization;
using System.Text.RegularExpressions;

namespace McpCloudTools.Sandbox.Services.Batch;

/// <summary>The job operations of <see cref="BatchService"/>.</summary>
public sealed partial class BatchService
{
    private static readonly string[] Statuses = ["SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED", "FAILED"];

    private ListJobsOutput ListJobs(ListJobsInput input)
    {
        var targets = new[] { input.JobQueue, input.ArrayJobId, input.MultiNodeJobId }.Count(t => !string.IsNullOrEmpty(t));
        if (targets != 1)
        {
            throw Client("You must specify exactly one of jobQueue, arrayJobId or multiNodeJobId.");
        }

        if (input.MultiNodeJobId is not null)
        {
            throw Client($"Multi-node parallel job {input.MultiNodeJobId} does not exist.");
        }

        IEnumerable<SandboxJob> jobs;
        if (input.JobQueue is { } q)
        {
            var queue = FindQueue(q) ?? throw Client($"Job queue {q} does not exist.");
            jobs = Simulation.Jobs.Where(j => j.Queue == queue && j.ArrayIndex is null);
        }
        else
        {
            jobs = Simulation.ById.TryGetValue(input.ArrayJobId!, out var parent) && parent.IsArrayParent ? parent.Children : [];
        }

        var filter = input.Filters is { Count: > 0 } filters ? filters : null;
        if (filter is { Count: > 1 })
        {
            throw Client("Only one filter can be used at a time.");
        }

        if (filter is null)
        {
            var status = input.JobStatus ?? "RUNNING";
            if (!Statuses.Contains(status))
            {
                throw Client($"Invalid jobStatus '{status}'. Valid values: {string.Join(", ", Statuses)}.");
            }

            jobs = jobs.Where(j => j.Status == status);
        }
        else
        {
            jobs = jobs.Where(Matches(filter[0]));
        }

        var all = jobs.OrderByDescending(j => j.CreatedAt).ThenBy(j => j.Id, StringComparer.Ordinal).ToList();
        var (page, next) = Page("ListJobs", all, input.MaxResults, input.NextToken, filter is null ? 1000 : 100, filter is null ? 1000 : 100);
        return new ListJobsOutput { JobSummaryList = [.. page.Select(Summary)], NextToken = next };
    }

    private static Func<SandboxJob, bool> Matches(KeyValuesPairWire filter)
    {
        var value = filter.Values is { Count: > 0 } v ? v[0] : throw Client($"Filter {filter.Name} needs a value.");
        bool Like(string actual) => value.EndsWith('*')
            ? actual.StartsWith(value[..^1], StringComparison.OrdinalIgnoreCase)
            : string.Equals(actual, value, StringComparison.OrdinalIgnoreCase);
        long Millis() => long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? ms
            : throw Client($"Filter {filter.Name} needs epoch milliseconds, got '{value}'.");
        return filter.Name switch
        {
            "JOB_NAME" => j => Like(j.Name),
            "JOB_DEFINITION" => value.StartsWith("arn:", StringComparison.Ordinal)
                ? j => j.Definition.Arn == value
                : j => value.EndsWith('*') ? j.Definition.Name.StartsWith(value[..^1], StringComparison.Ordinal) : j.Definition.Name == value,
            "BEFORE_CREATED_AT" => j => j.CreatedAt < Millis(),
            "AFTER_CREATED_AT" => j => j.CreatedAt > Millis(),
            _ => throw Client($"Invalid filter name '{filter.Name}'. Valid: JOB_NAME, JOB_DEFINITION, BEFORE_CREATED_AT, AFTER_CREATED_AT."),
        };
    }

    private DescribeJobsOutput DescribeJobs(DescribeJobsInput input)
    {
        var ids = input.Jobs ?? throw Client("jobs is required.");
        if (ids.Count > 100)
        {
            throw Client($"Too many job IDs: {ids.Count}. A DescribeJobs request takes at most 100.");
        }

        return new DescribeJobsOutput
        {
            Jobs = [.. ids.Distinct(StringComparer.Ordinal).Select(id => Simulation.ById.GetValueOrDefault(id)).OfType<SandboxJob>().Select(Detail)],
        };
    }

    private SubmitJobOutput SubmitJob(SubmitJobInput input)
    {
        var name = input.JobName ?? throw Client("jobName is required.");
        if (!JobName().IsMatch(name))
        {
            throw Client($"Invalid job name '{name}': up to 128 letters, numbers, hyphens and underscores, starting with a letter or number.");
        }

        var queue = FindQueue(input.JobQueue ?? throw Client("jobQueue is required.")) ?? throw Client($"Job queue {input.JobQueue} does not exist.");
        if (queue.State != "ENABLED")
        {
            throw Client($"Job queue {queue.Name} is DISABLED: new jobs cannot be submitted to it.");
        }

        var definition = FindDefinition(input.JobDefinition ?? throw Client("jobDefinition is required."))
            ?? throw Client($"Job definition {input.JobDefinition} does not exist.");
        if (definition.Status != "ACTIVE")
        {
            throw Client($"Job definition {definition.Name}:{definition.Revision} is INACTIVE and cannot be used.");
        }

        var size = input.ArrayProperties?.Size;
        if (size is < 2 or > 10_000)
        {
            throw Client("arrayProperties.size must be between 2 and 10000.");
        }

        var attempts = input.RetryStrategy?.Attempts ?? definition.RetryAttempts;
        if (attempts is < 1 or > 10)
        {
            throw Client("retryStrategy.attempts must be between 1 and 10.");
        }

        var timeout = input.Timeout?.AttemptDurationSeconds ?? definition.TimeoutSeconds;
        if (timeout is < 60)
        {
            throw Client("timeout.attemptDurationSeconds must be at least 60.");
        }

        var overrides = input.ContainerOverrides;
        if (overrides?.Environment?.FirstOrDefault(e => e.Name?.StartsWith("AWS_BATCH", StringComparison.Ordinal) == true) is { } reserved)
        {
            throw Client($"Environment variable {reserved.Name} is reserved: names starting with AWS_BATCH cannot be set.");
        }

        var vcpus = Requirement(overrides, "VCPU") is { } v ? ParseNumber(v, "VCPU") : overrides?.Vcpus ?? definition.Vcpus;
        var memory = Requirement(overrides, "MEMORY") is { } m ? (int)ParseNumber(m, "MEMORY") : overrides?.Memory ?? definition.MemoryMiB;
        if (vcpus <= 0 || memory < 4)
        {
            throw Client("vCPU must be positive and memory at least 4 MiB.");
        }

        var dependencies = Dependencies(input.DependsOn, size);
        var now = NowMs;
        var id = NewId();
        var job = NewJob(id, name, queue, definition, now, vcpus, memory, overrides?.Command ?? definition.Command,
            overrides?.Environment is { } env ? [.. env.Select(e => (e.Name ?? "", e.Value ?? ""))] : definition.Environment,
            attempts, timeout, size, null, null, dependencies.Where(d => d.Type is null).Select(d => new SandboxDependency(d.Job, null)).ToList(),
            input.Parameters, input.Tags);
        job.SubmittedDependsOn.Clear();
        job.SubmittedDependsOn.AddRange((input.DependsOn ?? []).Select(d => (d.JobId, d.Type)));
        if (size is { } n)
        {
            for (var i = 0; i < n; i++)
            {
                var index = i;
                var childDeps = dependencies.Select(d => d.Type switch
                {
                    "N_TO_N" => new SandboxDependency(d.Job!.Children.Count > index ? d.Job.Children[index] : d.Job, null),
                    "SEQUENTIAL" => new SandboxDependency(index > 0 ? job.Children[index - 1] : null, null),
                    _ => new SandboxDependency(d.Job, null),
                }).Where(d => d.Job is not null).ToList();
                job.Children.Add(NewJob($"{id}:{i}", name, queue, definition, now, vcpus, memory, job.Command, job.Environment, attempts, timeout,
                    n, i, job, childDeps, input.Parameters, input.Tags));
            }
        }

        Simulation.Submit(job, now);
        return new SubmitJobOutput { JobArn = job.Arn, JobName = job.Name, JobId = job.Id };
    }

    private EmptyOutput CancelJob(JobActionInput input)
    {
        var (job, reason) = Action(input);
        Simulation.Cancel(job, reason, NowMs);
        return new EmptyOutput();
    }

    private EmptyOutput TerminateJob(JobActionInput input)
    {
        var (job, reason) = Action(input);
        Simulation.Terminate(job, reason, NowMs);
        return new EmptyOutput();
    }

    private (SandboxJob Job, string Reason) Action(JobActionInput input)
    {
        if (string.IsNullOrEmpty(input.JobId) || input.Reason is null)
        {
            throw Client("jobId and reason are required.");
        }

        return (Simulation.ById.GetValueOrDefault(input.JobId) ?? throw Client($"Job {input.JobId} does not exist."), input.Reason);
    }

    private List<(SandboxJob? Job, string? Type)> Dependencies(List<JobDependencyWire>? dependsOn, int? arraySize)
    {
        if (dependsOn is not { Count: > 0 })
        {
            return [];
        }

        if (dependsOn.Count > 20)
        {
            throw Client("A job can depend on at most 20 jobs.");
        }

        var result = new List<(SandboxJob?, string?)>();
        foreach (var d in dependsOn)
        {
            if (d.Type is not (null or "N_TO_N" or "SEQUENTIAL"))
            {
                throw Client($"Invalid dependency type '{d.Type}'. Valid values: N_TO_N, SEQUENTIAL.");
            }

            if (d.Type is not null && arraySize is null)
            {
                throw Client($"{d.Type} dependencies are only valid for array jobs.");
            }

            if (d.Type == "SEQUENTIAL")
            {
                result.Add((null, "SEQUENTIAL"));
                continue;
            }

            var target = Simulation.ById.GetValueOrDefault(d.JobId ?? "") ?? throw Client($"Dependent job {d.JobId} does not exist.");
            if (d.Type == "N_TO_N" && (!target.IsArrayParent || target.ArraySize != arraySize))
            {
                throw Client($"N_TO_N dependency on {d.JobId} needs an array job of the same size ({arraySize}).");
            }

            result.Add((target, d.Type));
        }

        return result;
    }

    internal SandboxJob NewJob(string id, string name, SandboxJobQueue queue, SandboxJobDefinition definition, long createdAt, double vcpus, int memory,
        List<string> command, List<(string, string)> environment, int attempts, int? timeout, int? arraySize, int? arrayIndex, SandboxJob? parent,
        List<SandboxDependency> dependsOn, Dictionary<string, string>? parameters = null, Dictionary<string, string>? tags = null) => new()
    {
        Id = id, Name = name, Arn = Arn("job", id), Queue = queue, Definition = definition, CreatedAt = createdAt, Vcpus = vcpus, MemoryMiB = memory,
        Command = command, Environment = environment, RetryAttempts = attempts, TimeoutSeconds = timeout, ArraySize = arraySize, ArrayIndex = arrayIndex,
        Parent = parent, DependsOn = dependsOn, Parameters = parameters, Tags = tags,
        SubmittedDependsOn = [.. dependsOn.Where(d => d.Job is not null).Select(d => ((string?)d.Job!.Id, (string?)null))],
    };

    internal SandboxJobQueue? FindQueue(string nameOrArn) => Queues.FirstOrDefault(q => q.Name == nameOrArn || q.Arn == nameOrArn);

    internal SandboxJobDefinition? FindDefinition(string reference)
    {
        var exact = Definitions.FirstOrDefault(d => d.Arn == reference || $"{d.Name}:{d.Revision}" == reference);
        return exact ?? Definitions.Where(d => d.Name == reference && d.Status == "ACTIVE").MaxBy(d => d.Revision);
    }

    private static string? Requirement(ContainerOverridesWire? overrides, string type) =>
        overrides?.ResourceRequirements?.FirstOrDefault(r => r.Type == type)?.Value;

    private static double ParseNumber(string value, string type) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw Client($"Invalid {type} value '{value}': a number is expected.");

    private JobSummaryWire Summary(SandboxJob j)
    {
        var last = j.Attempts.Count > 0 ? j.Attempts[^1] : null;
        return new JobSummaryWire
        {
            JobArn = j.Arn, JobId = j.Id, JobName = j.Name, CreatedAt = j.CreatedAt, Status = j.Status, StatusReason = j.StatusReason,
            StartedAt = j.StartedAt, StoppedAt = j.StoppedAt, JobDefinition = j.Definition.Arn,
            Container = last?.StoppedAt is not null && (last.ExitCode is not null || last.Reason is not null)
                ? new ContainerSummaryWire { ExitCode = last.ExitCode, Reason = last.Reason }
                : null,
            ArrayProperties = ArrayProperties(j),
        };
    }

    private JobDetailWire Detail(SandboxJob j)
    {
        var last = j.Attempts.Count > 0 ? j.Attempts[^1] : null;
        return new JobDetailWire
        {
            JobArn = j.Arn, JobName = j.Name, JobId = j.Id, JobQueue = j.Queue.Arn, Status = j.Status, StatusReason = j.StatusReason,
            CreatedAt = j.CreatedAt, StartedAt = j.StartedAt, StoppedAt = j.StoppedAt, JobDefinition = j.Definition.Arn,
            RetryStrategy = new RetryStrategyWire { Attempts = j.RetryAttempts },
            Timeout = j.TimeoutSeconds is { } t ? new JobTimeoutWire { AttemptDurationSeconds = t } : null,
            Attempts = j.IsArrayParent ? null : [.. j.Attempts.Where(a => a.StoppedAt is not null).Select(a => new AttemptDetailWire
            {
                StartedAt = a.StartedAt, StoppedAt = a.StoppedAt, StatusReason = a.StatusReason,
                Container = new AttemptContainerWire
                {
                    ContainerInstanceArn = a.ContainerInstanceArn, TaskArn = a.TaskArn, ExitCode = a.ExitCode, Reason = a.Reason, LogStreamName = a.LogStream,
                },
            })],
            DependsOn = j.SubmittedDependsOn.Count > 0 ? [.. j.SubmittedDependsOn.Select(d => new JobDependencyWire { JobId = d.JobId, Type = d.Type })] : [],
            Parameters = j.Parameters ?? [],
            Container = ContainerOf(j, j.IsArrayParent ? null : last),
            ArrayProperties = ArrayProperties(j),
            Tags = j.Tags, PlatformCapabilities = ["EC2"],
            IsCancelled = j.IsCancelled ? true : null,
            IsTerminated = j.IsTerminated ? true : null,
        };
    }

    private ContainerDetailWire ContainerOf(SandboxJob j, SandboxAttempt? last) => new()
    {
        Image = j.Definition.Image, Command = j.Command.Count > 0 ? j.Command : null,
        Environment = j.Environment.Count > 0 ? [.. j.Environment.Select(e => new KeyValuePairWire { Name = e.Name, Value = e.Value })] : null,
        ResourceRequirements = Requirements(j.Vcpus, j.MemoryMiB, j.Definition.Gpus),
        ExecutionRoleArn = $"arn:aws:iam::{_context.AccountId}:role/BatchExecutionRole",
        ExitCode = last?.ExitCode, Reason = last?.Reason, LogStreamName = last?.LogStream,
        TaskArn = last?.TaskArn, ContainerInstanceArn = last?.ContainerInstanceArn,
    };

    private ArrayPropertiesWire? ArrayProperties(SandboxJob j)
    {
        if (j.ArrayIndex is { } index)
        {
            return new ArrayPropertiesWire { Index = index };
        }

        if (!j.IsArrayParent)
        {
            return null;
        }

        var summary = Statuses.ToDictionary(s => s, s => j.Children.Count(c => c.Status == s), StringComparer.Ordinal);
        return new ArrayPropertiesWire { Size = j.ArraySize, StatusSummary = summary, StatusSummaryLastUpdatedAt = NowMs };
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")]
    private static partial Regex JobName();
}
