using McpCloudTools.Plugins.Batch.Client;
using McpCloudTools.Plugins.Batch.Services;

namespace McpCloudTools.Plugins.Batch.Tests;

/// <summary>Pure rules: instance sizes, queue capacity verdicts, submit validation, since parsing.</summary>
public sealed class CapacityRulesTests
{
    private static ComputeEnvironmentDetail Ce(string name, string type = "EC2", int max = 64, int desired = 0, string[]? types = null, string state = "ENABLED",
        string status = "VALID") => new()
    {
        ComputeEnvironmentName = name, ComputeEnvironmentArn = "arn:" + name, State = state, Status = status,
        ComputeResources = new ComputeResource { Type = type, MaxvCpus = max, DesiredvCpus = desired, InstanceTypes = types is null ? null : [.. types] },
    };

    private static JobQueueDetail Queue(params ComputeEnvironmentDetail[] ces) => new()
    {
        JobQueueName = "q", State = "ENABLED", Status = "VALID",
        ComputeEnvironmentOrder = [.. ces.Select((c, i) => new ComputeEnvironmentOrder { Order = i + 1, ComputeEnvironment = c.ComputeEnvironmentArn })],
    };

    [Theory]
    [InlineData("m5.2xlarge", 8, 32768)]
    [InlineData("m5", 96, 393216)]
    [InlineData("r5.metal", 96, 786432)]
    [InlineData("c6i.large", 2, 4096)]
    public void InstanceSizes_AreKnownByTypeAndFamily(string type, int vcpus, int memory)
    {
        var size = InstanceTypes.Largest(type)!.Value;

        (size.Vcpus, size.MemoryMiB).Should().Be((vcpus, memory));
    }

    [Fact]
    public void UnknownInstanceTypes_DrawNoConclusion()
    {
        InstanceTypes.Largest("zz9.huge").Should().BeNull();
        InstanceTypes.Fits(["zz9.huge"], new JobNeeds(4, 999_999, null)).Should().BeNull();
        InstanceTypes.Fits(["m5.large"], new JobNeeds(2, 8192, null)).Should().BeFalse("ECS keeps part of the 8 GiB");
        InstanceTypes.Fits(["m5.large"], new JobNeeds(2, 7000, null)).Should().BeTrue();
    }

    [Fact]
    public void Capacity_JobAboveMaxVcpus_IsBlocked()
    {
        var v = CapacityCheck.Check(Queue(Ce("ce", max: 4, types: ["optimal"])), [Ce("ce", max: 4, types: ["optimal"])], new JobNeeds(8, 1024, null));

        v.State.Should().Be(CapacityState.Blocked);
        v.Cause.Should().Contain("ce: max 4 vCPUs");
    }

    [Fact]
    public void Capacity_Fargate_HasItsOwnLimits()
    {
        var fargate = Ce("f", type: "FARGATE", max: 256);

        CapacityCheck.Check(Queue(fargate), [fargate], new JobNeeds(4, 8192, null)).State.Should().Be(CapacityState.Ok);
        CapacityCheck.Check(Queue(fargate), [fargate], new JobNeeds(32, 8192, null)).Cause.Should().Contain("Fargate tasks are at most 16 vCPU and 120 GiB");
    }

    [Fact]
    public void Capacity_OneFullAndOneFreeEnvironment_IsOk()
    {
        var full = Ce("full", max: 4, desired: 4, types: ["m5.large"]);
        var free = Ce("free", max: 64, desired: 2, types: ["m5.large"]);

        var v = CapacityCheck.Check(Queue(full, free), [full, free], new JobNeeds(2, 1024, null));

        v.State.Should().Be(CapacityState.Ok);
        v.Cause.Should().StartWith("free has room");
    }

    [Fact]
    public void Capacity_DisabledQueue_IsBlockedWhateverItsEnvironments()
    {
        var queue = Queue(Ce("ce", types: ["m5.large"]));
        queue.State = "DISABLED";

        CapacityCheck.Check(queue, [Ce("ce", types: ["m5.large"])], default).Cause.Should().Be("job queue q is DISABLED, so it dispatches no jobs");
    }

    [Theory]
    [InlineData("10m", -600)]
    [InlineData("90s", -90)]
    [InlineData("2h", -7200)]
    [InlineData("1d", -86400)]
    public void Since_Durations_CountBackFromTheReference(string since, int seconds)
    {
        var reference = DateTimeOffset.Parse("2026-05-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

        JobLogService.Since(since, reference).Should().Be(reference.AddSeconds(seconds));
    }

    [Fact]
    public void Since_AcceptsIsoTimes_AndExplainsBadValues()
    {
        JobLogService.Since("2026-05-01T10:00:00Z", DateTimeOffset.UnixEpoch).Should().Be(DateTimeOffset.Parse("2026-05-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var bad = () => JobLogService.Since("yesterday", DateTimeOffset.UnixEpoch);
        bad.Should().Throw<Core.ToolException>().WithMessage("since 'yesterday' is neither a duration (30s, 10m, 2h, 1d) nor a time*");
    }

    [Fact]
    public void SubmitRequest_CarriesOverridesAsResourceRequirements_AndDependencyTypes()
    {
        var request = SubmitService.Build(new SubmitArguments("job-1", "def:2", null, ["python", "x.py"], new() { ["A"] = "1" }, 0.5, 2048, 4,
            ["11111111-1111-1111-1111-111111111111=N_TO_N", "SEQUENTIAL"], 3, 600));

        request.ContainerOverrides!.ResourceRequirements!.Select(r => (r.Type, r.Value)).Should().Equal(("VCPU", "0.5"), ("MEMORY", "2048"));
        request.ContainerOverrides.Command.Should().Equal("python", "x.py");
        request.DependsOn!.Select(d => (d.JobId, d.Type)).Should().Equal(("11111111-1111-1111-1111-111111111111", "N_TO_N"), (null, "SEQUENTIAL"));
        request.ArrayProperties!.Size.Should().Be(4);
        request.RetryStrategy!.Attempts.Should().Be(3);
        request.Timeout!.AttemptDurationSeconds.Should().Be(600);
    }

    [Theory]
    [InlineData(1, null, null, "array_size must be between 2 and 10000")]
    [InlineData(null, 11, null, "retry_attempts must be between 1 and 10")]
    [InlineData(null, null, "AWS_BATCH_JOB_ID", "Environment names starting with AWS_BATCH are reserved")]
    public void SubmitRequest_RejectsValuesBatchWouldRefuse(int? arraySize, int? retries, string? env, string message)
    {
        var build = () => SubmitService.Build(new SubmitArguments("job", "def", null, null, env is null ? null : new() { [env] = "x" }, null, null, arraySize,
            null, retries, null));

        build.Should().Throw<Core.ToolException>().WithMessage($"*{message}*");
    }
}
