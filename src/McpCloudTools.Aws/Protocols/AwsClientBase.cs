namespace McpCloudTools.Aws;

/// <summary>
/// Shared send path of our own service clients: runs a request through the context's retrying, signing pipeline
/// and turns any failure into an <see cref="AwsServiceException"/> with the call's facts.
/// </summary>
public abstract class AwsClientBase
{
    /// <summary>Binds the client to a context and a service.</summary>
    protected AwsClientBase(AwsContext context, AwsService service)
    {
        Context = context ?? throw new ArgumentNullException(nameof(context));
        Service = service ?? throw new ArgumentNullException(nameof(service));
    }

    /// <summary>The instance's AWS context.</summary>
    protected AwsContext Context { get; }

    /// <summary>The service this client calls.</summary>
    protected AwsService Service { get; }

    /// <summary>Base URI of the service (resolved on each call, so it follows the context's settings).</summary>
    protected Uri Endpoint => Context.ResolveEndpoint(Service);

    /// <summary>
    /// Sends <paramref name="request"/> and returns the successful response with its body buffered; an error
    /// response or a network failure throws <see cref="AwsServiceException"/>. The caller disposes the response.
    /// </summary>
    protected async Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, AwsOperation operation,
        string? resource, string? hint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(operation);
        request.Options.Set(AwsRequestOptions.Operation, operation);
        var state = new AwsRetryState();
        request.Options.Set(AwsRequestOptions.RetryState, state);
        var http = Context.GetHttpClient(Service);
        Core.Mcp.CallDeadline.NoteWaitingFor($"{Service.DisplayName} {operation.Name} at {(request.RequestUri ?? Endpoint).GetLeftPart(UriPartial.Authority)}");

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or TaskCanceledException)
        {
            var call = Context.CallInfo(Service, operation.Name, resource, hint) with { Retries = state.ToSummary() };
            throw AwsErrorMapper.FromNetworkFailure(e, request.RequestUri ?? Endpoint, call);
        }

        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var error = AwsErrorDetails.Parse(response.StatusCode, name => ResponseHeaders.Get(response, name), body);
            if (AwsErrorClassifier.Classify(error.StatusCode, error.Code) == AwsErrorKind.AccessDenied)
                await Context.TryLearnIdentityAsync(cancellationToken).ConfigureAwait(false);
            var call = Context.CallInfo(Service, operation.Name, resource, hint) with { Retries = state.ToSummary() };
            throw AwsErrorMapper.FromResponse(error, call);
        }
    }
}
