using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using McpCloudTools.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// The server ships as .NET tool packages that declare themselves an MCP server: a top-level package pointing at one
/// NativeAOT package per runtime and a framework-dependent <c>any</c> fallback. What users launch, through
/// <c>dotnet tool install</c> or <c>dnx</c>, is the native binary.
/// </summary>
public sealed class PackagingTests : IDisposable
{
    /// <summary>The runtimes with a package of their own (NativeAOT; framework-dependent ReadyToRun for musl and Intel Macs), then the fallback, as the top-level package lists them.</summary>
    private static readonly string[] PackageRuntimes = ["linux-x64", "linux-arm64", "osx-arm64", "win-x64", "linux-musl-x64", "linux-musl-arm64", "osx-x64", "any"];

    /// <summary>Libraries of the .NET host and JIT runtime: a native binary maps none of them.</summary>
    private static readonly string[] HostLibraries = ["libhostfxr.so", "libhostpolicy.so", "libcoreclr.so", "libclrjit.so"];

    private readonly string _dir = Directory.CreateTempSubdirectory("mct-pack-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Version => typeof(CloudToolsApp).Assembly.GetName().Version!.ToString(3);

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
        json.RootElement.GetProperty("version").GetString().Should().Be(Version);
        json.RootElement.GetProperty("packages")[0].GetProperty("version").GetString().Should().Be(Version);
        json.RootElement.GetProperty("packages")[0].GetProperty("identifier").GetString().Should().Be("McpCloudTools");
    }

