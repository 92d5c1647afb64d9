using System.Text.Json;
using McpCloudTools.Core;
using McpCloudTools.Core.Safety;
using McpCloudTools.Sandbox;
using McpCloudTools.Testing;
using ModelContextProtocol.Protocol;

namespace McpCloudTools.Plugins.Ec2.Tests;

/// <summary>
/// Confirmation before destructive actions, through the official MCP client against the sandbox: a client whose user
/// accepts, one who declines, one who answers no, and a client without elicitation support under both fallbacks; on
/// both protocol revisions (2025-11-25 sessions and 2026-07-28, where the SDK carries the question as an input-required result).
/// </summary>
public sealed class ConfirmationTests
{
    private static readonly string[] Revisions = ["2025-11-25", "2026-07-28"];

    public static TheoryData<string> Protocols => [.. Revisions];

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Terminate_AsksThePersonFirst_ShowingTheTargetsAndTheDryRun_AndRunsWhenConfirmed(string protocol)
    {
        var asked = new List<ElicitRequestParams>();
        await using var harness = await StartAsync(protocol, new SafetyOptions { AllowWrite = true }, request =>
        {
            asked.Add(request!);
            return Accept(true);
        });
        var scratch = await harness.IdOfAsync("scratch");

        var text = await harness.TextAsync("ec2_instance_terminate", new { instance_ids = new[] { scratch } });

        text.Should().StartWith($"TerminateInstances: 1 instance\n{scratch}: running → shutting-down\n");
        asked.Should().ContainSingle();
        asked[0].Message.Should().StartWith("ec2_instance_terminate is destructive: ")
            .And.Contain($"It will run with instance_ids=[\"{scratch}\"].")
            .And.Contain($"Dry run: Dry run: TerminateInstances on {scratch} would succeed").And.EndWith("Run it?");
        asked[0].RequestedSchema!.Required.Should().Equal("confirm");
        harness.Calls("TerminateInstances").Should().Be(2, "the dry run shown to the person, then the termination");
    }

    [Theory]
    [InlineData("2025-11-25", "decline", "declined")]
    [InlineData("2026-07-28", "decline", "declined")]
    [InlineData("2025-11-25", "cancel", "cancelled the confirmation")]
    [InlineData("2025-11-25", "accept", "answered no")]
    public async Task Terminate_DeclinedByThePerson_ChangesNothingAndSaysSo(string protocol, string action, string said)
    {
        await using var harness = await StartAsync(protocol, new SafetyOptions { AllowWrite = true },
            _ => action == "accept" ? Accept(false) : new ElicitResult { Action = action });
        var scratch = await harness.IdOfAsync("scratch");

        var result = await harness.CallAsync("ec2_instance_terminate", new { instance_ids = new[] { scratch } });

        result.IsError.Should().NotBe(true, "declining is an answer, not a failure");
        result.Text().Should().Be($"Not done: the user {said} when asked to confirm ec2_instance_terminate with instance_ids=[\"{scratch}\"]; " +
            "nothing was changed. Do not retry unless the user asks for it.");
        harness.Sandbox.Clock.Advance(TimeSpan.FromMinutes(5));
        (await StateOfAsync(harness, "scratch")).Should().Be("run");
        harness.Calls("TerminateInstances").Should().Be(1, "only the dry run reached EC2");
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task AClientThatCannotAsk_GetsTheFallback_AllowByDefault(string protocol)
    {
        await using var harness = await StartAsync(protocol, new SafetyOptions { AllowWrite = true }, elicit: null);
        var scratch = await harness.IdOfAsync("scratch");

        var text = await harness.TextAsync("ec2_instance_terminate", new { instance_ids = new[] { scratch } });

        text.Should().StartWith($"TerminateInstances: 1 instance\n{scratch}: running → shutting-down");
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task AClientThatCannotAsk_IsRefusedUnderFallbackDeny_AndNothingChanges(string protocol)
    {
        await using var harness = await StartAsync(protocol, new SafetyOptions { AllowWrite = true, ConfirmFallbackAllows = false }, elicit: null);
        var scratch = await harness.IdOfAsync("scratch");

        var result = await harness.CallAsync("ec2_instance_terminate", new { instance_ids = new[] { scratch } });

        result.IsError.Should().BeTrue();
        result.Text().Should().StartWith("Not done: ec2_instance_terminate needs a person's confirmation on this server (--confirm), and this client " +
            "cannot ask for one").And.Contain("--confirm-fallback allow");
        harness.Calls("TerminateInstances").Should().Be(0);
        (await StateOfAsync(harness, "scratch")).Should().Be("run");
    }

    [Fact]
    public async Task ADryRunCall_AndANonDestructiveTool_AreNotAskedAbout_UnlessConfirmIsWrite()
    {
        var asked = 0;
        await using (var harness = await StartAsync("2025-11-25", new SafetyOptions { AllowWrite = true }, _ => { asked++; return Accept(true); }))
        {
            var scratch = await harness.IdOfAsync("scratch");
            await harness.TextAsync("ec2_instance_terminate", new { instance_ids = new[] { scratch }, dry_run = true });
            await harness.TextAsync("ec2_instance_stop", new { instance_ids = new[] { scratch } });
            asked.Should().Be(0, "a dry run changes nothing, and stop is not destructive");
        }

        await using (var harness = await StartAsync("2025-11-25", new SafetyOptions { AllowWrite = true, Confirm = ConfirmLevel.Write }, _ => { asked++; return Accept(true); }))
        {
            await harness.TextAsync("ec2_instance_stop", new { instance_ids = new[] { await harness.IdOfAsync("scratch") } });
            asked.Should().Be(1, "--confirm write asks before every change");
        }

        await using (var harness = await StartAsync("2025-11-25", new SafetyOptions { AllowWrite = true, Confirm = ConfirmLevel.None }, _ => { asked++; return Accept(false); }))
        {
            await harness.TextAsync("ec2_instance_terminate", new { instance_ids = new[] { await harness.IdOfAsync("scratch") } });
            asked.Should().Be(1, "--confirm none never asks");
        }
    }

    [Fact]
    public async Task AnInstanceThatDoesNotExist_IsNotAskedAbout_TheDryRunsErrorAnswers()
    {
        var asked = 0;
        await using var harness = await StartAsync("2025-11-25", new SafetyOptions { AllowWrite = true }, _ => { asked++; return Accept(true); });

        var error = await harness.ErrorAsync("ec2_instance_terminate", new { instance_ids = new[] { "i-0123456789abcdef0" } });

        error.Should().Contain("i-0123456789abcdef0");
        asked.Should().Be(0);
    }

    private static ElicitResult Accept(bool confirm) => new()
    {
        Action = "accept",
        Content = new Dictionary<string, JsonElement> { ["confirm"] = JsonSerializer.SerializeToElement(confirm) },
    };

    private static Task<SandboxHarness> StartAsync(string protocol, SafetyOptions safety, Func<ElicitRequestParams?, ElicitResult>? elicit) =>
        SandboxHarness.StartAsync(s => s.AddPlugin<Ec2Plugin>(), new SandboxOptions { ClockSpeed = 0 }, safety, protocolVersion: protocol, elicit: elicit);

    private static async Task<string> StateOfAsync(SandboxHarness harness, string name) =>
        Ec2Harness.Rows(await harness.TextAsync("ec2_instance_list", new { name })).Single(r => r.Name == name).State;
}
