namespace McpCloudTools.Sandbox.Services.Batch;

/// <summary>
/// The default account's Batch: five compute environments (on-demand, Spot, one INVALID, one DISABLED, one small
/// and full), their queues, job definitions for each sandbox behaviour, and a day of history played through the
/// simulation itself, so every job's attempts, reasons and logs are what the live simulation would produce: jobs in
/// every state, failures of each known cause (out of memory, image pull, Spot reclaim, exit code, timeout, failed
/// dependency, cancelled, terminated), array jobs, and jobs stuck RUNNABLE for each reason. Everything that logs ended
/// 40 minutes before the start, so the newest Batch log stream is still the Logs seeder's. Size: <c>batch.jobs</c>
/// (default 24) extra history jobs.
/// </summary>
internal static class BatchSeeder
{
    private const long Minute = 60_000;

    // vCPUs and memory (MiB) of the largest instance each seeded instance-type list allows.
    private static readonly Dictionary<string, (int Vcpus, int MemoryMiB)> Sizes = new(StringComparer.Ordinal)
    {
        ["m5.large"] = (2, 8192), ["m5.xlarge"] = (4, 16384), ["m5.2xlarge"] = (8, 32768), ["c5.2xlarge"] = (8, 16384),
        ["m4.large"] = (2, 8192), ["p3.2xlarge"] = (8, 62464), ["optimal"] = (96, 786432),
    };

    private sealed record Plan(long At, string Name, string Queue, string Definition, string? DependsOn = null, int? Array = null, int? Retry = null);

    private sealed record Stop(long At, string Name, bool Terminate, string Reason);

