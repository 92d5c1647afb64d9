using System.Globalization;

namespace McpCloudTools.Bench;

/// <summary>The command line of the benchmark. Every path is optional except the JIT build, which is found beside the sources.</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/McpCloudTools.Bench -- [options]
          --runs N           cold starts per launch, interleaved (run 1 of every launch, then run 2 ...); default 11.
                             Fewer than 9 runs is a smoke test, not a result.
          --only PARTS       comma-separated: startup,size,lists,clusters,http,replicas (default: all)
          --seconds N        duration of each HTTP row, 1-600 (default 5)
          --clients LIST     HTTP client counts (default 1,4,16,64); the audit-cost and replica rows use 16
          --server PATH      ours, JIT: mcp-cloud-tools.dll (default: src/McpCloudTools.Server/bin/Release/net10.0)
          --aot PATH         ours, the NativeAOT binary
          --r2r PATH         ours, ReadyToRun (the apphost or the .dll of a ReadyToRun publish)
          --feed DIR         a folder with the packed McpCloudTools packages (top-level, linux-x64, any): adds the
                             installed .NET tool (native and framework-dependent) and dnx
          --go PATH          kubernetes-mcp-server (default: bench/peers/node_modules/kubernetes-mcp-server-linux-amd64/bin/...)
          --echo-aot PATH    the echo server on the same SDK, NativeAOT
          --echo-jit PATH    the echo server, JIT (default: bench/EchoServer/bin/Release/net10.0/mcp-echo-server.dll)
          --also LABEL=PATH  one more build of ours in the start-up table (repeatable)
          --help
        """;

    public static readonly string[] Parts = ["startup", "size", "lists", "clusters", "http", "replicas"];

    public int Runs { get; init; } = 11;

    public int Seconds { get; init; } = 5;

    public IReadOnlyList<int> Clients { get; init; } = [1, 4, 16, 64];

    public HashSet<string> Only { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    public string? Jit { get; init; }

    public string? Aot { get; init; }

    public string? R2r { get; init; }

    public string? Feed { get; init; }

    public string? Go { get; init; }

    public string? EchoAot { get; init; }

    public string? EchoJit { get; init; }

    public IReadOnlyList<(string Label, string Path)> Also { get; init; } = [];

    public bool Help { get; init; }

    public bool Wants(string part) => Only.Count == 0 || Only.Contains(part);

    /// <summary>Parses the arguments; paths are made absolute, nothing is checked on disk (see <see cref="Resolve"/>).</summary>
    /// <exception cref="ArgumentException">An unknown option or a bad value, with what is valid.</exception>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new BenchOptions();
        var also = new List<(string, string)>();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value. {Hint}");
            o = name switch
            {
                "--runs" => o with { Runs = Number(name, Value(), 1, 1000) },
                "--seconds" => o with { Seconds = Number(name, Value(), 1, 600) },
                "--clients" => o with { Clients = [.. Value().Split(',').Select(c => Number(name, c, 1, 1024))] },
                "--only" => o with { Only = Known(name, Value()) },
                "--server" => o with { Jit = Path.GetFullPath(Value()) },
                "--aot" => o with { Aot = Path.GetFullPath(Value()) },
                "--r2r" => o with { R2r = Path.GetFullPath(Value()) },
                "--feed" => o with { Feed = Path.GetFullPath(Value()) },
                "--go" => o with { Go = Path.GetFullPath(Value()) },
                "--echo-aot" => o with { EchoAot = Path.GetFullPath(Value()) },
                "--echo-jit" => o with { EchoJit = Path.GetFullPath(Value()) },
                "--also" => AddAlso(o, name, Value(), also),
                "--help" or "-h" => o with { Help = true },
                _ => throw new ArgumentException($"unknown option '{Short(name)}'. {Hint}"),
            };
        }

        return o with { Also = also };
    }

    /// <summary>Fills the defaults that live beside the sources (the JIT build, the echo server, the npm-installed Go server).</summary>
    public BenchOptions Resolve(string repoRoot)
    {
        string? Existing(string path) => File.Exists(path) ? path : null;
        var jit = Jit ?? Path.Combine(repoRoot, "src", "McpCloudTools.Server", "bin", "Release", "net10.0", "mcp-cloud-tools.dll");
        if (!File.Exists(jit))
        {
            throw new FileNotFoundException($"The server is not built ({jit}). Run: dotnet build src/McpCloudTools.Server -c Release");
        }

        foreach (var (option, path) in new[] { ("--aot", Aot), ("--r2r", R2r), ("--go", Go), ("--echo-aot", EchoAot), ("--echo-jit", EchoJit) })
        {
            if (path is not null && !File.Exists(path))
            {
                throw new FileNotFoundException($"{option}: no file at {path}");
            }
        }

        if (Feed is not null && !Directory.EnumerateFiles(Feed, "McpCloudTools.*.nupkg").Any())
        {
            throw new DirectoryNotFoundException($"--feed: no McpCloudTools.*.nupkg in {Feed}. Pack first (README, Development).");
        }

        return this with
        {
            Jit = jit,
            Go = Go ?? Existing(Path.Combine(repoRoot, "bench", "peers", "node_modules", "kubernetes-mcp-server-linux-amd64", "bin", "kubernetes-mcp-server-linux-amd64")),
            EchoJit = EchoJit ?? Existing(Path.Combine(repoRoot, "bench", "EchoServer", "bin", "Release", "net10.0", "mcp-echo-server.dll")),
        };
    }

    private const string Hint = "Run with --help for the options.";

    private static BenchOptions AddAlso(BenchOptions o, string name, string value, List<(string, string)> also)
    {
        var pair = value.Split('=', 2);
        if (pair.Length != 2 || pair[0].Length == 0 || pair[1].Length == 0)
        {
            throw new ArgumentException($"{name} takes LABEL=PATH, got '{Short(value)}'.");
        }

        also.Add((pair[0], Path.GetFullPath(pair[1])));
        return o;
    }

    private static int Number(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{name} takes a whole number from {min} to {max}, got '{Short(value)}'.");

    private static HashSet<string> Known(string name, string value)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = parts.FirstOrDefault(p => !Parts.Contains(p, StringComparer.OrdinalIgnoreCase));
        return unknown is null && parts.Length > 0
            ? new HashSet<string>(parts, StringComparer.OrdinalIgnoreCase)
            : throw new ArgumentException($"{name} takes a comma-separated list of {string.Join(", ", Parts)}; got '{Short(unknown ?? value)}'.");
    }

    private static string Short(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
