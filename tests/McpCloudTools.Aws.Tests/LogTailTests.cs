using FluentAssertions;
using McpCloudTools.Aws.Logs;

namespace McpCloudTools.Aws.Tests;

/// <summary>The shared log tail (Lambda and Batch logs tools) against the sandbox's CloudWatch Logs.</summary>
public sealed class LogTailTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const string Group = "/aws/log-tail-tests";
    private CloudWatchLogsClient Client => new(fixture.Context());

    private void Write(string stream, int count, DateTimeOffset start, Func<int, string> message)
    {
        fixture.Host.Context.Logs.CreateGroup(Group, start);
        for (var i = 0; i < count; i++)
        {
            fixture.Host.Context.Logs.Append(Group, stream, start.AddSeconds(i), message(i));
        }
    }

    [Fact]
    public async Task StreamTail_GivesTheLatestLinesOldestFirst_AndCountsErrors()
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);
        Write("job/1", 300, start, i => i == 295 ? "ERROR out of memory" : $"step {i}");

        var text = await LogTail.ReadAsync(Client, new LogTailRequest(Group, "job/1", MaxLines: 10), TimeProvider.System, CancellationToken.None);

        var lines = text.Split('\n');
        lines[0].Should().Be("/aws/log-tail-tests job/1: latest 10 events (older ones exist); error lines 1");
        lines.Skip(1).Should().HaveCount(10);
        lines[1].Should().EndWith("step 290");
        lines[^1].Should().EndWith("step 299");
    }

    [Fact]
    public async Task GroupTail_HonoursSinceAndFilterPattern_AndTheByteCap()
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(-20);
        Write("fn/a", 50, start, i => i % 10 == 0 ? $"Task timed out after 3.00 seconds ({i})" : $"{new string('x', 200)} {i}");

        var timeouts = await LogTail.ReadAsync(Client, new LogTailRequest(Group, FilterPattern: "\"Task timed out\"", Since: start.AddSeconds(15)),
            TimeProvider.System, CancellationToken.None);
        timeouts.Split('\n')[0].Should().Contain("3 events").And.Contain("timeouts 3");

        var capped = await LogTail.ReadAsync(Client, new LogTailRequest(Group, Since: start.AddSeconds(-1), MaxBytes: 1000),
            TimeProvider.System, CancellationToken.None);
        System.Text.Encoding.UTF8.GetByteCount(capped).Should().BeLessThan(1200);
        capped.Split('\n')[0].Should().Contain("last 4 shown");
        capped.Split('\n')[^1].Should().EndWith(" 49", "the newest lines are kept");
    }

    [Fact]
    public async Task NoEvents_SaysWhatToTry()
    {
        fixture.Host.Context.Logs.CreateGroup("/aws/log-tail-empty", DateTimeOffset.UtcNow);
        var text = await LogTail.ReadAsync(Client, new LogTailRequest("/aws/log-tail-empty"), TimeProvider.System, CancellationToken.None);
        text.Should().Contain("0 events (no events; widen 'since' or check the name)");
    }
}
