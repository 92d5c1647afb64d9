using System.Diagnostics;
using Amazon.EC2;
using Amazon.Runtime;
using McpCloudTools.Aws;
using McpCloudTools.Core.Mcp;

namespace McpCloudTools.Plugins.Ec2.Client;

/// <summary>
/// One plugin instance's EC2: the official SDK client, configured from the instance's <see cref="AwsContext"/>, and
/// the one place its failures become <see cref="AwsServiceException"/>s worded like every other service's.
/// </summary>
public sealed class Ec2Api : IDisposable
{
    private readonly AmazonEC2Client _client;

    /// <summary>Builds the SDK client (no network access happens here).</summary>
    public Ec2Api(AwsContext context)
    {
        Context = context ?? throw new ArgumentNullException(nameof(context));
        _client = new Ec2SdkClient(context.Credentials,
            AwsSdkClientConfig.Configure(new Ec2SdkClient.SharedConfig(context.Runtime), context, AwsService.Ec2));
    }

    /// <summary>The instance's AWS context (region, identity, endpoint).</summary>
    public AwsContext Context { get; }

    /// <summary>
    /// Runs one SDK call (the SDK retries throttling and transient failures per the shared policy) and maps what
    /// still fails: service errors through <see cref="AwsErrorMapper.FromSdkException"/> (naming the caller on
    /// access denied), network failures and timeouts through <see cref="AwsErrorMapper.FromNetworkFailure"/>.
    /// </summary>
    /// <param name="operation">Operation name for messages, e.g. <c>StopInstances</c>.</param>
    /// <param name="request">The request.</param>
    /// <param name="call">The SDK method.</param>
    /// <param name="resource">What the call is about, e.g. <c>instance i-0abc…</c>.</param>
    /// <param name="hint">What to try when it is not found.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<TResponse> CallAsync<TRequest, TResponse>(string operation, TRequest request,
        Func<IAmazonEC2, TRequest, CancellationToken, Task<TResponse>> call, string? resource, string? hint,
        CancellationToken cancellationToken) where TRequest : AmazonWebServiceRequest
    {
        ArgumentNullException.ThrowIfNull(call);
        var started = Stopwatch.GetTimestamp();
        CallDeadline.NoteWaitingFor($"{AwsService.Ec2.DisplayName} {operation} at {Context.ResolveEndpoint(AwsService.Ec2).GetLeftPart(UriPartial.Authority)}");
        try
        {
            return await call(_client, request, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException e)
        {
            var kind = AwsErrorClassifier.Classify(e.StatusCode == 0 ? null : e.StatusCode, e.ErrorCode);
            if (kind == AwsErrorKind.AccessDenied) await Context.TryLearnIdentityAsync(cancellationToken).ConfigureAwait(false);
            throw AwsErrorMapper.FromSdkException(Ec2Errors.Clean(e), Call(operation, e, resource, hint, started));
        }
        catch (HttpRequestException e)
        {
            throw AwsErrorMapper.FromNetworkFailure(e, Context.ResolveEndpoint(AwsService.Ec2), Call(operation, e, resource, hint, started));
        }
        catch (TimeoutException e)
        {
            // The SDK's per-attempt timeout (HttpClient.Timeout), after its retries.
            throw AwsErrorMapper.FromNetworkFailure(e, Context.ResolveEndpoint(AwsService.Ec2), Call(operation, e, resource, hint, started));
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // The SDK's own per-attempt timeout, not the caller cancelling.
            throw AwsErrorMapper.FromNetworkFailure(new TimeoutException("no answer in time", e),
                Context.ResolveEndpoint(AwsService.Ec2), Call(operation, e, resource, hint, started));
        }
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private AwsCallInfo Call(string operation, Exception failure, string? resource, string? hint, long started) =>
        Context.CallInfo(AwsService.Ec2, operation, resource, hint) with
        {
            Retries = new AwsRetrySummary(AwsSdkRetry.Attempts(failure) ?? 1, Stopwatch.GetElapsedTime(started), AwsSdkRetry.GaveUpBecause(failure)),
        };
}
