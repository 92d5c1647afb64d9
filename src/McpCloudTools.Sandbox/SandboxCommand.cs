using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace McpCloudTools.Sandbox;

/// <summary>
/// The <c>mcp-cloud-tools sandbox</c> command: runs the emulator alone until cancelled and tells the user, on
/// stderr, where it listens and which credentials to use. Like the server, it never dies with a stack trace: a bad
/// option is one message and exit 2, a port it cannot listen on one line and exit 4.
/// </summary>
public static partial class SandboxCommand
{
    /// <summary>Exit code of a bad option value.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code when a port cannot be listened on.</summary>
    public const int ListenError = 4;

    /// <summary>Usage text for <c>--help</c> and argument errors.</summary>
    public const string Usage =
        "usage: mcp-cloud-tools sandbox [--port 4566] [--scenario default|empty] [--size key=count]... [--seed n]\n"
        + "                               [--region us-east-1] [--access-key test] [--secret-key test] [--clock-speed 1]\n"
        + "                               [--web-identity-issuer URL [--web-identity-audience AUD]...]";

    /// <summary>The largest <c>--seed</c> (any non-negative 32-bit integer).</summary>
    private const int MaxSeed = int.MaxValue;

    private static string ParseIssuer(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? value.TrimEnd('/')
            : throw new ArgumentException($"--web-identity-issuer takes the issuer URL of an OpenID provider (https://…), not '{SandboxScenario.Clip(value)}'.");

    /// <summary>Parses the command's arguments into options (throws <see cref="ArgumentException"/> saying what is valid).</summary>
    public static SandboxOptions ParseArguments(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new SandboxOptions { Port = SandboxOptions.DefaultPort };
        var scenario = SandboxScenario.Default;
        var sizes = new List<string>();
        int? seed = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--port": options = options with { Port = ParsePort(Value()) }; break;
                case "--scenario": scenario = SandboxScenario.Named(Value()); break;
                case "--size": sizes.Add(Value()); break;
                case "--seed": seed = ParseWhole(Value(), "--seed", 0, MaxSeed, "the seed of the generated data"); break;
                case "--region": options = options with { Region = ParseRegion(Value()) }; break;
                case "--access-key": options = options with { AccessKey = ParseKey(Value(), "--access-key", AccessKeyShape()) }; break;
                case "--secret-key": options = options with { SecretKey = ParseKey(Value(), "--secret-key", SecretKeyShape()) }; break;
                case "--clock-speed": options = options with { ClockSpeed = ParseSpeed(Value()) }; break;
                case "--web-identity-issuer": options = options with { WebIdentityIssuer = ParseIssuer(Value()) }; break;
                case "--web-identity-audience": options = options with { WebIdentityAudiences = [.. options.WebIdentityAudiences, Value()] }; break;
                default:
                    throw new ArgumentException($"unknown option '{SandboxScenario.Clip(name)}'; the options are --port, --scenario, --size, "
                        + "--seed, --region, --access-key, --secret-key, --clock-speed, --web-identity-issuer and --web-identity-audience.");
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
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync($"mcp-cloud-tools sandbox: {e.Message}\n{Usage}").ConfigureAwait(false);
            return UsageError;
        }

        SandboxHost host;
        try
        {
            // With a fixed port this also binds every cluster's Kubernetes API, so a clash shows now.
            host = await SandboxHost.StartAsync(options, loggerFactory, cancellationToken).ConfigureAwait(false);
        }
        catch (SandboxListenException e)
        {
            await stderr.WriteLineAsync($"mcp-cloud-tools sandbox: {e.Message}").ConfigureAwait(false);
            return ListenError;
        }

        await using (host.ConfigureAwait(false))
        {
            await stderr.WriteLineAsync(Banner(host)).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: stop quietly.
            }
        }
        return 0;
    }

    /// <summary>What the user needs to point AWS tools at the sandbox.</summary>
    public static string Banner(SandboxHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var url = host.Endpoint.GetLeftPart(UriPartial.Authority);
        var o = host.Options;
        return $"AWS sandbox listening on {url} (account {o.AccountId}, regions {string.Join(" and ", o.Regions)} (default {o.Region}), "
            + $"scenario {o.Scenario.Name}; services: {string.Join(", ", host.Services.Select(s => s.SigningName))})\n"
            + $"  export AWS_ENDPOINT_URL={url} AWS_ACCESS_KEY_ID={o.AccessKey} AWS_SECRET_ACCESS_KEY={o.SecretKey} AWS_REGION={o.Region} AWS_DEFAULT_REGION={o.Region}\n"
            + KubernetesLine(host)
            + $"  state: {url}/_sandbox/state   faults: POST {url}/_sandbox/faults   clock: POST {url}/_sandbox/clock\n"
            + "Press Ctrl+C to stop.";
    }

    private static string KubernetesLine(SandboxHost host)
    {
        var apis = host.KubernetesApis();
        return apis.Count == 0 ? ""
            : "  Kubernetes APIs (stable for this --port): " + string.Join(", ", apis.Select(a => $"{a.Cluster} ({a.Region}) {a.Endpoint.GetLeftPart(UriPartial.Authority)}")) + "\n";
    }

    /// <summary>Whether an exception from starting a listener means the address could not be bound.</summary>
    internal static bool IsBindFailure(Exception e) =>
        e is AddressInUseException || e is SocketException || (e is IOException io && (io.InnerException is AddressInUseException or SocketException
            || io.Message.Contains("bind", StringComparison.OrdinalIgnoreCase) || io.Message.Contains("in use", StringComparison.OrdinalIgnoreCase)));

    /// <summary>The reason of a bind failure in a few words (<c>address already in use</c>, <c>permission denied</c>).</summary>
    internal static string BindReason(Exception e)
    {
        for (var x = (Exception?)e; x is not null; x = x.InnerException)
        {
            if (x is AddressInUseException) return "address already in use";
            if (x is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.AddressAlreadyInUse => "address already in use",
                    SocketError.AccessDenied => "permission denied (ports below 1024 need privileges)",
                    _ => socket.Message.TrimEnd('.').ToLowerInvariant(),
                };
            }
        }
        return e.Message.TrimEnd('.');
    }

    private static int ParsePort(string value) => ParseWhole(value, "--port", 0, SandboxOptions.MaxPort,
        $"a TCP port on 127.0.0.1; 0 picks a free one; the Kubernetes APIs take the next {SandboxOptions.KubernetesPortsReserved} ports");

    private static int ParseWhole(string value, string name, int min, int max, string what) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var result) && result >= min && result <= max
            ? result
            : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{name} must be a whole number from {min} to {max} ({what}), not '{SandboxScenario.Clip(value)}'."));

    private static double ParseSpeed(string value) =>
        double.TryParse(value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var speed)
        && double.IsFinite(speed) && speed >= 0 && speed <= FaultLimits.MaxSpeed
            ? speed
            : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"--clock-speed must be a number from 0 to {FaultLimits.MaxSpeed} (sandbox seconds per real second; 0 freezes time, 1 is real time), not '{SandboxScenario.Clip(value)}'."));

    private static string ParseRegion(string value) => RegionShape().IsMatch(value)
        ? value
        : throw new ArgumentException($"--region must be an AWS region name such as us-east-1 or eu-west-1, not '{SandboxScenario.Clip(value)}'. "
            + "The sandbox serves that region with the full scenario and a second one (eu-west-1, or us-east-1 when --region is eu-west-1) with a smaller account.");

    private static string ParseKey(string value, string name, Regex shape) => shape.IsMatch(value)
        ? value
        : throw new ArgumentException(name == "--access-key"
            ? $"--access-key must be 1 to 128 letters and digits (like AKIAIOSFODNN7EXAMPLE, or test), not '{SandboxScenario.Clip(value)}'."
            : "--secret-key must be 1 to 128 printable characters without spaces.");

    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$")]
    private static partial Regex RegionShape();

    [GeneratedRegex(@"^[A-Za-z0-9]{1,128}$")]
    private static partial Regex AccessKeyShape();

    [GeneratedRegex(@"^[\x21-\x7e]{1,128}$")]
    private static partial Regex SecretKeyShape();
}
