using System.Globalization;
using System.Text;
using System.Text.Json.Serialization.Metadata;

namespace McpCloudTools.Sandbox.Services.Batch;

/// <summary>
/// AWS Batch over restJson1 (<c>POST /v1/&lt;operation&gt;</c>): compute environments, job queues, job definitions,
/// and jobs that live on the sandbox clock (<see cref="BatchSimulation"/>): ListJobs with its RUNNING default and
/// filters, DescribeJobs (at most 100 ids), SubmitJob, CancelJob and TerminateJob. Errors are <c>ClientException</c>
/// 400 with a message; throttling is a bare 429, as Batch sends it.
/// </summary>
public sealed partial class BatchService : ISandboxService
{
    private readonly SandboxContext _context;
    private readonly Lock _gate = new();
    private readonly Random _random;
    private readonly RestJsonRouter<Func<SandboxRequest, CancellationToken, Task>> _router = new();

    /// <summary>Creates the service; <see cref="Seed"/> fills it.</summary>
    public BatchService(SandboxContext context)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _random = context.CreateRandom("batch");
        Simulation = new BatchSimulation(context, NewHex);
        var json = BatchSandboxJsonContext.Default;
        Map("DescribeComputeEnvironments", json.NamesPageInput, json.ComputeEnvironmentsOutput, DescribeComputeEnvironments);
        Map("DescribeJobQueues", json.NamesPageInput, json.JobQueuesOutput, DescribeJobQueues);
        Map("DescribeJobDefinitions", json.NamesPageInput, json.JobDefinitionsOutput, DescribeJobDefinitions);
        Map("ListJobs", json.ListJobsInput, json.ListJobsOutput, ListJobs);
        Map("DescribeJobs", json.DescribeJobsInput, json.DescribeJobsOutput, DescribeJobs);
        Map("SubmitJob", json.SubmitJobInput, json.SubmitJobOutput, SubmitJob);
        Map("CancelJob", json.JobActionInput, json.EmptyOutput, CancelJob);
        Map("TerminateJob", json.JobActionInput, json.EmptyOutput, TerminateJob);
    }

    /// <inheritdoc />
    public string SigningName => "batch";

    /// <inheritdoc />
    public SandboxProtocol Protocol => SandboxProtocol.RestJson1;

    /// <summary>Batch throttles with a bare HTTP 429: no error code, only a message.</summary>
    public SandboxApiException ThrottlingError => new(429, "", "Too Many Requests");

    /// <summary>The server error Batch models.</summary>
    public SandboxApiException ServerError => new(500, "ServerException", "An internal error occurred.");

    internal List<SandboxComputeEnvironment> Environments { get; } = [];

    internal List<SandboxJobQueue> Queues { get; } = [];

    internal List<SandboxJobDefinition> Definitions { get; } = [];

    internal BatchSimulation Simulation { get; }

    internal long NowMs => _context.Clock.UtcNow.ToUnixTimeMilliseconds();

    internal SandboxContext Context => _context;

    /// <inheritdoc />
    public void Seed(SandboxScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        lock (_gate)
        {
            BatchSeeder.Seed(this, scenario);
        }
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, long> Summary()
    {
        lock (_gate)
        {
            Simulation.Advance(NowMs);
            return new Dictionary<string, long>
            {
                ["computeEnvironments"] = Environments.Count,
                ["jobQueues"] = Queues.Count,
                ["jobDefinitions"] = Definitions.Count,
                ["jobs"] = Simulation.Jobs.Count,
                ["activeJobs"] = Simulation.Jobs.Count(j => !j.IsFinal),
            };
        }
    }

    /// <inheritdoc />
    public Task HandleAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var route = _router.Match(request.Method, request.RawPath)
            ?? throw new SandboxApiException(404, "UnknownOperationException",
                $"The sandbox's Batch does not implement {request.Method} {request.RawPath}; every Batch operation is POST /v1/<operation>.");
        return route.Handler(request, cancellationToken);
    }

    internal string NewHex() => Convert.ToHexStringLower(BitConverter.GetBytes(_random.NextInt64())) + Convert.ToHexStringLower(BitConverter.GetBytes(_random.NextInt64()))
        + Convert.ToHexStringLower(BitConverter.GetBytes(_random.NextInt64()));

    internal string NewId()
    {
        var bytes = new byte[16];
        _random.NextBytes(bytes);
        return new Guid(bytes).ToString();
    }

    internal string Arn(string kind, string name) => $"arn:aws:batch:{_context.Region}:{_context.AccountId}:{kind}/{name}";

    private void Map<TIn, TOut>(string operation, JsonTypeInfo<TIn> input, JsonTypeInfo<TOut> output, Func<TIn, TOut> handle) =>
        _router.Map("POST", "/v1/" + operation.ToLowerInvariant(), (request, cancellationToken) =>
        {
            var body = SandboxJson.Read(request, input);
            TOut result;
            lock (_gate)
            {
                Simulation.Advance(NowMs);
                result = handle(body);
            }

            return SandboxJson.WriteAsync(request, 200, result, output, cancellationToken);
        });

    internal static SandboxApiException Client(string message) => new(400, "ClientException", message);

    // Opaque paging tokens: an offset, base64-encoded with the operation, so a token from elsewhere is refused.
    private static string? Token(string operation, int offset, int total) =>
        offset >= total ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes($"{operation}:{offset.ToString(CultureInfo.InvariantCulture)}"));

    private static int Offset(string operation, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var prefix = operation + ":";
            if (text.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(text.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
            // Answered below like any foreign token.
        }

        throw Client("Invalid nextToken; pass the value returned by the previous call unchanged.");
    }

    private static int PageSize(int? maxResults, int max, int defaultSize) => maxResults switch
    {
        null => defaultSize,
        < 1 => throw Client($"maxResults must be between 1 and {max}."),
        _ => Math.Min(maxResults.Value, max),
    };

    private static (List<T> Page, string? Next) Page<T>(string operation, List<T> all, int? maxResults, string? token, int max, int defaultSize)
    {
        var size = PageSize(maxResults, max, defaultSize);
        var offset = Offset(operation, token);
        var page = all.Skip(offset).Take(size).ToList();
        return (page, Token(operation, offset + page.Count, all.Count));
    }

    private ComputeEnvironmentsOutput DescribeComputeEnvironments(NamesPageInput input)
    {
        if (input.ComputeEnvironments is { Count: > 100 })
        {
            throw Client("computeEnvironments: at most 100 names or ARNs per call.");
        }

        var wanted = input.ComputeEnvironments;
        var all = Environments.Where(e => wanted is null || wanted.Count == 0 || wanted.Contains(e.Name) || wanted.Contains(e.Arn)).ToList();
        var (page, next) = Page("DescribeComputeEnvironments", all, input.MaxResults, input.NextToken, 100, 100);
        return new ComputeEnvironmentsOutput { ComputeEnvironments = [.. page.Select(ToWire)], NextToken = next };
    }

    private JobQueuesOutput DescribeJobQueues(NamesPageInput input)
    {
        if (input.JobQueues is { Count: > 100 })
        {
            throw Client("jobQueues: at most 100 names or ARNs per call.");
        }

        var wanted = input.JobQueues;
        var all = Queues.Where(q => wanted is null || wanted.Count == 0 || wanted.Contains(q.Name) || wanted.Contains(q.Arn)).ToList();
        var (page, next) = Page("DescribeJobQueues", all, input.MaxResults, input.NextToken, 100, 100);
        return new JobQueuesOutput
        {
            JobQueues = [.. page.Select(q => new JobQueueWire
            {
                JobQueueName = q.Name, JobQueueArn = q.Arn, State = q.State, Status = "VALID", StatusReason = "JobQueue Healthy", Priority = q.Priority,
                ComputeEnvironmentOrder = [.. q.Environments.Select((e, i) => new ComputeEnvironmentOrderWire { Order = i + 1, ComputeEnvironment = e.Arn })],
                JobQueueType = "ECS", Tags = [],
            })],
            NextToken = next,
        };
    }

    private JobDefinitionsOutput DescribeJobDefinitions(NamesPageInput input)
    {
        if (input.Status is not (null or "ACTIVE" or "INACTIVE"))
        {
            throw Client("status must be ACTIVE or INACTIVE.");
        }

        var all = (input.JobDefinitions is { Count: > 0 } names
                ? Definitions.Where(d => names.Any(n => n == d.Arn || n == $"{d.Name}:{d.Revision}" || n == d.Name))
                : Definitions.Where(d => (input.JobDefinitionName is null || d.Name == input.JobDefinitionName) && (input.Status is null || d.Status == input.Status)))
            .OrderBy(d => d.Name, StringComparer.Ordinal).ThenBy(d => d.Revision).ToList();
        var (page, next) = Page("DescribeJobDefinitions", all, input.MaxResults, input.NextToken, 100, 100);
        return new JobDefinitionsOutput
        {
            JobDefinitions = [.. page.Select(d => new JobDefinitionWire
            {
                JobDefinitionName = d.Name, JobDefinitionArn = d.Arn, Revision = d.Revision, Status = d.Status,
                RetryStrategy = new RetryStrategyWire { Attempts = d.RetryAttempts },
                Timeout = d.TimeoutSeconds is { } t ? new JobTimeoutWire { AttemptDurationSeconds = t } : null,
                ContainerProperties = new ContainerPropertiesWire
                {
                    Image = d.Image, Command = d.Command.Count > 0 ? d.Command : null,
                    Environment = d.Environment.Count > 0 ? [.. d.Environment.Select(e => new KeyValuePairWire { Name = e.Name, Value = e.Value })] : null,
                    ResourceRequirements = Requirements(d.Vcpus, d.MemoryMiB, d.Gpus),
                    ExecutionRoleArn = $"arn:aws:iam::{_context.AccountId}:role/BatchExecutionRole",
                },
                Tags = new() { ["sandbox:behaviour"] = d.Behaviour.ToString() },
                PlatformCapabilities = ["EC2"], ContainerOrchestrationType = "ECS",
            })],
            NextToken = next,
        };
    }

    private ComputeEnvironmentWire ToWire(SandboxComputeEnvironment e) => new()
    {
        ComputeEnvironmentName = e.Name, ComputeEnvironmentArn = e.Arn, Type = "MANAGED", State = e.State, Status = e.Status,
        StatusReason = e.StatusReason, ContainerOrchestrationType = "ECS", Uuid = e.Uuid, Tags = [],
        EcsClusterArn = $"arn:aws:ecs:{_context.Region}:{_context.AccountId}:cluster/{e.Name}_Batch_{e.Uuid[..8]}",
        ServiceRole = $"arn:aws:iam::{_context.AccountId}:role/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch",
        ComputeResources = new ComputeResourceWire
        {
            Type = e.ResourceType, AllocationStrategy = e.Allocation, MinvCpus = e.MinvCpus, MaxvCpus = e.MaxvCpus, DesiredvCpus = Desired(e),
            InstanceTypes = e.InstanceTypes, Subnets = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"], SecurityGroupIds = ["sg-0123456789abcdef0"],
            InstanceRole = $"arn:aws:iam::{_context.AccountId}:instance-profile/ecsInstanceRole", BidPercentage = e.BidPercentage,
        },
    };

    // Desired vCPUs: what runs plus what waits and fits, within min and max; an unusable environment does not scale.
    private int Desired(SandboxComputeEnvironment e)
    {
        if (!e.Usable)
        {
            return e.MinvCpus;
        }

        var demand = Simulation.Jobs.Where(j => j.Status == "RUNNABLE" && j.Placement is null && j.Queue.State == "ENABLED"
                                                && j.Queue.Environments.Contains(e) && BatchSimulation.Fits(e, j)).Sum(j => j.Vcpus);
        return Math.Min(e.MaxvCpus, Math.Max(e.MinvCpus, (int)Math.Ceiling(e.UsedVcpus + demand)));
    }

    internal static List<ResourceRequirementWire> Requirements(double vcpus, int memory, int? gpus)
    {
        var list = new List<ResourceRequirementWire>
        {
            new() { Type = "VCPU", Value = vcpus.ToString("0.##", CultureInfo.InvariantCulture) },
            new() { Type = "MEMORY", Value = memory.ToString(CultureInfo.InvariantCulture) },
        };
        if (gpus is { } g)
        {
            list.Add(new() { Type = "GPU", Value = g.ToString(CultureInfo.InvariantCulture) });
        }

        return list;
    }
}
