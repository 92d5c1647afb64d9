using System.Diagnostics;
using System.Globalization;
using McpCloudTools.Core.Telemetry;

namespace McpCloudTools.Plugins.Eks.Kube;

/// <summary>
/// A client span per Kubernetes API call, <c>{METHOD} {resource}</c> (<c>GET pods</c>), with
/// <c>http.request.method</c>, <c>kubernetes.resource</c>, <c>kubernetes.subresource</c> and
/// <c>http.response.status_code</c>, and its duration as a metric. The resource kind is read from the URL's shape
/// (<c>…/namespaces/{ns}/{resource}/{name}/{subresource}</c>); names, namespaces and query values are arguments and
/// never recorded. No span without a listener (telemetry off).
/// </summary>
/// <param name="server">The API server's base address (its path prefix is skipped).</param>
public sealed class KubeTelemetryHandler(Uri server) : DelegatingHandler
{
    private readonly int _baseSegments = server.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Length;

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (resource, subresource) = Resource(request.RequestUri);
        var method = request.Method.Method;
        var started = Stopwatch.GetTimestamp();
        using var activity = CloudToolsTelemetry.Source.StartActivity($"{method} {resource}", ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("http.request.method", method);
            activity.SetTag("kubernetes.resource", resource);
            if (subresource is not null)
            {
                activity.SetTag("kubernetes.subresource", subresource);
            }
        }

        string? errorType = null;
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            activity?.SetTag("http.response.status_code", status);
            if (status >= 400)
            {
                errorType = status.ToString(CultureInfo.InvariantCulture);
                activity?.SetStatus(ActivityStatusCode.Error, errorType);
                activity?.SetTag("error.type", errorType);
            }

            return response;
        }
        catch (Exception e)
        {
            errorType = e is OperationCanceledException ? "cancelled" : e.GetType().Name;
            activity?.SetStatus(ActivityStatusCode.Error, errorType);
            activity?.SetTag("error.type", errorType);
            throw;
        }
        finally
        {
            var tags = new TagList { { "http.request.method", method }, { "kubernetes.resource", resource } };
            if (errorType is not null)
            {
                tags.Add("error.type", errorType);
            }

            CloudToolsTelemetry.KubeCallDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }
    }

    /// <summary>The resource kind and subresource of an API path, from its shape; <c>other</c> when it has none.</summary>
    internal (string Resource, string? Subresource) Resource(Uri? uri)
    {
        var segments = (uri?.AbsolutePath ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(_baseSegments).ToArray();
        // /api/v1/... or /apis/{group}/{version}/...
        var i = segments.Length > 0 && segments[0] == "api" ? 2 : segments.Length > 0 && segments[0] == "apis" ? 3 : int.MaxValue;
        if (i >= segments.Length)
        {
            return ("other", null);
        }

        if (segments[i] == "namespaces" && segments.Length > i + 2)
        {
            i += 2;
        }

        var resource = Plain(segments[i]);
        var subresource = segments.Length > i + 2 ? Plain(segments[i + 2]) : null;
        return (resource ?? "other", subresource);
    }

    // Resource kinds come from KubernetesClient's routes, but the check keeps anything else out all the same.
    private static string? Plain(string segment) =>
        segment.Length is > 0 and <= 63 && segment.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '.') ? segment : null;
}
