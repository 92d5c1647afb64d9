using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Text.Json;
using McpCloudTools.Testing;
using ModelContextProtocol.Client;

namespace McpCloudTools.Server.Tests;

/// <summary>The server ships as a .NET tool that declares itself an MCP server and runs with <c>dnx</c>.</summary>
public sealed class PackagingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mct-pack-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "McpCloudTools.sln")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("repository root not found");
        }

        return dir;
    }

    [Fact]
    public void ServerJson_VersionMatchesTheBuild()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoRoot(), "src", "McpCloudTools.Server", ".mcp", "server.json")));
        var version = typeof(CloudToolsApp).Assembly.GetName().Version!.ToString(3);
        json.RootElement.GetProperty("version").GetString().Should().Be(version);
        json.RootElement.GetProperty("packages")[0].GetProperty("version").GetString().Should().Be(version);
        json.RootElement.GetProperty("packages")[0].GetProperty("identifier").GetString().Should().Be("McpCloudTools");
    }

    [Fact]
    public void McpJsonExample_IsValidJson_AndNamesThisVersionAndTheRealFlags()
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot(), "mcp.json.example"));
        using var json = JsonDocument.Parse(text);
        var version = typeof(CloudToolsApp).Assembly.GetName().Version!.ToString(3);
        System.Text.RegularExpressions.Regex.Matches(text, @"McpCloudTools@([0-9.]+)").Select(m => m.Groups[1].Value).Should().OnlyContain(v => v == version);
        foreach (var flag in System.Text.RegularExpressions.Regex.Matches(text, @"""(--[a-z-]+)""").Select(m => m.Groups[1].Value).Distinct().Where(f => f != "--yes"))
        {
            CommandLine.Help.Should().Contain(flag, "every flag in the example is a real one");
        }
    }

    [Fact]
    public async Task PackedTool_DeclaresItselfAnMcpServer_AndRunsWithDnx()
    {
        var configuration = typeof(PackagingTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var output = Path.Combine(_dir, "nupkgs");
        var pack = await RunAsync("dotnet", "pack", Path.Combine(RepoRoot(), "src", "McpCloudTools.Server"), "-c", configuration, "--no-build", "-o", output);
        pack.Should().Be(0);
        var package = Directory.GetFiles(output, "McpCloudTools.*.nupkg").Single();
        using (var zip = ZipFile.OpenRead(package))
        {
            zip.Entries.Select(e => e.FullName).Should().Contain([".mcp/server.json", "tools/net10.0/any/mcp-cloud-tools.dll", "tools/net10.0/any/DotnetToolSettings.xml"]);
            using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            var text = await nuspec.ReadToEndAsync();
            text.Should().Contain("<packageType name=\"DotnetTool\" />").And.Contain("<packageType name=\"McpServer\" />");
        }

        var version = typeof(CloudToolsApp).Assembly.GetName().Version!.ToString(3);
        var env = ServerProcess.SafeEnvironment(_dir);
        env["NUGET_PACKAGES"] = Path.Combine(_dir, "packages"); // a fresh cache: never a stale package of the same version
        env["DOTNET_CLI_HOME"] = _dir;
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = "dotnet",
            Arguments = ["dnx", $"McpCloudTools@{version}", "--yes", "--add-source", output, "--", "--state", "none"],
            EnvironmentVariables = env,
        });
        await using var client = await McpClient.CreateAsync(transport);
        (await client.ListToolsAsync()).Select(t => t.Name).Should().Contain("plugins_list");
        client.ServerInfo!.Name.Should().Be("mcp-cloud-tools");
    }

    private static async Task<int> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        (await stdout + await stderr).Should().NotContain("error", "dotnet pack should succeed");
        return p.ExitCode;
    }
}
