using System.Globalization;
using McpCloudTools.Aws;
using McpCloudTools.Plugins.Lambda.Client;

namespace McpCloudTools.Plugins.Lambda.Services;

/// <summary>Short renderings of Lambda facts shared by the tools, and the per-function state lookups lists need.</summary>
internal static class FunctionText
{
    private const int StateLookupParallelism = 8;

    /// <summary>
    /// State and last update status in a few words, with the reason code when it matters:
    /// <c>Active</c>, <c>Failed (ImageAccessDenied)</c>, <c>Active, updating</c>, <c>Active, update Failed (…)</c>.
    /// </summary>
    public static string State(FunctionConfiguration c)
    {
        var state = c.State ?? "unknown";
        if (state != "Active" && c.StateReasonCode is { Length: > 0 } code) state += $" ({code})";
        return c.LastUpdateStatus switch
        {
            "InProgress" => state + ", updating",
            "Failed" when c.State == "Active" => state + $", update Failed ({c.LastUpdateStatusReasonCode})",
            _ => state,
        };
    }

    /// <summary>Problems first: failed, then pending or inactive, then a failed or running update, then healthy.</summary>
    public static int Rank(FunctionConfiguration c) => c.State switch
    {
        "Failed" => 0,
        "Pending" or "Inactive" or "Deactivated" or "ActiveNonInvocable" => 1,
        _ when c.LastUpdateStatus == "Failed" => 2,
        _ when c.LastUpdateStatus == "InProgress" => 3,
        "Active" => 5,
        _ => 4,
    };

    /// <summary>Runtime, or <c>image</c> for container functions, with <c>/arm64</c> when not x86.</summary>
    public static string Runtime(FunctionConfiguration c)
    {
        var runtime = c.Runtime ?? (c.PackageType == "Image" ? "image" : "");
        return c.Architectures is [var arch] && arch != "x86_64" ? $"{runtime}/{arch}" : runtime;
    }

    /// <summary>An integer with invariant formatting.</summary>
    public static string N(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    /// <summary>The log group a function writes to: its <c>LoggingConfig.LogGroup</c>, else <c>/aws/lambda/&lt;name&gt;</c>.</summary>
    public static string LogGroup(FunctionConfiguration c) => c.LoggingConfig?.LogGroup is { Length: > 0 } group ? group : $"/aws/lambda/{c.FunctionName}";

    /// <summary>The last part of an ARN's resource (<c>…:function:name</c> → <c>name</c>; <c>…/stream/x</c> kept readable).</summary>
    public static string FunctionNameOf(string? arn) =>
        arn is null ? "" : arn.Split(":function:") is [_, var rest] ? rest : arn;

    /// <summary>An event source ARN as <c>service:name</c> (<c>sqs:orders-queue</c>, <c>dynamodb:payments/stream</c>).</summary>
    public static string Source(string? arn)
    {
        if (arn is null) return "";
        var parts = arn.Split(':', 6);
        if (parts.Length < 6) return arn;
        var resource = parts[5];
        return parts[2] switch
        {
            "dynamodb" when resource.Split('/') is ["table", var table, "stream", ..] => $"dynamodb:{table}/stream",
            "kinesis" when resource.StartsWith("stream/", StringComparison.Ordinal) => $"kinesis:{resource["stream/".Length..]}",
            _ => $"{parts[2]}:{resource}",
        };
    }

    /// <summary>
    /// GetFunctionConfiguration for each name, a few at a time (ListFunctions leaves state out). A failure for one
    /// function is kept as its message rather than failing the whole list.
    /// </summary>
    public static async Task<Dictionary<string, (FunctionConfiguration? Config, string? Error)>> ConfigurationsAsync(
        ILambdaClient lambda, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        var results = new System.Collections.Concurrent.ConcurrentDictionary<string, (FunctionConfiguration?, string?)>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = StateLookupParallelism, CancellationToken = cancellationToken },
            async (name, ct) =>
            {
                try
                {
                    results[name] = (await lambda.GetFunctionConfigurationAsync(new GetFunctionRequest { FunctionName = name }, ct).ConfigureAwait(false), null);
                }
                catch (AwsServiceException e)
                {
                    results[name] = (null, e.ErrorCode ?? e.Kind.ToString());
                }
            }).ConfigureAwait(false);
        return new(results, StringComparer.Ordinal);
    }
}
