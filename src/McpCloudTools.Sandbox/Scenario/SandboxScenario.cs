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

    /// <summary>A copy with one size set.</summary>
    public SandboxScenario WithSize(string key, int value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        return this with { Sizes = Sizes.SetItem(key, value) };
    }

    /// <summary>A scenario by name: <c>default</c> or <c>empty</c>.</summary>
    public static SandboxScenario Named(string name) => name.ToLowerInvariant() switch
    {
        "default" => Default,
        "empty" => Empty,
        _ => throw new ArgumentException($"Unknown scenario '{name}'; use 'default' or 'empty'.", nameof(name)),
    };

    /// <summary>Applies a <c>key=value</c> size argument (from <c>--size ec2.instances=10000</c>).</summary>
    public SandboxScenario WithSizeArgument(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || !int.TryParse(argument.AsSpan(equals + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            throw new ArgumentException($"--size expects key=count (e.g. ec2.instances=100), got '{argument}'.", nameof(argument));
        return WithSize(argument[..equals].Trim(), value);
    }
}
