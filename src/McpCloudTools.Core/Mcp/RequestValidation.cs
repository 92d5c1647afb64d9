using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpCloudTools.Core.Mcp;

/// <summary>
/// Checks the shape of incoming requests before the SDK deserializes them, on every transport, so a wrong shape is
/// a JSON-RPC <c>-32602</c> (invalid params) naming the field rather than <c>-32603 An error occurred.</c>:
/// <c>params</c> must be an object; <c>tools/call</c> needs a string <c>name</c> and, if given, an object
/// <c>arguments</c>; <c>resources/read</c> a string <c>uri</c>; and the lists this server returns in one page
/// (<c>tools/list</c>, <c>resources/list</c>) take no cursor, so a cursor is refused rather than answered with an
/// empty page that looks like "nothing there".
/// </summary>
public static class RequestValidation
{
    /// <summary>The incoming message filter.</summary>
    public static McpMessageHandler Filter(McpMessageHandler next) => (context, cancellationToken) =>
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.JsonRpcMessage is JsonRpcRequest request)
        {
            Check(request.Method, request.Params);
        }

        return next(context, cancellationToken);
    };

    /// <summary>Throws <see cref="McpProtocolException"/> (invalid params) when <paramref name="parameters"/> do not fit <paramref name="method"/>.</summary>
    public static void Check(string method, JsonNode? parameters)
    {
        if (parameters is null)
        {
            if (method is RequestMethods.ToolsCall or RequestMethods.ResourcesRead)
            {
                throw Invalid($"{method} needs params: {(method == RequestMethods.ToolsCall ? "{\"name\": \"<tool>\", \"arguments\": {…}}" : "{\"uri\": \"<resource URI>\"}")}.");
            }

            return;
        }

        if (parameters is not JsonObject p)
        {
            throw Invalid($"'params' must be a JSON object, not {Kind(parameters)}.");
        }

        switch (method)
        {
            case RequestMethods.ToolsCall:
                RequireString(p, "name", "the tool to call, as in tools/list");
                if (p.TryGetPropertyValue("arguments", out var arguments) && arguments is not (null or JsonObject))
                {
                    throw Invalid($"'arguments' must be a JSON object mapping argument names to values, not {Kind(arguments)}. " +
                                  "tools/list gives each tool's inputSchema.");
                }

                break;
            case RequestMethods.ResourcesRead:
                RequireString(p, "uri", "a resource URI from resources/list");
                break;
            case RequestMethods.ToolsList or RequestMethods.ResourcesList:
                if (p.TryGetPropertyValue("cursor", out var cursor) && cursor is not null)
                {
                    throw Invalid($"Invalid 'cursor': {method} returns everything in one page and never gives a nextCursor. Call it without a cursor.");
                }

                break;
        }
    }

    private static void RequireString(JsonObject p, string name, string what)
    {
        if (!p.TryGetPropertyValue(name, out var value) || value is null)
        {
            throw Invalid($"'{name}' is required: {what}.");
        }

        if (value.GetValueKind() != JsonValueKind.String)
        {
            throw Invalid($"'{name}' must be a string ({what}), not {Kind(value)}.");
        }
    }

    private static string Kind(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Array => "an array",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    private static McpProtocolException Invalid(string message) => new(message, McpErrorCode.InvalidParams);
}
