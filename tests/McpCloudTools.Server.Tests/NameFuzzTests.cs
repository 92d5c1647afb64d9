using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using McpCloudTools.Core.Safety;
using McpCloudTools.Sandbox;
using McpCloudTools.Sandbox.Services.Eks;
using McpCloudTools.Testing;
using ModelContextProtocol;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// Issue 12, property-style: random names built from '/', '#', '?', '%', '..', NUL, line breaks and unicode, sent to
/// every text parameter of every tool that <c>tools/list</c> advertises (all plugins, write tools included). For every
/// call: no JSON-RPC failure or crash, an error names the argument, no secret canary of the sandbox appears, and on
/// the sandbox side no request arrived ambiguous, nor carrying a piece of the value that only a cut or a resolved
/// '..' could have produced. Seeded, so a failure reproduces; a few hundred calls.
/// </summary>
public sealed partial class NameFuzzTests
{
    private const int Seed = 20261212;
    private const int ValuesPerArgument = 5;

    // Secrets the default scenario seeds (a pod's env, Lambda env, a Batch job's env): none may ever reach an answer.
    private static readonly string[] Canaries = ["sk_live_51Hx", "S3cr3t-Pa55w0rd", "hunter2-payments", "s3cr3t-etl-pw"];

    private static readonly string[] Pieces =
    [
        "/", "#", "?", "%", "%2F", "%23", "%2e%2e", "..", "/../", "\0", "\r\n", " ", "\t", "é", "日本", "\u202E", "😀", "&x=1", ";", "\\", "=", ":", "*",
    ];

    [Fact]
    public async Task RandomHostileNames_ToEveryTextArgumentOfEveryTool_NeverLeakCrashOrLeaveUnescaped()
    {
        await using var h = await SandboxHarness.StartAsync(PluginSet.AddAll, safety: new SafetyOptions { AllowWrite = true });
        var real = await RealNamesAsync(h);
        var random = new Random(Seed);
        var tools = await h.Mcp.Client.ListToolsAsync();
        var failures = new List<string>();
        var calls = 0;
        var clock = Stopwatch.StartNew();

        foreach (var tool in tools.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var schema = tool.ProtocolTool.InputSchema;
            if (!schema.TryGetProperty("properties", out var properties)) continue;
            var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString()!).ToHashSet() : [];
            foreach (var property in properties.EnumerateObject())
            {
                var kind = Kind(property.Value);
                if (kind is null) continue;
                for (var i = 0; i < ValuesPerArgument; i++)
                {
                    var value = Value(random, tool.Name, property.Name, real);
                    var args = Defaults(tool.Name, properties, required, real, failures);
                    args[property.Name] = kind switch
                    {
                        "array" => new[] { value },
                        "object" => i % 2 == 0 ? new Dictionary<string, string> { [value] = "v" } : new Dictionary<string, string> { ["K"] = value },
                        _ => value,
                    };
                    calls++;
                    var before = h.Sandbox.Requests.Last;
                    var problem = await CallAsync(h, tool.Name, property.Name, value, args);
                    problem ??= Sent(h.Sandbox.Requests.Since(before), value, real);
                    if (problem is not null) failures.Add($"{tool.Name} {property.Name}={Json(value)}: {problem}");
                }
            }
        }

