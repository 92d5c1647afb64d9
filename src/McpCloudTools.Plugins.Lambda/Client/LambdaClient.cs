using System.Text;
using McpCloudTools.Aws;

namespace McpCloudTools.Plugins.Lambda.Client;

/// <summary>
/// AWS Lambda, shaped like AWSSDK's <c>IAmazonLambda</c> (no AWSSDK.Lambda package is served): the calls the
/// Lambda tools make.
/// </summary>
public interface ILambdaClient
{
    /// <summary>One page of functions (≤ 50), without state.</summary>
    Task<ListFunctionsResponse> ListFunctionsAsync(ListFunctionsRequest request, CancellationToken cancellationToken);

    /// <summary>Configuration, code location, tags and reserved concurrency.</summary>
    Task<GetFunctionResponse> GetFunctionAsync(GetFunctionRequest request, CancellationToken cancellationToken);

    /// <summary>The configuration with state and last update status.</summary>
    Task<FunctionConfiguration> GetFunctionConfigurationAsync(GetFunctionRequest request, CancellationToken cancellationToken);

    /// <summary>Runs the function. Not idempotent: never retried after an ambiguous failure.</summary>
    Task<InvokeResponse> InvokeAsync(InvokeRequest request, CancellationToken cancellationToken);

    /// <summary>One page of versions.</summary>
    Task<ListVersionsByFunctionResponse> ListVersionsByFunctionAsync(ListVersionsByFunctionRequest request, CancellationToken cancellationToken);

    /// <summary>One page of aliases.</summary>
    Task<ListAliasesResponse> ListAliasesAsync(ListAliasesRequest request, CancellationToken cancellationToken);

    /// <summary>One page of event source mappings.</summary>
    Task<ListEventSourceMappingsResponse> ListEventSourceMappingsAsync(ListEventSourceMappingsRequest request, CancellationToken cancellationToken);

    /// <summary>Account limits and usage in the region.</summary>
    Task<GetAccountSettingsResponse> GetAccountSettingsAsync(GetAccountSettingsRequest request, CancellationToken cancellationToken);

    /// <summary>Changes $LATEST's configuration; asynchronous on the AWS side (LastUpdateStatus InProgress).</summary>
    Task<FunctionConfiguration> UpdateFunctionConfigurationAsync(UpdateFunctionConfigurationRequest request, CancellationToken cancellationToken);
}

/// <summary><see cref="ILambdaClient"/> over restJson1; function names always percent-encoded in the path.</summary>
public sealed class LambdaClient(AwsContext context) : RestJsonClientBase(context, AwsService.Lambda), ILambdaClient
{
    private const string FunctionHint = "lambda_function_list shows the functions of this region; a qualifier must be an existing version or alias.";

    private static readonly AwsOperation ListFunctions = new(nameof(ListFunctions));
    private static readonly AwsOperation GetFunction = new(nameof(GetFunction));
    private static readonly AwsOperation GetFunctionConfiguration = new(nameof(GetFunctionConfiguration));
    private static readonly AwsOperation Invoke = new(nameof(Invoke), Idempotent: false);
    private static readonly AwsOperation ListVersionsByFunction = new(nameof(ListVersionsByFunction));
    private static readonly AwsOperation ListAliases = new(nameof(ListAliases));
    private static readonly AwsOperation ListEventSourceMappings = new(nameof(ListEventSourceMappings));
    private static readonly AwsOperation GetAccountSettings = new(nameof(GetAccountSettings));

    // A lost answer to an applied update would make the retry fail on its own new RevisionId: never replay it.
    private static readonly AwsOperation UpdateFunctionConfiguration = new(nameof(UpdateFunctionConfiguration), Idempotent: false);

    private static LambdaJsonContext Json => LambdaJsonContext.Default;

    /// <inheritdoc />
    public Task<ListFunctionsResponse> ListFunctionsAsync(ListFunctionsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(RestJsonRequest.Get(ListFunctions, "/2015-03-31/functions")
            .Query("FunctionVersion", request.FunctionVersion).Query("MasterRegion", request.MasterRegion)
            .Query("Marker", request.Marker).Query("MaxItems", request.MaxItems), Json.ListFunctionsResponse, cancellationToken);
    }

    /// <inheritdoc />
    public Task<GetFunctionResponse> GetFunctionAsync(GetFunctionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(RestJsonRequest.Get(GetFunction, "/2015-03-31/functions/{0}", FunctionSegment(request.FunctionName))
            .Query("Qualifier", Qualifier(request.Qualifier)).About(Function(request.FunctionName, request.Qualifier), FunctionHint),
            Json.GetFunctionResponse, cancellationToken);
    }

