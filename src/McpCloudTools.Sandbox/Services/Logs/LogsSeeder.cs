using System.Globalization;

namespace McpCloudTools.Sandbox.Services.Logs;

/// <summary>
/// The default account's logs: the groups of two Lambda functions (the Lambda service writes their earlier
/// invocations), Batch jobs (one killed by an out-of-memory error) and an EKS control plane, spread over the hour
/// before the sandbox's start; in the second region the same groups for its functions and its cluster <c>prod-eu</c>. Sizes:
/// <c>logs.events_per_stream</c> (default 20) and <c>logs.extra_groups</c> (default 0) for benchmarks.
/// </summary>
internal static class LogsSeeder
{
    public static void Seed(SandboxContext context, SandboxScenario scenario)
    {
        if (scenario.IsEmpty) return;
        var random = context.CreateRandom("logs");
        var now = context.Clock.UtcNow;
        var perStream = scenario.Size("logs.events_per_stream", 20);
        var store = context.Logs;
        var day = now.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture);

        // The Lambda service writes its functions' earlier invocations into these (with each function's settings).
        store.CreateGroup("/aws/lambda/orders-api", now.AddDays(-30), retentionInDays: 14);
        store.CreateGroup("/aws/lambda/thumbnail-worker", now.AddDays(-90));

        store.CreateGroup("/aws/batch/job", now.AddDays(-60), retentionInDays: 30);
        if (!scenario.IsSecondRegion)
        {
            Batch(store, $"nightly-etl/default/{Hex(random)}", now.AddMinutes(-55), perStream, failing: false);
            Batch(store, $"train-model/default/{Hex(random)}", now.AddMinutes(-35), perStream, failing: true);
        }

        var cluster = scenario.IsSecondRegion ? "prod-eu" : "prod";
        store.CreateGroup($"/aws/eks/{cluster}/cluster", now.AddDays(-120), retentionInDays: 7);
        var apiserver = Enumerable.Range(0, perStream).Select(i => Event(now.AddMinutes(-60 + i * 60.0 / Math.Max(1, perStream)),
            i % 7 == 3
                ? "E0101 12:00:00.000000      10 status.go:71] apiserver received an error that is not an metav1.Status: context canceled"
                : $"I0101 12:00:00.000000      10 httplog.go:132] \"HTTP\" verb=\"GET\" URI=\"/api/v1/namespaces/default/pods\" latency=\"{random.Next(2, 40)}ms\" resp=200"));
        store.Append($"/aws/eks/{cluster}/cluster", $"kube-apiserver-{Hex(random)}", apiserver);

        for (var g = 0; g < scenario.Size("logs.extra_groups", 0); g++)
        {
            var name = $"/aws/lambda/bench-{g:D5}";
            store.CreateGroup(name, now.AddDays(-1));
            store.Append(name, $"{day}/[$LATEST]{Hex(random)}", Enumerable.Range(0, perStream)
                .Select(i => Event(now.AddSeconds(-perStream + i), $"INFO bench event {i}")));
        }
    }

    private static void Batch(SandboxLogStore store, string stream, DateTimeOffset start, int count, bool failing)
    {
        var events = Enumerable.Range(0, count).Select(i => Event(start.AddSeconds(i * 10),
            failing && i == count - 1
                ? "ERROR java.lang.OutOfMemoryError: Java heap space"
                : $"INFO step {i + 1}/{count} done")).ToList();
        store.Append("/aws/batch/job", stream, events);
    }

    private static SandboxLogEvent Event(DateTimeOffset time, string message) =>
        new(time.ToUnixTimeMilliseconds(), message, time.ToUnixTimeMilliseconds() + 150);

    private static string Hex(Random random) => Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64()));
}
