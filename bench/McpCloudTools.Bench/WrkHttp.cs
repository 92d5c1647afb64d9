using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace McpCloudTools.Bench;

/// <summary>
/// Streamable HTTP throughput, driven by <c>wrk</c> (C, event loop, so the load client is not the ceiling) sending
/// stateless MCP 2026-07-28 <c>tools/call</c> requests: no session, so every connection sends the same bytes. The
/// headers and <c>_meta</c> are what a 2026-07-28 request must carry (the SDK refuses one without them).
/// </summary>
internal static class WrkHttp
{
    /// <summary>A server under load: how to start it on a port and the cheap tool to call.</summary>
    public sealed record Target(string Label, Func<int, ProcessStartInfo> Start, string Tool);

    public sealed record Row(string Label, int Clients, long Requests, double PerSecond, double P50Ms, double P99Ms, long Errors);

    public static bool Available() => Which("wrk") is not null;

    public static async Task<List<Row>> MeasureAsync(IReadOnlyList<Target> targets, IReadOnlyList<int> clients, int seconds, LoadMonitor load, Action<string> progress)
    {
        var work = Directory.CreateTempSubdirectory("mct-wrk-");
        var running = new List<(Target Target, Process Process, string Url, string Script)>();
        try
        {
            foreach (var target in targets)
            {
                var port = FreePort();
                var process = Process.Start(target.Start(port)) ?? throw new InvalidOperationException($"{target.Label}: could not start");
                process.BeginErrorReadLine();
                process.BeginOutputReadLine();
                var url = $"http://127.0.0.1:{port}/mcp";
                await ProbeAsync(target.Label, url, target.Tool);
                var script = Path.Combine(work.FullName, $"{running.Count}.lua");
                await File.WriteAllTextAsync(script, Script(target.Tool));
                running.Add((target, process, url, script));
                await RunWrkAsync(script, url, clients: 16, seconds: Math.Min(2, seconds)); // warm-up (JIT tiering, pools)
            }

            load.Sample("before");
            var rows = new List<Row>();
            foreach (var (c, round) in clients.Select((c, i) => (c, i)))
            {
                // Every other round in the reverse order, so that neither target always runs first.
                foreach (var (target, _, url, script) in round % 2 == 0 ? running : Enumerable.Reverse(running))
                {
                    var r = await RunWrkAsync(script, url, c, seconds);
                    rows.Add(r with { Label = target.Label });
                    load.Sample($"{target.Label}, {c} clients");
                }

                progress($"http: {c} clients done");
            }

            load.Sample("after");
            return rows;
        }
        finally
        {
            foreach (var (_, process, _, _) in running)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                process.Dispose();
            }

            work.Delete(recursive: true);
        }
    }

    public static IEnumerable<string> Render(IReadOnlyList<Row> rows)
    {
        yield return "| clients | server | calls | calls/s | p50 ms | p99 ms | errors |";
        yield return "|---|---|---|---|---|---|---|";
        foreach (var r in rows)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"| {r.Clients} | {r.Label} | {r.Requests} | {r.PerSecond:0} | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {r.Errors} |");
        }
    }

    /// <summary>The request body: a stateless 2026-07-28 <c>tools/call</c> with the <c>_meta</c> it must carry.</summary>
    public static string Body(string tool) =>
        """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":""" + System.Text.Json.JsonSerializer.Serialize(tool, BenchJson.Default.String) +
        ""","arguments":{},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"wrk","version":"1"}}}}""";

    /// <summary>The headers a 2026-07-28 request carries: the revision, and the method and tool name for routing.</summary>
    public static IReadOnlyList<(string Name, string Value)> Headers(string tool) =>
    [
        ("Content-Type", "application/json"),
        ("Accept", "application/json, text/event-stream"),
        ("MCP-Protocol-Version", "2026-07-28"),
        ("Mcp-Method", "tools/call"),
        ("Mcp-Name", tool),
    ];

    /// <summary>wrk's Lua script: the request, and one machine-readable line at the end.</summary>
    public static string Script(string tool)
    {
        var sb = new StringBuilder();
        sb.Append("wrk.method = \"POST\"\n");
        sb.Append("wrk.body = [==[").Append(Body(tool)).Append("]==]\n");
        foreach (var (name, value) in Headers(tool))
        {
            sb.Append("wrk.headers[\"").Append(name).Append("\"] = \"").Append(value).Append("\"\n");
        }

        sb.Append("""
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("WRK %d %d %d %d %d\n", summary.requests, summary.duration,
                latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout))
            end

            """);
        return sb.ToString();
    }

    /// <summary>Parses the script's last line: requests, duration µs, p50 µs, p99 µs, errors.</summary>
    public static Row Parse(int clients, string output)
    {
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("WRK ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("wrk printed no result line: " + output[..Math.Min(400, output.Length)]);
        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        return new Row("", clients, f[0], f[0] / (f[1] / 1e6), f[2] / 1000.0, f[3] / 1000.0, f[4]);
    }

    /// <summary>Runs wrk with <paramref name="script"/> against <paramref name="url"/>: <paramref name="clients"/> connections for <paramref name="seconds"/>.</summary>
    public static async Task<Row> RunWrkAsync(string script, string url, int clients, int seconds)
    {
        var psi = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-t", Math.Min(clients, 2).ToString(CultureInfo.InvariantCulture), "-c", clients.ToString(CultureInfo.InvariantCulture),
                     "-d", $"{seconds}s", "--timeout", "10s", "-s", script, url])
        {
            psi.ArgumentList.Add(a);
        }

        using var wrk = Process.Start(psi) ?? throw new InvalidOperationException("could not start wrk");
        var stdout = wrk.StandardOutput.ReadToEndAsync();
        var stderr = wrk.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 30));
        try
        {
            await wrk.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            wrk.Kill();
            throw new InvalidOperationException($"wrk did not stop within {seconds + 30} s");
        }

        return Parse(clients, await stdout + await stderr);
    }

    /// <summary>Waits for the server and checks, once, that the request wrk will send gets a tool result.</summary>
    public static async Task ProbeAsync(string label, string url, string tool)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        string? last = null;
        for (var i = 0; i < 240; i++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(Body(tool), Encoding.UTF8) };
                request.Content.Headers.ContentType = new("application/json");
                foreach (var (name, value) in Headers(tool).Where(h => h.Name != "Content-Type"))
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                using var response = await http.SendAsync(request);
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                if (response.StatusCode == HttpStatusCode.OK && last.Contains("\"result\"", StringComparison.Ordinal) && !last.Contains("\"isError\":true", StringComparison.Ordinal))
                {
                    return;
                }

                if (response.StatusCode != HttpStatusCode.NotFound && response.StatusCode != HttpStatusCode.ServiceUnavailable)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250);
        }

        throw new InvalidOperationException($"{label}: the stateless tools/call of {tool} did not succeed: {last?[..Math.Min(300, last.Length)] ?? "no answer"}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string? Which(string name) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class BenchJson : System.Text.Json.Serialization.JsonSerializerContext;
