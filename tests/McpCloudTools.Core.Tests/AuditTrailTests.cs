using System.Diagnostics;
using System.Text.Json;
using McpCloudTools.Core.Audit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpCloudTools.Core.Tests;

public sealed class AuditTrailTests
{
    private static AuditRecord Record(string writer, int i) => new()
    {
        Time = DateTimeOffset.UtcNow, Caller = new AuditCaller(writer, writer + "-name", "client"), Transport = "http",
        Tool = "ec2_instance_list", Args = ["state", "limit"], Outcome = "ok", DurationMs = i,
    };

    [Fact]
    public async Task TwoWritersOnOneFile_LoseNoLineAndMixNoneOfThem()
    {
        var dir = Directory.CreateTempSubdirectory("mct-audit-").FullName;
        try
        {
            var path = Path.Combine(dir, "audit.jsonl");
            // Two trails on one file: as two server processes (replicas) appending to one shared audit log.
            await using (var first = AuditTrail.Json(path, NullLogger<AuditTrail>.Instance))
            await using (var second = AuditTrail.Json(path, NullLogger<AuditTrail>.Instance))
            {
                await Task.WhenAll(
                    Task.Run(() => { for (var i = 0; i < 5000; i++) first.Write(Record("first", i)); }),
                    Task.Run(() => { for (var i = 0; i < 5000; i++) second.Write(Record("second", i)); }));
            }

            var lines = await File.ReadAllLinesAsync(path);
            lines.Should().HaveCount(10_000);
            var parsed = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
            foreach (var writer in new[] { "first", "second" })
            {
                parsed.Where(l => l.GetProperty("caller").GetProperty("sub").GetString() == writer).Select(l => l.GetProperty("duration_ms").GetInt64())
                    .Should().Equal(Enumerable.Range(0, 5000).Select(i => (long)i), "each writer's lines arrive whole and in order");
            }

            lines[0].Should().StartWith("{\"time\":").And.Contain("\"args\":[\"state\",\"limit\"]").And.Contain("\"client_id\":\"client\"").And.NotContain("null");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task ARequest_IsRecordedAsTheTrailsKindSays_AJsonLineOrTheTextLine_NeverBoth()
    {
        var text = new AuditTrail(NullLogger<AuditTrail>.Instance);
        var built = 0;
        var logged = 0;
        text.Record(() => { built++; return Record("w", 1); }, () => logged++);
        (built, logged).Should().Be((0, 1), "the text trail logs its line and never builds the JSON one");

        var dir = Directory.CreateTempSubdirectory("mct-audit-").FullName;
        try
        {
            var path = Path.Combine(dir, "audit.jsonl");
            await using (var json = AuditTrail.Json(path, NullLogger<AuditTrail>.Instance))
            {
                json.Record(() => { built++; return Record("w", 2); }, () => logged++);
            }

            (built, logged).Should().Be((1, 1), "the JSON trail writes the line instead of the text");
            (await File.ReadAllLinesAsync(path)).Should().ContainSingle().Which.Should().Contain("\"duration_ms\":2");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("/dev/full")]
    [InlineData("/nonexistent-dir/audit.jsonl")]
    public async Task AFullDiskOrUnwritablePath_IsReportedOnce_AndNeverBlocksOrThrows(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var logger = new CountingLogger();
        var trail = AuditTrail.Json(path, logger);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 20_000; i++)
        {
            trail.Write(Record("w", i));
            if (i % 1000 == 0)
            {
                await Task.Delay(5);
            }
        }

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "writing never waits for the disk");
        await trail.DisposeAsync();
        logger.Errors.Should().ContainSingle(e => e.Contains("cannot be written", StringComparison.Ordinal));
        logger.Errors[0].Should().Contain(path);
    }

    private sealed class CountingLogger : ILogger<AuditTrail>
    {
        public List<string> Errors { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error)
            {
                lock (Errors)
                {
                    Errors.Add(formatter(state, exception));
                }
            }
        }
    }
}
