using System.Text.RegularExpressions;

namespace McpCloudTools.Sandbox.Services.Lambda;

public sealed partial class LambdaService
{
    private const string NamePattern = @"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?";

    /// <summary>
    /// Finds a function and the configuration a name (name, <c>name:qualifier</c>, full or partial ARN) and an
    /// optional <c>Qualifier</c> select, with time-driven changes applied. Call under the lock.
    /// </summary>
    private (FunctionState Function, FunctionConfig Config, string Arn) Resolve(string raw, string? queryQualifier)
    {
        var (name, qualifier) = ParseName(raw);
        if (queryQualifier is not null)
        {
            if (qualifier is not null && qualifier != queryQualifier)
                throw Invalid("The derived qualifier from the function name does not match the specified qualifier.");
            qualifier = queryQualifier;
        }
        var baseArn = FunctionArn(name);
        var qualifiedArn = qualifier is null ? baseArn : $"{baseArn}:{qualifier}";
        if (!_functions.TryGetValue(name, out var function)) throw NotFound(qualifiedArn);
        function.Settle(_context.Clock.UtcNow);
        var config = qualifier switch
        {
            null or "$LATEST" => function.Latest,
            _ when qualifier.All(char.IsAsciiDigit) => function.Version(qualifier),
            _ => function.Aliases.TryGetValue(qualifier, out var alias) ? function.Version(alias.FunctionVersion) : null,
        };
        return (function, config ?? throw NotFound(qualifiedArn), qualifiedArn);
    }

    private (string Name, string? Qualifier) ParseName(string raw)
    {
        if (raw.Length is 0 or > 256 || !FunctionNameRegex().IsMatch(raw))
            throw Validation($"1 validation error detected: Value '{raw}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: {NamePattern}");
        var parts = raw.Split(':');
        if (raw.StartsWith("arn:", StringComparison.Ordinal))
        {
            if (parts.Length < 7 || parts[5] != "function")
                throw Validation($"1 validation error detected: Value '{raw}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: {NamePattern}");
            if (parts[3] != _context.Region)
                throw Invalid($"Functions from '{parts[3]}' are not reachable in this region ('{_context.Region}')");
            if (parts[4] != _context.AccountId) throw NotFound(raw);
            return (parts[6], parts.Length > 7 ? parts[7] : null);
        }
        if (parts.Length >= 3 && parts[1] == "function")
        {
            if (parts[0] != _context.AccountId) throw NotFound(raw);
            return (parts[2], parts.Length > 3 ? parts[3] : null);
        }
        return (parts[0], parts.Length > 1 ? parts[1] : null);
    }

    private string FunctionArn(string name) => $"arn:aws:lambda:{_context.Region}:{_context.AccountId}:function:{name}";

    // A presigned S3 URL like the real one (valid 10 minutes), so tests can prove it never reaches a tool result.
    private string CodeLocation(FunctionState function, FunctionConfig config)
    {
        var date = _context.Clock.UtcNow.UtcDateTime;
        return $"https://awslambda-{_context.Region}-tasks.s3.{_context.Region}.amazonaws.com/snapshots/{_context.AccountId}/{config.Name}-{function.CodeId}"
            + $"?versionId={function.CodeId}&X-Amz-Security-Token=IQoJb3JpZ2luX2VjE{function.CodeId}&X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + $"&X-Amz-Date={date:yyyyMMdd'T'HHmmss'Z'}&X-Amz-SignedHeaders=host&X-Amz-Expires=600"
            + $"&X-Amz-Credential=ASIA{function.CodeId.ToUpperInvariant()}%2F{date:yyyyMMdd}%2F{_context.Region}%2Fs3%2Faws4_request"
            + $"&X-Amz-Signature={function.CodeId}{function.CodeId}{function.CodeId}{function.CodeId}";
    }

    [GeneratedRegex("^" + NamePattern + "$")]
    private static partial Regex FunctionNameRegex();
}
