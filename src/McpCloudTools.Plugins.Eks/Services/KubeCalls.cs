using System.Net;
using System.Security.Authentication;
using System.Text.Json;
using k8s.Autorest;
using McpCloudTools.Core;
using McpCloudTools.Core.Mcp;
using McpCloudTools.Plugins.Eks.Kube;

namespace McpCloudTools.Plugins.Eks.Services;

/// <summary>
/// Every Kubernetes call goes through here: the API server's <c>Status</c> errors, TLS and network failures become
/// messages that say what was wrong and what to try.
/// </summary>
public static class KubeCalls
{
    /// <summary>Pages the full list scan fetches per request.</summary>
    public const int ScanPageSize = 500;

    /// <summary>Items a full scan reads at most (a guard for huge clusters; narrow with namespace or selectors).</summary>
    public const int ScanCap = 50_000;

    /// <summary>What a listing is, for messages: <c>pods</c>, or <c>pods with label_selector 'app=web'</c>.</summary>
    public static string Listing(string what, string? labelSelector) =>
        labelSelector is null ? what : $"{what} with label_selector {Core.Validation.ArgumentText.Show(labelSelector)}";

    /// <summary>Runs <paramref name="call"/>, turning failures into <see cref="ToolException"/>.</summary>
    /// <param name="connection">The cluster.</param>
    /// <param name="what">What is being read or changed, e.g. <c>pod payments/api-1</c>.</param>
    /// <param name="notFoundHint">What to try when it does not exist.</param>
    /// <param name="call">The call.</param>
    public static async Task<T> RunAsync<T>(KubeConnection connection, string what, string? notFoundHint, Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(call);
        CallDeadline.NoteWaitingFor($"the Kubernetes API of {connection.Cluster.Id} at {connection.Server} ({what})");
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            throw FromStatus(connection, what, notFoundHint, e.Response.StatusCode, e.Response.Content, e);
        }
        catch (HttpRequestException e) when (Find<AuthenticationException>(e) is not null)
        {
            throw new ToolException($"TLS to the Kubernetes API of {connection.Cluster.Id} ({connection.Server}) failed: the server's certificate "
                + "is not signed by the cluster's CA" + (connection.Tokens is null ? " in the kubeconfig" : " from DescribeCluster (certificateAuthority.data)")
                + ". The endpoint may belong to another cluster, or a proxy intercepts TLS. Nothing was sent.", e);
        }
        catch (HttpRequestException e)
        {
            throw new ToolException($"Cannot reach the Kubernetes API of {connection.Cluster.Id} at {connection.Server}: {e.Message}. "
                + "A private-only endpoint is reachable only from inside its VPC (eks_cluster_describe shows the endpoint access).", e);
        }
        catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
        {
            throw new ToolException($"The Kubernetes API of {connection.Cluster.Id} at {connection.Server} did not answer within "
                + $"{KubeConnections.RequestTimeout.TotalSeconds:0} s while reading {what}. Narrow the request (a namespace, a label selector, "
                + "a smaller limit) or retry later; if it persists, check that the endpoint answers (eks_cluster_describe shows its endpoint access).", e);
        }
        catch (k8s.Exceptions.KubeConfigException e)
        {
            throw new ToolException($"Authenticating to {connection.Cluster.Id} failed: {e.Message}. Check the kubeconfig context's user (exec plugin on PATH, credentials).", e);
        }
    }

    private static ToolException FromStatus(KubeConnection connection, string what, string? hint, HttpStatusCode code, string? body, Exception inner)
    {
        var message = StatusMessage(body) ?? code.ToString();
        return code switch
        {
            HttpStatusCode.NotFound => new ToolException($"{what} not found in {connection.Cluster.Id}." + (hint is null ? "" : " " + hint), inner),
            HttpStatusCode.Unauthorized => new ToolException($"The Kubernetes API of {connection.Cluster.Id} refused the credentials (401)"
                + (connection.Tokens is null
                    ? ". Check the kubeconfig context's user."
                    : " even with a fresh EKS token. The caller's IAM identity is probably not mapped in the cluster: add an EKS access entry "
                      + "(aws eks create-access-entry, authentication mode API) or an aws-auth ConfigMap entry; a machine clock more than "
                      + "a few minutes off also invalidates tokens."), inner),
            HttpStatusCode.Forbidden => new ToolException($"Forbidden by the cluster's RBAC while accessing {what}: {message}. Grant the identity "
                + "a role that allows it (or an EKS access policy such as AmazonEKSViewPolicy / AmazonEKSEditPolicy).", inner),
            HttpStatusCode.Conflict => new ToolException($"Conflict on {what}: {message}. Read it again and retry.", inner),
            HttpStatusCode.UnprocessableEntity => new ToolException($"Invalid change to {what}: {message}", inner),
            HttpStatusCode.BadRequest => new ToolException($"The Kubernetes API of {connection.Cluster.Id} refused the request for {what}: {message}.", inner),
            _ => new ToolException($"The Kubernetes API of {connection.Cluster.Id} answered {(int)code} for {what}: {message}", inner),
        };
    }

    private static string? StatusMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("message", out var m) ? m.GetString() : null;
        }
        catch (JsonException)
        {
            return body.Length > 300 ? body[..300] : body;
        }
    }

    private static T? Find<T>(Exception e) where T : Exception
    {
        for (var x = (Exception?)e; x is not null; x = x.InnerException)
            if (x is T found) return found;
        return null;
    }
}
