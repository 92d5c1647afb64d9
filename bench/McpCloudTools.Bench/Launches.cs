using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace McpCloudTools.Bench;

/// <summary>
/// The launches of the start-up table, in the order of issue 18's table: the Go peer first (every ratio is against it),
/// then ours from the fastest build to what a client configured with dnx runs, then the SDK's floor (the echo server).
/// </summary>
internal static partial class Launches
{
    public const string GoLabel = "kubernetes-mcp-server 0.0.67 (Go binary)";

    public const string EchoAllCapabilitiesLabel =
        "MCP echo server, same SDK, JIT, with our capabilities (a tool, a prompt, a resource template, completions, logging)";

    /// <summary>Where our framework-dependent builds keep their start profile, or <c>off</c> (the server's JitStartProfile.Variable).</summary>
    public const string JitProfileVariable = "MCPCLOUDTOOLS_JIT_PROFILE";

    public static async Task<List<ServerCommand>> BuildAsync(BenchOptions o, DirectoryInfo work, Action<string> progress)
    {
        var list = new List<ServerCommand>();
        if (o.Go is not null)
        {
            list.Add(Go(o.Go, work));
        }

        if (o.Aot is not null)
        {
            list.Add(ServerCommand.Ours("ours, NativeAOT binary", o.Aot));
        }

        if (o.R2r is not null)
        {
            list.Add(ServerCommand.Ours("ours, ReadyToRun", o.R2r));
            list.Add(ServerCommand.Ours("ours, ReadyToRun, first start (no start profile yet)", o.R2r).WithoutStartProfile());
        }

        list.Add(ServerCommand.Ours("ours, JIT (`dotnet mcp-cloud-tools.dll`)", o.Jit!));
        list.Add(ServerCommand.Ours("ours, JIT, first start (no start profile yet)", o.Jit!).WithoutStartProfile());
        list.AddRange(o.Also.Select(a => ServerCommand.Ours($"ours, {a.Label}", a.Path)));
        if (o.Feed is not null)
        {
            list.AddRange(await FromFeedAsync(o.Feed, work, progress));
        }

        if (o.EchoAot is not null)
        {
            list.Add(ServerCommand.Of("MCP echo server, same SDK, NativeAOT", o.EchoAot, []));
        }

        if (o.EchoJit is not null)
        {
            list.Add(ServerCommand.Of("MCP echo server, same SDK, JIT", o.EchoJit, []) with { KeepsStartProfile = true });
            // The SDK's share of our JIT start: the same protocol surface as ours, one trivial entry of each.
            list.Add(ServerCommand.Of(EchoAllCapabilitiesLabel, o.EchoJit, ["--all-capabilities"]) with { KeepsStartProfile = true });
        }

        // Each framework-dependent launch keeps its start profile (JitStartProfile) in a folder of its own, as one
        // installation does in its user's cache: recorded at the end of the warm-up round, played in every counted run.
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].KeepsStartProfile && !list[i].Environment.ContainsKey(JitProfileVariable))
            {
                list[i] = list[i].With(JitProfileVariable, Path.Combine(work.FullName, "jit-profiles", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        return list;
    }

    /// <summary>
    /// The Go server with a kubeconfig of its own that points at a closed loopback port: it needs one to start, and
    /// answers <c>tools/list</c> and <c>configuration_view</c> without reaching the cluster.
    /// </summary>
    public static ServerCommand Go(string path, DirectoryInfo work)
    {
        var kubeconfig = Path.Combine(work.FullName, "go.kubeconfig");
        File.WriteAllText(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: bench
              cluster: {server: "https://127.0.0.1:9", insecure-skip-tls-verify: true}
            users:
            - name: bench
              user: {token: bench}
            contexts:
            - name: bench
              context: {cluster: bench, user: bench, namespace: default}
            current-context: bench

            """);
        return new ServerCommand(GoLabel, path, [], ["--kubeconfig", kubeconfig]);
    }

    /// <summary>
    /// From a local feed: the tool installed as users install it (native where a package for this runtime exists),
    /// the framework-dependent fallback installed from a copy of the feed without this runtime's package, and dnx.
    /// Each gets a fresh package cache, so nothing stale of the same version is run.
    /// </summary>
    private static async Task<List<ServerCommand>> FromFeedAsync(string feed, DirectoryInfo work, Action<string> progress)
    {
        var version = Version(feed);
        var rid = RuntimeInformation.RuntimeIdentifier;
        var list = new List<ServerCommand>();
        var cache = Path.Combine(work.FullName, "nuget-packages");
        var native = Path.Combine(work.FullName, "tool-native");
        await RunAsync("dotnet", ["tool", "install", "McpCloudTools", "--version", version, "--tool-path", native, "--add-source", feed], cache);
        var nativeCommand = Path.Combine(native, "mcp-cloud-tools");
        list.Add(ServerCommand.Ours($"ours, installed .NET tool ({Describe(nativeCommand)})", nativeCommand));
        progress($"installed {nativeCommand}");

        var fallbackFeed = FallbackFeed(feed, version, rid, work);
        var any = Path.Combine(work.FullName, "tool-any");
        await RunAsync("dotnet", ["tool", "install", "McpCloudTools", "--version", version, "--tool-path", any, "--add-source", fallbackFeed],
            Path.Combine(work.FullName, "nuget-packages-any"));
        var anyCommand = Path.Combine(any, "mcp-cloud-tools");
        list.Add(ServerCommand.Ours($"ours, installed .NET tool ({Describe(anyCommand)})", anyCommand));
        progress($"installed {anyCommand}");

        var dnx = Dnx();
        list.Add(new ServerCommand($"ours, `dnx McpCloudTools@{version}` (dnx stays resident as the parent)", dnx.File,
            [.. dnx.Prefix, $"McpCloudTools@{version}", "--add-source", feed, "--yes", "--"], ["--state", "none"])
        {
            LauncherIsParent = true,
            KeepsStartProfile = true,
            Environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(work.FullName, "nuget-packages-dnx") },
        });
        return list;
    }

    /// <summary>
    /// The feed as a platform without a native package sees it: the top-level package with this runtime taken out of
    /// its list (so the tool resolves to <c>any</c>, as on a runtime we do not build natively), and the <c>any</c> package.
    /// </summary>
    public static string FallbackFeed(string feed, string version, string rid, DirectoryInfo work)
    {
        var folder = Directory.CreateDirectory(Path.Combine(work.FullName, "feed-without-" + rid)).FullName;
        File.Copy(Path.Combine(feed, $"McpCloudTools.any.{version}.nupkg"), Path.Combine(folder, $"McpCloudTools.any.{version}.nupkg"));
        var top = Path.Combine(folder, $"McpCloudTools.{version}.nupkg");
        File.Copy(Path.Combine(feed, $"McpCloudTools.{version}.nupkg"), top);
        using var zip = ZipFile.Open(top, ZipArchiveMode.Update);
        var entry = zip.Entries.Single(e => e.FullName.EndsWith("DotnetToolSettings.xml", StringComparison.Ordinal));
        string settings;
        using (var reader = new StreamReader(entry.Open()))
        {
            settings = reader.ReadToEnd();
        }

        var name = entry.FullName;
        entry.Delete();
        var edited = string.Join('\n', settings.Split('\n').Where(l => !l.Contains($"RuntimeIdentifier=\"{rid}\"", StringComparison.Ordinal)));
        using var writer = new StreamWriter(zip.CreateEntry(name).Open());
        writer.Write(edited);
        return folder;
    }

    /// <summary>The version of the top-level package in the feed (<c>McpCloudTools.0.1.0.nupkg</c>).</summary>
    public static string Version(string feed) =>
        Directory.GetFiles(feed, "McpCloudTools.*.nupkg").Select(p => TopLevel().Match(Path.GetFileName(p))).FirstOrDefault(m => m.Success)?.Groups[1].Value
        ?? throw new FileNotFoundException($"no top-level McpCloudTools.<version>.nupkg in {feed}");

    /// <summary>
    /// What an installed command is: a link to the native binary, or (the framework-dependent package) a launcher of a
    /// <c>mcp-cloud-tools.dll</c> in the tool path's store.
    /// </summary>
    public static string Describe(string command)
    {
        var store = Path.Combine(Path.GetDirectoryName(command)!, ".store");
        return Directory.Exists(store) && Directory.EnumerateFiles(store, "mcp-cloud-tools.dll", SearchOption.AllDirectories).Any()
            ? "framework-dependent `any`"
            : "native";
    }

    /// <summary><c>dnx</c> beside the dotnet in use (what users type), else <c>dotnet dnx</c>.</summary>
    private static (string File, string[] Prefix) Dnx()
    {
        var dotnet = WrkHttp.Which("dotnet");
        var real = dotnet is null ? null : new FileInfo(dotnet).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? dotnet;
        var dnx = real is null ? null : Path.Combine(Path.GetDirectoryName(real)!, "dnx");
        return dnx is not null && File.Exists(dnx) ? (dnx, []) : ("dotnet", ["dnx"]);
    }

    private static async Task RunAsync(string file, string[] args, string nugetPackages)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["NUGET_PACKAGES"] = nugetPackages;
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {await output}{await error}");
        }
    }

    [GeneratedRegex(@"^McpCloudTools\.(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\.nupkg$")]
    private static partial Regex TopLevel();
}
