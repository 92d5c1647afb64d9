using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace McpCloudTools.Sandbox;

/// <summary>
/// The unsigned control endpoint on the sandbox port: <c>GET /_sandbox/state</c>, <c>POST|DELETE /_sandbox/faults</c>,
/// <c>POST /_sandbox/clock</c>. It listens on loopback only, like the rest of the sandbox.
/// </summary>
internal sealed class SandboxControl(SandboxContext context, IReadOnlyList<ISandboxService> services, FaultInjector faults)
{
    public async Task HandleAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var path = http.Request.Path.Value ?? "";
        var method = http.Request.Method;
        try
        {
            switch (path)
            {
                case "/_sandbox/state" when HttpMethods.IsGet(method):
                    await WriteAsync(http, State(), cancellationToken).ConfigureAwait(false);
                    return;
                case "/_sandbox/faults" when HttpMethods.IsPost(method):
                    var fault = await ReadAsync(http, SandboxJsonContext.Default.FaultRequest, cancellationToken).ConfigureAwait(false);
                    if (string.IsNullOrWhiteSpace(fault.Service)) throw new ArgumentException("'service' is required (e.g. \"logs\").");
                    faults.Set(fault.Service, new FaultSettings
                    {
                        ThrottleRate = fault.ThrottleRate, ErrorRate = fault.ErrorRate,
                        Latency = TimeSpan.FromMilliseconds(fault.LatencyMs), ThrottleNext = fault.ThrottleNext,
                        ErrorNext = fault.ErrorNext, RetryAfterSeconds = fault.RetryAfterSeconds,
                    });
                    await WriteAsync(http, State(), cancellationToken).ConfigureAwait(false);
                    return;
                case "/_sandbox/faults" when HttpMethods.IsDelete(method):
                    faults.Clear();
                    await WriteAsync(http, State(), cancellationToken).ConfigureAwait(false);
                    return;
                case "/_sandbox/clock" when HttpMethods.IsPost(method):
                    var clock = await ReadAsync(http, SandboxJsonContext.Default.ClockRequest, cancellationToken).ConfigureAwait(false);
                    if (clock.Speed is { } speed) context.Clock.Speed = speed;
                    if (clock.AdvanceSeconds > 0) context.Clock.Advance(TimeSpan.FromSeconds(clock.AdvanceSeconds));
                    await WriteAsync(http, State(), cancellationToken).ConfigureAwait(false);
                    return;
                default:
                    http.Response.StatusCode = StatusCodes.Status404NotFound;
                    await http.Response.WriteAsync(
                        "Unknown control endpoint. Use GET /_sandbox/state, POST|DELETE /_sandbox/faults, POST /_sandbox/clock.",
                        cancellationToken).ConfigureAwait(false);
                    return;
            }
        }
        catch (Exception e) when (e is ArgumentException or JsonException)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsync(e.Message, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The summary <c>GET /_sandbox/state</c> returns (also used by the host).</summary>
    public SandboxStateView State() => new()
    {
        Clock = context.Clock.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        Speed = context.Clock.Speed,
        AccountId = context.AccountId,
        Region = context.Region,
        Scenario = context.Options.Scenario.Name,
        Services = services.ToDictionary(s => s.SigningName, s => s.Summary()),
        Faults = faults.Snapshot().ToDictionary(p => p.Key, p => new FaultRequest
        {
            Service = p.Key, ThrottleRate = p.Value.ThrottleRate, ErrorRate = p.Value.ErrorRate,
            LatencyMs = (int)p.Value.Latency.TotalMilliseconds, ThrottleNext = p.Value.ThrottleNext,
            ErrorNext = p.Value.ErrorNext, RetryAfterSeconds = p.Value.RetryAfterSeconds,
        }),
    };

    private static async Task<T> ReadAsync<T>(HttpContext http, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type,
        CancellationToken cancellationToken) =>
        await JsonSerializer.DeserializeAsync(http.Request.Body, type, cancellationToken).ConfigureAwait(false)
        ?? throw new ArgumentException("A JSON body is required.");

    private static Task WriteAsync(HttpContext http, SandboxStateView state, CancellationToken cancellationToken)
    {
        http.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(http.Response.Body, state, SandboxJsonContext.Default.SandboxStateView, cancellationToken);
    }
}
