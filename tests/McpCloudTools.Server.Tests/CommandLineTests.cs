using Microsoft.Extensions.Configuration;

namespace McpCloudTools.Server.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void Flags_BecomeSettings()
    {
        var cl = CommandLine.Parse(["--transport", "http", "--urls=http://127.0.0.1:9000", "--allow-write", "--no-sse", "--allowed-origin", "https://a", "--allowed-origin", "https://b"]);
        cl.Command.Should().Be("serve");
        cl.Settings.Should().Contain(new Dictionary<string, string?>
        {
            ["Transport"] = "http", ["Urls"] = "http://127.0.0.1:9000", ["AllowWrite"] = "true", ["LegacySse"] = "false",
            ["AllowedOrigins:0"] = "https://a", ["AllowedOrigins:1"] = "https://b",
        });
    }

    [Fact]
    public void HardeningFlags_BecomeSettings_TokensAndHostsRepeatable()
    {
        var cl = CommandLine.Parse(["--api-token", "a", "--api-token", "b", "--api-token=c", "--allowed-host", "mcp.example.com",
            "--allowed-host", "x.example:8443", "--max-request-bytes", "1048576", "--max-sessions", "50", "--max-sessions-per-client", "5",
            "--session-idle-seconds", "600"]);

        cl.Settings.Should().Contain(new Dictionary<string, string?>
        {
            ["ApiToken"] = "a", ["ApiTokens:0"] = "b", ["ApiTokens:1"] = "c",
            ["AllowedHosts:0"] = "mcp.example.com", ["AllowedHosts:1"] = "x.example:8443",
            ["MaxRequestBytes"] = "1048576", ["MaxSessions"] = "50", ["MaxSessionsPerClient"] = "5", ["SessionIdleSeconds"] = "600",
        });
    }

    [Fact]
    public void Tokens_AreTheFirstAndTheFurtherOnes_WithoutBlanksOrRepeats() =>
        new ServerOptions { ApiToken = "a", ApiTokens = ["b", "", "a"] }.Tokens.Should().Equal("a", "b");

    [Fact]
    public void SandboxCommand_HandsItsArgumentsToTheSandbox()
    {
        var cl = CommandLine.Parse(["sandbox", "--port", "4566", "--size", "ec2.instances=10000"]);
        cl.Command.Should().Be("sandbox");
        cl.SandboxArgs.Should().Equal("--port", "4566", "--size", "ec2.instances=10000");
    }

    [Fact]
    public void SandboxSizes_CanBeGivenWithTheInProcessSandbox()
    {
        var cl = CommandLine.Parse(["--sandbox", "--size", "eks.pods=2000", "--scenario=default"]);
        cl.Settings["Sandbox"].Should().Be("true");
        cl.SandboxArgs.Should().Equal("--size", "eks.pods=2000", "--scenario", "default");
    }

    [Theory]
    [InlineData("Unknown option '--bogus'. See --help.", "--bogus")]
    [InlineData("--transport takes stdio or http, not 'carrier-pigeon'.", "--transport", "carrier-pigeon")]
    [InlineData("--urls needs a value.", "--urls")]
    [InlineData("Unknown command 'launch'. Commands: sandbox; or flags only to serve MCP. See --help.", "launch")]
    public void BadArguments_SayWhatIsWrong(string message, params string[] args)
    {
        var act = () => CommandLine.Parse(args);
        act.Should().Throw<FormatException>().Which.Message.Should().Be(message);
    }

    [Fact]
    public void Help_WinsOverEverythingElse() => CommandLine.Parse(["--allow-write", "--help"]).Command.Should().Be("help");

    [Fact]
    public void SandboxHelp_IsTheSandboxUsage()
    {
        var help = CommandLine.Parse(["sandbox", "--help"]);

        help.Command.Should().Be("help");
        help.HelpText.Should().StartWith("usage: mcp-cloud-tools sandbox").And.Contain("--clock-speed");
        CommandLine.Parse(["--help"]).HelpText.Should().Contain("--seed N, --clock-speed X");
    }

    [Fact]
    public void UnknownSettings_AreNamedUpToAFew_EachCutShort_ThenCounted()
    {
        var settings = new Dictionary<string, string?> { ["McpCloudTools:AllowWrite"] = "true", ["McpCloudTools:" + new string('X', 5000)] = "1" };
        for (var i = 0; i < 9; i++)
        {
            settings[$"McpCloudTools:Unknown{i}"] = "1";
        }

        var section = new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(ServerOptions.Section);
        var problem = ServerOptions.UnknownKeyProblem(section)!;

        problem.Should().StartWith("No such settings: McpCloudTools:Unknown0 (MCPCLOUDTOOLS__UNKNOWN0); ")
            .And.Contain("; and 5 more. Check the spelling").And.NotContain("Unknown5");
        problem.Length.Should().BeLessThan(600, "ten unknown keys, one of 5,000 characters, still make one readable line");
        var longKey = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["McpCloudTools:" + new string('X', 5000)] = "1" })
            .Build().GetSection(ServerOptions.Section);
        ServerOptions.UnknownKeyProblem(longKey).Should().Be($"No such setting: McpCloudTools:{new string('X', 60)}… (5000 characters). " +
            "Check the spelling in appsettings.json or the MCPCLOUDTOOLS__ variables; a setting not recognised would be ignored.");
    }
}
