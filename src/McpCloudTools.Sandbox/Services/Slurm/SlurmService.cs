using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace McpCloudTools.Sandbox.Services.Slurm;

/// <summary>
/// A Slurm cluster behind slurmrestd's REST API, on the sandbox's one port under slurmrestd's own paths
/// (<c>/slurm/v0.0.38/…</c>, <c>/slurm/v0.0.41/…</c>, <c>/openapi/v3</c>), authenticated by the JWT headers. Jobs
/// submitted to it run on the sandbox clock: <c>sleep N</c> in the script sets the run time, <c>exit N</c> the exit
/// code, <c># sandbox: oom</c> / <c># sandbox: node_fail</c> the failure; the time limit cuts it (TIMEOUT).
/// </summary>
internal sealed partial class SlurmService(SandboxContext context) : ISandboxService
{
    public static readonly string[] Versions = ["v0.0.38", "v0.0.41"];
    private static readonly string[] Endpoints = ["ping", "diag", "jobs", "job/{job_id}", "job/submit", "nodes", "partitions", "partition/{partition_name}"];
    private static readonly TimeSpan StartDelay = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private List<SlurmSandboxPartition> _partitions = [];
    private List<SlurmSandboxNode> _nodes = [];
    private List<SlurmSandboxJob> _jobs = [];
    private long _nextJobId = 5000;

    public string SigningName => "slurm";

    public SandboxProtocol Protocol => SandboxProtocol.SlurmRest;

    public SandboxApiException ThrottlingError => new(503, "Slurm is busy", "Resource temporarily unavailable") { ErrorNumber = 1011 };

    public SandboxApiException ServerError => new(500, "Unspecified error", "slurmctld did not answer") { ErrorNumber = 1 };

    public void Seed(SandboxScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (scenario.IsEmpty)
        {
            _partitions = [new("compute", "UP", ["cn01"], 1440, true)];
            _nodes = [new("cn01", "IDLE", [], null, null, null, 32, 0, 128_000, 0, [], ["compute"], 0)];
            return;
        }

        (_partitions, _nodes, _jobs) = SlurmSandboxSeeder.Seed(context.Clock.UtcNow);
    }

    public bool ClaimsUnsigned(SandboxRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.RawPath;
        return path.StartsWith("/slurm/", StringComparison.Ordinal) || path.StartsWith("/openapi", StringComparison.Ordinal);
    }

    public IReadOnlyDictionary<string, long> Summary()
    {
        lock (_gate)
        {
            var now = context.Clock.UtcNow;
            var views = _jobs.Select(j => View(j, now)).ToList();
            return new Dictionary<string, long>
            {
                ["partitions"] = _partitions.Count, ["nodes"] = _nodes.Count, ["jobs"] = _jobs.Count,
                ["jobs_pending"] = views.Count(v => v.State == "PENDING"), ["jobs_running"] = views.Count(v => v.State == "RUNNING"),
            };
        }
    }

    public async Task HandleAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var http = request.Http.Response;
        if (request.Header("X-SLURM-USER-NAME") != context.Options.SlurmUser || request.Header("X-SLURM-USER-TOKEN") != context.Options.SlurmToken)
        {
            // slurmrestd's own answer to a missing or wrong JWT.
            http.StatusCode = 401;
            http.ContentType = "text/plain";
            await http.Body.WriteAsync("Authentication failure"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            return;
        }

        var path = Uri.UnescapeDataString(request.RawPath).TrimEnd('/');
        var (status, body) = Route(request.Method, path, request.Body);
        http.StatusCode = status;
        http.ContentType = "application/json";
        await http.Body.WriteAsync(Encoding.UTF8.GetBytes(body.ToJsonString()), cancellationToken).ConfigureAwait(false);
    }