    public static void Seed(BatchService s, SandboxScenario scenario)
    {
        if (scenario.IsEmpty)
        {
            return;
        }

        var now = s.NowMs;
        if (scenario.IsSecondRegion)
        {
            SeedSecondRegion(s, now);
            return;
        }

        var ondemand = Ce(s, "ondemand-ce", "EC2", "BEST_FIT_PROGRESSIVE", 256, ["m5.xlarge", "m5.2xlarge", "c5.2xlarge"]);
        var spot = Ce(s, "spot-ce", "SPOT", "SPOT_PRICE_CAPACITY_OPTIMIZED", 128, ["optimal"], bid: 60);
        var gpu = Ce(s, "gpu-ce", "EC2", "BEST_FIT_PROGRESSIVE", 64, ["p3.2xlarge"]);
        gpu.Status = "INVALID";
        gpu.StatusReason = "CLIENT_ERROR - The security group 'sg-0b5e3f7a91c2d4e68' does not exist " +
                           "(Service: AmazonEC2; Status Code: 400; Error Code: InvalidGroup.NotFound)";
        var legacy = Ce(s, "legacy-ce", "EC2", "BEST_FIT", 16, ["m4.large"]);
        legacy.State = "DISABLED";
        var small = Ce(s, "small-ce", "EC2", "BEST_FIT", 4, ["m5.large"]);

        Queue(s, "default-queue", 10, ondemand, spot);
        Queue(s, "spot-queue", 5, spot);
        Queue(s, "gpu-queue", 20, gpu);
        Queue(s, "legacy-queue", 1, legacy);
        Queue(s, "small-queue", 8, small);

        var ecr = Ecr(s);
        Def(s, "hello-world", 1, "public.ecr.aws/amazonlinux/amazonlinux:2023", 1, 2048, JobBehaviour.Succeed, 30, command: ["echo", "hello from Batch"]);
        Def(s, "hello-world", 2, "public.ecr.aws/amazonlinux/amazonlinux:2023", 1, 2048, JobBehaviour.Succeed, 30, command: ["echo", "hello from Batch"]);
        Def(s, "etl-nightly", 3, $"{ecr}/etl:2.4.1", 2, 4096, JobBehaviour.ExitNonZero, 120, command: ["python", "/app/etl.py", "--date", "2026-05-01"],
            environment: [("STAGE", "prod"), ("DB_PASSWORD", "s3cr3t-etl-pw")]);
        Def(s, "genome-align", 1, $"{ecr}/genomics/bwa:0.7.17", 4, 8192, JobBehaviour.OutOfMemory, 600, retry: 2);
        Def(s, "align-shards", 1, $"{ecr}/genomics/bwa:0.7.17", 2, 4096, JobBehaviour.OutOfMemory, 300, onlyIndex: 2);
        Def(s, "render-frames", 2, $"{ecr}/render:v2-missing", 2, 4096, JobBehaviour.ImagePull, 300);
        Def(s, "monte-carlo", 1, $"{ecr}/sim:1.8", 2, 4096, JobBehaviour.SpotReclaim, 900);
        Def(s, "report-builder", 1, $"{ecr}/reports:3.0", 1, 2048, JobBehaviour.Succeed, 1800, timeout: 300);
        Def(s, "long-sim", 1, $"{ecr}/sim:1.8", 2, 4096, JobBehaviour.Succeed, 8 * 3600);
        Def(s, "variant-call", 1, $"{ecr}/genomics/gatk:4.5", 2, 8192, JobBehaviour.Succeed, 600);
        Def(s, "train-gpu", 1, $"{ecr}/train:5.1", 4, 16384, JobBehaviour.Succeed, 3600, gpus: 1);

        long At(double minutes) => now + (long)(minutes * Minute);
        var plans = new List<Plan>
        {
            new(At(-360), "hello-world-1", "default-queue", "hello-world"),
            new(At(-330), "frames-batch", "default-queue", "hello-world", Array: 5),
            new(At(-300), "hello-world-2", "default-queue", "hello-world"),
            new(At(-240), "etl-nightly-0501", "default-queue", "etl-nightly"),
            new(At(-239), "etl-load-0501", "default-queue", "hello-world", DependsOn: "etl-nightly-0501"),
            new(At(-180), "genome-align-chr7", "default-queue", "genome-align"),
            new(At(-180), "long-sim-old", "default-queue", "long-sim"),
            new(At(-180), "train-gpu-7b", "gpu-queue", "train-gpu"),
            new(At(-120), "render-frames-s3", "default-queue", "render-frames"),
            new(At(-120), "monte-carlo-42", "spot-queue", "monte-carlo"),
            new(At(-120), "monte-carlo-43", "spot-queue", "monte-carlo", Retry: 2),
            new(At(-120), "align-shards", "default-queue", "align-shards", Array: 4),
            new(At(-120), "long-sim-s1", "small-queue", "long-sim"),
            new(At(-120), "legacy-report", "legacy-queue", "hello-world"),
            new(At(-90), "long-sim-s2", "small-queue", "long-sim"),
            new(At(-90), "report-builder-q2", "default-queue", "report-builder"),
            new(At(-70), "hello-world-dup", "gpu-queue", "hello-world"),
            new(At(-61), "long-sim-a", "default-queue", "long-sim"),
            new(At(-55), "postprocess-a", "default-queue", "hello-world", DependsOn: "long-sim-a"),
            new(At(-50), "long-sim-b", "spot-queue", "long-sim"),
            new(At(-50), "variant-call-na12878", "small-queue", "variant-call"),
            new(At(-45), "hello-world-waiting", "small-queue", "hello-world"),
            new(now - 20_000, "render-frames-v2", "default-queue", "render-frames"),
            new(now, "train-gpu-retry", "gpu-queue", "train-gpu"),
        };
        plans.AddRange(History(s, now, scenario.Size("batch.jobs", 24)));
        var stops = new List<Stop>
        {
            new(At(-150), "long-sim-old", Terminate: true, "Stopped by operator: superseded by long-sim-a"),
            new(At(-69), "hello-world-dup", Terminate: false, "Duplicate submission"),
        };

        Play(s, plans, stops, now);
    }

    // The second region: one environment and queue, two definitions, a few jobs (one failed).
    private static void SeedSecondRegion(BatchService s, long now)
    {
        var ondemand = Ce(s, "ondemand-ce", "EC2", "BEST_FIT_PROGRESSIVE", 64, ["m5.xlarge"]);
        Queue(s, "default-queue", 10, ondemand);
        Def(s, "hello-world", 1, "public.ecr.aws/amazonlinux/amazonlinux:2023", 1, 2048, JobBehaviour.Succeed, 30, command: ["echo", "hello from Batch"]);
        Def(s, "etl-nightly", 1, $"{Ecr(s)}/etl:2.4.1", 2, 4096, JobBehaviour.ExitNonZero, 120, command: ["python", "/app/etl.py", "--date", "2026-05-01"]);
        long At(double minutes) => now + (long)(minutes * Minute);
        Play(s, [
            new(At(-180), "hello-world-eu-1", "default-queue", "hello-world"),
            new(At(-120), "etl-nightly-eu", "default-queue", "etl-nightly"),
            new(At(-60), "hello-world-eu-2", "default-queue", "hello-world"),
        ], [], now);
    }

    private static string Ecr(BatchService s) => $"{s.Context.AccountId}.dkr.ecr.{s.Context.Region}.amazonaws.com";

