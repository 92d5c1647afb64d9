using McpCloudTools.Core.Audit;

namespace McpCloudTools.Aws;

/// <summary>Notes the AWS request id of every answer (each attempt) for the audit line of the call that made it.</summary>
internal sealed class RequestIdHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (AuditScope.Current is not null &&
            (response.Headers.TryGetValues("x-amzn-RequestId", out var ids) || response.Headers.TryGetValues("x-amz-request-id", out ids)))
        {
            AuditScope.NoteRequestId(ids.FirstOrDefault());
        }

        return response;
    }
}
