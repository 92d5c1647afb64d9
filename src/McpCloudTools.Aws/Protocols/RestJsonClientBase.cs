using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace McpCloudTools.Aws;

/// <summary>
/// Base of our restJson1 clients (EKS, Lambda, Batch): an operation is a <see cref="RestJsonRequest"/> and a
/// source-generated response type. Retries, signing and error mapping happen underneath.
/// </summary>
public abstract class RestJsonClientBase(AwsContext context, AwsService service) : AwsClientBase(context, service)
{
    /// <summary>Sends the request and deserializes the JSON answer (an empty body reads as <c>{}</c>).</summary>
    protected async Task<TResponse> SendAsync<TResponse>(RestJsonRequest request, JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseType);
        using var message = request.Build(Endpoint);
        using var response = await SendCoreAsync(message, request.Operation, request.Resource, request.Hint,
            cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return AwsJson.Deserialize(body, responseType, Service, request.Operation);
    }

    /// <summary>Sends the request and returns status, headers and raw body (Lambda <c>Invoke</c>).</summary>
    protected async Task<AwsRawResponse> SendRawAsync(RestJsonRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var message = request.Build(Endpoint);
        using var response = await SendCoreAsync(message, request.Operation, request.Resource, request.Hint,
            cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new AwsRawResponse(response.StatusCode, response.Headers, body);
    }
}

/// <summary>A successful response kept raw, for operations whose payload is not JSON.</summary>
/// <param name="StatusCode">HTTP status (Lambda: 200, 202 for Event, 204 for DryRun).</param>
/// <param name="Headers">Response headers (e.g. <c>X-Amz-Function-Error</c>).</param>
/// <param name="Body">The body bytes.</param>
public sealed record AwsRawResponse(HttpStatusCode StatusCode, HttpResponseHeaders Headers, byte[] Body)
{
    /// <summary>First value of a header, or null.</summary>
    public string? Header(string name) => Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

/// <summary>JSON reading shared by the protocol bases: source-generated only, with a clear error on garbage.</summary>
internal static class AwsJson
{
    public static T Deserialize<T>(byte[] body, JsonTypeInfo<T> type, AwsService service, AwsOperation operation)
    {
        try
        {
            return (body.Length == 0 ? JsonSerializer.Deserialize("{}"u8, type) : JsonSerializer.Deserialize(body, type))
                ?? throw new JsonException("the body was JSON null");
        }
        catch (JsonException e)
        {
            throw new AwsServiceException(
                $"{service.DisplayName} {operation.Name} returned a response that could not be read ({e.Message}). "
                + "If endpoint_url or AWS_ENDPOINT_URL points at an emulator, check that it supports this operation.",
                AwsErrorKind.Other, service.DisplayName, operation.Name, "InvalidResponse", null, null, e);
        }
    }
}