        clock.Stop();
        failures.Should().BeEmpty($"{failures.Count} of {calls} calls misbehaved:\n{string.Join("\n", failures)}\n");
        calls.Should().BeGreaterThan(300, "every text argument of every tool gets several values");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromMinutes(2), "bounded: it must stay a quick test");
    }

    private static async Task<string?> CallAsync(SandboxHarness h, string tool, string argument, string value, Dictionary<string, object?> args)
    {
        var (result, failure) = await ToolResultAsync(h, tool, args);
        if (result is null) return failure;
        var text = result.Text();
        if (text.Contains("failed unexpectedly", StringComparison.Ordinal)) return $"crashed: {text}";
        if (Canaries.FirstOrDefault(c => text.Contains(c, StringComparison.Ordinal)) is { } canary) return $"leaked the canary {canary}: {Cut(text)}";
        if (value.Length > 64 && text.Contains(value[..65], StringComparison.Ordinal)) return $"echoed more than 64 characters of the value: {Cut(text)}";
        if (result.IsError == true && !NamesArgument(text, argument))
            return $"the error does not name the argument: {Cut(text)}";
        return null;
    }

    /// <summary>The tool's result, or (null, why) when the call failed at the protocol level instead of answering with one.</summary>
    private static async Task<(ModelContextProtocol.Protocol.CallToolResult? Result, string? Failure)> ToolResultAsync(
        SandboxHarness h, string tool, Dictionary<string, object?> args)
    {
        try
        {
            return (await h.CallAsync(tool, args), null);
        }
        catch (McpException e)
        {
            return (null, $"JSON-RPC failure instead of a tool result: {e.Message}");
        }
    }

    /// <summary>Whether an error text names <paramref name="argument"/> as a word of its own.</summary>
    private static bool NamesArgument(string text, string argument) => Regex.IsMatch(text, $@"\b{Regex.Escape(argument)}\b");

    /// <summary>What the sandbox received during one call: nothing ambiguous, and no piece that only cutting the value could produce.</summary>
    private static string? Sent(IReadOnlyList<SandboxRequestRecord> requests, string value, RealNames real)
    {
        if (requests.FirstOrDefault(r => r.IsAmbiguous) is { } ambiguous)
            return $"the sandbox received an ambiguous target {Json(ambiguous.RawTarget)}: {string.Join("; ", ambiguous.Problems)}";
        // Surrounding whitespace may be trimmed (tools do, for free text); anything else that arrives is a cut.
        var pieces = Separator().Split(value).Where(p => p.Length >= 4 && p != value.Trim()).ToHashSet(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            if (request.Values.FirstOrDefault(pieces.Contains) is { } piece)
                return $"a request carried '{piece}', a piece of the value, so the value was cut or resolved: {Json(request.RawTarget)}";
        }
        return null;
    }

    private static Dictionary<string, object?> Defaults(string tool, JsonElement properties, HashSet<string> required, RealNames real, List<string> failures)
    {
        var args = new Dictionary<string, object?>();
        foreach (var property in properties.EnumerateObject())
        {
            if (Context(tool, property.Name) is { } context) args[property.Name] = context;
            if (!required.Contains(property.Name)) continue;
            var type = property.Value.TryGetProperty("type", out var t) ? t.ToString() : "";
            object? value = (property.Name, type) switch
            {
                (_, "integer") => 1,
                (_, "number") => 1.0,
                (_, "boolean") => false,
                ("instance_ids", _) => new[] { real.For(tool, property.Name) },
                // A name that exists in the sandbox, in the plugin the tool belongs to (a Batch job id is no Slurm job id).
                _ when real.For(tool, property.Name) is { } name => name,
                ("definition", _) => "hello-world",
                ("name", _) => "fuzz-job",
                ("id", _) => "ec2",
                ("cluster_id", _) => "eks:staging",
                _ => null,
            };
            if (value is null) failures.Add($"{tool}: no valid default for its required argument {property.Name}; add one to Defaults");
            args[property.Name] = value;
        }
        return args;
    }

    /// <summary>
    /// Context the other arguments need, so that an error can only be about the fuzzed value: previews instead of changes,
    /// waits of one second, the active cluster is an EKS one (Batch tools get their queue), the real pod lives in 'web', a
    /// configuration change needs a change, and a Slurm submit needs something to run (a script or a command).
    /// </summary>
    private static object? Context(string tool, string argument) => (Plugin(tool), argument) switch
    {
        (_, "dry_run") => true,
        (_, "timeout_seconds") when tool.EndsWith("_wait", StringComparison.Ordinal) => 1,
        ("lambda", "invocation_type") => "DryRun",
        ("lambda", "memory") => 256,
        ("batch", "queue") => "default-queue",
        ("eks", "namespace") => "web",
        ("slurm", "command") => "true",
        _ => null,
    };

    /// <summary>The plugin a tool belongs to: tools are named &lt;plugin&gt;_&lt;resource&gt;_&lt;verb&gt;.</summary>
    private static string Plugin(string tool) => tool[..Math.Max(0, tool.IndexOf('_', StringComparison.Ordinal))];

    /// <summary>A hostile value: pieces and random words (unique, so a cut shows), sometimes a real name with a hostile suffix.</summary>
    private static string Value(Random random, string tool, string argument, RealNames real)
    {
        var roll = random.Next(10);
        if (roll == 0) return new string('a', random.Next(300, 3000)) + Pieces[random.Next(Pieces.Length)];
        if (roll <= 2 && real.For(tool, argument) is { } name) return name + HostileNames.Suffixes[random.Next(HostileNames.Suffixes.Count)];
        var text = new StringBuilder();
        var parts = random.Next(2, 5);
        var hostile = random.Next(parts);
        for (var i = 0; i < parts; i++)
        {
            if (i == hostile || random.Next(3) == 0) text.Append(Pieces[random.Next(Pieces.Length)]);
            else text.Append("qz").Append(Word(random));
        }
        return text.ToString();
    }

    private static string Word(Random random) => string.Concat(Enumerable.Range(0, 5).Select(_ => (char)('a' + random.Next(26))));

    private static string? Kind(JsonElement schema)
    {
        var type = schema.TryGetProperty("type", out var t) ? t.ToString() : "";
        return type switch
        {
            "string" => "string",
            "array" when schema.TryGetProperty("items", out var items) && items.TryGetProperty("type", out var it) && it.ToString() == "string" => "array",
            "object" => "object",
            _ => null,
        };
    }

    private static async Task<RealNames> RealNamesAsync(SandboxHarness h)
    {
        async Task<string> Text(string tool, object args) => (await h.CallAsync(tool, args)).Text();
        await Text("cluster_activate", new { cluster_id = "eks:staging" });
        var kube = h.Sandbox.Service<EksService>().Clusters["staging"].Kube;
        var pod = kube.Pods().First(p => p.Metadata.NamespaceProperty == "web").Metadata.Name;
        var deployment = kube.Deployments().First(d => d.Metadata.NamespaceProperty == "web").Metadata.Name;
        var nodegroup = h.Sandbox.Service<EksService>().Clusters["staging"].Nodegroups.Keys.First();
        var jobs = await Text("batch_job_list", new { queue = "default-queue", limit = 5 });
        var instances = await Text("ec2_instance_list", new { limit = 5 });
        var slurmJob = SlurmJobRow().Match(await Text("slurm_job_list", new { limit = 5 }));
        slurmJob.Success.Should().BeTrue("the sandbox's Slurm cluster lists its seeded jobs");
        return new RealNames(pod, deployment, nodegroup, "orders-api", Uuid().Match(jobs).Value, InstanceId().Match(instances).Value, slurmJob.Groups[1].Value);
    }

    private static string Cut(string text) => text.Length > 300 ? text[..300] + "…" : text;

    private static string Json(string value) => JsonSerializer.Serialize(value.Length > 80 ? value[..80] + "…" : value);

    [GeneratedRegex(@"[/#?%\x00\r\n\t ;&=:*\\]+|\.\.|%2[Ff]|%23|%2e%2e")]
    private static partial Regex Separator();

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Uuid();

    [GeneratedRegex("i-[0-9a-f]{17}")]
    private static partial Regex InstanceId();

    [GeneratedRegex(@"^([0-9]+) ", RegexOptions.Multiline)]
    private static partial Regex SlurmJobRow();

    /// <summary>Names that exist in the sandbox, each in its plugin: a valid value for an argument, and the start of hostile ones.</summary>
    private sealed record RealNames(string Pod, string Deployment, string Nodegroup, string Function, string BatchJobId, string InstanceId, string SlurmJobId)
    {
        public string? For(string tool, string argument) => (Plugin(tool), argument) switch
        {
            ("eks", "pod") => Pod,
            ("eks", "deployment") => Deployment,
            ("eks", "nodegroup") => Nodegroup,
            ("eks", "namespace") => "web",
            ("lambda", "function") => Function,
            ("batch", "job_id" or "array_job_id") => BatchJobId,
            ("ec2", "instance_ids") => InstanceId,
            ("slurm", "job_id") => SlurmJobId,
            _ => null,
        };
    }
}
