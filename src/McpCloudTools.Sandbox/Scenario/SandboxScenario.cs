using System.Collections.Immutable;
using System.Globalization;

namespace McpCloudTools.Sandbox;

/// <summary>
/// What the emulated account holds at start: a named shape (<c>default</c>: a small, realistic account with some
/// broken things; <c>empty</c>: nothing), a seed that makes it deterministic, and sizes for benchmarks
/// (<c>ec2.instances=10000</c>) that each service reads with its own defaults.
/// </summary>
public sealed record SandboxScenario(string Name, int Seed, ImmutableDictionary<string, int> Sizes)
{
    /// <summary>The small realistic account.</summary>
    public static SandboxScenario Default { get; } = new("default", 42, ImmutableDictionary<string, int>.Empty);

    /// <summary>An account with nothing in it (tests that build their own state).</summary>
    public static SandboxScenario Empty { get; } = new("empty", 42, ImmutableDictionary<string, int>.Empty);

    /// <summary>True for the <c>empty</c> scenario: services seed nothing.</summary>
    public bool IsEmpty => string.Equals(Name, "empty", StringComparison.OrdinalIgnoreCase);

    /// <summary>The size set for <paramref name="key"/> (e.g. <c>logs.groups</c>), or <paramref name="defaultValue"/>.</summary>
    public int Size(string key, int defaultValue) => Sizes.TryGetValue(key, out var value) ? value : defaultValue;

    /// <summary>
    /// The sizes a scenario understands, with the largest count each accepts (what a 2-core machine seeds in seconds
    /// and serves without running out of memory). One place: the command line, the docs and the seeders agree on it.
    /// </summary>
    public static IReadOnlyDictionary<string, int> SizeLimits { get; } = new SortedDictionary<string, int>(StringComparer.Ordinal)
    {
        ["batch.jobs"] = 10_000,
        ["ec2.instances"] = 60_000,
        ["eks.pods"] = 20_000,
        ["lambda.functions"] = 10_000,
        ["logs.events_per_stream"] = 100_000,
        ["logs.extra_groups"] = 10_000,
    };

    /// <summary>True for the smaller account of the sandbox's second region (see <see cref="ForSecondRegion"/>).</summary>
    public bool IsSecondRegion { get; init; }

    /// <summary>
    /// What the second region holds: the same kind of account, smaller (a few instances, one EKS cluster, two functions,
    /// one Batch queue), from the same seed; <c>--size</c> applies to the home region only.
    /// </summary>
    public SandboxScenario ForSecondRegion() =>
        this with { Sizes = ImmutableDictionary<string, int>.Empty, IsSecondRegion = true };

    /// <summary>A copy with one size set; an unknown key or a count out of range is refused saying what is valid.</summary>
    public SandboxScenario WithSize(string key, int value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!SizeLimits.TryGetValue(key, out var max))
            throw new ArgumentException($"--size: unknown key '{Clip(key)}'; the keys are {string.Join(", ", SizeLimits.Keys)}.");
        if (value < 0 || value > max)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--size {key}: {value} is out of range; use 0 to {max}."));
        return this with { Sizes = Sizes.SetItem(key, value) };
    }

    /// <summary>A scenario by name: <c>default</c> or <c>empty</c>.</summary>
    public static SandboxScenario Named(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToLowerInvariant() switch
        {
            "default" => Default,
            "empty" => Empty,
            _ => throw new ArgumentException($"--scenario: unknown scenario '{Clip(name)}'; use default or empty."),
        };
    }

    /// <summary>Applies a <c>key=value</c> size argument (from <c>--size ec2.instances=10000</c>).</summary>
    public SandboxScenario WithSizeArgument(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
            throw new ArgumentException($"--size expects key=count (e.g. ec2.instances=100), not '{Clip(argument)}'; the keys are {string.Join(", ", SizeLimits.Keys)}.");
        var key = argument[..equals].Trim();
        if (!int.TryParse(argument.AsSpan(equals + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            var max = SizeLimits.TryGetValue(key, out var m) ? m.ToString(CultureInfo.InvariantCulture) : "the key's limit";
            throw new ArgumentException($"--size {Clip(key)}: the count must be a whole number from 0 to {max}, not '{Clip(argument[(equals + 1)..])}'.");
        }
        return WithSize(key, value);
    }

    /// <summary>
    /// A value the user gave, as a message quotes it: whole up to <paramref name="max"/> characters, else its first ones
    /// (never half of a surrogate pair) and <c>…</c>. The sandbox's one cut (it stands apart from the server's Core).
    /// </summary>
    internal static string Clip(string value, int max = 40)
    {
        if (value.Length <= max)
        {
            return value;
        }

        var cut = max > 0 && char.IsHighSurrogate(value[max - 1]) ? max - 1 : max;
        return string.Concat(value.AsSpan(0, cut), "…");
    }
}
