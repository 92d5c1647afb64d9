using System.Diagnostics;
using System.Text.Json;

namespace McpCloudTools.Sandbox.Tests;

/// <summary>Runs the real AWS CLI (botocore) against the sandbox, with throw-away config so no real profile is used.</summary>
internal static class AwsCli
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;
    }

    public static async Task<Result> RunAsync(Uri endpoint, string secretKey, params string[] args)
    {
        var home = Path.Combine(Path.GetTempPath(), "mcp-cloud-tools-cli-home");
        Directory.CreateDirectory(home);
        var start = new ProcessStartInfo("aws")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.ArgumentList.Add("--endpoint-url");
        start.ArgumentList.Add(endpoint.GetLeftPart(UriPartial.Authority));
        start.ArgumentList.Add("--output");
        start.ArgumentList.Add("json");
        var env = start.Environment;
        env["AWS_ACCESS_KEY_ID"] = "test";
        env["AWS_SECRET_ACCESS_KEY"] = secretKey;
        env["AWS_DEFAULT_REGION"] = "us-east-1";
        env["AWS_EC2_METADATA_DISABLED"] = "true";
        env["AWS_CONFIG_FILE"] = Path.Combine(home, "config");
        env["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(home, "credentials");
        env["AWS_MAX_ATTEMPTS"] = "1";
        env["AWS_PAGER"] = "";
        env.Remove("AWS_PROFILE");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