    private (int Status, JsonNode Body) Route(string method, string path, byte[] body)
    {
        if (method == "GET" && path is "/openapi/v3" or "/openapi" or "/openapi.json")
        {
            return (200, OpenApi());
        }

        var m = PathPattern().Match(path);
        if (!m.Success || !Versions.Contains(m.Groups["v"].Value))
        {
            throw new SandboxApiException(404, "Unable find requested URL", $"No handler for {path}") { ErrorNumber = 9005 };
        }

        var v = m.Groups["v"].Value;
        var rest = m.Groups["rest"].Value;
        lock (_gate)
        {
            var now = context.Clock.UtcNow;
            return (method, rest) switch
            {
                ("GET", "ping") => (200, SlurmWire.Envelope(v, "pings", SlurmWire.Pings(v))),
                ("GET", "diag") => (200, SlurmWire.Envelope(v, "statistics", Statistics(v, now))),
                ("GET", "jobs") => (200, SlurmWire.Envelope(v, "jobs", Jobs(v, _jobs, now))),
                ("GET", "nodes") => (200, SlurmWire.Envelope(v, "nodes", new JsonArray([.. _nodes.Select(n => (JsonNode)(v == "v0.0.38" ? SlurmWire.Node38(n) : SlurmWire.Node41(n)))]))),
                ("GET", "partitions") => (200, SlurmWire.Envelope(v, "partitions", Partitions(v, _partitions))),
                ("GET", _) when rest.StartsWith("partition/", StringComparison.Ordinal) => Partition(v, rest["partition/".Length..]),
                ("POST", "job/submit") => Submit(v, body, now),
                ("GET", _) when rest.StartsWith("job/", StringComparison.Ordinal) => (200, SlurmWire.Envelope(v, "jobs", Jobs(v, Find(rest[4..]), now))),
                ("DELETE", _) when rest.StartsWith("job/", StringComparison.Ordinal) => Cancel(v, rest[4..], now),
                _ => throw new SandboxApiException(405, "Method not allowed", $"{method} {path} is not served") { ErrorNumber = 9005 },
            };
        }
    }

    private JsonObject Statistics(string v, DateTimeOffset now)
    {
        var views = _jobs.Select(j => View(j, now)).ToList();
        return SlurmWire.Statistics(v, now.ToUnixTimeSeconds(), views.Count(x => x.State == "PENDING"), views.Count(x => x.State == "RUNNING"));
    }

    private JsonArray Jobs(string v, IEnumerable<SlurmSandboxJob> jobs, DateTimeOffset now) =>
        new([.. jobs.Select(j => (JsonNode)(v == "v0.0.38" ? SlurmWire.Job38(View(j, now)) : SlurmWire.Job41(View(j, now))))]);

    private JsonArray Partitions(string v, IEnumerable<SlurmSandboxPartition> partitions) =>
        new([.. partitions.Select(p => (JsonNode)(v == "v0.0.38" ? SlurmWire.Partition38(p, _nodes) : SlurmWire.Partition41(p, _nodes)))]);

    private (int, JsonNode) Partition(string v, string name)
    {
        var p = _partitions.FirstOrDefault(x => x.Name == name)
                ?? throw new SandboxApiException(500, "Invalid partition name specified", $"Unable to find partition {name}") { ErrorNumber = 2000 };
        return (200, SlurmWire.Envelope(v, "partitions", Partitions(v, [p])));
    }

    private List<SlurmSandboxJob> Find(string raw)
    {
        var m = JobIdPattern().Match(raw);
        if (!m.Success)
        {
            throw new SandboxApiException(400, "Jobs description entry not found, empty or not dictionary or list", $"Unable to find JobId={raw}") { ErrorNumber = 9002 };
        }

        var id = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        long? task = m.Groups[2].Success ? long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : null;
        var found = task is { } t
            ? _jobs.Where(j => (j.ArrayJobId == id && j.ArrayTaskId == t) || (j.JobId == id && j.ArrayJobId is null && t == 0)).ToList()
            : _jobs.Where(j => j.JobId == id || j.ArrayJobId == id).ToList();
        return found.Count > 0 ? found
            : throw new SandboxApiException(500, "Invalid job id specified", $"Unable to find JobId={raw}") { ErrorNumber = 2017 };
    }

    private (int, JsonNode) Cancel(string v, string raw, DateTimeOffset now)
    {
        foreach (var job in Find(raw))
        {
            var state = View(job, now).State;
            if (state is "PENDING" or "RUNNING")
            {
                job.CancelledAt = now;
            }
        }

        var o = new JsonObject { ["meta"] = SlurmWire.Meta(v), ["errors"] = new JsonArray() };
        if (v != "v0.0.38")
        {
            o["warnings"] = new JsonArray();
        }

        return (200, o);
    }

