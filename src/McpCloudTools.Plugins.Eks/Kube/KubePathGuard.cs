using System.Buffers;
using McpCloudTools.Core;
using McpCloudTools.Core.Validation;

namespace McpCloudTools.Plugins.Eks.Kube;

/// <summary>
/// The one round-tripper every Kubernetes request of the plugin passes: it refuses to send a request whose path,
/// below the API server's base, holds anything but plain lower-case DNS words (every valid name is one), or whose
/// URL had a fragment. <see cref="KubeApi"/> checks names with <see cref="KubeNames"/> and escapes every segment; this
/// is the last line behind them (KubernetesClient's own operations splice path parameters in unescaped), where a value
/// that got past both would be caught before it reads another object.
/// </summary>
/// <param name="server">The API server's base URL (a kubeconfig server may carry a path prefix).</param>
public sealed class KubePathGuard(Uri server) : DelegatingHandler
{
    private static readonly SearchValues<char> Letters = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
    private readonly string _basePath = server.AbsolutePath.TrimEnd('/');

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri ?? throw new InvalidOperationException("A Kubernetes request without a URI.");
        var path = uri.AbsolutePath;
        var problem = uri.Fragment.Length > 0 || uri.OriginalString.Contains('#', StringComparison.Ordinal) ? "it had a '#' fragment"
            : !path.StartsWith(_basePath, StringComparison.Ordinal) ? "it left the API server's base path"
            : path[_basePath.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(s => !KubeNames.IsPlainSegment(s)) is { } bad
                ? $"its path segment {ArgumentText.Show(Uri.UnescapeDataString(bad))} is not a plain Kubernetes name"
            : uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(p => !IsEscapedPair(p)) is { } pair
                ? $"its query holds {ArgumentText.Show(Uri.UnescapeDataString(pair))}, which is not an escaped name=value pair"
                : null;
        return problem is null
            ? base.SendAsync(request, cancellationToken)
            : throw new ToolException($"Refused to send {request.Method} {ArgumentText.Show(uri.GetLeftPart(UriPartial.Path))} to the Kubernetes API: {problem}. "
                + "Names must be lower-case DNS names (letters, digits, '-', '.'); nothing was sent.");
    }

    // KubernetesClient escapes query values (Uri.EscapeDataString), so a raw '/' or '?' there means a path value leaked in.
    private static bool IsEscapedPair(string pair)
    {
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 && !pair.AsSpan(0, equals).ContainsAnyExcept(Letters) && pair.AsSpan(equals + 1).IndexOfAny('/', '?') < 0;
    }
}