    [Fact]
    public void McpJsonExample_LeadsWithTheInstalledTool_KeepsDnxAndSource_AndNamesOnlyRealFlags()
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot(), "mcp.json.example"));
        using var json = JsonDocument.Parse(text);
        Regex.Matches(text, @"McpCloudTools@([0-9.]+)").Select(m => m.Groups[1].Value).Should().OnlyContain(v => v == Version);
        foreach (var flag in Regex.Matches(text, @"""(--[a-z-]+)""").Select(m => m.Groups[1].Value).Distinct().Where(f => f is not "--yes" and not "--project" and not "--add-source"))
        {
            CommandLine.Help.Should().Contain(flag, "every server flag in the example is a real one");
        }

        foreach (var client in new[] { ("vscode", "servers"), ("claude", "mcpServers") })
        {
            var servers = json.RootElement.EnumerateObject().Single(p => p.Name.StartsWith(client.Item1, StringComparison.Ordinal)).Value.GetProperty(client.Item2);
            var first = servers.EnumerateObject().First();
            first.Value.GetProperty("command").GetString().Should().Be("mcp-cloud-tools", $"{client.Item1} leads with the installed tool, the native binary");
            var commands = servers.EnumerateObject().Select(s => s.Value.TryGetProperty("command", out var c) ? c.GetString() : null).ToList();
            commands.Should().Contain("dnx", "dnx stays as the no-install option");
            commands.Should().Contain("dotnet", "a fresh clone runs from source");
            foreach (var dnx in servers.EnumerateObject().Where(s => s.Value.TryGetProperty("command", out var c) && c.GetString() == "dnx"))
            {
                var args = dnx.Value.GetProperty("args").EnumerateArray().Select(a => a.GetString()).ToList();
                args.Should().StartWith([$"McpCloudTools@{Version}", "--yes"], $"{dnx.Name} pins the version and does not prompt");
            }

            foreach (var source in servers.EnumerateObject().Where(s => s.Value.TryGetProperty("command", out var c) && c.GetString() == "dotnet"))
            {
                var args = source.Value.GetProperty("args").EnumerateArray().Select(a => a.GetString()).ToList();
                args.Should().ContainInOrder("run", "--project").And.Contain("--", $"{source.Name} runs from a fresh clone, passing the server's flags after --");
            }
        }
    }

    [Fact]
    public async Task Packages_PointAtOnePackagePerRuntime_ShipOnlyWhatRuns_AndFallBackToFrameworkDependent()
    {
        var feed = Path.Combine(_dir, "feed");
        await PackAsync(feed, "--no-build");
        await PackAsync(feed, "-r", "any");

        using (var top = ZipFile.OpenRead(Path.Combine(feed, $"McpCloudTools.{Version}.nupkg")))
        {
            top.Entries.Select(e => e.FullName).Should().Contain([".mcp/server.json", "tools/any/any/DotnetToolSettings.xml"])
                .And.NotContain(e => e.EndsWith(".dll", StringComparison.Ordinal), "the top-level package only points at the runtime packages");
            (await ReadAsync(top, e => e.EndsWith(".nuspec", StringComparison.Ordinal)))
                .Should().Contain("<packageType name=\"DotnetTool\" />").And.Contain("<packageType name=\"McpServer\" />");
            var settings = await ReadAsync(top, e => e.EndsWith("DotnetToolSettings.xml", StringComparison.Ordinal));
            Regex.Matches(settings, "RuntimeIdentifier=\"([^\"]+)\" Id=\"McpCloudTools\\.([^\"]+)\"")
                .Select(m => (m.Groups[1].Value, m.Groups[2].Value)).Should().Equal(PackageRuntimes.Select(r => (r, r)));
        }

        using (var any = ZipFile.OpenRead(Path.Combine(feed, $"McpCloudTools.any.{Version}.nupkg")))
        {
            any.Entries.Select(e => e.FullName).Should().Contain([".mcp/server.json", "tools/net10.0/any/mcp-cloud-tools.dll", "tools/net10.0/any/mcp-cloud-tools.runtimeconfig.json"]);
            (await ReadAsync(any, e => e.EndsWith("DotnetToolSettings.xml", StringComparison.Ordinal))).Should().Contain("Runner=\"dotnet\"");
            // The start-up settings of the native binary hold for the fallback too: workstation non-concurrent GC, no EventSource.
            var runtimeOptions = JsonDocument.Parse(await ReadAsync(any, e => e.EndsWith("runtimeconfig.json", StringComparison.Ordinal)))
                .RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
            runtimeOptions.GetProperty("System.GC.Server").GetBoolean().Should().BeFalse();
            runtimeOptions.GetProperty("System.GC.Concurrent").GetBoolean().Should().BeFalse();
            runtimeOptions.GetProperty("System.Diagnostics.Tracing.EventSource.IsSupported").GetBoolean().Should().BeFalse();
            (await ReadAsync(any, e => e.EndsWith(".nuspec", StringComparison.Ordinal))).Should().Contain("<packageType name=\"DotnetToolRidPackage\" />");
        }

        AssertShipsOnlyWhatRuns(feed);

        // A platform with no native package: the top-level package as it sees it (this runtime not listed) leads
        // `dotnet tool install` and dnx to the framework-dependent package, which runs on dotnet.
        var fallback = Path.Combine(_dir, "fallback-feed");
        await PackAsync(fallback, "--no-build", "-p:ToolPackageRuntimeIdentifiers=any");
        File.Copy(Path.Combine(feed, $"McpCloudTools.any.{Version}.nupkg"), Path.Combine(fallback, $"McpCloudTools.any.{Version}.nupkg"));
        var tools = Path.Combine(_dir, "tools");
        (await DotnetAsync(["tool", "install", "McpCloudTools", "--version", Version, "--tool-path", tools, "--add-source", fallback])).Should().Be(0);
        await using (var installed = await StartAsync(Path.Combine(tools, "mcp-cloud-tools"), ["--sandbox", "--state", "none"]))
        {
            await installed.AssertServesTheSandboxAsync();
            Maps(installed.Process.Id).Should().Contain(m => m.Contains("libcoreclr.so"), "the fallback is the framework-dependent build");
        }

        await using var dnx = await StartAsync(DnxCommand(), [.. DnxPrefix(), $"McpCloudTools@{Version}", "--add-source", fallback, "--yes", "--", "--sandbox", "--state", "none"]);
        await dnx.AssertServesTheSandboxAsync();
    }

    /// <summary>
    /// The NativeAOT package of this machine's runtime, packed by CI's NativeAOT step (one AOT compile serves the
    /// package, this test and the troubleshooting walk): installed, the command is the native binary; dnx runs the
    /// native binary too.
    /// </summary>
    [NativePackageFact]
    public async Task NativePackage_IsWhatToolInstallAndDnxRun()
    {
        var feed = NativePackageFactAttribute.Feed!;
        var rid = RuntimeInformation.RuntimeIdentifier;
        File.Exists(Path.Combine(feed, $"McpCloudTools.{rid}.{Version}.nupkg")).Should().BeTrue($"{NativePackageFactAttribute.FeedVariable} holds the {rid} package");
        AssertShipsOnlyWhatRuns(feed);

        // dotnet tool install: the command is the native binary itself, and the process it starts has no .NET host.
        var tools = Path.Combine(_dir, "tools");
        (await DotnetAsync(["tool", "install", "McpCloudTools", "--version", Version, "--tool-path", tools, "--add-source", feed])).Should().Be(0);
        var command = Path.Combine(tools, "mcp-cloud-tools");
        var binary = new FileInfo(command).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? command;
        IsElf(binary).Should().BeTrue($"{binary} is a native executable");
        var (elfType, sections) = ElfLayout(binary);
        elfType.Should().Be(ElfExecutable, "the Linux package's binary loads at a fixed address (csproj \"Start-up of the native binary\")");
        sections.Should().NotContain(".hydrated", "its type data is stored ready to use, not expanded at every start");
        File.Exists(Path.Combine(Path.GetDirectoryName(binary)!, "mcp-cloud-tools.dll")).Should().BeFalse("the native package holds no managed entry point");
        await using (var installed = await StartAsync(command, ["--sandbox", "--state", "none"]))
        {
            await installed.AssertServesTheSandboxAsync();
            var process = installed.Process;
            Exe(process.Id).Should().Be(binary, "the installed command runs the native binary directly");
            Maps(process.Id).Should().NotContain(m => HostLibraries.Any(m.Contains), "no dotnet host or JIT runtime is loaded");
        }

        // dnx, as README and mcp.json.example write it: the launcher stays the parent; its child is the native binary.
        await using (var dnx = await StartAsync(DnxCommand(), [.. DnxPrefix(), $"McpCloudTools@{Version}", "--add-source", feed, "--yes", "--", "--sandbox", "--state", "none"]))
        {
            await dnx.AssertServesTheSandboxAsync();
            var child = Children(dnx.Process.Id).Should().ContainSingle("dnx runs the server as its one child").Subject;
            Exe(child).Should().Contain($"/mcpcloudtools.{rid}/{Version}/", "dnx picks this runtime's package").And.EndWith($"/{rid}/mcp-cloud-tools");
            Maps(child).Should().NotContain(m => HostLibraries.Any(m.Contains));
        }
    }

    /// <summary>
    /// Alpine: the SDK's runtime graph leads linux-musl-x64 to linux-x64 before <c>any</c>, so without a package of its
    /// own an Alpine machine installs the glibc binary, which does not start there. Its package is framework-dependent
    /// ReadyToRun, packed by CI on this machine (crossgen2 compiles for musl from here). <c>DOTNET_RUNTIME_ID</c> makes
    /// this machine's dotnet choose as Alpine's does; the ReadyToRun code is the same on glibc, so it runs here on dotnet.
    /// </summary>
    [NativePackageFact]
    public async Task MuslPackage_IsWhatAlpineInstalls_FrameworkDependentReadyToRun()
    {
        var dll = await InstallAsAsync("linux-musl-x64", "Alpine installs its own package, not the glibc binary");
        ReadyToRunTarget(dll).Should().Be(ReadyToRunLinuxX64, $"{dll} carries precompiled code for Linux x64");

        await using var server = await StartAsync("dotnet", [dll, "--sandbox", "--state", "none"]);
        await server.AssertServesTheSandboxAsync();
    }

    /// <summary>
    /// Intel Macs get framework-dependent ReadyToRun too, not the IL-only <c>any</c>: precompiled code and the start
    /// profile start it in about 70 % of the time. CI packs it here (crossgen2 compiles for macOS from Linux); it runs on
    /// macOS only (the runtime refuses another OS's precompiled image), so this checks what a Mac installs and that the
    /// code and the launcher in it are macOS x64's.
    /// </summary>
    [NativePackageFact]
    public async Task IntelMacPackage_IsWhatOsxX64Installs_FrameworkDependentReadyToRunForMacOs()
    {
        var dll = await InstallAsAsync("osx-x64", "an Intel Mac installs its own package, not the IL-only fallback");
        ReadyToRunTarget(dll).Should().Be(ReadyToRunMacOsX64, $"{dll} carries precompiled code for macOS x64");
        var launcher = await File.ReadAllBytesAsync(Path.Combine(Path.GetDirectoryName(dll)!, "mcp-cloud-tools"));
        (BinaryPrimitives.ReadUInt32LittleEndian(launcher), BinaryPrimitives.ReadUInt32LittleEndian(launcher.AsSpan(4)))
            .Should().Be((0xFEEDFACFu, 0x01000007u), "the command a Mac runs is a 64-bit Mach-O x86_64 launcher of the assembly");
        JsonDocument.Parse(await File.ReadAllTextAsync(Path.ChangeExtension(dll, ".runtimeconfig.json"))).RootElement
            .GetProperty("runtimeOptions").GetProperty("frameworks").EnumerateArray().Select(f => f.GetProperty("name").GetString())
            .Should().Equal("Microsoft.NETCore.App", "Microsoft.AspNetCore.App");
    }

    /// <summary>The PE machine of a ReadyToRun image: the architecture's, XOR a value naming the OS (0 for Windows).</summary>
    private const ushort ReadyToRunLinuxX64 = 0x8664 ^ 0x7B79;

    private const ushort ReadyToRunMacOsX64 = 0x8664 ^ 0x4644;

    /// <summary>
    /// Installs the tool as a machine of <paramref name="runtime"/> does (<c>DOTNET_RUNTIME_ID</c> makes this machine's
    /// dotnet choose as that one's does) from the CI feed; checks that package is the one chosen; returns its assembly.
    /// </summary>
    private async Task<string> InstallAsAsync(string runtime, string because)
    {
        var feed = NativePackageFactAttribute.Feed!;
        File.Exists(Path.Combine(feed, $"McpCloudTools.{runtime}.{Version}.nupkg")).Should().BeTrue($"{NativePackageFactAttribute.FeedVariable} holds the {runtime} package");

        var tools = Path.Combine(_dir, "tools-" + runtime);
        (await DotnetAsync(["tool", "install", "McpCloudTools", "--version", Version, "--tool-path", tools, "--add-source", feed],
            packages: "packages-" + runtime, runtimeId: runtime)).Should().Be(0);
        var command = new FileInfo(Path.Combine(tools, "mcp-cloud-tools")).ResolveLinkTarget(returnFinalTarget: true)?.FullName;
        command.Should().Contain($"/mcpcloudtools.{runtime}/{Version}/", because);
        return Path.Combine(Path.GetDirectoryName(command)!, "mcp-cloud-tools.dll");
    }

    /// <summary>The machine a ReadyToRun image's code is for, or null for an IL-only assembly.</summary>
    private static ushort? ReadyToRunTarget(string assembly)
    {
        using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(assembly));
        return pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0 ? (ushort)pe.PEHeaders.CoffHeader.Machine : null;
    }

    private static void AssertShipsOnlyWhatRuns(string feed)
    {
        foreach (var package in Directory.GetFiles(feed, "McpCloudTools.*.nupkg"))
        {
            using var zip = ZipFile.OpenRead(package);
            zip.Entries.Select(e => e.FullName).Should().NotContain(
                e => e.EndsWith(".pdb", StringComparison.Ordinal) || e.EndsWith(".dbg", StringComparison.Ordinal)
                     || e.EndsWith("web.config", StringComparison.Ordinal) || e.EndsWith("staticwebassets.endpoints.json", StringComparison.Ordinal),
                $"{Path.GetFileName(package)} ships only what runs");
        }
    }

    private async Task PackAsync(string output, params string[] extra)
    {
        var configuration = typeof(PackagingTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var code = await DotnetAsync(["pack", Path.Combine(RepoRoot(), "src", "McpCloudTools.Server"), "-c", configuration, "-o", output, .. extra], packages: null);
        code.Should().Be(0);
    }

    private static async Task<string> ReadAsync(ZipArchive zip, Func<string, bool> name)
    {
        using var reader = new StreamReader(zip.Entries.Single(e => name(e.FullName)).Open());
        return await reader.ReadToEndAsync();
    }

    /// <summary>
    /// Runs a dotnet command and fails on any error; with <paramref name="packages"/>, as a user with a fresh package
    /// cache of that name (never a stale package of the same version), else in the build's own environment.
    /// </summary>
    private async Task<int> DotnetAsync(string[] args, string? packages = "packages", string? runtimeId = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in packages is null ? [] : ToolEnvironment(packages))
        {
            psi.Environment[k] = v;
        }

        if (runtimeId is not null)
        {
            psi.Environment["DOTNET_RUNTIME_ID"] = runtimeId;
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        var output = await stdout + await stderr;
        output.Should().NotContain("error", $"dotnet {string.Join(' ', args)} should succeed");
        return p.ExitCode;
    }

    private Dictionary<string, string?> ToolEnvironment(string packages)
    {
        var env = ServerProcess.SafeEnvironment(_dir);
        env["NUGET_PACKAGES"] = Path.Combine(_dir, packages);
        env["DOTNET_CLI_HOME"] = _dir;
        env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        env["DOTNET_NOLOGO"] = "1";
        return env;
    }

    private async Task<Launched> StartAsync(string command, string[] args)
    {
        var psi = new ProcessStartInfo(command) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in ToolEnvironment("packages-run"))
        {
            psi.Environment[k] = v;
        }

        var process = Process.Start(psi)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        try
        {
            using var cts = new CancellationTokenSource(ServerProcess.Patience * 2);
            var client = await McpClient.CreateAsync(new StreamClientTransport(process.StandardInput.BaseStream, process.StandardOutput.BaseStream), cancellationToken: cts.Token);
            return new Launched(process, client);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary><c>dnx</c> beside the <c>dotnet</c> in use, as users type it; else <c>dotnet dnx</c>.</summary>
    private static string DnxCommand() => DnxScript() ?? "dotnet";

    private static string[] DnxPrefix() => DnxScript() is null ? ["dnx"] : [];

    private static string? DnxScript()
    {
        var dotnet = (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "dotnet")).FirstOrDefault(File.Exists);
        var real = dotnet is null ? null : new FileInfo(dotnet).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? dotnet;
        var dnx = real is null ? null : Path.Combine(Path.GetDirectoryName(real)!, "dnx");
        return dnx is not null && File.Exists(dnx) ? dnx : null;
    }

    private static bool IsElf(string path)
    {
        using var f = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return f.Read(magic) == 4 && magic.SequenceEqual("\u007fELF"u8);
    }

    private const ushort ElfExecutable = 2; // ET_EXEC; a position-independent executable is ET_DYN (3)

    /// <summary>An ELF64 file's type and section names, read from its header and section table.</summary>
    private static (ushort Type, IReadOnlyList<string> Sections) ElfLayout(string path)
    {
        var bytes = File.ReadAllBytes(path).AsSpan();
        var type = BinaryPrimitives.ReadUInt16LittleEndian(bytes[0x10..]);
        var tableOffset = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes[0x28..]);
        var entrySize = BinaryPrimitives.ReadUInt16LittleEndian(bytes[0x3A..]);
        var count = BinaryPrimitives.ReadUInt16LittleEndian(bytes[0x3C..]);
        var namesIndex = BinaryPrimitives.ReadUInt16LittleEndian(bytes[0x3E..]);
        var names = bytes[(int)BinaryPrimitives.ReadUInt64LittleEndian(bytes[(tableOffset + namesIndex * entrySize + 0x18)..])..];
        var sections = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var name = names[(int)BinaryPrimitives.ReadUInt32LittleEndian(bytes[(tableOffset + i * entrySize)..])..];
            sections.Add(Encoding.ASCII.GetString(name[..name.IndexOf((byte)0)]));
        }

        return (type, sections);
    }

    private static string Exe(int pid) => new FileInfo($"/proc/{pid}/exe").ResolveLinkTarget(returnFinalTarget: false)!.FullName;

    private static string[] Maps(int pid) => File.ReadAllLines($"/proc/{pid}/maps");

    private static List<int> Children(int pid) =>
        [.. Directory.GetDirectories($"/proc/{pid}/task").SelectMany(t => File.ReadAllText(Path.Combine(t, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(int.Parse)];

    /// <summary>A server started by a test, spoken to over its stdio; killed with its children on dispose.</summary>
    private sealed class Launched(Process process, McpClient client) : IAsyncDisposable
    {
        public Process Process => process;

        /// <summary>It answers as our server and reads the sandbox (no AWS): the EC2 plugin lists the sandbox's VPCs.</summary>
        public async Task AssertServesTheSandboxAsync()
        {
            client.ServerInfo!.Name.Should().Be("mcp-cloud-tools");
            (await client.ListToolsAsync()).Select(t => t.Name).Should().Contain(["plugins_list", "ec2_vpc_list", "eks_pod_list"]);
            var result = await client.CallToolAsync("ec2_vpc_list", new Dictionary<string, object?>());
            result.IsError.Should().NotBe(true);
            string.Join("\n", result.Content.OfType<TextContentBlock>().Select(t => t.Text)).Should().Contain("vpc-");
        }

        public async ValueTask DisposeAsync()
        {
            await client.DisposeAsync();
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }
    }
}

/// <summary>
/// A test that needs the NativeAOT package of this machine's runtime. Packing it is a NativeAOT compile (minutes of both
/// cores), so <c>.ci/run</c> packs it once in its NativeAOT step and runs these tests with
/// <see cref="FeedVariable"/> pointing at the packages; elsewhere they are skipped, saying how to run them.
/// </summary>
public sealed class NativePackageFactAttribute : FactAttribute
{
    public const string FeedVariable = "MCPCLOUDTOOLS_PACKAGE_FEED";

    public NativePackageFactAttribute()
    {
        if (Feed is null)
        {
            Skip = $"needs the NativeAOT package: `dotnet pack src/McpCloudTools.Server -c Release -o out` (also with `-r any`, `-r {RuntimeInformation.RuntimeIdentifier}` and `-r linux-musl-x64`), then {FeedVariable}=out (.ci/run does this)";
        }
    }

    public static string? Feed => System.Environment.GetEnvironmentVariable(FeedVariable) is { Length: > 0 } feed ? Path.GetFullPath(feed) : null;
}
