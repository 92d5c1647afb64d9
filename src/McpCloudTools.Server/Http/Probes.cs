using McpCloudTools.Core.Registry;
using McpCloudTools.Core.State;

namespace McpCloudTools.Server.Http;

/// <summary>
/// The probes, served without a token or Host check (they reveal nothing): <c>/healthz</c> is liveness, the process
/// answers (200 <c>ok</c>, or 200 <c>degraded: why</c> while the shared state database is away, since restarting would
/// not bring it back and would drop the state being served); <c>/readyz</c> is readiness: the state is loaded and the
/// store reachable (200 <c>ready</c>), or out of reach but serving the last state (200 with
/// <see cref="ServerOptions.ReadyWhenDegraded"/>, else 503), and 503 <c>stopping</c> once shutdown began.
/// </summary>
internal static class Probes
{
    /// <summary>The paths, for the middleware that exempts them.</summary>
    public static bool IsProbe(string path) => path is "/healthz" or "/readyz";

    public static void Map(WebApplication app, ServerOptions options)
    {
        var store = app.Services.GetRequiredService<IStateStore>() as IStateStoreHealth;
        var owner = app.Services.GetRequiredService<RegistryStateOwner>();
        var lifetime = app.Lifetime;
        app.MapGet("/healthz", () => store?.Problem is { } problem ? $"degraded: {Describe(problem, owner)}" : "ok");
        app.MapGet("/readyz", () =>
        {
            if (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                return Results.Text("stopping", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            return store?.Problem is { } problem
                ? Results.Text($"{(options.ReadyWhenDegraded ? "ready, degraded" : "not ready")}: {Describe(problem, owner)}",
                    statusCode: options.ReadyWhenDegraded ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable)
                : Results.Text("ready");
        });
    }

    private static string Describe(StoreProblem problem, RegistryStateOwner owner) =>
        $"the state store {owner.Location} is unreachable since {problem.Since.UtcDateTime:yyyy-MM-ddTHH:mm:ss}Z ({problem.Reason}); " +
        $"serving state version {owner.Version}, refusing changes, reconnecting";
}
