using System.Runtime.InteropServices;
using McpCloudTools.Aws;
using McpCloudTools.Core;
using McpCloudTools.Core.Audit;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Mcp;
using McpCloudTools.Core.Registry;
using McpCloudTools.Core.Safety;
using McpCloudTools.Core.State;
using McpCloudTools.Server.Http;
using McpCloudTools.Server.Stdio;
using McpCloudTools.Server.Telemetry;
using McpCloudTools.State.Postgres;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpCloudTools.Server;

/// <summary>
/// The composition of the server: command line, configuration, plugins, transports. Public so a custom build
/// (see <c>samples/</c>) can run the same server with its own plugins added in one line.
/// </summary>
public static partial class CloudToolsApp
{
    /// <summary>Runs the command the arguments name; returns the process exit code.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <param name="addPlugins">Registers the plugin types (<c>services.AddPlugin&lt;T&gt;()</c> each).</param>
    /// <param name="started">Called with the server's services once it serves (embedding, tests).</param>
    /// <param name="cancellationToken">Stops the server.</param>
    public static async Task<int> RunAsync(string[] args, Action<IServiceCollection> addPlugins, Action<IServiceProvider>? started = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(addPlugins);
        CommandLine commandLine;
        try
        {
            commandLine = CommandLine.Parse(args);
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"mcp-cloud-tools: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        switch (commandLine.Command)
        {
            case "help":
                await Console.Out.WriteLineAsync(commandLine.HelpText).ConfigureAwait(false);
                return 0;
            case "version":
                await Console.Out.WriteLineAsync(Version).ConfigureAwait(false);
                return 0;
            case "sandbox":
                using (var loggerFactory = LoggerFactory.Create(b => ConfigureLogging(b, BuildConfiguration(commandLine))))
                using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                using (PosixSignalRegistration.Create(PosixSignal.SIGINT, StopOn(stop)))
                using (PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopOn(stop)))
                {
                    return await McpCloudTools.Sandbox.SandboxCommand.RunAsync(commandLine.SandboxArgs, loggerFactory, Console.Error, stop.Token)
                        .ConfigureAwait(false);
                }
        }

        var configuration = BuildConfiguration(commandLine);
        var options = new ServerOptions();
        var settings = configuration.GetSection(ServerOptions.Section);
        if ((ServerOptions.UnknownKeyProblem(settings) ?? ServerOptions.TypeProblem(settings)) is { } settingProblem)
        {
            await Console.Error.WriteLineAsync($"mcp-cloud-tools: {settingProblem} See --help.").ConfigureAwait(false);
            return 2;
        }

        try
        {
            settings.Bind(options);
        }
        catch (InvalidOperationException e)
        {
            // A flag, MCPCLOUDTOOLS__<OPTION> or appsettings.json value of the wrong type ("--max-sessions lots",
            // MCPCLOUDTOOLS__ALLOWWRITE=maybe): the binder's message names the key and the type it wanted.
            await Console.Error.WriteLineAsync($"mcp-cloud-tools: {e.Message.TrimEnd('.')} (from a flag, MCPCLOUDTOOLS__<OPTION> or appsettings.json). See --help.").ConfigureAwait(false);
            return 2;
        }

        RegistryDeclarations declarations;
        try
        {
            declarations = Declarations.Read(configuration);
        }
        catch (DeclarationException e)
        {
            await Console.Error.WriteLineAsync($"mcp-cloud-tools: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        if (options.ChoiceProblem() is { } choiceProblem)
        {
            await Console.Error.WriteLineAsync($"mcp-cloud-tools: {choiceProblem}").ConfigureAwait(false);
            return 2;
        }

        if (options.LimitProblem() is { } limitProblem)
        {
            await Console.Error.WriteLineAsync($"mcp-cloud-tools: {limitProblem}").ConfigureAwait(false);
            return 2;
        }

        if (options.Transport is not ("stdio" or "http"))
        {
            await Console.Error.WriteLineAsync($"mcp-cloud-tools: Transport must be stdio or http, not '{options.Transport}' (from --transport, MCPCLOUDTOOLS__TRANSPORT or appsettings.json).").ConfigureAwait(false);
            return 2;
        }

        GrantMapping? grants = null;
        if (options.Auth.Enabled)
        {
            try
            {
                grants = SignIn.ReadGrants(configuration, options.Auth);
            }
            catch (FormatException e)
            {
                await Console.Error.WriteLineAsync($"mcp-cloud-tools: {e.Message}").ConfigureAwait(false);
                return 2;
            }

            if (options.Transport == "stdio" && string.IsNullOrWhiteSpace(options.Urls))
            {
                await Console.Error.WriteLineAsync("mcp-cloud-tools: --auth-issuer signs in HTTP callers; over stdio the person who started the process is the caller. " +
                    "Use --transport http, or drop --auth-issuer.").ConfigureAwait(false);
                return 2;
            }
        }

        McpCloudTools.Sandbox.SandboxOptions? sandbox = null;
        if (options.Sandbox)
        {
            try
            {
                sandbox = McpCloudTools.Sandbox.SandboxCommand.ParseArguments(commandLine.SandboxArgs) with { Port = 0 };
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync($"mcp-cloud-tools: {e.Message}").ConfigureAwait(false);
                return 2;
            }
        }
        else if (commandLine.SandboxArgs.Count > 0)
        {
            await Console.Error.WriteLineAsync("mcp-cloud-tools: --scenario, --size, --seed and --clock-speed need --sandbox.").ConfigureAwait(false);
            return 2;
        }

        var web = options.Transport == "http" || !string.IsNullOrWhiteSpace(options.Urls);
        if (ServerTelemetry.StartupProblem(options, configuration, web) is { } telemetryProblem)
        {
            await Console.Error.WriteLineAsync($"mcp-cloud-tools: {telemetryProblem}").ConfigureAwait(false);
            return 2;
        }

        var urls = string.IsNullOrWhiteSpace(options.Urls) ? ServerOptions.DefaultUrls : options.Urls;
        IReadOnlyList<ListenAddress> addresses = [];
        if (web)
        {
            try
            {
                addresses = ListenAddresses.Parse(urls);
            }
            catch (FormatException e)
            {
                await Console.Error.WriteLineAsync($"mcp-cloud-tools: {e.Message}").ConfigureAwait(false);
                return 2;
            }

            if (HttpSecurity.StartupProblem(options, addresses) is { } problem)
            {
                await Console.Error.WriteLineAsync($"mcp-cloud-tools: {problem}").ConfigureAwait(false);
                return 2;
            }
        }

        try
        {
            if (web)
            {
                await RunWebAsync(configuration, options, grants, sandbox, declarations, addresses, addPlugins, started, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await RunStdioAsync(configuration, options, sandbox, declarations, addPlugins, started, cancellationToken).ConfigureAwait(false);
            }

            return 0;
        }
        catch (DeclarationException e)
        {
            // A declared instance or cluster this build cannot use (unknown type, bad config): one line naming its key path.
            await Console.Error.WriteLineAsync($"mcp-cloud-tools: {e.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (BindingRefusedException e)
        {
            await Console.Error.WriteLineAsync($"mcp-cloud-tools: {e.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (StateFileException e)
        {
            await Console.Error.WriteLineAsync($"mcp-cloud-tools: {e.Message}").ConfigureAwait(false);
            return 3;
        }
        catch (IOException e) when (web && e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync($"mcp-cloud-tools: cannot listen on {urls}: {e.Message.TrimEnd('.')}. Choose another with --urls.").ConfigureAwait(false);
            return 4;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Never an unhandled exception (exit 134 and a stack trace): one line saying what failed, exit 1.
            var messages = string.Join(" | ", Chain(e).Select(x => $"{x.GetType().Name}: {x.Message.ReplaceLineEndings(" ")}"));
            await Console.Error.WriteLineAsync($"mcp-cloud-tools: stopped by an unexpected error: {Redactor.Apply(messages, allowSensitive: false)}. " +
                "Run with --log-level Debug for details, and report it if it persists.").ConfigureAwait(false);
            return 1;
        }
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x;
        }
    }

    private static Action<PosixSignalContext> StopOn(CancellationTokenSource stop) => signal =>
    {
        signal.Cancel = true;
        stop.Cancel();
    };

    /// <summary>The product version.</summary>
    public static string Version => typeof(CloudToolsApp).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private static async Task RunStdioAsync(ConfigurationManager configuration, ServerOptions options, McpCloudTools.Sandbox.SandboxOptions? sandbox,
        RegistryDeclarations declarations, Action<IServiceCollection> addPlugins,
        Action<IServiceProvider>? started, CancellationToken cancellationToken)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            Configuration = configuration, ContentRootPath = AppContext.BaseDirectory, DisableDefaults = true,
        });
        ConfigureLogging(builder.Logging, configuration);
        AddStdioTransport(AddServer(builder.Services, options, null, sandbox, declarations, addPlugins), options);
        ServerTelemetry.Add(builder.Services, options, configuration, web: false);
        using var host = builder.Build();
        await PrepareAsync(host.Services, options, cancellationToken).ConfigureAwait(false);
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        started?.Invoke(host.Services);
        await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task RunWebAsync(ConfigurationManager configuration, ServerOptions options, GrantMapping? grants, McpCloudTools.Sandbox.SandboxOptions? sandbox,
        RegistryDeclarations declarations, IReadOnlyList<ListenAddress> addresses, Action<IServiceCollection> addPlugins,
        Action<IServiceProvider>? started, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddConfiguration(configuration);
        // Bound explicitly as parsed (not through UseUrls): what the loopback guard decided is what Kestrel binds.
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            ListenAddresses.Bind(k, addresses);
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxRequestBytes;
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddProblemDetails();
        // Malformed bodies reach RestApi's error handling as exceptions, to be answered as problem details.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        builder.Services.AddSingleton(options);
        // SIGTERM: Kestrel stops accepting, in-flight requests get this long, listen streams are closed at once.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds));
        builder.Services.AddSingleton<HttpSecurity>();
        builder.Services.AddSingleton<McpSessions>();
        builder.Services.AddHttpContextAccessor();
        ConfigureLogging(builder.Logging, configuration);
        var mcp = AddServer(builder.Services, options, grants, sandbox, declarations, addPlugins);
        builder.Services.AddSingleton<RequestAudit>();
        if (options.Auth.Enabled)
        {
            SignIn.Add(builder.Services, options.Auth, SignIn.Audience(options, addresses));
            builder.Services.AddSingleton<SignIn>();
        }
        ServerTelemetry.Add(builder.Services, options, configuration, web: true);
        var httpTransport = options.Transport == "http";
        if (httpTransport)
        {
#pragma warning disable MCP9004 // Legacy SSE is deprecated by the SDK; we serve it for older clients, and --no-sse turns it off.
#pragma warning disable MCP9006 // Idle expiry of the stateful sessions we keep for clients that initialize (2025-11-25 and older).
#pragma warning disable MCPEXP002 // The session hook is how McpSessions learns when a session ends.
            mcp.WithHttpTransport(o =>
            {
                // Clients that initialize (MCP 2025-11-25 and older) get stateful sessions, where the SDK pushes
                // notifications/tools/list_changed; 2026-07-28 clients are served per request and hear about
                // changes through ToolListSubscriptions on their subscriptions/listen stream.
                o.SessionMode = HttpServerSessionMode.StatefulForInitializeClients;
                o.EnableLegacySse = options.LegacySse;
                o.IdleTimeout = TimeSpan.FromSeconds(options.SessionIdleSeconds);
                // McpSessions refuses a session over the limits; the SDK must never close a live one to make room.
                o.MaxIdleSessionCount = int.MaxValue;
            });
            builder.Services.AddOptions<HttpServerTransportOptions>().Configure<McpSessions>((o, sessions) => o.RunSessionHandler = sessions.RunSessionAsync);
#pragma warning restore MCPEXP002
#pragma warning restore MCP9006
            builder.Services.AddSingleton<ToolListSubscriptions>();
            builder.Services.AddOptions<McpServerOptions>().Configure<ToolListSubscriptions, McpSessions>((o, subscriptions, sessions) =>
            {
                o.Handlers.SubscriptionsListenHandler = sessions.Limit(subscriptions.HandleAsync);
                o.Capabilities ??= new ServerCapabilities();
                o.Capabilities.Tools ??= new ToolsCapability();
                o.Capabilities.Tools.ListChanged = true;
                o.Capabilities.Resources ??= new ResourcesCapability();
                o.Capabilities.Resources.ListChanged = true;
            });
#pragma warning restore MCP9004
        }
        else
        {
            AddStdioTransport(mcp, options);
        }

        await using var app = builder.Build();
        await PrepareAsync(app.Services, options, cancellationToken).ConfigureAwait(false);
        var security = app.Services.GetRequiredService<HttpSecurity>();
        app.Use(security.InvokeAsync);
        app.Use(new BodyLimit(options).InvokeAsync);
        app.Use(RestApi.HandleErrorsAsync);
        if (options.Auth.Enabled)
        {
            // The SDK's scheme answers /.well-known/oauth-protected-resource here; SignIn authenticates the endpoints.
            app.UseAuthentication();
            app.Use(app.Services.GetRequiredService<SignIn>().InvokeAsync);
        }

        app.Use(app.Services.GetRequiredService<RequestAudit>().InvokeAsync);
        if (httpTransport && options.LegacySse)
        {
            // Legacy SSE lives at /sse (+ /message), where older clients look for it; the SDK serves it under /mcp.
            app.Use((context, next) =>
            {
                if (context.Request.Path.Equals("/sse", StringComparison.OrdinalIgnoreCase) || context.Request.Path.Equals("/message", StringComparison.OrdinalIgnoreCase))
                {
                    context.Request.Path = "/mcp" + context.Request.Path;
                }

                return next(context);
            });
        }

        if (httpTransport)
        {
            app.Use(app.Services.GetRequiredService<McpSessions>().InvokeAsync);
        }

        app.UseRouting();
        Probes.Map(app, options);
        RestApi.Map(app.MapGroup("/api"));
        StatusPage.Map(app);
        if (options.Metrics && ServerTelemetry.IsSupported)
        {
            app.MapPrometheusScrapingEndpoint("/metrics");
        }

        if (httpTransport)
        {
            app.MapMcp("/mcp");
        }

        if (httpTransport)
        {
            var subscriptions = app.Services.GetRequiredService<ToolListSubscriptions>();
            app.Lifetime.ApplicationStopping.Register(subscriptions.Close);
        }

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        if (options.Tokens.Count == 0 && !options.Auth.Enabled && ListenAddresses.NotLoopback(app.Urls) is { Count: > 0 } beyond)
        {
            // Belt and braces: whatever configured Kestrel, a tokenless server serves this machine only.
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            throw new BindingRefusedException($"Kestrel listens on {string.Join(", ", beyond)}, beyond loopback, though the listen addresses " +
                $"({string.Join(";", addresses.Select(a => a.Text))}) were loopback only; stopped, since without an API token anyone who can reach it " +
                "could drive your AWS account. Check for Kestrel settings in appsettings.json or the environment, or set --api-token.");
        }

        started?.Invoke(app.Services);
        LogListening(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("McpCloudTools.Server"), string.Join(", ", app.Urls),
            httpTransport ? "Streamable HTTP /mcp" + (options.LegacySse ? ", SSE /sse" : "") + ", REST /api" : "MCP over stdio, REST /api");
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
    }

    private static IMcpServerBuilder AddServer(IServiceCollection services, ServerOptions options, GrantMapping? grants,
        McpCloudTools.Sandbox.SandboxOptions? sandbox, RegistryDeclarations declarations, Action<IServiceCollection> addPlugins)
    {
        services.AddSingleton(declarations);
        if (sandbox is not null)
        {
            // Registered first: its hosted service starts before the transports, in the background.
            services.AddSingleton(sp => new SandboxMode(sandbox, sp.GetRequiredService<ILoggerFactory>()));
            services.AddHostedService(sp => sp.GetRequiredService<SandboxMode>());
            services.AddSingleton<IReadinessGate>(sp => sp.GetRequiredService<SandboxMode>());
            // Plugins outside the AWS layer (Slurm) point at the same sandbox.
            services.AddSingleton(sp =>
            {
                var mode = sp.GetRequiredService<SandboxMode>();
                return new SandboxTarget(mode.Endpoint, mode.Options.SlurmUser, mode.Options.SlurmToken);
            });
            services.AddAws(sp =>
            {
                var mode = sp.GetRequiredService<SandboxMode>();
                return AwsEnvironment.ForSandbox(mode.Endpoint, mode.Options.AccessKey, mode.Options.SecretKey, mode.Options.Region);
            });
        }
        else
        {
            services.AddAws();
        }

        addPlugins(services);
        services.AddSingleton(new CallLimits { CallTimeout = TimeSpan.FromSeconds(options.CallTimeoutSeconds) });
        var safety = new SafetyOptions
        {
            AllowWrite = options.AllowWrite, AllowSensitiveData = options.AllowSensitiveData,
            Confirm = options.ConfirmLevel, ConfirmFallbackAllows = options.ConfirmFallback.Trim().Equals("allow", StringComparison.OrdinalIgnoreCase),
        };
        services.AddSingleton(new GrantPolicy(safety, grants));
        // JSON lines when asked for, and by default with sign-in (the audit must name each person); else the text line.
        var auditTarget = !string.IsNullOrWhiteSpace(options.AuditLog) ? options.AuditLog : grants is not null ? "stderr" : null;
        if (auditTarget is not null)
        {
            services.AddSingleton(sp => AuditTrail.Json(auditTarget, sp.GetRequiredService<ILogger<AuditTrail>>()));
        }

        return services.AddCloudToolsCore(safety, sp => CreateStateStore(options, sp));
    }

    /// <summary>MCP over stdin/stdout, behind <see cref="StdioFraming"/>: bounded lines, every malformed one answered.</summary>
    private static void AddStdioTransport(IMcpServerBuilder mcp, ServerOptions options)
    {
        var framing = new StdioFraming(Console.OpenStandardInput(), Console.OpenStandardOutput(), options.MaxRequestBytes).Start();
        mcp.Services.AddSingleton(framing);
        mcp.WithStreamServerTransport(framing.Input, framing.Output);
    }

    private static async Task PrepareAsync(IServiceProvider services, ServerOptions options, CancellationToken cancellationToken)
    {
        await services.LoadRegistryAsync(cancellationToken).ConfigureAwait(false);
        _ = services.GetService<RegistryGauges>();
        _ = services.GetService<ToolNameListener>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("McpCloudTools.Server");
        if (services.GetService<StdioFraming>() is { } framing)
        {
            framing.Logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("McpCloudTools.Stdio");
        }

        LogStarted(logger, Version, options.AllowWrite ? "read-write" : "read-only", options.AllowSensitiveData ? "shown" : "redacted",
            services.GetRequiredService<RegistryStateOwner>().Location, services.GetRequiredService<ToolAdvertiser>().Tools.Count);
    }

    private static IStateStore CreateStateStore(ServerOptions options, IServiceProvider services)
    {
        var path = options.StatePath;
        if (string.Equals(path, "none", StringComparison.OrdinalIgnoreCase))
        {
            return new InMemoryStateStore();
        }

        if (PostgresConnection.IsConnection(path))
        {
            // Shared by replicas: the DI container disposes it (stops listening, closes the pool) on shutdown.
            return new PostgresStateStore(PostgresConnection.Parse(path!, options.StatePasswordFile, Environment.GetEnvironmentVariable),
                services.GetRequiredService<ILogger<PostgresStateStore>>(), services.GetService<TimeProvider>());
        }

        // The sandbox gets its own default file, so that sandbox clusters never land in the real account's state.
        path ??= JsonFileStateStore.DefaultPath(options.Sandbox ? "sandbox-state.json" : "state.json");
        return new JsonFileStateStore(Environment.ExpandEnvironmentVariables(path.StartsWith('~')
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~', '/'))
            : path), services.GetRequiredService<ILogger<JsonFileStateStore>>());
    }

    private static ConfigurationManager BuildConfiguration(CommandLine commandLine)
    {
        var configuration = new ConfigurationManager();
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        // An installed tool's folder is not the user's to edit: the user's config folder is read after it.
        configuration.AddJsonFile(JsonFileStateStore.DefaultPath("appsettings.json"), optional: true, reloadOnChange: false);
        configuration.AddEnvironmentVariables();
        configuration.AddInMemoryCollection(commandLine.Settings.Select(kv => new KeyValuePair<string, string?>($"{ServerOptions.Section}:{kv.Key}", kv.Value)));
        return configuration;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, ConfigurationManager configuration)
    {
        logging.ClearProviders();
        var level = Enum.TryParse<LogLevel>(configuration[$"{ServerOptions.Section}:LogLevel"], ignoreCase: true, out var l) ? l : (LogLevel?)null;
        // stdout belongs to MCP in stdio mode: every log line goes to stderr.
        logging.AddProvider(new StderrLoggerProvider(Console.Error, stackTraces: level <= LogLevel.Debug));
        logging.SetMinimumLevel(level ?? LogLevel.Warning);
        logging.AddFilter("McpCloudTools", level ?? LogLevel.Information);
        logging.AddConfiguration(configuration.GetSection("Logging"));
    }

    [LoggerMessage(LogLevel.Information, "mcp-cloud-tools {Version}: {Mode}, sensitive data {Sensitive}; state {State}; {Tools} tools advertised")]
    private static partial void LogStarted(ILogger logger, string version, string mode, string sensitive, string state, int tools);

    [LoggerMessage(LogLevel.Information, "Listening on {Urls}: {Endpoints}")]
    private static partial void LogListening(ILogger logger, string urls, string endpoints);
}

/// <summary>Kestrel bound something other than what the listen addresses said; the server stopped.</summary>
internal sealed class BindingRefusedException(string message) : Exception(message);
