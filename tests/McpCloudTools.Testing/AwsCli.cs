using System.Diagnostics;
using System.Text.Json;

namespace McpCloudTools.Testing;

/// <summary>
/// Runs the real AWS CLI (botocore) against the sandbox, with throw-away config and explicit keys, so no real profile
/// or credentials are read and the instance-metadata address is never asked.
/// </summary>
public static class AwsCli
{
    /// <summary>One run: exit code and output.</summary>
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        /// <summary>The output parsed as JSON (the CLI runs with <c>--output json</c>).</summary>
        public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;
    }

    /// <summary>Runs <c>aws <paramref name="args"/></c> against <paramref name="endpoint"/> with the sandbox's keys.</summary>
    public static Task<Result> RunAsync(Uri endpoint, params string[] args) => RunWithSecretAsync(endpoint, "test", args);

    /// <summary>Runs <c>aws <paramref name="args"/></c> with the secret key given (e.g. a wrong one, to see signatures refused).</summary>
    public static async Task<Result> RunWithSecretAsync(Uri endpoint, string secretKey, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var home = Directory.CreateTempSubdirectory("mct-aws-cli-");
        try
        {
            var start = new ProcessStartInfo("aws") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in args.Concat(["--endpoint-url", endpoint.GetLeftPart(UriPartial.Authority), "--output", "json"]))
            {
                start.ArgumentList.Add(arg);
            }

            var env = start.Environment;
            env["AWS_ACCESS_KEY_ID"] = "test";
            env["AWS_SECRET_ACCESS_KEY"] = secretKey;
            env["AWS_DEFAULT_REGION"] = "us-east-1";
            env["AWS_EC2_METADATA_DISABLED"] = "true";
            env["AWS_CONFIG_FILE"] = Path.Combine(home.FullName, "config");
            env["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(home.FullName, "credentials");
            env["AWS_MAX_ATTEMPTS"] = "1";
            env["AWS_PAGER"] = "";
            env.Remove("AWS_PROFILE");
            env.Remove("AWS_ENDPOINT_URL");
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            return new Result(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }
}
