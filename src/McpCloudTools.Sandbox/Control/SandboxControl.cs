using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace McpCloudTools.Sandbox;

/// <summary>
/// The unsigned control endpoint on the sandbox port: <c>GET /_sandbox/state</c>, <c>POST|DELETE /_sandbox/faults</c>,
/// <c>POST /_sandbox/clock</c>. It listens on loopback only, like the rest of the sandbox, and being unsigned it also
/// refuses what a web page could send: a <c>Host</c> other than a loopback name (DNS rebinding), an <c>Origin</c>
/// other than a loopback one, and a POST body that is not <c>application/json</c> (a cross-origin form or
/// <c>text/plain</c> POST needs no preflight). Values are checked against <see cref="FaultLimits"/> and the
/// services the sandbox emulates; a bad one is a 400 saying what is valid.
/// </summary>
internal sealed class SandboxControl(IReadOnlyList<SandboxRegion> regions, FaultInjector faults)
{
    private readonly SandboxContext _context = regions[0].Context;
    private readonly IReadOnlyList<ISandboxService> _services = regions[0].Services;

    public async Task HandleAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var path = http.Request.Path.Value ?? "";
        var method = http.Request.Method;
        if (Refusal(http.Request) is { } refusal)
        {
            http.Response.StatusCode = refusal.Status;
            await http.Response.WriteAsync(refusal.Message, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            switch (path)
            {
                case "/_sandbox/state" when HttpMethods.IsGet(method):
                    await WriteAsync(http, State(), cancellationToken).ConfigureAwait(false);
                    return;
                case "/_sandbox/faults" when HttpMethods.IsPost(method):
                    var fault = await ReadAsync(http, SandboxJsonContext.Default.FaultRequest, cancellationToken).ConfigureAwait(false);
                    faults.Set(ValidService(fault.Service), FaultLimits.Validate(fault));
                    await WriteAsync(http, State(), cancellationToken).ConfigureAwait(false);
                    return;
                case "/_sandbox/faults" when HttpMethods.IsDelete(method):
                    faults.Clear();
                    await WriteAsync(http, State(), cancellationToken).ConfigureAwait(false);
                    return;
                case "/_sandbox/clock" when HttpMethods.IsPost(method):
                    var clock = await ReadAsync(http, SandboxJsonContext.Default.ClockRequest, cancellationToken).ConfigureAwait(false);
                    var (advance, newSpeed) = FaultLimits.Validate(clock);
                    if (newSpeed is { } speed) _context.Clock.Speed = speed;
                    if (advance > TimeSpan.Zero) _context.Clock.Advance(advance);
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

    private string ValidService(string? service)
    {
        var names = string.Join(", ", _services.Select(s => s.SigningName));
        if (string.IsNullOrWhiteSpace(service)) throw new ArgumentException($"'service' is required: one of {names}.");
        return _services.FirstOrDefault(s => s.SigningName.Equals(service.Trim(), StringComparison.OrdinalIgnoreCase))?.SigningName
            ?? throw new ArgumentException($"Unknown service '{SandboxScenario.Clip(service)}': use one of {names}.");
    }

    private static (int Status, string Message)? Refusal(HttpRequest request)
    {
        var host = request.Host.Host.Trim('[', ']');
        if (!(host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
              (System.Net.IPAddress.TryParse(host, out var ip) && System.Net.IPAddress.IsLoopback(ip))))
        {
            return (StatusCodes.Status421MisdirectedRequest, "The sandbox control endpoint answers only to loopback host names (127.0.0.1, localhost, [::1]).");
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !(Uri.TryCreate(origin, UriKind.Absolute, out var o) &&
                                   (o.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
                                    (System.Net.IPAddress.TryParse(o.Host.Trim('[', ']'), out var oip) && System.Net.IPAddress.IsLoopback(oip)))))
        {
            return (StatusCodes.Status403Forbidden, $"Origin '{SandboxScenario.Clip(origin, 80)}' may not use the sandbox control endpoint; only tools on this machine may.");
        }

        if (HttpMethods.IsPost(request.Method) &&
            !(request.ContentType is { } type && type.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase)))
        {
            return (StatusCodes.Status415UnsupportedMediaType, "Send the body as JSON with 'Content-Type: application/json'.");
        }

        return null;
    }

    /// <summary>The summary <c>GET /_sandbox/state</c> returns (also used by the host).</summary>
    public SandboxStateView State() => new()
    {
        Clock = _context.Clock.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        Speed = _context.Clock.Speed,
        AccountId = _context.AccountId,
        Region = _context.Region,
        Scenario = _context.Options.Scenario.Name,
        Services = _services.ToDictionary(s => s.SigningName, s => s.Summary()),
        Regions = regions.ToDictionary(r => r.Name, r => r.Services.ToDictionary(s => s.SigningName, s => s.Summary())),
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
