using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace McpCloudTools.Sandbox.Services.Lambda;

public sealed partial class LambdaService
{
    private const int EnvironmentLimitBytes = 4 * 1024;

    private static readonly FrozenSet<string> ReservedVariables = FrozenSet.Create(StringComparer.Ordinal,
        "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR");

    /// <summary>
    /// <c>UpdateFunctionConfiguration</c>: optimistic locking on <c>RevisionId</c> (412 when stale), 409 while an
    /// earlier update is still in progress, Lambda's validation, then <c>LastUpdateStatus</c> InProgress until
    /// sandbox time has moved on (5 s, 20 s for a VPC function). Applies description, timeout, memory, environment
    /// (replaced whole, as in AWS), handler, runtime, role, tracing, ephemeral storage and log group.
    /// </summary>
    private Task UpdateFunctionConfigurationAsync(SandboxRequest request, RouteValues route, CancellationToken cancellationToken)
    {
        var input = SandboxJson.Read(request, LambdaWireJsonContext.Default.UpdateFunctionConfigurationInput);
        Validate(input);
        FunctionConfigurationWire output;
        lock (_gate)
        {
            var raw = route["FunctionName"];
            if (ParseName(raw).Qualifier is not null) throw Invalid("Function name must be unqualified for this operation.");
            var (function, latest, arn) = Resolve(raw, null);
            if (input.RevisionId is { } revision && revision != latest.RevisionId)
                throw new SandboxApiException(412, "PreconditionFailedException",
                    "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
            if (function.UpdateCompletesAt is not null)
                throw Conflict($"The operation cannot be performed at this time. An update is in progress for resource: {arn}");
            if (latest.State == "Pending")
                throw Conflict($"The operation cannot be performed at this time. The function is currently in the following state: {latest.State}");

            var now = _context.Clock.UtcNow;
            function.Latest = latest with
            {
                Description = input.Description ?? latest.Description,
                Timeout = input.Timeout ?? latest.Timeout,
                MemorySize = input.MemorySize ?? latest.MemorySize,
                Environment = input.Environment is { } env
                    ? (env.Variables ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal)
                    : latest.Environment,
                Handler = input.Handler ?? latest.Handler,
                Runtime = input.Runtime ?? latest.Runtime,
                Role = input.Role ?? latest.Role,
                TracingMode = input.TracingConfig?.Mode ?? latest.TracingMode,
                EphemeralStorage = input.EphemeralStorage?.Size ?? latest.EphemeralStorage,
                LogGroup = input.LoggingConfig?.LogGroup ?? latest.LogGroup,
                LastModified = now,
                RevisionId = LambdaSeeder.Guid(_random),
                LastUpdateStatus = "InProgress",
                LastUpdateStatusReason = null,
                LastUpdateStatusReasonCode = null,
            };
            function.UpdateCompletesAt = now.AddSeconds(latest.Vpc is null ? 5 : 20);
            output = LambdaWire.Function(function.Latest, arn, full: true);
        }
        return WriteAsync(request, output, LambdaWireJsonContext.Default.FunctionConfigurationWire, cancellationToken);
    }

    private static void Validate(UpdateFunctionConfigurationInput input)
    {
        switch (input.MemorySize)
        {
            case < 128:
                throw Validation($"1 validation error detected: Value '{input.MemorySize}' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128");
            case > 10240:
                throw Invalid("'MemorySize' value failed to satisfy constraint: Member must have value less than or equal to 10240");
        }
        switch (input.Timeout)
        {
            case < 1:
                throw Validation($"1 validation error detected: Value '{input.Timeout}' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1");
            case > 900:
                throw Invalid($"Timeout value '{input.Timeout}' is invalid: it must be between 1 and 900 seconds.");
        }
        if (input.Description is { Length: > 256 })
            throw Validation("1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 256");
        if (input.EphemeralStorage is { Size: < 512 or > 10240 })
            throw Invalid("'EphemeralStorage.Size' must be between 512 and 10240 MB.");
        if (input.TracingConfig?.Mode is { } mode && mode is not ("Active" or "PassThrough"))
            throw Validation($"1 validation error detected: Value '{mode}' at 'tracingConfig.mode' failed to satisfy constraint: Member must satisfy enum value set: [Active, PassThrough]");
        if (input.Environment?.Variables is not { } variables) return;
        // The messages name keys only: Lambda's own size message quotes the values, which are secrets.
        if (variables.Keys.FirstOrDefault(k => !VariableNameRegex().IsMatch(k)) is { } bad)
            throw Validation($"1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+] (key '{bad}')");
        var reserved = variables.Keys.Where(ReservedVariables.Contains).Order(StringComparer.Ordinal).ToList();
        if (reserved.Count > 0)
            throw Invalid("Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: "
                + string.Join(",", reserved));
        var size = variables.Sum(v => System.Text.Encoding.UTF8.GetByteCount(v.Key) + System.Text.Encoding.UTF8.GetByteCount(v.Value ?? "") + 6);
        if (size > EnvironmentLimitBytes)
            throw Invalid($"Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. Size measured: {size} bytes.");
    }

    [GeneratedRegex("^[a-zA-Z]([a-zA-Z0-9_])+$")]
    private static partial Regex VariableNameRegex();
}
