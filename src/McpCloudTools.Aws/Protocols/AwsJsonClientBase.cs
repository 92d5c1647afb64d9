using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace McpCloudTools.Aws;

/// <summary>
/// Base of our awsJson1.1 clients (CloudWatch Logs): <c>POST /</c> with <c>X-Amz-Target: {prefix}.{Operation}</c>
/// and a JSON body, both ways through source-generated types.
/// </summary>
public abstract class AwsJsonClientBase(AwsContext context, AwsService service, string targetPrefix)
    : AwsClientBase(context, service)
{
    private static readonly MediaTypeHeaderValue ContentType = new("application/x-amz-json-1.1");

    /// <summary>Calls <paramref name="operation"/> with <paramref name="request"/> and reads the answer.</summary>
    protected async Task<TResponse> InvokeAsync<TRequest, TResponse>(AwsOperation operation, TRequest request,
        JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, string? resource, string? hint,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(requestType);
        ArgumentNullException.ThrowIfNull(responseType);
        var endpoint = Endpoint;
        using var message = new HttpRequestMessage(HttpMethod.Post,
            new Uri(endpoint.GetLeftPart(UriPartial.Authority) + endpoint.AbsolutePath.TrimEnd('/') + "/"));
        message.Headers.TryAddWithoutValidation("X-Amz-Target", $"{targetPrefix}.{operation.Name}");
        message.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request, requestType));
        message.Content.Headers.ContentType = ContentType;
        using var response = await SendCoreAsync(message, operation, resource, hint, cancellationToken)
            .ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return AwsJson.Deserialize(body, responseType, Service, operation);
    }
}
