using System.Collections.Immutable;
using System.Globalization;

namespace McpCloudTools.Sandbox.Services.Lambda;

/// <summary>
/// The default account's functions. Behaviour follows the handler name (see <see cref="LambdaBehaviour"/>):
/// <c>orders-api</c> echoes (versions, a weighted alias, an SQS mapping), <c>thumbnail-worker</c> runs past its 3 s
/// timeout, <c>payments-webhook</c> fails (VPC, custom log group, reserved concurrency, a stream mapping whose last
/// processing failed), <c>report-generator</c> is slow, <c>audit-logger</c> prints logs, <c>legacy-cron</c> is
/// Inactive on a deprecated runtime and <c>image-resizer</c> Failed. No log group is created here: the Logs seeder owns
/// the two that exist, and the others appear on first invocation as they do in AWS.
/// Size: <c>lambda.functions</c> (default 7; 2 in the second region) trims the list or adds echo functions
/// <c>fn-00008</c>… for benchmarks. <see cref="History"/> writes the earlier invocations' logs of the two functions
/// whose log groups exist.
/// </summary>
internal static class LambdaSeeder
{
    /// <summary>Functions in the second region: <c>orders-api</c> and <c>thumbnail-worker</c>.</summary>
    public const int SecondRegionFunctions = 2;

    private static readonly string[] BenchRuntimes = ["python3.12", "nodejs20.x", "java21", "python3.11", "nodejs22.x", "dotnet8", "provided.al2023"];

