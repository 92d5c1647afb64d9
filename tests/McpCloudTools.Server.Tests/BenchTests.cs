using McpCloudTools.Bench;

namespace McpCloudTools.Server.Tests;

/// <summary>The benchmark's command line and report (its timings are taken by hand, never asserted here).</summary>
public sealed class BenchTests
{
    [Fact]
    public void Options_ParseTheLaunchesToCompare()
    {
        var o = BenchOptions.Parse(["--runs", "11", "--aot", "out/aot/mcp-cloud-tools", "--r2r", "out/r2r/mcp-cloud-tools", "--feed", "out/feed",
            "--go", "peers/kms", "--echo-aot", "out/echo", "--only", "startup,http", "--seconds", "3", "--clients", "1,16", "--also", "trimmed=out/t/mcp-cloud-tools"]);
        o.Runs.Should().Be(11);
        o.Aot.Should().Be(Path.GetFullPath("out/aot/mcp-cloud-tools"));
        o.R2r.Should().Be(Path.GetFullPath("out/r2r/mcp-cloud-tools"));
        o.Feed.Should().Be(Path.GetFullPath("out/feed"));
        o.Go.Should().Be(Path.GetFullPath("peers/kms"));
        o.EchoAot.Should().Be(Path.GetFullPath("out/echo"));
        o.Wants("startup").Should().BeTrue();
        o.Wants("http").Should().BeTrue();
        o.Wants("lists").Should().BeFalse();
        o.Seconds.Should().Be(3);
        o.Clients.Should().Equal(1, 16);
        o.Also.Should().Equal([("trimmed", Path.GetFullPath("out/t/mcp-cloud-tools"))]);
        BenchOptions.Parse([]).Clients.Should().Equal(1, 4, 16, 64);
    }

    [Fact]
    public async Task Launches_GiveEachOfOurBuildsAStartProfileOfItsOwn_AndShowTheFirstStartWithout()
    {
        var work = Directory.CreateTempSubdirectory("mct-bench-test-");
        try
        {
            var o = BenchOptions.Parse(["--aot", "/o/aot/mcp-cloud-tools", "--r2r", "/o/r2r/mcp-cloud-tools", "--server", "/o/jit/mcp-cloud-tools.dll", "--go", "/o/kms",
                "--echo-jit", "/o/echo/mcp-echo-server.dll"]);
            var launches = await Launches.BuildAsync(o, work, _ => { });

            Launches.JitProfileVariable.Should().Be(JitStartProfile.Variable, "the bench starts the server as a process and spells its variable itself");
            launches.Select(l => l.Label).Should().Equal(Launches.GoLabel, "ours, NativeAOT binary", "ours, ReadyToRun",
                "ours, ReadyToRun, first start (no start profile yet)", "ours, JIT (`dotnet mcp-cloud-tools.dll`)", "ours, JIT, first start (no start profile yet)",
                "MCP echo server, same SDK, JIT", Launches.EchoAllCapabilitiesLabel);
            launches[0].Environment.Should().NotContainKey(Launches.JitProfileVariable, "the Go server is not ours");
            var profiles = launches.Skip(1).Select(l => l.Environment[Launches.JitProfileVariable]).ToList();
            profiles.Where(p => p == "off").Should().HaveCount(2);
            profiles.Where(p => p != "off").Should().OnlyHaveUniqueItems().And.OnlyContain(p => p.StartsWith(work.FullName, StringComparison.Ordinal));
            launches[4].StartInfo(["--state", "none"]).ArgumentList.Should().Equal("/o/jit/mcp-cloud-tools.dll", "--state", "none");
            launches[^1].StartInfo(launches[^1].StartupArgs).ArgumentList.Should().Equal("/o/echo/mcp-echo-server.dll", "--all-capabilities");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { "--runs", "0" }, "--runs takes a whole number from 1 to 1000, got '0'")]
    [InlineData(new[] { "--runs", "many" }, "--runs takes a whole number from 1 to 1000, got 'many'")]
    [InlineData(new[] { "--seconds" }, "--seconds needs a value")]
    [InlineData(new[] { "--only", "startup,speed" }, "--only takes a comma-separated list of startup, size, lists, clusters, http, replicas; got 'speed'")]
    [InlineData(new[] { "--also", "nolabel" }, "--also takes LABEL=PATH, got 'nolabel'")]
    [InlineData(new[] { "--fast" }, "unknown option '--fast'")]
    public void Options_RefuseBadValues_SayingWhatIsValid(string[] args, string message)
    {
        var act = () => BenchOptions.Parse(args);
        act.Should().Throw<ArgumentException>().WithMessage(message + "*");
    }

