using System.Text.Json.Serialization;

namespace McpCloudTools.Plugins.Slurm.Client;

/// <summary>An entry of a response's <c>errors</c> or <c>warnings</c>; each Slurm version and endpoint fills other fields.</summary>
internal sealed class WireError
{
    public string? Error { get; set; }
    public string? Description { get; set; }
    public long? ErrorNumber { get; set; }
    public long? ErrorCode { get; set; }
    public long? Errno { get; set; }
    public string? Source { get; set; }

    public long? Number => ErrorNumber ?? ErrorCode ?? Errno;

    public string Text => string.Join(": ", new[] { Description, Error }.Where(s => !string.IsNullOrWhiteSpace(s)).Distinct());
}

/// <summary>What every response carries.</summary>
internal class WireResponse
{
    public List<WireError>? Errors { get; set; }
    public List<WireError>? Warnings { get; set; }
}

/// <summary>v0.0.40+ integers that may be unset or infinite.</summary>
internal sealed class WireNoVal
{
    public bool Set { get; set; }
    public bool Infinite { get; set; }
    public double Number { get; set; }

    [JsonIgnore]
    public long? Value => Set && !Infinite ? (long)Number : null;

    public static WireNoVal Of(long value) => new() { Set = true, Number = value };
}
