using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace McpCloudTools.Aws;

/// <summary>
/// Builds one restJson1 request: method, path with escaped labels, query, headers, JSON or raw body, and what it
/// is about (for error messages). Values that are null are left out, as the AWS SDKs do.
/// </summary>
public sealed class RestJsonRequest
{
    private readonly List<KeyValuePair<string, string>> _query = [];
    private readonly List<KeyValuePair<string, string>> _headers = [];
    private byte[]? _body;
    private string? _contentType;

    private RestJsonRequest(HttpMethod method, AwsOperation operation, string path)
    {
        Method = method;
        Operation = operation;
        Path = path;
    }

    /// <summary>HTTP method.</summary>
    public HttpMethod Method { get; }

    /// <summary>The operation (name, idempotency).</summary>
    public AwsOperation Operation { get; }

    /// <summary>Path with labels already percent-encoded.</summary>
    public string Path { get; }

    /// <summary>What the call is about, e.g. <c>function 'x'</c>.</summary>
    public string? Resource { get; private set; }

    /// <summary>What to try when the resource is not found.</summary>
    public string? Hint { get; private set; }

    /// <summary>
    /// Starts a request. <paramref name="pathTemplate"/> is a constant that uses <c>{0}</c>, <c>{1}</c>… for labels;
    /// each label is a validated, escaped <see cref="PathSegment"/>, so no caller's value is ever spliced in as text.
    /// </summary>
    public static RestJsonRequest Create(HttpMethod method, AwsOperation operation, string pathTemplate,
        params PathSegment[] labels)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(pathTemplate);
        ArgumentNullException.ThrowIfNull(labels);
        var escaped = new object[labels.Length];
        for (var i = 0; i < labels.Length; i++)
            escaped[i] = labels[i].Escaped ?? throw new ArgumentException("A label was not built with PathSegment.Of.", nameof(labels));
        return new RestJsonRequest(method, operation, string.Format(CultureInfo.InvariantCulture, pathTemplate, escaped));
    }

    /// <summary>A GET request.</summary>
    public static RestJsonRequest Get(AwsOperation operation, string pathTemplate, params PathSegment[] labels) =>
        Create(HttpMethod.Get, operation, pathTemplate, labels);

    /// <summary>A POST request.</summary>
    public static RestJsonRequest Post(AwsOperation operation, string pathTemplate, params PathSegment[] labels) =>
        Create(HttpMethod.Post, operation, pathTemplate, labels);

    /// <summary>Adds a query parameter unless <paramref name="value"/> is null.</summary>
    public RestJsonRequest Query(string name, string? value)
    {
        if (value is not null) _query.Add(new(name, value));
        return this;
    }

    /// <summary>Adds an integer query parameter unless null.</summary>
    public RestJsonRequest Query(string name, long? value) =>
        Query(name, value?.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds a boolean query parameter (<c>true</c>/<c>false</c>) unless null.</summary>
    public RestJsonRequest Query(string name, bool? value) => Query(name, value is null ? null : value.Value ? "true" : "false");

    /// <summary>Adds a repeated query parameter, one entry per value.</summary>
    public RestJsonRequest Query(string name, IEnumerable<string>? values)
    {
        foreach (var value in values ?? []) _query.Add(new(name, value));
        return this;
    }

    /// <summary>Adds a header unless <paramref name="value"/> is null.</summary>
    public RestJsonRequest Header(string name, string? value)
    {
        if (value is not null) _headers.Add(new(name, value));
        return this;
    }

    /// <summary>Sets a JSON body, serialized with a source-generated type (no reflection).</summary>
    public RestJsonRequest Body<T>(T value, JsonTypeInfo<T> type)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, type);
        return RawBody(bytes, "application/json");
    }

    /// <summary>Sets a raw body (Lambda <c>Invoke</c> payloads).</summary>
    public RestJsonRequest RawBody(byte[] body, string contentType)
    {
        _body = body ?? throw new ArgumentNullException(nameof(body));
        _contentType = contentType;
        return this;
    }

    /// <summary>How long one attempt may wait for the whole answer, when longer than the policy's (null: the policy's).</summary>
    public TimeSpan? AttemptTimeoutOverride { get; private set; }

    /// <summary>Lets one attempt wait <paramref name="timeout"/> for its answer (unless null).</summary>
    public RestJsonRequest AttemptTimeout(TimeSpan? timeout)
    {
        AttemptTimeoutOverride = timeout;
        return this;
    }

    /// <summary>Names the target for error messages, and what to try if it is not found.</summary>
    public RestJsonRequest About(string resource, string? hint = null)
    {
        Resource = resource;
        Hint = hint;
        return this;
    }

    /// <summary>The HTTP request against <paramref name="endpoint"/> (its path, if any, is kept as a prefix).</summary>
    public HttpRequestMessage Build(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var target = new StringBuilder(endpoint.GetLeftPart(UriPartial.Authority));
        target.Append(endpoint.AbsolutePath.TrimEnd('/')).Append(Path);
        for (var i = 0; i < _query.Count; i++)
        {
            target.Append(i == 0 ? '?' : '&').Append(Uri.EscapeDataString(_query[i].Key)).Append('=')
                .Append(Uri.EscapeDataString(_query[i].Value));
        }
        var request = new HttpRequestMessage(Method, new Uri(target.ToString(), UriKind.Absolute));
        if (_body is not null)
        {
            request.Content = new ByteArrayContent(_body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(_contentType!);
        }
        foreach (var header in _headers) request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        if (AttemptTimeoutOverride is { } timeout) request.Options.Set(AwsRequestOptions.AttemptTimeout, timeout);
        return request;
    }
}