    [Fact]
    public void StartupTable_ComparesWithTheGoServer_AndShowsDnxOwnMemory()
    {
        var rows = new List<Startup.Row>
        {
            new(Launches.GoLabel, 20, [50, 48, 47], 61, null, null),
            new("ours, NativeAOT binary", 38, [90, 84, 80], 78.4, null, null),
            new("ours, `dnx McpCloudTools@0.1.0`", 38, [600, 570, 560], 78.5, 88.2, null),
            new("ours, ReadyToRun", 0, [], double.NaN, null, "tools/list failed"),
        };
        var table = Startup.Render(rows, rows[0].Median).ToList();
        table.Should().HaveCount(6);
        table[2].Should().Be($"| {Launches.GoLabel} | 20 | 48 | 47 | 1.00 | 61.0 | - |");
        table[3].Should().Be("| ours, NativeAOT binary | 38 | 84 | 80 | 1.75 | 78.4 | - |");
        table[4].Should().Be("| ours, `dnx McpCloudTools@0.1.0` | 38 | 570 | 560 | 11.88 | 78.5 | 88.2 |");
        table[5].Should().StartWith("| ours, ReadyToRun | failed: tools/list failed |");
    }

    [Fact]
    public void APart_IsNotAResult_WhenTheMachineWasBusyBeforeIt_OrOtherProcessesTookTheCpuWhileItRan()
    {
        // Our launches drive the load average up themselves (0.7 during): that alone is not a busy machine.
        var ours = new Queue<CpuTimes?>([new(1_000, 10_000, 50), new(1_500, 10_500, 540), new(2_900, 12_000, 1_900)]);
        var loads = new Queue<(double, double, double)>([(0.1, 0.2, 0.3), (0.7, 0.3, 0.3), (0.2, 0.2, 0.3)]);
        var load = new LoadMonitor("cold start", loads.Dequeue, ours.Dequeue);
        load.Sample("before");
        load.Sample("round 1");
        load.Sample("after");
        load.OthersShare.Should().BeApproximately(0.025, 1e-9, "(1,900 busy - 1,850 ours) of 2,000 ticks");
        load.Summary().Should().Be("Load average (cold start; 1/5/15 min): before 0.10/0.20/0.30, during max 0.70 (3 samples), after 0.20/0.20/0.30. " +
            "Other processes took 2.5% of the CPU meanwhile.");
        load.Warning().Should().BeNull();

        var others = new Queue<CpuTimes?>([new(0, 0, 0), new(900, 2_000, 100)]);
        var shared = new LoadMonitor("HTTP", () => (0.3, 0.3, 0.3), others.Dequeue);
        shared.Sample("before");
        shared.Sample("after");
        shared.Warning().Should().Contain("other processes took 40.0% of the CPU while it ran (> 10%)").And.Contain("not a result");

        var carried = new LoadMonitor("lists", () => (0.9, 0.3, 0.3), () => null);
        carried.Sample("before");
        carried.Sample("after");
        carried.OthersShare.Should().BeNull("no /proc, no share");
        carried.Warning().Should().BeNull("a high load before a later part is the previous part's own, carried by the 1-minute average");
        LoadMonitor.AtStart(0.9).Should().Contain("was 0.90 (> 0.5) when the benchmark started").And.Contain("not a result");
        LoadMonitor.AtStart(0.2).Should().BeNull();
    }

