using System.Globalization;
using Microsoft.Extensions.Logging;

namespace McpCloudTools.Sandbox;

/// <summary>
/// The <c>mcp-cloud-tools sandbox</c> command: runs the emulator alone until cancelled and tells the user, on
/// stderr, where it listens and which credentials to use.
/// </summary>
public static class SandboxCommand
{
    /// <summary>Usage text for <c>--help</c> and argument errors.</summary>
    public const string Usage =
        "usage: mcp-cloud-tools sandbox [--port 4566] [--scenario default|empty] [--size key=count]... [--seed n]\n"
        + "                               [--region us-east-1] [--access-key test] [--secret-key test] [--clock-speed 1]";

    /// <summary>Parses the command's arguments into options (throws <see cref="ArgumentException"/> with a usage hint).</summary>
    public static SandboxOptions ParseArguments(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new SandboxOptions { Port = 4566 };
        var scenario = SandboxScenario.Default;
        var sizes = new List<string>();
        int? seed = null;
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            switch (args[i])
            {
                case "--port": options = options with { Port = ParseInt(Value(), "--port") }; break;
                case "--scenario": scenario = SandboxScenario.Named(Value()); break;
                case "--size": sizes.Add(Value()); break;
                case "--seed": seed = ParseInt(Value(), "--seed"); break;
                case "--region": options = options with { Region = Value() }; break;
                case "--access-key": options = options with { AccessKey = Value() }; break;
                case "--secret-key": options = options with { SecretKey = Value() }; break;
                case "--clock-speed":
                    options = options with { ClockSpeed = double.Parse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture) };
                    break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'.\n{Usage}");
            }
        }
        foreach (var size in sizes) scenario = scenario.WithSizeArgument(size);
        if (seed is { } s) scenario = scenario with { Seed = s };
        return options with { Scenario = scenario };
    }

    /// <summary>Runs the sandbox until <paramref name="cancellationToken"/> fires; returns the process exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, ILoggerFactory loggerFactory, TextWriter stderr,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        SandboxOptions options;
        try
        {
            options = ParseArguments(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            await stderr.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 2;
        }
        await using var host = await StartAsync(options, loggerFactory, cancellationToken).ConfigureAwait(false);
        await stderr.WriteLineAsync(Banner(host)).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: stop quietly.
        }
        return 0;
    }

    /// <summary>What the user needs to point AWS tools at the sandbox.</summary>
    public static string Banner(SandboxHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var url = host.Endpoint.GetLeftPart(UriPartial.Authority);
        var o = host.Options;
        return $"AWS sandbox listening on {url} (account {o.AccountId}, region {o.Region}, scenario {o.Scenario.Name}; "
            + $"services: {string.Join(", ", host.Services.Select(s => s.SigningName))})\n"
            + $"  export AWS_ENDPOINT_URL={url} AWS_ACCESS_KEY_ID={o.AccessKey} AWS_SECRET_ACCESS_KEY={o.SecretKey} AWS_REGION={o.Region} AWS_DEFAULT_REGION={o.Region}\n"
            + $"  state: {url}/_sandbox/state   faults: POST {url}/_sandbox/faults   clock: POST {url}/_sandbox/clock\n"
            + "Press Ctrl+C to stop.";
    }

    private static Task<SandboxHost> StartAsync(SandboxOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken) =>
        SandboxHost.StartAsync(options, loggerFactory, cancellationToken);

    private static int ParseInt(string value, string name) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var result)
            ? result
            : throw new ArgumentException($"{name} expects a non-negative integer, got '{value}'.\n{Usage}");
}
