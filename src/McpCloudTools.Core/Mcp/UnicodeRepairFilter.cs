using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpCloudTools.Core.Mcp;

/// <summary>
/// Lets a <c>tools/call</c> whose arguments hold a lone UTF-16 surrogate escape (<c>"\ud800"</c>, valid JSON but not
/// valid Unicode) reach the call guard, which refuses it naming the argument. Without this the SDK fails to read the
/// request and answers <c>-32603 An error occurred.</c>, which tells the caller nothing. Such a value is replaced by
/// U+FFFD and noted in the request's items; nothing else in the message changes.
/// </summary>
public static class UnicodeRepairFilter
{
    /// <summary>Key of the request item that maps an argument name to what was wrong with its text.</summary>
    public const string ItemKey = "McpCloudTools.NotUnicode";

    /// <summary>The incoming message filter.</summary>
    public static McpMessageHandler Filter(McpMessageHandler next) => (context, cancellationToken) =>
    {
        if (context.JsonRpcMessage is JsonRpcRequest { Method: RequestMethods.ToolsCall, Params: JsonObject parameters }
            && Repair(parameters) is { Count: > 0 } broken)
        {
            context.Items[ItemKey] = broken;
        }
        return next(context, cancellationToken);
    };

    /// <summary>Repairs <c>arguments</c> in place; returns argument name → problem for each one repaired.</summary>
    internal static Dictionary<string, string> Repair(JsonObject parameters)
    {
        var broken = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            if (parameters["arguments"] is not JsonObject arguments) return broken;
            foreach (var name in arguments.Select(a => a.Key).ToList())
            {
                var path = name;
                if (RepairNode(arguments[name], replacement => arguments[name] = replacement, ref path) is { } problem)
                    broken[path] = problem;
            }
        }
        catch (InvalidOperationException e)
        {
            // An argument *name* that is not valid Unicode: there is nothing to name it by.
            throw new McpProtocolException($"Invalid params: an argument name is not valid Unicode ({e.Message}).", McpErrorCode.InvalidParams);
        }
        return broken;
    }

    private static string? RepairNode(JsonNode? node, Action<JsonNode> replace, ref string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    var inner = $"{path}.{key}";
                    if (RepairNode(obj[key], r => obj[key] = r, ref inner) is { } problem)
                    {
                        path = inner;
                        return problem;
                    }
                }
                return null;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var index = i;
                    var inner = $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]";
                    if (RepairNode(array[i], r => array[index] = r, ref inner) is { } problem)
                    {
                        path = inner;
                        return problem;
                    }
                }
                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                try
                {
                    value.GetValue<string>();
                    return null;
                }
                catch (InvalidOperationException)
                {
                    var (text, position) = Decode(value.GetValue<JsonElement>().GetRawText());
                    replace(JsonValue.Create(text));
                    return $"its JSON text has a lone UTF-16 surrogate escape at position {position.ToString(CultureInfo.InvariantCulture)}";
                }
            default:
                return null;
        }
    }

    // Decodes a JSON string literal, turning each unpaired surrogate into U+FFFD; returns the 1-based position of the first.
    private static (string Text, int Position) Decode(string literal)
    {
        var text = new StringBuilder(literal.Length);
        for (var i = 1; i < literal.Length - 1; i++)
        {
            var c = literal[i];
            if (c != '\\')
            {
                text.Append(c);
                continue;
            }
            var e = literal[++i];
            if (e != 'u')
            {
                text.Append(e switch { 'n' => '\n', 'r' => '\r', 't' => '\t', 'b' => '\b', 'f' => '\f', _ => e });
                continue;
            }
            text.Append((char)int.Parse(literal.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            i += 4;
        }
        var first = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (!char.IsSurrogate(text[i])) continue;
            text[i] = '\uFFFD';
            if (first == 0) first = i + 1;
        }
        return (text.ToString(), first);
    }
}
