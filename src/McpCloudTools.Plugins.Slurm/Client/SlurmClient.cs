using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using McpCloudTools.Core;
using McpCloudTools.Plugins.Slurm.Model;

namespace McpCloudTools.Plugins.Slurm.Client;

/// <summary>
/// One slurmrestd: finds the newest API version both sides speak (from the server's OpenAPI document), then reads
/// and writes in that version and maps the answers into the one model. Errors come back as actionable
/// <see cref="ToolException"/>s naming the server; the token never appears in one.
/// </summary>
internal sealed class SlurmClient(HttpClient http, SlurmSettings settings, string instanceId) : IDisposable
{
    /// <summary>The largest answer read (a /jobs of tens of thousands of jobs fits).</summary>
    public const long MaxResponseBytes = 256L * 1024 * 1024;

    /// <summary>How long a read whose connection was dropped before any answer waits before it is asked once more.</summary>
    public static readonly TimeSpan ReadRetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly Lock _gate = new();
    private Task<SlurmApiVersion>? _version;

    /// <summary>Where it points (for messages).</summary>
    public Uri Url => settings.Url;

    /// <summary>The cluster name the server reported (v0.0.40+ meta), once a call has returned it.</summary>
    public string? ReportedCluster { get; private set; }

    /// <summary>The API version in use.</summary>
    public Task<SlurmApiVersion> VersionAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_version is null || _version.IsFaulted || _version.IsCanceled)
            {
                _version = DiscoverAsync(CancellationToken.None);
            }

            return _version.WaitAsync(cancellationToken);
        }
    }

    public async Task<SlurmHealth> HealthAsync(CancellationToken cancellationToken)
    {
        var v = await VersionAsync(cancellationToken).ConfigureAwait(false);
        if (v.IsDataParser)
        {
            var pingTask = GetAsync(SlurmPath.Ping(v), Ctx.Ping41Response, cancellationToken);
            var diagTask = GetAsync(SlurmPath.Diag(v), Ctx.Diag41Response, cancellationToken);
            var (ping, diag) = (await pingTask.ConfigureAwait(false), await diagTask.ConfigureAwait(false));
            ReportedCluster = ping.Meta?.Slurm?.Cluster ?? ReportedCluster;
            var p = ping.Pings?.FirstOrDefault();
            return new SlurmHealth(p?.Hostname, p?.Mode, p is not null && (p.Responding ?? p.Pinged == "UP"), ping.Meta?.Slurm?.Release,
                diag.Statistics?.JobsPending, diag.Statistics?.JobsRunning, diag.Statistics?.ServerThreadCount, diag.Statistics?.AgentQueueSize);
        }
        else
        {
            var pingTask = GetAsync(SlurmPath.Ping(v), Ctx.Ping38Response, cancellationToken);
            var diagTask = GetAsync(SlurmPath.Diag(v), Ctx.Diag38Response, cancellationToken);
            var (ping, diag) = (await pingTask.ConfigureAwait(false), await diagTask.ConfigureAwait(false));
            var p = ping.Pings?.FirstOrDefault();
            return new SlurmHealth(p?.Hostname, p?.Mode, p?.Ping == "UP", ping.Meta?.Slurm?.Release,
                diag.Statistics?.JobsPending, diag.Statistics?.JobsRunning, diag.Statistics?.ServerThreadCount, diag.Statistics?.AgentQueueSize);
        }
    }

    public async Task<IReadOnlyList<SlurmJob>> JobsAsync(CancellationToken cancellationToken)
    {
        var v = await VersionAsync(cancellationToken).ConfigureAwait(false);
        return v.IsDataParser
            ? [.. ((await GetAsync(SlurmPath.Jobs(v), Ctx.Jobs41Response, cancellationToken).ConfigureAwait(false)).Jobs ?? []).Select(WireMapping.Job)]
            : [.. ((await GetAsync(SlurmPath.Jobs(v), Ctx.Jobs38Response, cancellationToken).ConfigureAwait(false)).Jobs ?? []).Select(WireMapping.Job)];
    }

    /// <summary>The records of a job (an array job id returns every task's record); empty when Slurm does not know it.</summary>
    public async Task<IReadOnlyList<SlurmJob>> JobAsync(SlurmJobId id, CancellationToken cancellationToken)
    {
        var v = await VersionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return v.IsDataParser
                ? [.. ((await GetAsync(SlurmPath.Job(v, id), Ctx.Jobs41Response, cancellationToken).ConfigureAwait(false)).Jobs ?? []).Select(WireMapping.Job)]
                : [.. ((await GetAsync(SlurmPath.Job(v, id), Ctx.Jobs38Response, cancellationToken).ConfigureAwait(false)).Jobs ?? []).Select(WireMapping.Job)];
        }
        catch (SlurmApiException e) when (e.IsInvalidJobId)
        {
            return [];
        }
    }

    public async Task<IReadOnlyList<SlurmNode>> NodesAsync(CancellationToken cancellationToken)
    {
        var v = await VersionAsync(cancellationToken).ConfigureAwait(false);
        return v.IsDataParser
            ? [.. ((await GetAsync(SlurmPath.Nodes(v), Ctx.Nodes41Response, cancellationToken).ConfigureAwait(false)).Nodes ?? []).Select(WireMapping.Node)]
            : [.. ((await GetAsync(SlurmPath.Nodes(v), Ctx.Nodes38Response, cancellationToken).ConfigureAwait(false)).Nodes ?? []).Select(WireMapping.Node)];
    }

    public async Task<IReadOnlyList<SlurmPartition>> PartitionsAsync(CancellationToken cancellationToken)
    {
        var v = await VersionAsync(cancellationToken).ConfigureAwait(false);
        return v.IsDataParser
            ? [.. ((await GetAsync(SlurmPath.Partitions(v), Ctx.Partitions41Response, cancellationToken).ConfigureAwait(false)).Partitions ?? []).Select(WireMapping.Partition)]
            : [.. ((await GetAsync(SlurmPath.Partitions(v), Ctx.Partitions38Response, cancellationToken).ConfigureAwait(false)).Partitions ?? []).Select(WireMapping.Partition)];
    }

    /// <summary>One partition, or null when there is none of that name.</summary>
    public async Task<SlurmPartition?> PartitionAsync(string name, CancellationToken cancellationToken)
    {
        var v = await VersionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return v.IsDataParser
                ? ((await GetAsync(SlurmPath.Partition(v, name), Ctx.Partitions41Response, cancellationToken).ConfigureAwait(false)).Partitions ?? [])
                    .Select(WireMapping.Partition).FirstOrDefault()
                : ((await GetAsync(SlurmPath.Partition(v, name), Ctx.Partitions38Response, cancellationToken).ConfigureAwait(false)).Partitions ?? [])
                    .Select(WireMapping.Partition).FirstOrDefault();
        }
        catch (SlurmApiException e) when (e.IsInvalidPartition)
        {
            return null;
        }
    }

    /// <summary>Submits a batch job. Never retried: a lost answer could mean a job that exists.</summary>
    public async Task<SlurmSubmitResult> SubmitAsync(SlurmJobRequest request, CancellationToken cancellationToken)
    {
        var v = await VersionAsync(cancellationToken).ConfigureAwait(false);
        using var content = v.IsDataParser
            ? JsonContent(WireMapping.Submit41(request), Ctx.Submit41Request)
            : JsonContent(WireMapping.Submit38(request), Ctx.Submit38Request);
        var response = await SendAsync(HttpMethod.Post, SlurmPath.Submit(v), content, Ctx.SubmitResponse, cancellationToken, acceptErrorsWithResult: true)
            .ConfigureAwait(false);
        if (response.JobId is not { } id || id <= 0)
        {
            throw new SlurmApiException(Url, SlurmPath.Submit(v), 200, response.Errors ?? []);
        }

        // Slurm queues some jobs and still reports why they cannot run now (e.g. over a partition's time limit).
        var warnings = (response.Errors ?? []).Concat(response.Warnings ?? []).Select(e => e.Text).Where(t => t.Length > 0).ToList();
        return new SlurmSubmitResult(id, string.IsNullOrWhiteSpace(response.JobSubmitUserMsg) ? null : response.JobSubmitUserMsg.Trim(), warnings);
    }

    /// <summary>Cancels a job (every task of an array job id).</summary>
    public async Task CancelAsync(SlurmJobId id, CancellationToken cancellationToken)
    {
        var v = await VersionAsync(cancellationToken).ConfigureAwait(false);
        await SendAsync(HttpMethod.Delete, SlurmPath.Job(v, id), null, Ctx.WireResponse, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => http.Dispose();

    private static SlurmJsonContext Ctx => SlurmJsonContext.Default;

    private async Task<SlurmApiVersion> DiscoverAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> offered = [];
        foreach (var path in new[] { SlurmPath.OpenApi, SlurmPath.OpenApiJson })
        {
            using var request = Request(HttpMethod.Get, path, null);
            using var response = await Send(request, path, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                continue;
            }

            await ThrowOnAuthAsync(response, path, cancellationToken).ConfigureAwait(false);
            try
            {
                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                using var doc = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
                offered = doc.RootElement.TryGetProperty("paths", out var paths) && paths.ValueKind == JsonValueKind.Object
                    ? SlurmApiVersion.Offered(paths.EnumerateObject().Select(p => p.Name))
                    : [];
            }
            catch (JsonException e)
            {
                throw new ToolException($"{Url}{path} did not answer with an OpenAPI document ({e.Message}). Is url the address of slurmrestd?", e);
            }

            break;
        }

        var ours = string.Join(", ", SlurmApiVersion.Known);
        if (settings.ApiVersion is { } pinned)
        {
            return offered.Count == 0 || offered.Contains(pinned.Name) ? pinned
                : throw new ToolException($"slurmrestd at {Url} does not offer {pinned} (api_version of instance {instanceId}); it offers {string.Join(", ", offered)}. " +
                                          "Remove api_version to let the plugin choose.");
        }

        return SlurmApiVersion.Known.FirstOrDefault(k => offered.Contains(k.Name))
            ?? throw new ToolException(offered.Count == 0
                ? $"slurmrestd at {Url} serves no OpenAPI document listing /slurm/ versions (tried /{SlurmPath.OpenApi} and /{SlurmPath.OpenApiJson}). " +
                  $"This plugin speaks {ours}; pin one with api_version if the server hides its document."
                : $"slurmrestd at {Url} offers {string.Join(", ", offered)}; this plugin speaks {ours}. Load a matching plugin in slurmrestd " +
                  "(slurmrestd -s / -d data_parser/v0.0.41) or upgrade.");
    }

    private Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken) where T : WireResponse, new() =>
        SendAsync(HttpMethod.Get, path, null, type, cancellationToken);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> type, CancellationToken cancellationToken,
        bool acceptErrorsWithResult = false) where T : WireResponse, new()
    {
        using var request = Request(method, path, content);
        using var response = await Send(request, path, cancellationToken).ConfigureAwait(false);
        await ThrowOnAuthAsync(response, path, cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentLength is > MaxResponseBytes)
        {
            throw new ToolException($"slurmrestd at {Url} answered /{path} with {response.Content.Headers.ContentLength} bytes, over the {MaxResponseBytes / (1024 * 1024)} MiB " +
                                    "this plugin reads; narrow the request.");
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        T? body;
        try
        {
            body = bytes.Length == 0 ? null : JsonSerializer.Deserialize(bytes, type);
        }
        catch (JsonException e)
        {
            var text = Core.Output.Fmt.Truncate(System.Text.Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 400)).ReplaceLineEndings(" ").Trim(), 160);
            throw new ToolException($"slurmrestd at {Url} answered /{path} with HTTP {(int)response.StatusCode} and no JSON: {text}", e);
        }

        body ??= new T();
        var errors = body.Errors ?? [];
        if (!response.IsSuccessStatusCode || (errors.Count > 0 && !acceptErrorsWithResult))
        {
            throw new SlurmApiException(Url, path, (int)response.StatusCode, errors);
        }

        return body;
    }

    private HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content)
    {
        var (user, token) = settings.Credentials();
        var request = new HttpRequestMessage(method, new Uri(settings.Url, path)) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.TryAddWithoutValidation("X-SLURM-USER-NAME", user);
        request.Headers.TryAddWithoutValidation("X-SLURM-USER-TOKEN", token);
        return request;
    }

    private async Task<HttpResponseMessage> Send(HttpRequestMessage request, string path, CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (request.Method == HttpMethod.Get && Unreachable(e))
            {
                // slurmrestd now and then drops a new connection before it answers ("connection invalid" in its log): a
                // read is asked once more, on a fresh connection; a write is never repeated.
                await Task.Delay(ReadRetryDelay, cancellationToken).ConfigureAwait(false);
                return await http.SendAsync(Request(HttpMethod.Get, path, null), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (Unreachable(e))
        {
            throw new ToolException($"Cannot reach slurmrestd at {Url} ({e.Message}). Check url of instance {instanceId} and that slurmrestd listens there " +
                                    "(slurmrestd listens on 6820 by convention; AWS PCS: the SLURMRESTD endpoint of aws pcs get-cluster).", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ToolException($"slurmrestd at {Url} did not answer /{path} within {http.Timeout.TotalSeconds:0} s; slurmctld may be overloaded (plugins_list check_health=true shows its diag).", e);
        }
    }

    /// <summary>
    /// A failure before any answer: refused, reset or dropped (HttpClient wraps most in an <see cref="HttpRequestException"/>
    /// without a status; a connection reset as it opens can surface as the bare socket error).
    /// </summary>
    private static bool Unreachable(Exception e) => e is HttpRequestException { StatusCode: null } or System.Net.Sockets.SocketException or IOException;

    private async Task ThrowOnAuthAsync(HttpResponseMessage response, string path, CancellationToken cancellationToken)
    {
        if (response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
        {
            return;
        }

        var detail = Fmt(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        throw new ToolException($"slurmrestd at {Url} refused /{path} (HTTP {(int)response.StatusCode}{detail}): the JWT is missing, expired or not for this user. " +
                                $"Get a new one with 'scontrol token username=USER lifespan=SECONDS' and update the token source of instance {instanceId}; " +
                                "slurmctld needs AuthAltTypes=auth/jwt.");

        static string Fmt(string body) => string.IsNullOrWhiteSpace(body) ? "" : ": " + McpCloudTools.Core.Output.Fmt.Truncate(body.Trim().ReplaceLineEndings(" "), 160);
    }

    // slurmrestd 22.05 matches the media type exactly: no charset parameter.
    private static ByteArrayContent JsonContent<T>(T value, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}

/// <summary>An answer of slurmrestd that carries Slurm errors.</summary>
internal sealed class SlurmApiException(Uri url, string path, int status, IReadOnlyList<WireError> errors)
    : ToolException(Compose(url, path, status, errors))
{
    /// <summary>Slurm's ESLURM_INVALID_JOB_ID.</summary>
    public bool IsInvalidJobId => errors.Any(e => e.Number == 2017);

    /// <summary>Slurm's ESLURM_INVALID_PARTITION_NAME.</summary>
    public bool IsInvalidPartition => errors.Any(e => e.Number == 2000 || (e.Error ?? "").Contains("Invalid partition name", StringComparison.Ordinal));

    private static string Compose(Uri url, string path, int status, IReadOnlyList<WireError> errors)
    {
        var text = errors.Select(e => e.Text).Where(t => t.Length > 0).Distinct().ToList();
        return $"Slurm refused /{path} (HTTP {status}): " + (text.Count == 0 ? $"no error text from slurmrestd at {url}" : string.Join("; ", text)) + ".";
    }
}
