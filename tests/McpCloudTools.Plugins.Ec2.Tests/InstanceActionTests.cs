using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Ec2.Tests;

/// <summary>Start, stop, reboot and terminate: transitions over sandbox time, EC2's dry run and denials.</summary>
public sealed class InstanceActionTests
{
    [Fact]
    public async Task Stop_ReturnsTheTransitionAndCompletesOverSandboxTime()
    {
        await using var harness = await Ec2Harness.StartAsync(allowWrite: true);
        var web = await harness.IdOfAsync("web-1");

        var text = await harness.TextAsync("ec2_instance_stop", new { instance_ids = new[] { web } });

        text.Should().Be($"StopInstances: 1 instance\n{web}: running → stopping\n"
            + "stopping → stopped takes about a minute; ec2_instance_list state=stopping,stopped follows it.");
        (await StateOfAsync(harness, "web-1")).Should().Be("stpg");
        harness.Sandbox.Clock.Advance(TimeSpan.FromSeconds(31));
        (await StateOfAsync(harness, "web-1")).Should().Be("stop");
        (await harness.TextAsync("ec2_instance_describe", new { instance_ids = new[] { web } }))
            .Should().Contain("state reason: Client.UserInitiatedShutdown: User initiated shutdown; User initiated (");
    }

    [Fact]
    public async Task Start_GoesThroughPendingToRunningAndTheChecksInitialise()
    {
        await using var harness = await Ec2Harness.StartAsync(allowWrite: true);
        var worker = await harness.IdOfAsync("worker-3");

        var text = await harness.TextAsync("ec2_instance_start", new { instance_ids = new[] { worker } });

        text.Should().StartWith($"StartInstances: 1 instance\n{worker}: stopped → pending\n");
        harness.Sandbox.Clock.Advance(TimeSpan.FromSeconds(16));
        (await StateOfAsync(harness, "worker-3")).Should().Be("run");
        (await harness.TextAsync("ec2_instance_status", new { instance_ids = new[] { worker } }))
            .Should().StartWith("1 running instances checked: impaired 0, scheduled events 0, initializing 1, ok 0");
        harness.Sandbox.Clock.Advance(TimeSpan.FromMinutes(2));
        (await harness.TextAsync("ec2_instance_status", new { instance_ids = new[] { worker } })).Should().Contain("ok 1");
    }

    [Fact]
    public async Task Terminate_ShutsDownAndTheInstanceDisappearsAnHourLater()
    {
        await using var harness = await Ec2Harness.StartAsync(allowWrite: true);
        var scratch = await harness.IdOfAsync("scratch");

        var text = await harness.TextAsync("ec2_instance_terminate", new { instance_ids = new[] { scratch } });

        text.Should().StartWith($"TerminateInstances: 1 instance\n{scratch}: running → shutting-down\n");
        harness.Sandbox.Clock.Advance(TimeSpan.FromSeconds(31));
        (await StateOfAsync(harness, "scratch")).Should().Be("term");
        (await harness.TextAsync("ec2_instance_terminate", new { instance_ids = new[] { scratch } }))
            .Should().Contain($"{scratch}: terminated → terminated (no change)");
        harness.Sandbox.Clock.Advance(TimeSpan.FromHours(1));
        (await harness.ErrorAsync("ec2_instance_describe", new { instance_ids = new[] { scratch } }))
            .Should().StartWith($"Not found: instance {scratch} does not exist");
    }

    [Fact]
    public async Task Reboot_KeepsTheInstanceRunningAndClearsAFailedInstanceCheck()
    {
        await using var harness = await Ec2Harness.StartAsync(allowWrite: true);
        var api3 = await harness.IdOfAsync("api-3");
        var old = await harness.IdOfAsync("old-reporting");

        var text = await harness.TextAsync("ec2_instance_reboot", new { instance_ids = new[] { api3, old } });

        text.Should().StartWith($"RebootInstances: 2 instances\n{api3}: running → running (reboot requested)\n"
            + $"{old}: terminated → terminated (reboot ignored)\n");
        (await harness.TextAsync("ec2_instance_status", new { instance_ids = new[] { api3 } }))
            .Should().StartWith("1 running instances checked: impaired 0, scheduled events 0, initializing 1");
    }

    [Fact]
    public async Task StateChanges_AreNoOpsOrConflictsAsOnEc2()
    {
        await using var harness = await Ec2Harness.StartAsync(allowWrite: true);
        var stopped = await harness.IdOfAsync("worker-3");
        var terminated = await harness.IdOfAsync("old-reporting");

        var again = await harness.TextAsync("ec2_instance_stop", new { instance_ids = new[] { stopped } });
        var conflict = await harness.ErrorAsync("ec2_instance_start", new { instance_ids = new[] { stopped, terminated } });

        again.Should().Contain($"{stopped}: stopped → stopped (no change)");
        conflict.Should().Be($"ec2 StartInstances conflicts with the current state of instances {stopped}, {terminated} (IncorrectInstanceState). "
            + $"AWS said: The instance '{terminated}' is not in a state from which it can be started. Describe it to see its status, "
            + "wait for the operation in progress to finish, then retry.");
        (await StateOfAsync(harness, "worker-3")).Should().Be("stop", "a failed call changes none of its instances");
    }