    /// <inheritdoc />
    public Task<FunctionConfiguration> GetFunctionConfigurationAsync(GetFunctionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(RestJsonRequest.Get(GetFunctionConfiguration, "/2015-03-31/functions/{0}/configuration", FunctionSegment(request.FunctionName))
            .Query("Qualifier", Qualifier(request.Qualifier)).About(Function(request.FunctionName, request.Qualifier), FunctionHint),
            Json.FunctionConfiguration, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<InvokeResponse> InvokeAsync(InvokeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = RestJsonRequest.Post(Invoke, "/2015-03-31/functions/{0}/invocations", FunctionSegment(request.FunctionName))
            .Query("Qualifier", Qualifier(request.Qualifier))
            .Header("X-Amz-Invocation-Type", request.InvocationType)
            .Header("X-Amz-Log-Type", request.LogType)
            .Header("X-Amz-Client-Context", request.ClientContext)
            .RawBody(Encoding.UTF8.GetBytes(request.Payload ?? ""), "application/octet-stream")
            .AttemptTimeout(request.ResponseTimeout)
            .About(Function(request.FunctionName, request.Qualifier), FunctionHint);
        var raw = await SendRawAsync(call, cancellationToken).ConfigureAwait(false);
        return new InvokeResponse
        {
            StatusCode = (int)raw.StatusCode, FunctionError = raw.Header("X-Amz-Function-Error"),
            LogResult = raw.Header("X-Amz-Log-Result"), ExecutedVersion = raw.Header("X-Amz-Executed-Version"), Payload = raw.Body,
        };
    }

    /// <inheritdoc />
    public Task<ListVersionsByFunctionResponse> ListVersionsByFunctionAsync(ListVersionsByFunctionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(RestJsonRequest.Get(ListVersionsByFunction, "/2015-03-31/functions/{0}/versions", FunctionSegment(request.FunctionName))
            .Query("Marker", request.Marker).Query("MaxItems", request.MaxItems)
            .About(Function(request.FunctionName, null), FunctionHint), Json.ListVersionsByFunctionResponse, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ListAliasesResponse> ListAliasesAsync(ListAliasesRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(RestJsonRequest.Get(ListAliases, "/2015-03-31/functions/{0}/aliases", FunctionSegment(request.FunctionName))
            .Query("FunctionVersion", request.FunctionVersion).Query("Marker", request.Marker).Query("MaxItems", request.MaxItems)
            .About(Function(request.FunctionName, null), FunctionHint), Json.ListAliasesResponse, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ListEventSourceMappingsResponse> ListEventSourceMappingsAsync(ListEventSourceMappingsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = RestJsonRequest.Get(ListEventSourceMappings, "/2015-03-31/event-source-mappings")
            .Query("EventSourceArn", request.EventSourceArn)
            .Query("FunctionName", request.FunctionName is null ? null : FunctionSegment(request.FunctionName).Value)
            .Query("Marker", request.Marker).Query("MaxItems", request.MaxItems);
        if (request.FunctionName is { } name) call.About(Function(name, null), FunctionHint);
        return SendAsync(call, Json.ListEventSourceMappingsResponse, cancellationToken);
    }

    /// <inheritdoc />
    public Task<GetAccountSettingsResponse> GetAccountSettingsAsync(GetAccountSettingsRequest request, CancellationToken cancellationToken) =>
        SendAsync(RestJsonRequest.Get(GetAccountSettings, "/2016-08-19/account-settings"), Json.GetAccountSettingsResponse, cancellationToken);

    /// <inheritdoc />
    public Task<FunctionConfiguration> UpdateFunctionConfigurationAsync(UpdateFunctionConfigurationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(RestJsonRequest.Create(HttpMethod.Put, UpdateFunctionConfiguration, "/2015-03-31/functions/{0}/configuration", FunctionSegment(request.FunctionName))
            .Body(request, Json.UpdateFunctionConfigurationRequest)
            .About(Function(request.FunctionName, null), FunctionHint), Json.FunctionConfiguration, cancellationToken);
    }

    // Names go into the path only as validated, escaped segments; a qualifier goes into the query, checked the same way.
    private static PathSegment FunctionSegment(string? name) => PathSegment.Of(name, LambdaNames.Function, "FunctionName");

    private static string? Qualifier(string? qualifier) => qualifier is null ? null : PathSegment.Of(qualifier, LambdaNames.Qualifier, "Qualifier").Value;

    private static string Function(string name, string? qualifier) =>
        qualifier is null ? $"function '{name}'" : $"function '{name}' (qualifier {qualifier})";
}
