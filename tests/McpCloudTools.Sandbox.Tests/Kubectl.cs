using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace McpCloudTools.Sandbox.Tests;

/// <summary>
/// kubectl and the AWS CLI as a user runs them against the standalone sandbox: <c>AWS_ENDPOINT_URL</c> and the
/// sandbox keys in the environment, a throw-away AWS config and kubeconfig, <c>aws eks update-kubeconfig</c> writing
/// the kubeconfig whose exec plugin is <c>aws eks get-token</c>.
/// </summary>
public sealed class Kubectl : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mct-kubectl-").FullName;

    public Kubectl(Uri endpoint) => Endpoint = endpoint;

    public Uri Endpoint { get; set; }

    public string KubeconfigPath => Path.Combine(_dir, "kubeconfig");

    /// <summary>Runs <c>aws …</c>; returns exit code and output.</summary>
    public Task<(int Code, string Output)> AwsAsync(params string[] args) => RunAsync("aws", args);

    /// <summary>Runs <c>kubectl …</c> with the kubeconfig; fails the test unless it exits 0.</summary>
    public async Task<string> RunAsync(params string[] args)
    {
        var (code, output) = await RunAsync("kubectl", ["--kubeconfig", KubeconfigPath, "--cache-dir", Path.Combine(_dir, "cache"), "--request-timeout=20s", .. args]);
        code.Should().Be(0, $"kubectl {string.Join(' ', args)} said: {output}");
        return output;
    }

    /// <summary>Runs <c>kubectl …</c>; returns exit code and output.</summary>
    public Task<(int Code, string Output)> TryAsync(params string[] args) =>
        RunAsync("kubectl", ["--kubeconfig", KubeconfigPath, "--cache-dir", Path.Combine(_dir, "cache"), "--request-timeout=20s", .. args]);

    private async Task<(int Code, string Output)> RunAsync(string command, string[] args)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        var env = start.Environment;
        env["AWS_ENDPOINT_URL"] = Endpoint.GetLeftPart(UriPartial.Authority);
        env["AWS_ACCESS_KEY_ID"] = "test";
        env["AWS_SECRET_ACCESS_KEY"] = "test";
        env["AWS_DEFAULT_REGION"] = "us-east-1";
        env["AWS_REGION"] = "us-east-1";
        env["AWS_EC2_METADATA_DISABLED"] = "true";
        env["AWS_CONFIG_FILE"] = Path.Combine(_dir, "aws-config");
        env["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_dir, "aws-credentials");
        env["AWS_PAGER"] = "";
        env["KUBECONFIG"] = KubeconfigPath;
        env.Remove("AWS_PROFILE");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A port with the next <see cref="SandboxOptions.KubernetesPortsReserved"/> free too (the sandbox's fixed-port layout).</summary>
    public static int FreePortRange()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }
            if (port > SandboxOptions.MaxPort) continue;
            var listeners = new List<TcpListener>();
            try
            {
                for (var p = port; p <= port + SandboxOptions.KubernetesPortsReserved; p++)
                {
                    var l = new TcpListener(IPAddress.Loopback, p);
                    l.Start();
                    listeners.Add(l);
                }
                return port;
            }
            catch (SocketException)
            {
            }
            finally
            {
                foreach (var l in listeners) l.Stop();
            }
        }
        throw new InvalidOperationException("No free range of loopback ports.");
    }
}