    [Fact]
    public async Task DryRun_AnswersWouldSucceedAndChangesNothing()
    {
        await using var harness = await Ec2Harness.StartAsync(allowWrite: true);
        var web = await harness.IdOfAsync("web-1");
        var worker = await harness.IdOfAsync("worker-3");

        var stop = await harness.TextAsync("ec2_instance_stop", new { instance_ids = new[] { web }, dry_run = true });
        var terminate = await harness.TextAsync("ec2_instance_terminate", new { instance_ids = new[] { web, worker }, dry_run = true });
        var start = await harness.TextAsync("ec2_instance_start", new { instance_ids = new[] { worker }, dry_run = true });

        stop.Should().Be($"Dry run: StopInstances on {web} would succeed (EC2 checked the ids and the permissions and answered "
            + "DryRunOperation). Nothing changed.");
        terminate.Should().StartWith($"Dry run: TerminateInstances on {web}, {worker} would succeed");
        start.Should().StartWith($"Dry run: StartInstances on {worker} would succeed");
        harness.Calls("StopInstances").Should().Be(1, "the dry run went to EC2");
        harness.Sandbox.Clock.Advance(TimeSpan.FromMinutes(5));
        (await StateOfAsync(harness, "web-1")).Should().Be("run");
        (await StateOfAsync(harness, "worker-3")).Should().Be("stop");
    }

    [Fact]
    public async Task DryRun_DeniedByATagBasedPolicySaysWhoLacksWhichPermission()
    {
        await using var harness = await Ec2Harness.StartAsync(allowWrite: true);
        var db = await harness.IdOfAsync("db-1");

        var result = await harness.CallAsync("ec2_instance_stop", new { instance_ids = new[] { db }, dry_run = true });

        result.IsError.Should().NotBe(true, "the dry run answered the question");
        result.Text().Should().StartWith("Dry run: StopInstances would be DENIED. Nothing changed. Access denied: "
                + $"arn:aws:iam::123456789012:user/sandbox is not allowed to call ec2:StopInstances on instance {db} in account 123456789012, "
                + "region us-east-1 (UnauthorizedOperation).")
            .And.Contain("with an explicit deny in an identity-based policy (EC2 also sent an encoded authorization message, "
                + "readable with `aws sts decode-authorization-message`).")
            .And.NotContain("Encoded authorization failure message:");
    }

    [Fact]
    public async Task Denied_ARealCallIsAnErrorAndDeniesAreConfigurable()
    {
        await using var harness = await Ec2Harness.StartAsync(allowWrite: true);
        var db = await harness.IdOfAsync("db-1");
        var web = await harness.IdOfAsync("web-1");
        harness.Ec2().Deny("RebootInstances");

        var terminate = await harness.ErrorAsync("ec2_instance_terminate", new { instance_ids = new[] { db } });
        var reboot = await harness.ErrorAsync("ec2_instance_reboot", new { instance_ids = new[] { web } });
        harness.Ec2().AllowAll();
        var allowed = await harness.TextAsync("ec2_instance_reboot", new { instance_ids = new[] { web } });

        terminate.Should().StartWith($"Access denied: arn:aws:iam::123456789012:user/sandbox is not allowed to call ec2:TerminateInstances on instance {db}")
            .And.EndWith("Grant that action to this identity in IAM, or configure a profile or role_arn that has it.");
        reboot.Should().StartWith("Access denied: arn:aws:iam::123456789012:user/sandbox is not allowed to call ec2:RebootInstances");
        allowed.Should().Contain($"{web}: running → running (reboot requested)");
        (await StateOfAsync(harness, "db-1")).Should().Be("run");
    }

    [Fact]
    public async Task UnknownAndMalformedIds_OnWriteToolsAreActionable()
    {
        await using var harness = await Ec2Harness.StartAsync(allowWrite: true);

        var unknown = await harness.ErrorAsync("ec2_instance_stop", new { instance_ids = new[] { "i-0123456789abcdef0" }, dry_run = true });
        var malformed = await harness.ErrorAsync("ec2_instance_terminate", new { instance_ids = new[] { "web-1" } });

        unknown.Should().StartWith("Not found: instance i-0123456789abcdef0 does not exist in region us-east-1 "
            + "(ec2 StopInstances, InvalidInstanceID.NotFound)").And.Contain("ec2_instance_list");
        malformed.Should().StartWith("Invalid instance_ids[0] 'web-1': it is not an instance id.");
    }

    [Fact]
    public async Task Listing_LaterPagesComeFromTheListingReadFirstWhileInstancesChange()
    {
        await using var harness = await Ec2Harness.StartAsync(allowWrite: true);
        var first = await harness.TextAsync("ec2_instance_list", new { limit = 10 });
        Ec2Harness.Rows(first).Should().NotContain(r => r.Name == "web-1", "web-1 sorts onto a later page");
        await harness.TextAsync("ec2_instance_stop", new { instance_ids = new[] { await harness.IdOfAsync("web-1") } });
        var callsBefore = harness.Calls("DescribeInstances");

        var second = await harness.TextAsync("ec2_instance_list", new { limit = 10, cursor = Ec2Harness.Cursor(first) });
        var third = await harness.TextAsync("ec2_instance_list", new { limit = 10, cursor = Ec2Harness.Cursor(second) });

        harness.Calls("DescribeInstances").Should().Be(callsBefore, "later pages are served from the listing");
        var rows = Ec2Harness.Rows(first).Concat(Ec2Harness.Rows(second)).Concat(Ec2Harness.Rows(third)).ToList();
        rows.Select(r => r.Id).Should().HaveCount(25).And.OnlyHaveUniqueItems();
        rows.Single(r => r.Name == "web-1").State.Should().Be("run", "the listing shows the state when it was read");
        third.Should().Contain("5 shown; end of list (25 in all)").And.MatchRegex("listing from [0-9]+s ago$");
        (await StateOfAsync(harness, "web-1")).Should().Be("stpg", "a fresh listing reads EC2 again");
    }

    private static async Task<string> StateOfAsync(SandboxHarness harness, string name) =>
        Ec2Harness.Rows(await harness.TextAsync("ec2_instance_list", new { name })).Single(r => r.Name == name).State;
}
