namespace McpCloudTools.Aws;

/// <summary>
/// Shared send path of our own service clients: runs a request through the context's retrying, signing pipeline
/// and turns any failure into an <see cref="AwsServiceException"/> with the call's facts.
/// </summary>
public abstract class AwsClientBase
{
    private static readonly TimeSpan IdentityLookupBudget = TimeSpan.FromSeconds(3);

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
                await TryLearnIdentityAsync(cancellationToken).ConfigureAwait(false);
            var call = Context.CallInfo(Service, operation.Name, resource, hint) with { Retries = state.ToSummary() };
            throw AwsErrorMapper.FromResponse(error, call);
        }
    }

    /// <summary>
    /// Best effort: an AccessDenied message is only actionable when it names the identity, so look it up once
    /// (GetCallerIdentity needs no permission) within a short budget, and carry on without it on any failure.
    /// </summary>
    private async Task TryLearnIdentityAsync(CancellationToken cancellationToken)
    {
        if (Context.KnownIdentity is not null) return;
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(IdentityLookupBudget);
        try
        {
            await new StsClient(Context).GetCallerIdentityAsync(budget.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The original AccessDenied is what matters; the identity is a nicety.
        }
    }
}
