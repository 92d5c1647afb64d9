using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace McpCloudTools.Sandbox;

/// <summary>JSON in and out of sandbox services, through source-generated type info only.</summary>
public static class SandboxJson
{
    /// <summary>Reads the request body (empty reads as <c>{}</c>); bad JSON answers <c>SerializationException</c>.</summary>
    public static T Read<T>(SandboxRequest request, JsonTypeInfo<T> type)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(type);
        try
        {
            var value = request.Body.Length == 0
                ? JsonSerializer.Deserialize("{}"u8, type)
                : JsonSerializer.Deserialize(request.Body, type);
            return value ?? throw new JsonException("null body");
        }
        catch (JsonException e)
        {
            throw new SandboxApiException(400, "SerializationException", $"Could not read the request body: {e.Message}");
        }
    }

    /// <summary>Writes a JSON answer with the protocol's content type and the request id header.</summary>
    public static Task WriteAsync<T>(SandboxRequest request, int status, T value, JsonTypeInfo<T> type,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(type);
        var response = request.Http.Response;
        response.StatusCode = status;
        response.ContentType = request.Service.Protocol == SandboxProtocol.Json11
            ? "application/x-amz-json-1.1"
            : "application/json";
        response.Headers["x-amzn-RequestId"] = request.RequestId;
        return response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(value, type), cancellationToken).AsTask();
    }
}