    private (int, JsonNode) Submit(string v, byte[] body, DateTimeOffset now)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            throw new SandboxApiException(400, "Unable to parse query", e.Message) { ErrorNumber = 9001 };
        }

        var job = root["job"] as JsonObject ?? throw new SandboxApiException(400, "Failure during parsing", "job is required") { ErrorNumber = 9003 };
        var script = (string?)job["script"] ?? (string?)root["script"] ?? "";
        if (!script.StartsWith("#!", StringComparison.Ordinal))
        {
            throw new SandboxApiException(500, "Batch script is empty or only whitespace", "script must start with #!") { ErrorNumber = 2036 };
        }

        var partition = _partitions.FirstOrDefault(p => p.Name == ((string?)job["partition"] ?? "")) ?? (job["partition"] is null
            ? _partitions.First(p => p.IsDefault)
            : throw new SandboxApiException(500, "Invalid partition name specified", $"No partition {(string?)job["partition"]}") { ErrorNumber = 2000 });
        var nodes = (int)(v == "v0.0.38" ? (long?)(job["nodes"] as JsonArray)?[0] ?? 1 : Number(job["minimum_nodes"]) ?? 1);
        var tasks = (int)(Number(job["tasks"]) ?? 1);
        var cpusPerTask = (int)(Number(job["cpus_per_task"]) ?? 1);
        var memory = Number(job["memory_per_node"]);
        var limit = Number(job["time_limit"]) ?? partition.MaxTimeMinutes;
        var members = _nodes.Where(n => partition.Nodes.Contains(n.Name)).ToList();
        var perNode = (int)Math.Ceiling(tasks * (double)cpusPerTask / nodes);
        if (!members.Any(n => n.Cpus >= perNode && (memory is null || n.MemoryMb >= memory)) || nodes > members.Count)
        {
            throw new SandboxApiException(500, "Requested node configuration is not available", "Requested node configuration is not available") { ErrorNumber = 2014 };
        }

        var deps = DependencyPattern().Matches((string?)job["dependency"] ?? "")
            .Select(d => (d.Groups[1].Value, long.Parse(d.Groups[2].Value, CultureInfo.InvariantCulture))).ToList();
        var runtime = SleepPattern().Match(script) is { Success: true } sleep ? TimeSpan.FromSeconds(int.Parse(sleep.Groups[1].Value, CultureInfo.InvariantCulture)) : TimeSpan.FromSeconds(10);
        var exit = ExitPattern().Match(script) is { Success: true } ex ? int.Parse(ex.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var created = new SlurmSandboxJob
        {
            JobId = _nextJobId++, Name = (string?)job["name"] ?? "sbatch", User = context.Options.SlurmUser, Partition = partition.Name, Submitted = now,
            TimeLimitMinutes = limit, Nodes = nodes, Tasks = tasks, Cpus = tasks * cpusPerTask, MemoryPerNodeMb = memory,
            WorkDir = (string?)job["current_working_directory"] ?? "/tmp", Dependency = (string?)job["dependency"], DependsOn = deps, Runtime = runtime,
            NodeList = string.Join(",", members.Where(n => n.State is "IDLE" or "MIXED" && !n.Flags.Contains("DRAIN")).Take(nodes).Select(n => n.Name)),
            PendingReason = "None",
        };
        string? warning = null;
        if (partition.State != "UP")
        {
            created.PendingReason = "PartitionDown";
        }
        else if (limit is { } l && partition.MaxTimeMinutes is { } max && l > max)
        {
            created.PendingReason = "PartitionTimeLimit";
            warning = "Requested partition configuration not available now";
        }
        else if (deps.Count == 0)
        {
            Plan(created, now + StartDelay, script, exit);
        }

        _jobs.Add(created);
        created.FinalState = script.Contains("# sandbox: oom", StringComparison.Ordinal) ? "OUT_OF_MEMORY"
            : script.Contains("# sandbox: node_fail", StringComparison.Ordinal) ? "NODE_FAIL" : created.FinalState;
        var answer = SlurmWire.Submitted(v, created.JobId);
        if (warning is not null)
        {
            answer["errors"] = new JsonArray(new JsonObject { ["error_code"] = 2015, ["error"] = warning });
        }

        return (200, answer);
    }

    // Run time, exit code and failure of a job that starts at `start`; the time limit cuts it short.
    private static void Plan(SlurmSandboxJob job, DateTimeOffset start, string script, int exit)
    {
        job.Start = start;
        var limit = job.TimeLimitMinutes is { } m ? TimeSpan.FromMinutes(m) : TimeSpan.MaxValue;
        if (script.Contains("# sandbox: oom", StringComparison.Ordinal))
        {
            (job.End, job.FinalState, job.FinalReason, job.Signal) = (start + TimeSpan.FromSeconds(3), "OUT_OF_MEMORY", "OutOfMemory", 125);
        }
        else if (script.Contains("# sandbox: node_fail", StringComparison.Ordinal))
        {
            (job.End, job.FinalState, job.FinalReason) = (start + TimeSpan.FromSeconds(3), "NODE_FAIL", "NodeDown");
        }
        else if (job.Runtime > limit)
        {
            (job.End, job.FinalState, job.FinalReason, job.Signal) = (start + limit, "TIMEOUT", "TimeLimit", 15);
        }
        else
        {
            (job.End, job.FinalState, job.FinalReason, job.ExitCode) = (start + job.Runtime, exit == 0 ? "COMPLETED" : "FAILED", exit == 0 ? "None" : "NonZeroExitCode", exit);
        }
    }

    // A job's state now; a submitted job with dependencies starts when they are met, or never when one cannot be.
    private SlurmJobView View(SlurmSandboxJob job, DateTimeOffset now, int depth = 0)
    {
        if (job.DependsOn.Count > 0 && job.Start is null && job.CancelledAt is null && depth < 16)
        {
            var met = DateTimeOffset.MinValue;
            var waiting = false;
            foreach (var (kind, id) in job.DependsOn)
            {
                var dep = _jobs.FirstOrDefault(j => j.JobId == id);
                var view = dep is null ? null : View(dep, now, depth + 1);
                if (view is null || view.Ended is null)
                {
                    waiting = view is not null;
                    if (view is null)
                    {
                        return new SlurmJobView(job, "PENDING", "DependencyNeverSatisfied", null, null);
                    }

                    continue;
                }

                var ok = kind switch { "afterok" => view.State == "COMPLETED", "afternotok" => view.State != "COMPLETED", _ => true };
                if (!ok)
                {
                    return new SlurmJobView(job, "PENDING", "DependencyNeverSatisfied", null, null);
                }

                met = view.Ended.Value > met ? view.Ended.Value : met;
            }

            if (waiting)
            {
                return new SlurmJobView(job, "PENDING", "Dependency", null, null);
            }

            var script = job.FinalState == "OUT_OF_MEMORY" ? "# sandbox: oom" : job.FinalState == "NODE_FAIL" ? "# sandbox: node_fail" : "";
            Plan(job, met + StartDelay, script, job.ExitCode);
        }

        var (state, reason, started, ended) = job.At(now);
        return new SlurmJobView(job, state, reason, started, ended);
    }

    private static long? Number(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<long>(out var l) => l,
        JsonValue value when value.TryGetValue<double>(out var d) => (long)d,
        JsonObject o when (bool?)o["set"] == true => (long?)(double?)o["number"],
        _ => null,
    };

    private static JsonObject OpenApi()
    {
        var paths = new JsonObject();
        foreach (var v in Versions)
        {
            foreach (var e in Endpoints)
            {
                paths[$"/slurm/{v}/{e}"] = new JsonObject { ["get"] = new JsonObject { ["summary"] = e } };
            }
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.2",
            ["info"] = new JsonObject { ["title"] = "Slurm Rest API", ["version"] = "Slurm-24.05.3&openapi/slurmctld&data_parser/v0.0.41" },
            ["paths"] = paths,
        };
    }

    [GeneratedRegex(@"^/slurm/(?<v>v\d+\.\d+\.\d+)/(?<rest>.+)$")]
    private static partial Regex PathPattern();

    [GeneratedRegex(@"^(\d{1,10})(?:_(\d{1,7}))?$")]
    private static partial Regex JobIdPattern();

    [GeneratedRegex(@"(after|afterany|afterok|afternotok):(\d{1,10})")]
    private static partial Regex DependencyPattern();

    [GeneratedRegex(@"\bsleep\s+(\d{1,6})\b")]
    private static partial Regex SleepPattern();

    [GeneratedRegex(@"\bexit\s+(\d{1,3})\b")]
    private static partial Regex ExitPattern();
}
