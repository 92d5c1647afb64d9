using McpCloudTools.Core;
using McpCloudTools.Core.Mcp;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Core.Safety;

namespace McpCloudTools.Server.Http;

/// <summary>
/// The REST management API under <c>/api</c>. It shares the registry with MCP, so a change made here is what
/// connected MCP clients see at once (with <c>notifications/tools/list_changed</c>). Errors are RFC 7807 problems.
/// </summary>
public static partial class RestApi
{
    /// <summary>Maps the endpoints onto <paramref name="api"/>.</summary>
    public static RouteGroupBuilder Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/plugin-types", (PluginRegistry r) => r.Catalog.Plugins.Select(p => new PluginTypeDto(p.Info.Type, p.Info.Name,
            p.Info.Description, p.Info.Icon, p.Info.Version, [.. r.Catalog.ToolsOf(p.Info.Type).Select(t => t.Name)], p.ConfigKeys,
            r.Instances.Count(i => i.Type == p.Info.Type))).ToArray());

        api.MapGet("/plugins", (PluginRegistry r, SafetyOptions s) => r.Instances.Select(i => Dto.From(i, r, s)).ToArray());
        api.MapGet("/plugins/{id}", (string id, PluginRegistry r, SafetyOptions s) => Dto.From(r.GetInstance(id), r, s));
        api.MapPost("/plugins", (CreatePluginRequest body, PluginRegistry r, SafetyOptions s) =>
        {
            var created = r.CreateInstance(Required(body.Type, "type"), body.Id, body.DisplayName, body.Config, body.Enabled ?? true);
            return TypedResults.Created($"/api/plugins/{created.Id}", Dto.From(created, r, s));
        });
        api.MapMethods("/plugins/{id}", ["PATCH"], (string id, UpdatePluginRequest body, PluginRegistry r, SafetyOptions s) =>
            Dto.From(r.UpdateInstance(id, body.DisplayName, Dto.Unredact(body.Config, r.GetInstance(id), r)), r, s));
        api.MapDelete("/plugins/{id}", (string id, PluginRegistry r) =>
        {
            r.RemoveInstance(id);
            return TypedResults.NoContent();
        });
        api.MapPost("/plugins/{id}/enable", (string id, PluginRegistry r, SafetyOptions s) => Dto.From(r.SetEnabled(id, true), r, s));
        api.MapPost("/plugins/{id}/disable", (string id, PluginRegistry r, SafetyOptions s) => Dto.From(r.SetEnabled(id, false), r, s));

        // Clusters are discovered lazily, on first use; the REST API discovers them as clusters_list and
        // cluster_activate do, or a fresh server would list none and refuse to activate any.
        api.MapGet("/clusters", async (PluginRegistry r, PluginRouter router, SafetyOptions s, CancellationToken ct) =>
        {
            await router.InitializeAllAsync(null, refresh: false, ct).ConfigureAwait(false);
            return r.Clusters.Select(c => Dto.From(c, r, s)).ToArray();
        });
        api.MapPost("/clusters", (CreateClusterRequest body, PluginRegistry r, SafetyOptions s) =>
        {
            var name = Required(body.Name, "name");
            var created = r.RegisterCluster(new ClusterInfo(body.Id ?? "", name, body.Region ?? "", Required(body.PluginType, "pluginType"),
                string.IsNullOrWhiteSpace(body.InstanceId) ? null : body.InstanceId, body.Config ?? []));
            return TypedResults.Created($"/api/clusters/{Uri.EscapeDataString(created.Id)}", Dto.From(created, r, s));
        });
        api.MapDelete("/clusters/{**id}", (string id, PluginRegistry r) =>
        {
            r.RemoveCluster(Uri.UnescapeDataString(id));
            return TypedResults.NoContent();
        });
        api.MapPost("/clusters/{id}/activate", async (string id, PluginRegistry r, PluginRouter router, SafetyOptions s, CancellationToken ct) =>
        {
            var clusterId = Uri.UnescapeDataString(id);
            if (r.State.FindCluster(clusterId) is null)
            {
                await router.InitializeAllAsync(null, refresh: false, ct).ConfigureAwait(false);
            }

            return Dto.From(r.ActivateCluster(clusterId), r, s);
        });

        api.MapGet("/status", async (PluginRegistry r, PluginRouter router, SafetyOptions safety, CancellationToken ct) =>
        {
            var rows = await Task.WhenAll(r.Instances.Select(async i =>
            {
                if (!i.Enabled || r.Catalog.FindPlugin(i.Type) is null)
                {
                    return new InstanceStatusDto(i.Id, i.Type, i.Enabled, Dto.From(r.LastHealth(i.Id), safety), null, null);
                }

                var (health, status) = await HealthChecks.RunAsync(r, router, i, ct, withStatus: true).ConfigureAwait(false);
                return new InstanceStatusDto(i.Id, i.Type, true, Dto.From(health, safety),
                    status is null ? null : Redactor.Apply(status.Text, safety.AllowSensitiveData), status?.Counts);
            })).ConfigureAwait(false);
            return new StatusDto(typeof(RestApi).Assembly.GetName().Version?.ToString(3) ?? "0.0.0", safety.AllowWrite, safety.AllowSensitiveData,
                r.Tools.Count, r.ActiveCluster?.Id, rows);
        });
        return api;
    }

    private static string Required(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new RegistryException(RegistryErrorKind.Invalid, $"'{name}' is required.") : value;

    /// <summary>
    /// Middleware answering failures as problem details: the caller's mistakes (registry refusals, validation, bad
    /// bodies) with their message and no log noise; anything else as a 500 without internals, logged with its stack.
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
            if (e is not (ToolException or BadHttpRequestException))
            {
                LogFailure(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("McpCloudTools.Api"), e, context.Request.Path);
            }

            await Problem(e).ExecuteAsync(context).ConfigureAwait(false);
        }
    }

    [LoggerMessage(LogLevel.Error, "Request {Path} failed")]
    private static partial void LogFailure(ILogger logger, Exception exception, string path);

    /// <summary>Turns registry and validation failures into problem details; anything else is a 500 without internals.</summary>
    public static IResult Problem(Exception e) => e switch
    {
        RegistryException r => TypedResults.Problem(r.Message, statusCode: r.Kind switch
        {
            RegistryErrorKind.NotFound => StatusCodes.Status404NotFound,
            RegistryErrorKind.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        }, title: r.Kind.ToString()),
        ToolException t => TypedResults.Problem(t.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid"),
        BadHttpRequestException b => TypedResults.Problem(b.Message, statusCode: b.StatusCode, title: "Bad request"),
        _ => TypedResults.Problem("The server failed to handle the request; its log (stderr) has details.", statusCode: 500, title: "Internal error"),
    };
}