    [Fact]
    public void CpuTimes_CountTheBenchmarkAndEveryProcessItStarted_FromProc()
    {
        CpuTimes.Parse("4242 (dotnet (x) y) S 17 4242 4242 0 -1 4194560 100 0 0 0 30 12 5 2 20 0 9 0 100 1 1")
            .Should().Be((17, 49L), "utime + stime + cutime + cstime, after a name with spaces and parentheses");
        CpuTimes.Parse("garbage").Should().BeNull();
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var before = CpuTimes.Read()!.Value;
        using (var child = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh", ["-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done"])))
        {
            child!.WaitForExit();
        }

        var after = CpuTimes.Read()!.Value;
        (after.Ours - before.Ours).Should().BeGreaterThan(10, "a reaped child's CPU time is ours");
        (after.MachineBusy - before.MachineBusy).Should().BeGreaterThanOrEqualTo(after.Ours - before.Ours - 2);
    }

    [Fact]
    public void WrkScript_SendsAStateless2026Request_AndItsResultLineParses()
    {
        var script = WrkHttp.Script("plugins_list");
        script.Should().Contain("wrk.method = \"POST\"")
            .And.Contain("wrk.headers[\"MCP-Protocol-Version\"] = \"2026-07-28\"")
            .And.Contain("wrk.headers[\"Mcp-Method\"] = \"tools/call\"")
            .And.Contain("wrk.headers[\"Mcp-Name\"] = \"plugins_list\"")
            .And.Contain("\"io.modelcontextprotocol/clientCapabilities\":{}");
        using var body = System.Text.Json.JsonDocument.Parse(WrkHttp.Body("plugins_list"));
        body.RootElement.GetProperty("params").GetProperty("name").GetString().Should().Be("plugins_list");

        var row = WrkHttp.Parse(16, "Running 5s test\nWRK 50000 5000000 1500 7200 3\n");
        row.Requests.Should().Be(50000);
        row.PerSecond.Should().Be(10000);
        row.P50Ms.Should().Be(1.5);
        row.P99Ms.Should().Be(7.2);
        row.Errors.Should().Be(3);
    }

    [Fact]
    public void AuditCost_IsTheMedianOfEachRoundsBackToBackRatio_AgainstTheTenPercentTarget()
    {
        List<WrkHttp.Row> rows =
        [
            new("audit off", 16, 50000, 10000, 1.5, 4, 0), new("audit on (--audit-log FILE)", 16, 47000, 9400, 1.6, 4.2, 0),
            new("audit off", 16, 52000, 10400, 1.5, 4, 0), new("audit on (--audit-log FILE)", 16, 45000, 9000, 1.7, 4.5, 0),
            new("audit off", 16, 48000, 9600, 1.5, 4, 0), new("audit on (--audit-log FILE)", 16, 48000, 9600, 1.6, 4.1, 0),
        ];

        var lines = AuditCost.Render(rows, auditLines: 150000).ToList();

        lines.Should().HaveCount(2 + 6 + 2);
        lines[^1].Should().Be("Audit on / off, calls/s per round: 0.94, 0.87, 1.00; median 0.94 (cost 6.0 %); target cost ≤ 10 %: met. " +
                              "The audit file holds 150000 lines for 140000 measured calls (plus the warm-up).");
        AuditCost.Render([rows[0], rows[1] with { PerSecond = 8900 }], 1).Last().Should().Contain("cost 11.0 %").And.Contain("MISSED");
    }

    [Fact]
    public void ReplicaRows_ShowThroughputPerSetup_AndPropagationPercentilesAgainstTheSecondTarget()
    {
        var result = new ReplicaBench.Result(
            [new("1 replica through the balancer", 16, 20000, 4000, 3.5, 9, 0), new("3 replicas through the balancer", 16, 21000, 4200, 3.4, 10, 0)],
            [.. Enumerable.Range(1, 40).Select(i => (double)i * 10)], Missed: 0, Database: "bench_x");

        var lines = ReplicaBench.Render(result).ToList();

        lines[2].Should().Be("| 1 replica through the balancer | 20000 | 4000 | 3.50 | 9.00 | 0 |");
        lines[^1].Should().Be("Change propagation (REST change on replica 1 → `tools/list_changed` on replica 3's `subscriptions/listen` stream), 40 samples: " +
                              "p50 210 ms, p99 400 ms, max 400 ms; target within 1 s: met.");
        ReplicaBench.Render(result with { Missed = 1 }).Last().Should().Contain("1 unheard within 10 s").And.EndWith("target within 1 s: MISSED.");
    }
}
