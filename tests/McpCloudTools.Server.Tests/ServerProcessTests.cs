using System.Diagnostics;

namespace McpCloudTools.Server.Tests;

/// <summary>The built executable, spawned as a client would spawn it.</summary>
public sealed class ServerProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mct-process-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) => RunInstalledAsync(ServerProcess.Dll, new Dictionary<string, string?>(), args);

    private async Task<(int Code, string Stdout, string Stderr)> RunInstalledAsync(string dll, Dictionary<string, string?> extraEnv, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in ServerProcess.SafeEnvironment(_dir).Concat(extraEnv))
        {
            psi.Environment[k] = v;
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Help_ListsTheFlags()
    {
        var (code, stdout, _) = await RunAsync("--help");
        code.Should().Be(0);
        stdout.Should().Contain("--allow-write").And.Contain("--transport stdio|http").And.Contain("--sandbox");
    }

    [Fact]
    public async Task AnUnknownFlag_ExitsWithUsageError()
    {
        var (code, stdout, stderr) = await RunAsync("--allow-writes");
        code.Should().Be(2);
        stderr.Should().Contain("Unknown option '--allow-writes'");
        stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task ACorruptStateFile_StopsTheStartWithAClearMessage_AndIsLeftUntouched()
    {
        var state = Path.Combine(_dir, "state.json");
        await File.WriteAllTextAsync(state, "{ \"schemaVersion\": 2, \"instances\": [ oops");

        var (code, stdout, stderr) = await RunAsync("--state", state);

        code.Should().Be(3);
        stderr.Should().Contain(state).And.Contain("not valid JSON").And.Contain("left untouched");
        stdout.Should().BeEmpty("stdout belongs to MCP");
        (await File.ReadAllTextAsync(state)).Should().Be("{ \"schemaVersion\": 2, \"instances\": [ oops");
    }

    [Fact]
    public async Task Options_ComeFromAppsettingsThenEnvironmentThenFlags()
    {
        // A copy of the build with an appsettings.json beside the binary, as an operator would deploy it.
        var install = Directory.CreateDirectory(Path.Combine(_dir, "install")).FullName;
        foreach (var file in Directory.GetFiles(AppContext.BaseDirectory).Where(f => f.EndsWith(".dll", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(install, Path.GetFileName(file)));
        }

        await File.WriteAllTextAsync(Path.Combine(install, "appsettings.json"), """{ "McpCloudTools": { "Transport": "carrier-pigeon" } }""");
        var dll = Path.Combine(install, "mcp-cloud-tools.dll");

        var fromFile = await RunInstalledAsync(dll, new(), "--state", "none");
        fromFile.Code.Should().Be(2);
        fromFile.Stderr.Should().Contain("carrier-pigeon", "appsettings.json is read");

        var fromEnv = await RunInstalledAsync(dll, new() { ["MCPCLOUDTOOLS__TRANSPORT"] = "http", ["MCPCLOUDTOOLS__URLS"] = "http://0.0.0.0:1" }, "--state", "none");
        fromEnv.Code.Should().Be(2);
        fromEnv.Stderr.Should().Contain("Refusing to listen on http://0.0.0.0:1", "environment variables beat appsettings.json");

        var fromFlag = await RunInstalledAsync(dll, new() { ["MCPCLOUDTOOLS__URLS"] = "http://0.0.0.0:1" }, "--transport", "http", "--urls", "http://10.9.9.9:1", "--state", "none");
        fromFlag.Stderr.Should().Contain("Refusing to listen on http://10.9.9.9:1", "flags beat environment variables");
    }

    [Theory]
    [InlineData("--max-sessions", "lots", "MaxSessions (--max-sessions, MCPCLOUDTOOLS__MAXSESSIONS or appsettings.json McpCloudTools:MaxSessions) must be a whole number, not 'lots'.")]
    [InlineData("--call-timeout", "soon", "CallTimeoutSeconds (--call-timeout, MCPCLOUDTOOLS__CALLTIMEOUTSECONDS or appsettings.json McpCloudTools:CallTimeoutSeconds) must be a number, not 'soon'.")]
    [InlineData("--max-request-bytes", "99999999999999999999", "must be a whole number, not '99999999999999999999'")]
    [InlineData("--log-level", "Chatty", "--log-level (LogLevel) takes Trace, Debug, Information, Warning, Error, Critical, None, not 'Chatty'.")]
    [InlineData("--confirm", "maybe", "--confirm (Confirm) takes destructive, write or none, not 'maybe'.")]
    [InlineData("--confirm-fallback", "ask", "--confirm-fallback (ConfirmFallback) takes allow or deny, not 'ask'.")]
    [InlineData("--max-sessions", "0", "MaxSessions (--max-sessions) must be at least 1, not 0")]
    [InlineData("--max-request-bytes", "10", "must be at least 1024, not 10")]
    [InlineData("--session-idle-seconds", "-1", "must be at least 1, not -1")]
    public async Task BadLimits_ExitWithUsageError_SayingWhy(string flag, string value, string expected)
    {
        var (code, stdout, stderr) = await RunAsync(flag, value, "--state", "none");

        code.Should().Be(2);
        stderr.Should().Contain(expected).And.NotContain("System.").And.NotContain("(Parameter");
        stderr.Trim().Should().NotContain("\n", "one line");
        stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task ABadBooleanFromTheEnvironment_IsRefusedInTheUsersWords()
    {
        var home = Directory.CreateTempSubdirectory("mct-env-").FullName;
        try
        {
            var (code, _, stderr) = await ServerProcess.RunToExitAsync(home, false, new Dictionary<string, string?> { ["MCPCLOUDTOOLS__ALLOWWRITE"] = "maybe" },
                "--state", "none");

            code.Should().Be(2);
            stderr.Should().StartWith("mcp-cloud-tools: AllowWrite (--allow-write, MCPCLOUDTOOLS__ALLOWWRITE or appsettings.json McpCloudTools:AllowWrite) " +
                "must be true or false, not 'maybe'.").And.NotContain("System.");
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task AMisspeltSetting_IsRefusedNamingIt_AndTheNearestSetting()
    {
        // A misspelt key used to be ignored: here the operator believes writes are allowed and sign-in is on.
        var folder = Path.Combine(_dir, ".config", "mcp-cloud-tools");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "appsettings.json"),
            """{ "McpCloudTools": { "AllowWrite": true, "Auth": { "Isuser": "https://idp.example", "Grants": { "*": "read" } }, "Instances": {} } }""");

        var (code, stdout, stderr) = await ServerProcess.RunToExitAsync(_dir, false,
            new Dictionary<string, string?> { ["MCPCLOUDTOOLS__ALLOW_WRITE"] = "true", ["MCPCLOUDTOOLS__TELEPORT"] = "yes" }, "--state", "none");

        code.Should().Be(2);
        stderr.Trim().Should().Be("mcp-cloud-tools: No such settings: McpCloudTools:ALLOW_WRITE (MCPCLOUDTOOLS__ALLOW_WRITE; did you mean AllowWrite?); " +
            "McpCloudTools:TELEPORT (MCPCLOUDTOOLS__TELEPORT); McpCloudTools:Auth:Isuser (MCPCLOUDTOOLS__AUTH__ISUSER; did you mean Issuer?). " +
            "Check the spelling in appsettings.json or the MCPCLOUDTOOLS__ variables; a setting not recognised would be ignored. See --help.");
        stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task EverySettingTheServerReads_IsKnown()
    {
        // The flags, the documented sections (declared instances and clusters, the grants) and every option property.
        var folder = Path.Combine(_dir, ".config", "mcp-cloud-tools");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "appsettings.json"), """
            { "McpCloudTools": { "LegacySse": true, "MaxSessionsPerClient": 4, "ShutdownTimeoutSeconds": 5, "AllowedHosts": ["localhost"],
              "Auth": { "GroupClaims": ["groups"], "MetadataRefreshSeconds": 30, "Grants": { "*": "read" } },
              "Instances": { "ec2-a": { "Type": "ec2", "Config": { "region": "us-east-1" } } }, "Clusters": {} } }
            """);

        await using var server = await ServerProcess.StartStdioAsync(["--log-level", "Information", "--confirm", "write"], protocolVersion: null, home: _dir);

        (await server.TextAsync("plugins_list")).Should().Contain("ec2-a");
    }

    [Fact]
    public async Task Stdio_ServesMcp_WithLogsOnStderrOnly()
    {
        await using var server = await ServerProcess.StartStdioAsync(["--log-level", "Information"], protocolVersion: null);

        (await server.ToolsAsync()).Select(t => t.Name).Should().Contain(["plugins_list", "clusters_list", "cluster_activate"]);
        (await server.TextAsync("plugins_list")).Should().Contain("mode: read-only");
        await server.WaitForStderrAsync("mcp-cloud-tools 0.1.0: read-only");
    }

    [Fact]
    public async Task UserConfigFolder_AppSettings_IsRead()
    {
        var folder = Path.Combine(_dir, ".config", "mcp-cloud-tools");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "appsettings.json"), """{ "McpCloudTools": { "Transport": "smoke-signal" } }""");

        var (code, _, stderr) = await RunAsync("--state", "none");

        code.Should().Be(2);
        stderr.Should().Contain("smoke-signal", "the user's config folder holds appsettings.json for an installed tool");
    }

    [Fact]
    public async Task SandboxCommand_StopsOnSigterm()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { ServerProcess.Dll, "sandbox", "--port", "0" })
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in ServerProcess.SafeEnvironment(_dir))
        {
            psi.Environment[k] = v;
        }

        using var p = Process.Start(psi)!;
        try
        {
            using var timeout = new CancellationTokenSource(ServerProcess.Patience);
            string? line;
            do
            {
                line = await p.StandardError.ReadLineAsync(timeout.Token);
            }
            while (line is not null && !line.Contains("Press Ctrl+C to stop", StringComparison.Ordinal));

            line.Should().NotBeNull("the sandbox prints its banner once it listens");
            using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(timeout.Token);
            }

            await p.WaitForExitAsync(timeout.Token);
            p.ExitCode.Should().Be(0);
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task PortInUse_ExitsWith4_AndAOneLineReason_NoStackTrace()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)taken.LocalEndpoint).Port}";

        var (code, _, stderr) = await RunAsync("--transport", "http", "--urls", url, "--state", "none");

        code.Should().Be(4);
        stderr.Should().Contain($"mcp-cloud-tools: cannot listen on {url}").And.Contain("Choose another with --urls.");
        stderr.Should().NotContain("   at ", "a user reads what went wrong, not where; --log-level Debug shows stack traces");
    }
}
