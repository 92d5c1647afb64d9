using McpCloudTools.Core;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Safety;
using McpCloudTools.Core.Validation;
using McpCloudTools.Plugins.Slurm.Client;
using McpCloudTools.Sandbox;
using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Slurm.Tests;

/// <summary>
/// What the call guard knows about the Slurm tools: every text argument has a Slurm rule (or a shared one), and
/// slurm_job_wait runs its own timeout rather than the read-tool deadline.
/// </summary>
public sealed class ToolRuleTests
{
    [Fact]
    public async Task EveryTextArgumentOfEverySlurmTool_HasItsOwnRule()
    {
        await using var h = await McpHarness.StartAsync(s => s.AddPlugin<SlurmPlugin>(), new SafetyOptions { AllowWrite = true });
        var tools = h.Catalog.ToolsOf(SlurmPlugin.Type);
        tools.Should().HaveCount(8);
        var shared = new[] { "cluster_id", "cursor" };
        foreach (var tool in tools)
        {
            foreach (var argument in tool.Arguments.Items)
            {
                argument.Rule.Should().NotBeSameAs(TextRule.Default, $"{tool.Name} {argument.Name} needs a declared rule");
                if (shared.Contains(argument.Name)) argument.Rule.Should().BeSameAs(ToolParams.RuleFor(argument.Name));
            }
        }

        var submit = tools.Single(t => t.Name == "slurm_job_submit").Arguments.Items.ToDictionary(a => a.Name);
        submit["script"].Rule.Should().BeSameAs(SlurmNames.Script);
        submit["environment"].Shape.Should().Be(ArgumentShape.TextMap);
        submit["environment"].Rule.Should().BeSameAs(SlurmNames.EnvironmentValue);
        tools.Where(t => t.Arguments.Items.Any(a => a.Name == "job_id")).Select(t => t.Name).Should()
            .BeEquivalentTo("slurm_job_describe", "slurm_job_diagnose", "slurm_job_wait", "slurm_job_cancel");
        tools.SelectMany(t => t.Arguments.Items).Where(a => a.Name == "job_id").Should().OnlyContain(a => a.Rule == SlurmNames.JobId && a.Required);
    }

    [Fact]
    public async Task JobWait_RunsItsOwnTimeout_EvenPastTheReadDeadline()
    {
        await using var h = await SandboxHarness.StartAsync(s => s.AddPlugin<SlurmPlugin>(), new SandboxOptions { ClockSpeed = 0 },
            new SafetyOptions { AllowWrite = true }, callTimeout: TimeSpan.FromSeconds(1));
        (await h.CallAsync("slurm_job_submit", new { command = "sleep 3600", name = "deadline", time_minutes = 120 })).Text().Should().Contain("submitted job 5000");

        var waited = await h.CallAsync("slurm_job_wait", new { job_id = "5000", timeout_seconds = 3 });

        waited.IsError.Should().NotBe(true, waited.Text());
        waited.Text().Should().StartWith("job 5000 (deadline) is still ").And.Contain("after waiting 3s");
    }

    [Theory]
    [InlineData("1234", null)]
    [InlineData("4294967295_4000000", null)]
    [InlineData("01", "it is not a Slurm job id")]
    [InlineData("12_", "it is not a Slurm job id")]
    [InlineData("12 ", "it contains ' ' (a space) at position 3")]
    [InlineData("12345678901", "it is not a Slurm job id")]
    [InlineData("1234567890_12345678", "it is 19 characters long")]
    public void JobIdRule_FollowsSlurm(string value, string? problem)
    {
        var found = SlurmNames.JobId.Problem(value);
        if (problem is null) found.Should().BeNull();
        else found.Should().StartWith(problem);
    }

    [Theory]
    [InlineData("RUNNING", true)]
    [InlineData("running, pending", true)]
    [InlineData("RUNNING,", false)]
    [InlineData("RUN", false)]
    public void JobStateRule_TakesSlurmsStates(string value, bool valid) => (SlurmNames.JobStates.Problem(value) is null).Should().Be(valid);

    [Fact]
    public void ScriptRule_CountsBytes_NotCharacters()
    {
        var script = "#!/bin/bash\n# " + new string('é', 131_070);
        script.Length.Should().BeLessThan(SlurmScriptRule.MaxBytes);
        SlurmNames.Script.Problem(script).Should().Be("it is over 256 KiB (262,154 bytes of UTF-8)");
    }
}