    public static List<FunctionState> Seed(SandboxContext context, SandboxScenario scenario, List<EventSourceMappingState> mappings)
    {
        var functions = new List<FunctionState>();
        if (scenario.IsEmpty) return functions;
        var random = context.CreateRandom("lambda");
        var now = context.Clock.UtcNow;
        var account = context.AccountId;
        var region = context.Region;
        string Role(string name) => $"arn:aws:iam::{account}:role/{name}-role";
        FunctionState Add(FunctionConfig config)
        {
            var state = new FunctionState(config) { CodeId = Hex(random) };
            functions.Add(state);
            return state;
        }
        FunctionConfig Config(string name, string? runtime, string? handler, int memory, int timeout, long codeSize, int daysAgo) => new()
        {
            Name = name, Runtime = runtime, Handler = handler, MemorySize = memory, Timeout = timeout, CodeSize = codeSize,
            Role = Role(name), LastModified = now.AddDays(-daysAgo).AddMinutes(-random.Next(0, 600)),
            CodeSha256 = Sha(random), RevisionId = Guid(random),
        };

        var orders = Add(Config("orders-api", "python3.12", "echo.handler", 256, 10, 48_213, 3) with
        {
            Description = "Orders REST API",
            Environment = Env(("TABLE_NAME", "orders"), ("API_KEY", "sk_live_51HxOrdersSecretValue"), ("LOG_LEVEL", "INFO")),
        });
        orders.Tags["team"] = "checkout";
        orders.Tags["env"] = "prod";
        for (var v = 1; v <= 3; v++)
        {
            orders.Versions.Add(orders.Latest with
            {
                Version = v.ToString(CultureInfo.InvariantCulture), Description = $"release {v}",
                LastModified = now.AddDays(-30 + v * 9), CodeSha256 = Sha(random), RevisionId = Guid(random),
            });
        }
        orders.Aliases["live"] = new("live", "2", "production traffic, canary on 3",
            ImmutableSortedDictionary<string, double>.Empty.Add("3", 0.1), Guid(random));
        orders.Aliases["dev"] = new("dev", "$LATEST", "", ImmutableSortedDictionary<string, double>.Empty, Guid(random));
        mappings.Add(new(Guid(random), "orders-api", $"arn:aws:sqs:{region}:{account}:orders-queue", "Enabled",
            "USER_INITIATED", 10, now.AddDays(-20)) { MaximumBatchingWindowInSeconds = 0 });

        var thumbnails = Add(Config("thumbnail-worker", "nodejs20.x", "timeout.handler", 1024, 3, 2_912_004, 12) with
        {
            Architecture = "arm64", Environment = Env(("BUCKET", "thumbnails"), ("SIZES", "128,512")),
        });
        thumbnails.Tags["team"] = "media";
        mappings.Add(new(Guid(random), "thumbnail-worker", $"arn:aws:sqs:{region}:{account}:thumbnail-jobs", "Enabled",
            "USER_INITIATED", 5, now.AddDays(-12)) { MaximumBatchingWindowInSeconds = 1, FunctionResponseTypes = ["ReportBatchItemFailures"] });

        var payments = Add(Config("payments-webhook", "python3.12", "fail.handler", 512, 15, 731_120, 1) with
        {
            Description = "Stripe webhook receiver",
            Vpc = new($"vpc-{Hex(random)[..8]}", [$"subnet-{Hex(random)[..8]}", $"subnet-{Hex(random)[..8]}"], [$"sg-{Hex(random)[..8]}"]),
            Environment = Env(("STRIPE_SECRET_KEY", "sk_live_51HxPaymentsSecret"), ("DB_PASSWORD", "hunter2-payments"), ("DB_HOST", "payments.cluster-abc.us-east-1.rds.amazonaws.com")),
            TracingMode = "Active", LogGroup = "/custom/payments-webhook",
            DeadLetterTarget = $"arn:aws:sqs:{region}:{account}:payments-dlq",
        });
        payments.ReservedConcurrency = 5;
        payments.Tags["team"] = "payments";
        payments.Tags["pci"] = "true";
        for (var v = 1; v <= 2; v++)
        {
            payments.Versions.Add(payments.Latest with
            {
                Version = v.ToString(CultureInfo.InvariantCulture), LastModified = now.AddDays(-10 + v * 4),
                CodeSha256 = Sha(random), RevisionId = Guid(random),
            });
        }
        payments.Aliases["prod"] = new("prod", "1", "stable, 25% on 2",
            ImmutableSortedDictionary<string, double>.Empty.Add("2", 0.25), Guid(random));
        mappings.Add(new(Guid(random), "payments-webhook",
            $"arn:aws:dynamodb:{region}:{account}:table/payments/stream/2026-01-05T10:00:00.000", "Enabled", "USER_INITIATED", 100,
            now.AddDays(-1))
        {
            StartingPosition = "LATEST", LastProcessingResult = "PROBLEM: Function call failed", ParallelizationFactor = 1,
            MaximumBatchingWindowInSeconds = 0, MaximumRetryAttempts = 3, MaximumRecordAgeInSeconds = 3600,
            BisectBatchOnFunctionError = true, OnFailureDestination = $"arn:aws:sqs:{region}:{account}:payments-dlq",
        });

        Add(Config("report-generator", "java21", "com.example.SlowReport::handleRequest", 2048, 60, 18_400_112, 40) with
        {
            Description = "Nightly PDF reports", EphemeralStorage = 2048, SnapStartApplyOn = "PublishedVersions",
            Layers = [$"arn:aws:lambda:{region}:{account}:layer:otel-java:4"], Environment = Env(("REPORT_BUCKET", "reports")),
        });

        Add(Config("audit-logger", "nodejs22.x", "logs.handler", 128, 30, 5_120, 7) with { Description = "Audit trail writer" });
        mappings.Add(new(Guid(random), "audit-logger", $"arn:aws:kinesis:{region}:{account}:stream/audit-events", "Enabled",
            "USER_INITIATED", 500, now.AddDays(-7))
        {
            StartingPosition = "TRIM_HORIZON", LastProcessingResult = "OK", ParallelizationFactor = 2, MaximumBatchingWindowInSeconds = 5,
        });

        Add(Config("legacy-cron", "python3.8", "cron.handler", 128, 60, 2_210, 400) with
        {
            State = "Inactive", StateReasonCode = "Idle", StateReason = "The function is inactive because it has not been invoked recently.",
        });
        mappings.Add(new(Guid(random), "legacy-cron", $"arn:aws:sqs:{region}:{account}:legacy-jobs", "Disabled",
            "USER_INITIATED", 10, now.AddDays(-400)));

        Add(Config("image-resizer", null, null, 3008, 900, 0, 2) with
        {
            PackageType = "Image", ImageUri = $"{account}.dkr.ecr.{region}.amazonaws.com/image-resizer:v7",
            State = "Failed", StateReasonCode = "ImageAccessDenied",
            StateReason = "Lambda does not have permission to access the ECR image. Check the ECR permissions.",
            LastUpdateStatus = "Failed", LastUpdateStatusReasonCode = "ImageAccessDenied",
            LastUpdateStatusReason = "Lambda does not have permission to access the ECR image. Check the ECR permissions.",
        });

        var total = scenario.Size("lambda.functions", scenario.IsSecondRegion ? SecondRegionFunctions : functions.Count);
        if (total < functions.Count)
        {
            var kept = functions.Take(total).Select(f => f.Latest.Name).ToHashSet(StringComparer.Ordinal);
            functions.RemoveRange(total, functions.Count - total);
            mappings.RemoveAll(m => !kept.Contains(m.FunctionName));
        }
        for (var i = functions.Count + 1; i <= total; i++)
        {
            var runtime = BenchRuntimes[i % BenchRuntimes.Length];
            Add(Config($"fn-{i:D5}", runtime, "echo.handler", 128 << (i % 4), 3 + i % 30, 1_000 + random.Next(1, 5_000_000), i % 365));
        }
        return functions;
    }