    // Plays the submissions and stops in time order through the simulation itself, up to now.
    private static void Play(BatchService s, List<Plan> plans, List<Stop> stops, long now)
    {
        var byName = new Dictionary<string, SandboxJob>(StringComparer.Ordinal);
        var timeline = plans.Select(p => (p.At, Order: 0, Plan: (object)p)).Concat(stops.Select(x => (x.At, Order: 1, Plan: (object)x)))
            .OrderBy(x => x.At).ThenBy(x => x.Order).ToList();
        foreach (var (at, _, item) in timeline)
        {
            s.Simulation.Advance(at);
            switch (item)
            {
                case Plan p:
                    byName[p.Name] = Submit(s, p, at, p.DependsOn is { } d ? byName[d] : null);
                    break;
                case Stop x when x.Terminate:
                    s.Simulation.Terminate(byName[x.Name], x.Reason, at);
                    break;
                case Stop x:
                    s.Simulation.Cancel(byName[x.Name], x.Reason, at);
                    break;
            }
        }

        s.Simulation.Advance(now);
    }

    // Extra finished jobs spread over the last day, ending well before the start: mostly successes, some failures.
    private static IEnumerable<Plan> History(BatchService s, long now, int count)
    {
        var random = s.Context.CreateRandom("batch-history");
        string[] definitions = ["hello-world", "hello-world", "hello-world", "hello-world", "hello-world", "hello-world", "etl-nightly", "render-frames", "genome-align"];
        for (var i = 0; i < count; i++)
        {
            var at = now - 24 * 60 * Minute + (long)(random.NextDouble() * (22 * 60) * Minute);
            var definition = definitions[random.Next(definitions.Length)];
            yield return new Plan(at, $"{definition}-run-{i:D4}", random.Next(4) == 0 ? "spot-queue" : "default-queue", definition);
        }
    }

    private static SandboxJob Submit(BatchService s, Plan p, long at, SandboxJob? dependency)
    {
        var queue = s.FindQueue(p.Queue)!;
        var definition = s.FindDefinition(p.Definition)!;
        var id = s.NewId();
        var deps = dependency is null ? new List<SandboxDependency>() : [new SandboxDependency(dependency, null)];
        var job = s.NewJob(id, p.Name, queue, definition, at, definition.Vcpus, definition.MemoryMiB, definition.Command, definition.Environment,
            p.Retry ?? definition.RetryAttempts, definition.TimeoutSeconds, p.Array, null, null, deps);
        for (var i = 0; i < (p.Array ?? 0); i++)
        {
            job.Children.Add(s.NewJob($"{id}:{i}", p.Name, queue, definition, at, definition.Vcpus, definition.MemoryMiB, definition.Command,
                definition.Environment, job.RetryAttempts, job.TimeoutSeconds, p.Array, i, job, deps));
        }

        s.Simulation.Submit(job, at);
        return job;
    }

    private static SandboxComputeEnvironment Ce(BatchService s, string name, string type, string allocation, int max, List<string> types, int? bid = null)
    {
        var largest = types.Select(t => Sizes[t]).MaxBy(x => x.MemoryMiB);
        var ce = new SandboxComputeEnvironment
        {
            Name = name, Arn = s.Arn("compute-environment", name), ResourceType = type, Allocation = allocation, MaxvCpus = max, InstanceTypes = types,
            BidPercentage = bid, Uuid = s.NewId(), InstanceVcpus = types.Max(t => Sizes[t].Vcpus), InstanceMemoryMiB = largest.MemoryMiB,
        };
        s.Environments.Add(ce);
        return ce;
    }

    private static void Queue(BatchService s, string name, int priority, params SandboxComputeEnvironment[] environments) =>
        s.Queues.Add(new SandboxJobQueue { Name = name, Arn = s.Arn("job-queue", name), Priority = priority, Environments = [.. environments] });

    private static void Def(BatchService s, string name, int revision, string image, double vcpus, int memory, JobBehaviour behaviour, int runtime,
        List<string>? command = null, List<(string, string)>? environment = null, int retry = 1, int? timeout = null, int? gpus = null, int? onlyIndex = null) =>
        s.Definitions.Add(new SandboxJobDefinition
        {
            Name = name, Revision = revision, Arn = s.Arn("job-definition", $"{name}:{revision}"), Image = image, Vcpus = vcpus, MemoryMiB = memory,
            Behaviour = behaviour, RuntimeSeconds = runtime, Command = command ?? [], Environment = environment ?? [], RetryAttempts = retry,
            TimeoutSeconds = timeout, Gpus = gpus, OnlyIndex = onlyIndex,
        });
}
