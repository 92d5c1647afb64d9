using McpCloudTools.Aws;
using McpCloudTools.Core.Mcp;
using McpCloudTools.Core.Safety;
using McpCloudTools.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpCloudTools.Testing;

/// <summary>
/// What plugin tests drive: a sandbox (the emulated AWS account, real HTTP on loopback) and an MCP server built as
/// the product builds it, with the given plugins and the AWS layer pointed at the sandbox, plus an MCP client.
/// </summary>
public sealed class SandboxHarness : IAsyncDisposable
{
    private SandboxHarness(SandboxHost sandbox, McpHarness mcp)
    {
        Sandbox = sandbox;
        Mcp = mcp;
    }

    /// <summary>The emulated account: its state, clock and fault injector.</summary>
    public SandboxHost Sandbox { get; }

    /// <summary>The MCP server and its client.</summary>
    public McpHarness Mcp { get; }

    /// <summary>Starts a sandbox and a server with <paramref name="addPlugins"/>.</summary>
    /// <param name="addPlugins">e.g. <c>s =&gt; s.AddPlugin&lt;Ec2Plugin&gt;()</c>.</param>
    /// <param name="sandbox">Sandbox options (scenario, sizes, faults); default: the default scenario on a free port.</param>
    /// <param name="safety">Safety options; default read-only, redacted.</param>
    /// <param name="awsOptions">Retry/timeout policy; default: fast retries so fault tests stay quick.</param>
    /// <param name="protocolVersion">The client's MCP revision.</param>
    /// <param name="callTimeout">The whole-call deadline of read tools (<c>--call-timeout</c>); default the product's.</param>
    /// <param name="elicit">The client's user answering elicitation requests; null: a client without elicitation support.</param>
    /// <param name="configure">More services for the server (e.g. a JSON audit trail).</param>
    public static async Task<SandboxHarness> StartAsync(Action<IServiceCollection> addPlugins, SandboxOptions? sandbox = null,
        SafetyOptions? safety = null, AwsClientOptions? awsOptions = null, string? protocolVersion = "2025-11-25", TimeSpan? callTimeout = null,
        Func<ModelContextProtocol.Protocol.ElicitRequestParams?, ModelContextProtocol.Protocol.ElicitResult>? elicit = null,
        Action<IServiceCollection>? configure = null)
    {
        TestEnvironment.Initialize();
        var host = await SandboxHost.StartAsync(sandbox ?? new SandboxOptions(), NullLoggerFactory.Instance, CancellationToken.None);
        var environment = AwsEnvironment.ForSandbox(host.Endpoint, host.Options.AccessKey, host.Options.SecretKey, host.Options.Region);
        var policy = awsOptions ?? FastRetries;
        var mcp = await McpHarness.StartAsync(addPlugins, safety, protocolVersion: protocolVersion, elicit: elicit,
            configure: s =>
            {
                s.AddAws(_ => environment, policy);
                if (callTimeout is { } t) s.AddSingleton(new CallLimits { CallTimeout = t });
                s.AddSingleton(new McpCloudTools.Core.Plugins.SandboxTarget(host.Endpoint, host.Options.SlurmUser, host.Options.SlurmToken));
                configure?.Invoke(s);
            });
        return new SandboxHarness(host, mcp);
    }

    /// <summary>The production policy with short delays, so that throttling tests finish quickly.</summary>
    public static AwsClientOptions FastRetries { get; } = AwsClientOptions.Default with
    {
        BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50), JitterSeed = 7,
    };

    /// <summary>Calls a tool.</summary>
    public Task<ModelContextProtocol.Protocol.CallToolResult> CallAsync(string tool, object? arguments = null, CancellationToken cancellationToken = default) =>
        Mcp.CallAsync(tool, arguments, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Mcp.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}

/// <summary>Keeps every test process away from the instance-metadata address and real credentials.</summary>
public static class TestEnvironment
{
    /// <summary>
    /// Sets the safe environment (idempotent). Each test project also calls it from a <c>[ModuleInitializer]</c> of its
    /// own, so that it runs before any AWS SDK code reads the environment.
    /// </summary>
    public static void Initialize()
    {
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "test");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "test");
        Environment.SetEnvironmentVariable("AWS_REGION", "us-east-1");
        Environment.SetEnvironmentVariable("AWS_DEFAULT_REGION", "us-east-1");
    }
}