    /// <summary>
    /// The logs of earlier invocations in the hour before the start, in the same START/END/REPORT form as live ones
    /// (the function's own memory size and timeout): <c>orders-api</c> healthy in two streams, <c>thumbnail-worker</c>
    /// timing out every other call. <c>logs.events_per_stream</c> (default 20) events per stream.
    /// </summary>
    public static void History(SandboxContext context, SandboxScenario scenario, IEnumerable<FunctionState> functions)
    {
        if (scenario.IsEmpty) return;
        var random = context.CreateRandom("lambda-history");
        var now = context.Clock.UtcNow;
        var perStream = scenario.Size("logs.events_per_stream", 20);
        var day = now.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture);
        foreach (var function in functions)
        {
            var config = function.Latest;
            var starts = config.Name switch
            {
                "orders-api" => new[] { -50.0, -30.0 },
                "thumbnail-worker" => [-40.0],
                _ => [],
            };
            foreach (var minutes in starts)
                HistoryStream(context, config, $"{day}/[$LATEST]{Hex(random)}", now.AddMinutes(minutes), perStream, random, failing: config.Name == "thumbnail-worker");
        }
    }

    private static void HistoryStream(SandboxContext context, FunctionConfig config, string stream, DateTimeOffset start, int count,
        Random random, bool failing)
    {
        var events = new List<SandboxLogEvent>();
        var t = start;
        for (var n = 0; events.Count < count; n++)
        {
            var id = Guid(random);
            var timedOut = failing && n % 2 == 0;
            var at = TimeSpan.FromMilliseconds(5);
            var stamp = (t + at).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            var line = timedOut
                ? string.Create(CultureInfo.InvariantCulture, $"{stamp} {id} Task timed out after {config.Timeout:0.00} seconds")
                : $"{stamp}\t{id}\tINFO\tprocessed order {random.Next(10000, 99999)}";
            var duration = timedOut ? TimeSpan.FromSeconds(config.Timeout) : TimeSpan.FromMilliseconds(random.Next(20, 400) + 0.5);
            var outcome = new InvocationOutcome(duration, [], timedOut ? "Unhandled" : null, [(at, line)], timedOut);
            var used = Math.Min(config.MemorySize, random.Next(60, 120));
            var time = t;
            events.AddRange(LambdaBehaviour.Platform(config, id, outcome, null, used).Select(l =>
                new SandboxLogEvent((time + l.Offset).ToUnixTimeMilliseconds(), l.Message, (time + l.Offset).ToUnixTimeMilliseconds() + 150)));
            t = t.AddSeconds(30);
        }
        context.Logs.Append(config.EffectiveLogGroup, stream, events.Take(count));
    }

    private static ImmutableSortedDictionary<string, string> Env(params (string Name, string Value)[] variables) =>
        variables.ToImmutableSortedDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);

    internal static string Guid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new System.Guid(bytes).ToString();
    }

    private static string Sha(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return Convert.ToBase64String(bytes);
    }

    internal static string Hex(Random random) => Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64()));
}
