using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace McpCloudTools.Sandbox.Services.Lambda;

/// <summary>
/// AWS Lambda over restJson1 (2015-03-31, account settings under 2016-08-19): ListFunctions, GetFunction,
/// GetFunctionConfiguration, UpdateFunctionConfiguration, Invoke, ListVersionsByFunction, ListAliases,
/// ListEventSourceMappings and GetAccountSettings, with Lambda's quirks (optional trailing slashes, string
/// <c>LastModified</c>, markers, no state in ListFunctions, name/alias/ARN function names). Invocations run the
/// deterministic bodies of <see cref="LambdaBehaviour"/> and write CloudWatch Logs into the shared log store.
/// </summary>
public sealed partial class LambdaService : ISandboxService
{
    private delegate Task Operation(SandboxRequest request, RouteValues route, CancellationToken cancellationToken);

    private readonly SandboxContext _context;
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, FunctionState> _functions = new(StringComparer.Ordinal);
    private readonly List<EventSourceMappingState> _mappings = [];
    private readonly RestJsonRouter<Operation> _router = new();
    private Random _random = new(1);

    /// <summary>Creates the service over the shared sandbox context.</summary>
    public LambdaService(SandboxContext context)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _router
            .Map("GET", "/2015-03-31/functions", ListFunctionsAsync)
            .Map("GET", "/2015-03-31/functions/{FunctionName}", GetFunctionAsync)
            .Map("GET", "/2015-03-31/functions/{FunctionName}/configuration", GetFunctionConfigurationAsync)
            .Map("PUT", "/2015-03-31/functions/{FunctionName}/configuration", UpdateFunctionConfigurationAsync)
            .Map("POST", "/2015-03-31/functions/{FunctionName}/invocations", InvokeAsync)
            .Map("GET", "/2015-03-31/functions/{FunctionName}/versions", ListVersionsByFunctionAsync)
            .Map("GET", "/2015-03-31/functions/{FunctionName}/aliases", ListAliasesAsync)
            .Map("GET", "/2015-03-31/event-source-mappings", ListEventSourceMappingsAsync)
            .Map("GET", "/2016-08-19/account-settings", GetAccountSettingsAsync);
    }

    /// <inheritdoc />
    public string SigningName => "lambda";

    /// <inheritdoc />
    public SandboxProtocol Protocol => SandboxProtocol.RestJson1;

    /// <summary>Lambda throttles with 429 <c>TooManyRequestsException</c> (and <c>Retry-After</c> when the faults set one).</summary>
    public SandboxApiException ThrottlingError => new(429, "TooManyRequestsException", "Rate exceeded");

    /// <inheritdoc />
    public void Seed(SandboxScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        lock (_gate)
        {
            _random = _context.CreateRandom("lambda-invocations");
            foreach (var f in LambdaSeeder.Seed(_context, scenario, _mappings)) _functions[f.Latest.Name] = f;
            LambdaSeeder.History(_context, scenario, _functions.Values);
        }
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, long> Summary()
    {
        lock (_gate)
        {
            return new Dictionary<string, long>
            {
                ["functions"] = _functions.Count,
                ["versions"] = _functions.Values.Sum(f => (long)f.Versions.Count),
                ["aliases"] = _functions.Values.Sum(f => (long)f.Aliases.Count),
                ["event_source_mappings"] = _mappings.Count,
                ["invocations"] = _functions.Values.Sum(f => (long)f.Invocations),
            };
        }
    }

    /// <summary>How many invocations of <paramref name="functionName"/> started (0 for an unknown function).</summary>
    public int Invocations(string functionName)
    {
        lock (_gate) return _functions.TryGetValue(functionName, out var f) ? f.Invocations : 0;
    }

    /// <inheritdoc />
    public Task HandleAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.RequireCaller();
        var match = _router.Match(request.Method, request.RawPath)
            ?? throw new SandboxApiException(404, "UnknownOperationException",
                $"The sandbox's Lambda does not implement {request.Method} {request.RawPath}.");
        return match.Handler(request, match.Values, cancellationToken);
    }

    private Task ListFunctionsAsync(SandboxRequest request, RouteValues route, CancellationToken cancellationToken)
    {
        var query = Query(request);
        var max = MaxItems(query, 50);
        var allVersions = query.Get("FunctionVersion") switch
        {
            null => false,
            "ALL" => true,
            var other => throw Validation($"1 validation error detected: Value '{other}' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]"),
        };
        ListFunctionsOutput output;
        lock (_gate)
        {
            var now = _context.Clock.UtcNow;
            // Cheap tuples first and wire shapes for the page only, so paging a benchmark-sized account stays light.
            IEnumerable<(FunctionState Function, string? Version)> all = allVersions
                ? _functions.Values.SelectMany(f => f.Versions.Select(v => (f, (string?)v.Version)).Prepend((f, "$LATEST")))
                : _functions.Values.Select(f => (f, (string?)null));
            output = Page(all, query.Get("Marker"), max, "functions", (page, next) => new ListFunctionsOutput
            {
                Functions = [.. page.Select(item =>
                {
                    item.Function.Settle(now);
                    var arn = FunctionArn(item.Function.Latest.Name);
                    return item.Version is { } version
                        ? LambdaWire.Function(item.Function.Version(version)!, $"{arn}:{version}", full: false)
                        : LambdaWire.Function(item.Function.Latest, arn, full: false);
                })],
                NextMarker = next,
            });
        }
        return WriteAsync(request, output, LambdaWireJsonContext.Default.ListFunctionsOutput, cancellationToken);
    }

    private Task GetFunctionAsync(SandboxRequest request, RouteValues route, CancellationToken cancellationToken)
    {
        GetFunctionOutput output;
        lock (_gate)
        {
            var (function, config, arn) = Resolve(route["FunctionName"], Query(request).Get("Qualifier"));
            var digest = string.Concat(Enumerable.Repeat(function.CodeId, 4));
            output = new GetFunctionOutput
            {
                Configuration = LambdaWire.Function(config, arn, full: true),
                Code = config.PackageType == "Image"
                    ? new FunctionCodeLocationWire { RepositoryType = "ECR", ImageUri = config.ImageUri, ResolvedImageUri = $"{config.ImageUri?.Split(':')[0]}@sha256:{digest}" }
                    : new FunctionCodeLocationWire { RepositoryType = "S3", Location = CodeLocation(function, config) },
                Tags = function.Tags.Count > 0 ? new(function.Tags, StringComparer.Ordinal) : null,
                Concurrency = function.ReservedConcurrency is { } reserved ? new ConcurrencyWire { ReservedConcurrentExecutions = reserved } : null,
            };
        }
        return WriteAsync(request, output, LambdaWireJsonContext.Default.GetFunctionOutput, cancellationToken);
    }

    private Task GetFunctionConfigurationAsync(SandboxRequest request, RouteValues route, CancellationToken cancellationToken)
    {
        FunctionConfigurationWire output;
        lock (_gate)
        {
            var (_, config, arn) = Resolve(route["FunctionName"], Query(request).Get("Qualifier"));
            output = LambdaWire.Function(config, arn, full: true);
        }
        return WriteAsync(request, output, LambdaWireJsonContext.Default.FunctionConfigurationWire, cancellationToken);
    }

    private Task ListVersionsByFunctionAsync(SandboxRequest request, RouteValues route, CancellationToken cancellationToken)
    {
        var query = Query(request);
        var max = MaxItems(query, 50);
        ListVersionsOutput output;
        lock (_gate)
        {
            var (function, _, _) = Resolve(route["FunctionName"], null);
            var arn = FunctionArn(function.Latest.Name);
            List<FunctionConfigurationWire> all = [LambdaWire.Function(function.Latest, $"{arn}:$LATEST", full: false),
                .. function.Versions.Select(v => LambdaWire.Function(v, $"{arn}:{v.Version}", full: false))];
            output = Page(all, query.Get("Marker"), max, "versions", (page, next) => new ListVersionsOutput { Versions = page, NextMarker = next });
        }
        return WriteAsync(request, output, LambdaWireJsonContext.Default.ListVersionsOutput, cancellationToken);
    }

    private Task ListAliasesAsync(SandboxRequest request, RouteValues route, CancellationToken cancellationToken)
    {
        var query = Query(request);
        var max = MaxItems(query, 50);
        var version = query.Get("FunctionVersion");
        ListAliasesOutput output;
        lock (_gate)
        {
            var (function, _, _) = Resolve(route["FunctionName"], null);
            var arn = FunctionArn(function.Latest.Name);
            var all = function.Aliases.Values.Where(a => version is null || a.FunctionVersion == version)
                .Select(a => LambdaWire.Alias(a, arn)).ToList();
            output = Page(all, query.Get("Marker"), max, "aliases", (page, next) => new ListAliasesOutput { Aliases = page, NextMarker = next });
        }
        return WriteAsync(request, output, LambdaWireJsonContext.Default.ListAliasesOutput, cancellationToken);
    }

    private Task ListEventSourceMappingsAsync(SandboxRequest request, RouteValues route, CancellationToken cancellationToken)
    {
        var query = Query(request);
        var max = MaxItems(query, 100);
        var source = query.Get("EventSourceArn");
        ListEventSourceMappingsOutput output;
        lock (_gate)
        {
            var name = query.Get("FunctionName") is { } raw ? Resolve(raw, null).Function.Latest.Name : null;
            var all = _mappings.Where(m => (name is null || m.FunctionName == name) && (source is null || m.EventSourceArn == source))
                .Select(m => LambdaWire.Mapping(m, FunctionArn(m.FunctionName),
                    $"arn:aws:lambda:{_context.Region}:{_context.AccountId}:event-source-mapping:{m.Uuid}"))
                .ToList();
            output = Page(all, query.Get("Marker"), max, "mappings",
                (page, next) => new ListEventSourceMappingsOutput { EventSourceMappings = page, NextMarker = next });
        }
        return WriteAsync(request, output, LambdaWireJsonContext.Default.ListEventSourceMappingsOutput, cancellationToken);
    }

    private Task GetAccountSettingsAsync(SandboxRequest request, RouteValues route, CancellationToken cancellationToken)
    {
        AccountSettingsOutput output;
        lock (_gate)
        {
            const int concurrency = 1000;
            output = new AccountSettingsOutput
            {
                AccountLimit = new AccountLimitWire
                {
                    TotalCodeSize = 80_530_636_800, CodeSizeUnzipped = 262_144_000, CodeSizeZipped = 52_428_800,
                    ConcurrentExecutions = concurrency,
                    UnreservedConcurrentExecutions = concurrency - _functions.Values.Sum(f => f.ReservedConcurrency ?? 0),
                },
                AccountUsage = new AccountUsageWire
                {
                    TotalCodeSize = _functions.Values.Sum(f => f.Latest.CodeSize + f.Versions.Sum(v => v.CodeSize)),
                    FunctionCount = _functions.Count,
                },
            };
        }
        return WriteAsync(request, output, LambdaWireJsonContext.Default.AccountSettingsOutput, cancellationToken);
    }

    private static T Page<T, TItem>(IEnumerable<TItem> all, string? marker, int max, string kind, Func<List<TItem>, string?, T> build)
    {
        var start = marker is null ? 0 : LambdaWire.ReadIndexMarker(kind, marker);
        var page = all.Skip(start).Take(max + 1).ToList();
        var more = page.Count > max;
        if (more) page.RemoveAt(max);
        var end = start + page.Count;
        return build(page, more ? LambdaWire.Marker(kind, end.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null);
    }

    // Lambda caps list pages at 50 (100 for mappings) whatever MaxItems asks; below 1 is a validation error.
    private static int MaxItems(QueryRequest query, int cap)
    {
        if (query.Get("MaxItems") is not { } text) return cap;
        if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < 1 || value > 10000)
            throw Validation($"1 validation error detected: Value '{text}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000");
        return Math.Min(value, cap);
    }

    private static QueryRequest Query(SandboxRequest request) => QueryRequest.Parse(request.RawTarget, []);

    private static Task WriteAsync<T>(SandboxRequest request, T value, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SandboxJson.WriteAsync(request, 200, value, type, cancellationToken);

    private static SandboxApiException NotFound(string arn) => new(404, "ResourceNotFoundException", $"Function not found: {arn}");

    private static SandboxApiException Invalid(string message) => new(400, "InvalidParameterValueException", message);

    private static SandboxApiException Validation(string message) => new(400, "ValidationException", message);

    private static SandboxApiException Conflict(string message) => new(409, "ResourceConflictException", message);

    private static JsonElement? ParseJson(byte[] body)
    {
        if (body.Length == 0) return null;
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new SandboxApiException(400, "InvalidRequestContentException",
                $"Could not parse request body into json: Could not parse payload into json: {e.Message}");
        }
    }
}
