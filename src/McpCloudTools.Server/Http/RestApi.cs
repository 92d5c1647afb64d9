using McpCloudTools.Core;
using McpCloudTools.Core.Mcp;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Core.Safety;
using McpCloudTools.Core.Output;

namespace McpCloudTools.Server.Http;

/// <summary>
/// The REST management API under <c>/api</c>. It shares the registry with MCP, so a change made here is what
/// connected MCP clients see at once (with <c>notifications/tools/list_changed</c>). Errors are RFC 7807 problems.
/// </summary>
public static partial class RestApi
{
    private const string ActivateSuffix = "/activate";

    /// <summary>Maps the endpoints onto <paramref name="api"/>.</summary>
    public static RouteGroupBuilder Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/plugin-types", (ToolCatalog catalog, InstanceRegistry instances) => catalog.Plugins.Select(p => new PluginTypeDto(p.Info.Type,
            p.Info.Name, p.Info.Description, p.Info.Icon, p.Info.Version, [.. catalog.ToolsOf(p.Info.Type).Select(t => t.Name)], p.ConfigKeys,
            instances.All.Count(i => i.Type == p.Info.Type))).ToArray());

        api.MapGet("/plugins", (InstanceRegistry instances, ToolCatalog catalog, HealthCache health, SafetyOptions s) =>
            instances.All.Select(i => Dto.From(i, catalog, health, s)).ToArray());
        api.MapGet("/plugins/{id}", (string id, InstanceRegistry instances, ToolCatalog catalog, HealthCache health, SafetyOptions s) =>
            Dto.From(instances.Get(id), catalog, health, s));
        api.MapPost("/plugins", async (CreatePluginRequest body, InstanceRegistry instances, ToolCatalog catalog, HealthCache health, SafetyOptions s,
            CancellationToken ct) =>
        {
            var created = await instances.CreateAsync(Required(body.Type, "type"), body.Id, body.DisplayName, body.Config, body.Enabled ?? true, ct)
                .ConfigureAwait(false);
            return TypedResults.Created($"/api/plugins/{created.Id}", Dto.From(created, catalog, health, s));
        });
        api.MapMethods("/plugins/{id}", ["PATCH"], async (string id, UpdatePluginRequest body, InstanceRegistry instances, ToolCatalog catalog,
            HealthCache health, SafetyOptions s, CancellationToken ct) =>
            Dto.From(await instances.UpdateAsync(id, body.DisplayName, Dto.Unredact(body.Config, instances.Get(id), catalog), ct).ConfigureAwait(false),
                catalog, health, s));
        api.MapDelete("/plugins/{id}", async (string id, InstanceRegistry instances, CancellationToken ct) =>
        {
            await instances.RemoveAsync(id, ct).ConfigureAwait(false);
            return TypedResults.NoContent();
        });
        api.MapPost("/plugins/{id}/enable", async (string id, InstanceRegistry instances, ToolCatalog catalog, HealthCache health, SafetyOptions s,
            CancellationToken ct) => Dto.From(await instances.SetEnabledAsync(id, true, ct).ConfigureAwait(false), catalog, health, s));
        api.MapPost("/plugins/{id}/disable", async (string id, InstanceRegistry instances, ToolCatalog catalog, HealthCache health, SafetyOptions s,
            CancellationToken ct) => Dto.From(await instances.SetEnabledAsync(id, false, ct).ConfigureAwait(false), catalog, health, s));

        // Clusters are discovered lazily, on first use; the REST API discovers them as clusters_list and
        // cluster_activate do, or a fresh server would list none and refuse to activate any. What failed is reported
        // beside the list, as clusters_list reports it.
        api.MapGet("/clusters", async (HttpContext http, ClusterRegistry clusters, ActiveClusters active, ToolCatalog catalog, PluginRouter router,
            SafetyOptions s, CancellationToken ct) =>
        {
            var failures = await router.InitializeAllAsync(null, refresh: false, ct).ConfigureAwait(false);
            var current = active.Get(CallerKey.Of(http.User));
            return new ClusterListDto([.. clusters.All.Select(c => Dto.From(c, catalog, current, s))],
                [.. failures.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new DiscoveryFailureDto(f.Key, Redactor.Apply(f.Value, s.AllowSensitiveData)))]);
        });
        api.MapPost("/clusters", async (HttpContext http, CreateClusterRequest body, ClusterRegistry clusters, ActiveClusters active, ToolCatalog catalog,
            SafetyOptions s, CancellationToken ct) =>
        {
            var name = Required(body.Name, "name");
            var created = await clusters.RegisterAsync(new ClusterInfo(body.Id ?? "", name, body.Region ?? "", Required(body.PluginType, "pluginType"),
                string.IsNullOrWhiteSpace(body.InstanceId) ? null : body.InstanceId, body.Config ?? []), ct).ConfigureAwait(false);
            return TypedResults.Created($"/api/clusters/{Uri.EscapeDataString(created.Id)}",
                Dto.From(created, catalog, active.Get(CallerKey.Of(http.User)), s));
        });

        // One route shape for a cluster id, which may hold '/' (eks:dev/x): sent as is or as %2F, read the same way.
        api.MapDelete("/clusters/{**path}", async (string path, ClusterRegistry clusters, CancellationToken ct) =>
        {
            await clusters.RemoveAsync(ClusterId(path), ct).ConfigureAwait(false);
            return TypedResults.NoContent();
        });
        api.MapPost("/clusters/{**path}", async (HttpContext http, string path, ClusterRegistry clusters, ActiveClusters active, ToolCatalog catalog,
            PluginRouter router, SafetyOptions s, CancellationToken ct) =>
        {
            if (!path.EndsWith(ActivateSuffix, StringComparison.Ordinal) || path.Length == ActivateSuffix.Length)
            {
                throw new BadHttpRequestException($"No such endpoint: POST /api/clusters/{Shown(path)}. Use POST /api/clusters/{{id}}/activate, or POST /api/clusters to register one.",
                    StatusCodes.Status404NotFound);
            }

            var clusterId = ClusterId(path[..^ActivateSuffix.Length]);
            if (clusters.Find(clusterId) is null)
            {
                await router.InitializeAllAsync(null, refresh: false, ct).ConfigureAwait(false);
            }

            var caller = CallerKey.Of(http.User);
            var activated = await active.ActivateAsync(caller, clusterId, ct).ConfigureAwait(false);
            return Dto.From(activated, catalog, activated, s);
        });

        api.MapGet("/status", async (HttpContext http, InstanceRegistry instances, ActiveClusters active, ToolAdvertiser advertiser, ToolCatalog catalog,
            HealthCache health, PluginRouter router, SafetyOptions safety, CancellationToken ct) =>
        {
            var rows = await Task.WhenAll(instances.All.Select(async i =>
            {
                if (!i.Enabled || catalog.FindPlugin(i.Type) is null)
                {
                    return new InstanceStatusDto(i.Id, i.Type, i.Enabled, Dto.From(health.Last(i.Id), safety), null, null);
                }

                var (report, status) = await HealthChecks.RunAsync(catalog, router, health, i, ct, withStatus: true).ConfigureAwait(false);
                return new InstanceStatusDto(i.Id, i.Type, true, Dto.From(report, safety),
                    status is null ? null : Redactor.Apply(status.Text, safety.AllowSensitiveData), status?.Counts);
            })).ConfigureAwait(false);
            return new StatusDto(typeof(RestApi).Assembly.GetName().Version?.ToString(3) ?? "0.0.0", safety.AllowWrite, safety.AllowSensitiveData,
                advertiser.Tools.Count, active.Get(CallerKey.Of(http.User))?.Id, rows);
        });
        return api;
    }

    /// <summary>A cluster id from its route segment(s): a '/' in the id arrives as is or as %2F.</summary>
    private static string ClusterId(string path) => Uri.UnescapeDataString(path);

    private static string Shown(string path) => Fmt.Clip(path, 80);

    private static string Required(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new RegistryException(RegistryErrorKind.Invalid, $"'{name}' is required.") : value;

    /// <summary>
    /// Middleware answering failures as problem details: the caller's mistakes (registry refusals, validation, bad
    /// bodies) with their message and no log noise; a change refused because the shared state store is out of reach as
    /// a 503 with one warning line (its reason, no stack); the server's own faults (a state write that failed) as a 500
    /// saying what failed, logged; anything else as a 500 without internals, logged with its stack.
    /// </summary>
    public static async Task HandleErrorsAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("McpCloudTools.Api");
            if (e is StateUnavailableException)
            {
                // Expected while the database is away (the store logs the outage once): one line, no stack.
                LogRefusedUnavailable(logger, context.Request.Method, context.Request.Path, e.Message);
            }
            else if (e is not (ToolException or BadHttpRequestException))
            {
                LogFailure(logger, e, context.Request.Path);
            }

            await Problem(e).ExecuteAsync(context).ConfigureAwait(false);
        }
    }

    [LoggerMessage(LogLevel.Error, "Request {Path} failed")]
    private static partial void LogFailure(ILogger logger, Exception exception, string path);

    [LoggerMessage(LogLevel.Warning, "Request {Method} {Path} refused (503): {Reason}")]
    private static partial void LogRefusedUnavailable(ILogger logger, string method, string path, string reason);

    /// <summary>
    /// Turns failures into problem details: registry refusals (404, 409, 400, with the remedy in REST terms) and other
    /// validation failures (400); an unreachable state store (503: nothing changed, retry later); a server fault (500, saying what failed); anything else a 500 without internals.
    /// </summary>
    public static IResult Problem(Exception e) => e switch
    {
        RegistryException r => TypedResults.Problem(RestRemedies.Message(r), statusCode: r.Kind switch
        {
            RegistryErrorKind.NotFound => StatusCodes.Status404NotFound,
            RegistryErrorKind.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        }, title: r.Kind.ToString()),
        ToolException t => TypedResults.Problem(t.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid"),
        BadHttpRequestException b => TypedResults.Problem(b.Message, statusCode: b.StatusCode, title: b.StatusCode == 404 ? "Not found" : "Bad request"),
        StateUnavailableException u => TypedResults.Problem(u.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "State store unavailable"),
        ServerFaultException f => TypedResults.Problem(f.Message, statusCode: StatusCodes.Status500InternalServerError, title: "Server error"),
        _ => TypedResults.Problem("The server failed to handle the request; its log (stderr) has details.", statusCode: 500, title: "Internal error"),
    };
}

/// <summary>How a REST answer words what the caller can do about a registry refusal: with the API's own routes.</summary>
public static class RestRemedies
{
    /// <summary>The refusal's message followed by its remedy, in REST terms.</summary>
    public static string Message(RegistryException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var remedy = refusal.Remedy switch
        {
            RegistryRemedy.EnableInstance => "Enable it (POST /api/plugins/{id}/enable), or use another instance.",
            RegistryRemedy.EnableOrCreateInstance => "Enable one (POST /api/plugins/{id}/enable), or create one (POST /api/plugins).",
            RegistryRemedy.DiscoverClusters => "GET /api/clusters discovers them; register one with POST /api/clusters.",
            RegistryRemedy.ListClusters => "GET /api/clusters lists them.",
            RegistryRemedy.ActivateCluster => "Or make one active with POST /api/clusters/{id}/activate.",
            _ => null,
        };
        return remedy is null ? refusal.Message : $"{refusal.Message} {remedy}";
    }
}
