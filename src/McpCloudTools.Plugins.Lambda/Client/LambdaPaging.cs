using McpCloudTools.Aws;

namespace McpCloudTools.Plugins.Lambda.Client;

/// <summary>Multi-page reads over any <see cref="ILambdaClient"/>, bounded by <see cref="PageLimits"/>.</summary>
public static class LambdaPaging
{
    /// <summary>Functions across pages (Lambda serves at most 50 per page).</summary>
    public static Task<PagedResult<FunctionConfiguration>> ListAllFunctionsAsync(this ILambdaClient client, PageLimits limits,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return AwsPaging.CollectAsync(
            (marker, wanted, ct) => client.ListFunctionsAsync(new ListFunctionsRequest { Marker = marker, MaxItems = PageSize(wanted, 50) }, ct),
            page => page.Functions, page => page.NextMarker, limits, null, cancellationToken);
    }

    /// <summary>A function's versions across pages: <c>$LATEST</c> first, then published versions oldest first.</summary>
    public static Task<PagedResult<FunctionConfiguration>> ListAllVersionsAsync(this ILambdaClient client, string functionName,
        PageLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return AwsPaging.CollectAsync(
            (marker, wanted, ct) => client.ListVersionsByFunctionAsync(new ListVersionsByFunctionRequest
            {
                FunctionName = functionName, Marker = marker, MaxItems = PageSize(wanted, 50),
            }, ct),
            page => page.Versions, page => page.NextMarker, limits, null, cancellationToken);
    }

    /// <summary>A function's aliases across pages.</summary>
    public static Task<PagedResult<AliasConfiguration>> ListAllAliasesAsync(this ILambdaClient client, string functionName,
        PageLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return AwsPaging.CollectAsync(
            (marker, wanted, ct) => client.ListAliasesAsync(new ListAliasesRequest
            {
                FunctionName = functionName, Marker = marker, MaxItems = PageSize(wanted, 50),
            }, ct),
            page => page.Aliases, page => page.NextMarker, limits, null, cancellationToken);
    }

    /// <summary>Event source mappings (of one function, or all) across pages.</summary>
    public static Task<PagedResult<EventSourceMappingConfiguration>> ListAllEventSourceMappingsAsync(this ILambdaClient client,
        string? functionName, PageLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return AwsPaging.CollectAsync(
            (marker, wanted, ct) => client.ListEventSourceMappingsAsync(new ListEventSourceMappingsRequest
            {
                FunctionName = functionName, Marker = marker, MaxItems = PageSize(wanted, 100),
            }, ct),
            page => page.EventSourceMappings, page => page.NextMarker, limits, null, cancellationToken);
    }

    private static int PageSize(int? wanted, int max) => wanted is { } w ? Math.Clamp(w, 1, max) : max;
}
