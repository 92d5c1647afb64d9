using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace McpCloudTools.Sandbox;

/// <summary>
/// The frame's request path on the one port: control endpoint, else route by the SigV4 credential scope (service and
/// region; or let a service of the default region claim an unsigned call), verify the signature, apply faults, and
/// hand over to that region's service, writing every error in that service's protocol.
/// </summary>
internal sealed partial class SandboxDispatcher(
    IReadOnlyList<SandboxRegion> regions, FaultInjector faults, SandboxControl control, ILogger<SandboxDispatcher> logger)
{
    private readonly SandboxContext _context = regions[0].Context;
    private readonly IReadOnlyList<ISandboxService> _services = regions[0].Services;

    private const int MaxBodyBytes = 16 * 1024 * 1024;

    public async Task InvokeAsync(HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        if (http.Request.Path.StartsWithSegments("/_sandbox", StringComparison.Ordinal))
        {
            await control.HandleAsync(http, cancellationToken).ConfigureAwait(false);
            return;
        }

        var body = await ReadBodyAsync(http.Request, cancellationToken).ConfigureAwait(false);
        var request = new SandboxRequest(http, body, Guid.NewGuid().ToString());
        var record = _context.Requests.Record("aws", http.Request.Method, request.RawTarget, http.Request.Path.Value ?? "");
        record.RequestId = request.RequestId;
        IReadOnlyList<string> Header(string name) =>
            http.Request.Headers.TryGetValue(name, out var v) ? Array.ConvertAll(v.ToArray(), x => x ?? "") : [];
        var scope = SigV4Verifier.ParseScope(Header, SigV4Verifier.ParseQuery(request.RawTarget));

        ISandboxService? service;
        if (scope is null)
        {
            service = _services.FirstOrDefault(s => s.ClaimsUnsigned(request));
            if (service is null)
            {
                await WriteUnroutableAsync(request, "MissingAuthenticationTokenException", 403,
                    "Missing Authentication Token", cancellationToken).ConfigureAwait(false);
                return;
            }
            request.Region = _context.Region;
        }
        else
        {
            service = _services.FirstOrDefault(s => string.Equals(s.SigningName, scope.Service, StringComparison.Ordinal));
            if (service is null)
            {
                await WriteUnroutableAsync(request, "UnknownServiceException", 400,
                    $"The sandbox does not emulate service '{scope.Service}'; it serves: "
                    + string.Join(", ", _services.Select(s => s.SigningName)) + ".", cancellationToken).ConfigureAwait(false);
                return;
            }
            if (regions.FirstOrDefault(r => r.Name == scope.Region) is not { } region)
            {
                // One endpoint serving a fixed set of regions answers a scope for another one as AWS's regional
                // endpoints do.
                request.Service = service;
                LogUnservedRegion(logger, service.SigningName, scope.Region);
                await WriteErrorAsync(request, SandboxAuthErrors.UnservedRegion(service.Protocol, scope.Region, _context.Options.Regions),
                    cancellationToken).ConfigureAwait(false);
                return;
            }
            service = region.Services.FirstOrDefault(s => s.SigningName == service.SigningName) ?? service;
            var result = SigV4Verifier.Verify(http.Request.Method, request.RawTarget, Header, body, _context.Credentials,
                DateTimeOffset.UtcNow, _context.Options.MaxClockSkew);
            if (result.Outcome != SigV4Outcome.Valid)
            {
                LogAuthFailure(logger, service.SigningName, result.Outcome, scope.AccessKey);
                request.Service = service;
                await WriteErrorAsync(request, SandboxAuthErrors.For(service.Protocol, result), cancellationToken).ConfigureAwait(false);
                return;
            }
            request.Caller = result.Principal;
            record.Principal = result.Principal?.Arn;
            request.Region = scope.Region;
        }
        request.Service = service;
        request.Record = record;
        record.Service = service.SigningName;
        if (service.Protocol is SandboxProtocol.Query or SandboxProtocol.Ec2Query)
        {
            record.Action = request.Query.Action;
        }

        try
        {
            var fault = faults.Decide(service.SigningName);
            if (fault.Latency > TimeSpan.Zero) await Task.Delay(fault.Latency, cancellationToken).ConfigureAwait(false);
            if (fault.Throttle)
            {
                var error = service.ThrottlingError;
                throw new SandboxApiException(error.Status, error.Code, error.Message) { RetryAfterSeconds = fault.RetryAfterSeconds };
            }
            if (fault.ServerError) throw service.ServerError;
            await service.HandleAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (SandboxApiException error)
        {
            await WriteErrorAsync(request, error, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogServiceFailure(logger, e, service.SigningName);
            var error = service.ServerError;
            await WriteErrorAsync(request, new SandboxApiException(error.Status, error.Code, $"Sandbox failure: {e.Message}"),
                cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is > MaxBodyBytes)
            throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static Task WriteErrorAsync(SandboxRequest request, SandboxApiException error, CancellationToken cancellationToken) =>
        SandboxErrors.WriteAsync(request.Http, request.Service.Protocol, error, request.RequestId,
            request.Service.XmlNamespace, cancellationToken);

    // No service to speak for: answer in the shape the request suggests (form body → Query XML, else JSON).
    private static Task WriteUnroutableAsync(SandboxRequest request, string code, int status, string message,
        CancellationToken cancellationToken)
    {
        var form = request.Http.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;
        return SandboxErrors.WriteAsync(request.Http, form ? SandboxProtocol.Query : SandboxProtocol.Json11,
            new SandboxApiException(status, form ? code.Replace("Exception", "", StringComparison.Ordinal) : code, message),
            request.RequestId, null, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected {Service} request: {Outcome} (access key {AccessKey})")]
    private static partial void LogAuthFailure(ILogger logger, string service, SigV4Outcome outcome, string accessKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a {Service} request signed for region {Region}, which the sandbox does not serve")]
    private static partial void LogUnservedRegion(ILogger logger, string service, string region);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sandbox service {Service} failed")]
    private static partial void LogServiceFailure(ILogger logger, Exception exception, string service);
}
