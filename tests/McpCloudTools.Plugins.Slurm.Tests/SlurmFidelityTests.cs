using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using McpCloudTools.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpCloudTools.Plugins.Slurm.Tests;

/// <summary>
/// The sandbox cannot drift from Slurm: the same requests go to the sandbox and to a real slurmrestd (v0.0.38), and the
/// answers are compared by shape: every field the sandbox writes exists in Slurm's answer with the same JSON type,
/// every field the plugin reads is in both, and states are values Slurm uses. Errors and authentication too.
/// </summary>
[Collection(RealSlurmCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SlurmFidelityTests(RealSlurm slurm) : IAsyncLifetime
{
    /// <summary>The fields <see cref="Client.WireMapping"/> reads from v0.0.38 answers.</summary>
    private static readonly Dictionary<string, string[]> Read38 = new()
    {
        ["ping"] = ["pings[].hostname", "pings[].ping", "pings[].mode", "meta.Slurm.release", "errors"],
        ["diag"] = ["statistics.server_thread_count", "statistics.agent_queue_size", "statistics.jobs_pending", "statistics.jobs_running"],
        ["jobs"] = [.. new[]
        {
            "job_id", "name", "user_name", "partition", "job_state", "state_reason", "state_description", "array_job_id", "array_task_id",
            "array_task_string", "submit_time", "eligible_time", "start_time", "end_time", "time_limit", "exit_code", "cpus", "node_count", "tasks",
            "cpus_per_task", "memory_per_node", "memory_per_cpu", "nodes", "required_nodes", "features", "dependency", "current_working_directory",
            "standard_output", "standard_error", "tres_req_str", "tres_alloc_str", "qos", "account", "batch_host", "priority", "command",
        }.Select(f => "jobs[]." + f)],
        ["nodes"] = [.. new[]
        {
            "name", "state", "state_flags", "reason", "reason_set_by_user", "reason_changed_at", "cpus", "alloc_cpus", "real_memory", "alloc_memory",
            "free_memory", "features", "partitions", "cpu_load",
        }.Select(f => "nodes[]." + f)],
        ["partitions"] = [.. new[]
        {
            "name", "state", "flags", "nodes", "total_nodes", "total_cpus", "max_time_limit", "default_time_limit", "maximum_nodes_per_job", "maximum_memory_per_node",
        }.Select(f => "partitions[]." + f)],
        ["submit"] = ["job_id", "job_submit_user_msg", "errors"],
    };

    private static readonly HashSet<string> JobStates =
        ["PENDING", "RUNNING", "SUSPENDED", "COMPLETED", "CANCELLED", "FAILED", "TIMEOUT", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY"];

    private static readonly HashSet<string> NodeStates38 = ["idle", "mixed", "allocated", "down", "future", "unknown", "error"];

    private static readonly HashSet<string> NodeFlags =
        ["DRAIN", "NOT_RESPONDING", "COMPLETING", "POWERED_DOWN", "POWERING_UP", "POWERING_DOWN", "MAINTENANCE", "RESERVED", "FAIL", "CLOUD", "PLANNED", "REBOOT_REQUESTED"];

    private SandboxHost _sandbox = null!;
    private HttpClient _real = null!;
    private HttpClient _fake = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync(new SandboxOptions(), NullLoggerFactory.Instance, CancellationToken.None);
        var token = (await File.ReadAllTextAsync(slurm.TokenFile)).Trim().Replace("SLURM_JWT=", "", StringComparison.Ordinal);
        _real = Client(slurm.Url, RealSlurm.RestUser, token);
        _fake = Client(_sandbox.Endpoint, _sandbox.Options.SlurmUser, _sandbox.Options.SlurmToken);
    }

    public async Task DisposeAsync()
    {
        _real.Dispose();
        _fake.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Theory]
    [InlineData("ping")]
    [InlineData("diag")]
    [InlineData("jobs")]
    [InlineData("nodes")]
    [InlineData("partitions")]
    public async Task Get_AnswersInSlurmsShape(string endpoint)
    {
        // The real queue needs jobs in it: one finished, one pending.
        await SubmitRealAsync("#!/bin/bash\ntrue\n", "debug", 5);
        await SubmitRealAsync("#!/bin/bash\ntrue\n", "short", 10);
        var real = await GetAsync(_real, $"slurm/v0.0.38/{endpoint}");
        var fake = await GetAsync(_fake, $"slurm/v0.0.38/{endpoint}");
        Compare(endpoint, real, fake);
    }

    [Fact]
    public async Task OneJobAndOnePartition_AnswerInSlurmsShape()
    {
        var realId = await SubmitRealAsync("#!/bin/bash\ntrue\n", "debug", 5);
        var real = JsonShape.Of(await GetAsync(_real, $"slurm/v0.0.38/job/{realId}"), await GetAsync(_real, "slurm/v0.0.38/partition/debug"));
        var fake = JsonShape.Of(await GetAsync(_fake, "slurm/v0.0.38/job/4100"), await GetAsync(_fake, "slurm/v0.0.38/partition/compute"));
        AssertSubset(real, fake, "job/partition");
    }

    [Fact]
    public async Task Submit_AnswersInSlurmsShape_AndBothOfferTheVersionInTheirOpenApiDocument()
    {
        var body = """{"script":"#!/bin/bash\ntrue\n","job":{"name":"fidelity","partition":"debug","current_working_directory":"/tmp","environment":{"PATH":"/bin"},"time_limit":5}}""";
        var fakeBody = body.Replace("\"debug\"", "\"compute\"", StringComparison.Ordinal);
        var real = await SendAsync(_real, HttpMethod.Post, "slurm/v0.0.38/job/submit", body.Replace("/tmp", slurm.WorkDir, StringComparison.Ordinal));
        var fake = await SendAsync(_fake, HttpMethod.Post, "slurm/v0.0.38/job/submit", fakeBody);
        ((int)real.Status).Should().Be(200);
        ((int)fake.Status).Should().Be(200);
        Compare("submit", real.Body, fake.Body);

        foreach (var client in new[] { _real, _fake })
        {
            var doc = await GetAsync(client, "openapi/v3");
            doc!["paths"]!.AsObject().Select(p => p.Key).Should().Contain(["/slurm/v0.0.38/jobs", "/slurm/v0.0.38/job/submit", "/slurm/v0.0.38/nodes",
                "/slurm/v0.0.38/partitions", "/slurm/v0.0.38/ping", "/slurm/v0.0.38/diag", "/slurm/v0.0.38/job/{job_id}"]);
        }
    }

    [Fact]
    public async Task Errors_UnknownJobAndMissingToken_LookTheSame()
    {
        var real = await SendAsync(_real, HttpMethod.Get, "slurm/v0.0.38/job/999999", null);
        var fake = await SendAsync(_fake, HttpMethod.Get, "slurm/v0.0.38/job/999999", null);
        fake.Status.Should().Be(real.Status);
        var realErrors = JsonShape.Of(real.Body);
        realErrors.Paths.Should().Contain("errors[].error_number");
        ((long?)fake.Body!["errors"]![0]!["error_number"]).Should().Be((long?)real.Body!["errors"]![0]!["error_number"]).And.Be(2017);

        using var anonymousReal = new HttpClient { BaseAddress = slurm.Url };
        using var anonymousFake = new HttpClient { BaseAddress = _sandbox.Endpoint };
        var r = await anonymousReal.GetAsync("slurm/v0.0.38/ping");
        var f = await anonymousFake.GetAsync("slurm/v0.0.38/ping");
        f.StatusCode.Should().Be(r.StatusCode).And.Be(System.Net.HttpStatusCode.Unauthorized);
        (await f.Content.ReadAsStringAsync()).Should().Be(await r.Content.ReadAsStringAsync());
    }

    private static void Compare(string endpoint, JsonNode? real, JsonNode? fake)
    {
        var r = JsonShape.Of(real);
        var f = JsonShape.Of(fake);
        AssertSubset(r, f, endpoint);
        foreach (var field in Read38[endpoint])
        {
            r.Kinds.Should().ContainKey(field, $"the plugin reads {field} from Slurm's /{endpoint}");
            f.Kinds.Should().ContainKey(field, $"the plugin reads {field}, so the sandbox must write it");
        }

        foreach (var shape in new[] { r, f })
        {
            if (shape.Values.TryGetValue("jobs[].job_state", out var states)) states.Should().BeSubsetOf(JobStates);
            if (shape.Values.TryGetValue("nodes[].state", out var nodeStates)) nodeStates.Should().BeSubsetOf(NodeStates38);
            if (shape.Values.TryGetValue("nodes[].state_flags[]", out var flags)) flags.Should().BeSubsetOf(NodeFlags);
            if (shape.Values.TryGetValue("partitions[].state", out var p)) p.Should().BeSubsetOf(["UP", "DOWN", "DRAIN", "INACTIVE"]);
        }
    }

    // Everything the sandbox writes, Slurm writes, with the same type (null means unset in Slurm's answers).
    private static void AssertSubset(JsonShape real, JsonShape fake, string what)
    {
        var missing = fake.Paths.Where(p => !real.Kinds.ContainsKey(p) && !UnderEmptyArray(real, p)).ToList();
        missing.Should().BeEmpty($"the sandbox's /{what} must not write fields Slurm does not");
        foreach (var path in fake.Paths.Where(real.Kinds.ContainsKey))
        {
            var r = real.Concrete(path);
            var f = fake.Concrete(path);
            if (r.Count > 0 && f.Count > 0)
            {
                f.Should().BeSubsetOf(r, $"{what}: {path} has Slurm's type");
            }
        }
    }

    // Slurm sent an empty array there (no items to learn a shape from).
    private static bool UnderEmptyArray(JsonShape real, string path)
    {
        var cut = path.LastIndexOf("[]", StringComparison.Ordinal);
        return cut > 0 && real.Kinds.TryGetValue(path[..cut], out var kinds) && kinds.Contains("array") && !real.Paths.Any(p => p.StartsWith(path[..cut] + "[]", StringComparison.Ordinal));
    }

    private async Task<long> SubmitRealAsync(string script, string partition, int minutes)
    {
        var job = new JsonObject
        {
            ["script"] = script,
            ["job"] = new JsonObject
            {
                ["name"] = "fidelity", ["partition"] = partition, ["current_working_directory"] = slurm.WorkDir, ["time_limit"] = minutes,
                ["environment"] = new JsonObject { ["PATH"] = "/bin:/usr/bin" }, ["memory_per_node"] = 50,
            },
        };
        var answer = await SendAsync(_real, HttpMethod.Post, "slurm/v0.0.38/job/submit", job.ToJsonString());
        return (long?)answer.Body?["job_id"] ?? throw new InvalidOperationException(answer.Body?.ToJsonString());
    }

    private static async Task<JsonNode?> GetAsync(HttpClient client, string path)
    {
        var answer = await SendAsync(client, HttpMethod.Get, path, null);
        ((int)answer.Status).Should().Be(200, $"{client.BaseAddress}{path} answers: {answer.Body?.ToJsonString()}");
        return answer.Body;
    }

    private static async Task<(System.Net.HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new("application/json");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static HttpClient Client(Uri baseAddress, string user, string token)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-SLURM-USER-NAME", user);
        client.DefaultRequestHeaders.Add("X-SLURM-USER-TOKEN", token);
        return client;
    }
}
