using System.Globalization;

namespace McpCloudTools.Sandbox.Services.Logs;

/// <summary>
/// The default account's logs: two Lambda functions (one healthy, one timing out), Batch jobs (one killed by an
/// out-of-memory error) and an EKS control plane, spread over the hour before the sandbox's start. Sizes:
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

        store.CreateGroup("/aws/lambda/orders-api", now.AddDays(-30), retentionInDays: 14);
        for (var s = 0; s < 2; s++)
            Lambda(store, "/aws/lambda/orders-api", $"{day}/[$LATEST]{Hex(random)}", now.AddMinutes(-50 + s * 20), perStream, random, failing: false);

        store.CreateGroup("/aws/lambda/thumbnail-worker", now.AddDays(-90));
        Lambda(store, "/aws/lambda/thumbnail-worker", $"{day}/[$LATEST]{Hex(random)}", now.AddMinutes(-40), perStream, random, failing: true);

        store.CreateGroup("/aws/batch/job", now.AddDays(-60), retentionInDays: 30);
        Batch(store, $"nightly-etl/default/{Hex(random)}", now.AddMinutes(-55), perStream, failing: false);
        Batch(store, $"train-model/default/{Hex(random)}", now.AddMinutes(-35), perStream, failing: true);

        store.CreateGroup("/aws/eks/prod/cluster", now.AddDays(-120), retentionInDays: 7);
        var apiserver = Enumerable.Range(0, perStream).Select(i => Event(now.AddMinutes(-60 + i * 60.0 / Math.Max(1, perStream)),
            i % 7 == 3
                ? "E0101 12:00:00.000000      10 status.go:71] apiserver received an error that is not an metav1.Status: context canceled"
                : $"I0101 12:00:00.000000      10 httplog.go:132] \"HTTP\" verb=\"GET\" URI=\"/api/v1/namespaces/default/pods\" latency=\"{random.Next(2, 40)}ms\" resp=200"));
        store.Append("/aws/eks/prod/cluster", $"kube-apiserver-{Hex(random)}", apiserver);

        for (var g = 0; g < scenario.Size("logs.extra_groups", 0); g++)
        {
            var name = $"/aws/lambda/bench-{g:D5}";
            store.CreateGroup(name, now.AddDays(-1));
            store.Append(name, $"{day}/[$LATEST]{Hex(random)}", Enumerable.Range(0, perStream)
                .Select(i => Event(now.AddSeconds(-perStream + i), $"INFO bench event {i}")));
        }
    }

    private static void Lambda(SandboxLogStore store, string group, string stream, DateTimeOffset start, int count,
        Random random, bool failing)
    {
        var events = new List<SandboxLogEvent>();
        var t = start;
        for (var i = 0; i < count; i += 3)
        {
            var id = RequestId(random);
            events.Add(Event(t, $"START RequestId: {id} Version: $LATEST"));
            var line = failing && i % 2 == 0
                ? $"{t.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} {id} Task timed out after 3.00 seconds"
                : $"{t.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\t{id}\tINFO\tprocessed order {random.Next(10000, 99999)}";
            events.Add(Event(t.AddMilliseconds(5), line));
            var duration = failing && i % 2 == 0 ? 3000.0 : random.Next(20, 400) + 0.5;
            events.Add(Event(t.AddMilliseconds(duration), string.Create(CultureInfo.InvariantCulture,
                $"REPORT RequestId: {id}\tDuration: {duration:0.00} ms\tBilled Duration: {Math.Ceiling(duration):0} ms\tMemory Size: 128 MB\tMax Memory Used: {random.Next(60, 120)} MB")));
            t = t.AddSeconds(30);
        }
        store.Append(group, stream, events.Take(count));
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

    private static string RequestId(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString();
    }

    private static string Hex(Random random) => Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64()));
}
