using System.Collections.Concurrent;

namespace McpCloudTools.Core.Audit;

/// <summary>
/// What a tool call learns while it runs that its audit line reports: the instance and cluster it was routed to (the
/// router notes them) and the AWS request ids of its calls (the AWS HTTP pipeline notes them). Ambient for the call.
/// </summary>
public sealed class AuditScope
{
    private const int MaxRequestIds = 50;
    private static readonly AsyncLocal<AuditScope?> Slot = new();
    private readonly ConcurrentQueue<string> _requestIds = new();
    private int _count;

    /// <summary>The scope of the call running on this flow, if any.</summary>
    public static AuditScope? Current => Slot.Value;

    /// <summary>The instance the call used (the last one routed to).</summary>
    public string? Instance { get; private set; }

    /// <summary>The cluster the call acted on.</summary>
    public string? Cluster { get; private set; }

    /// <summary>The AWS request ids noted, at most 50.</summary>
    public IReadOnlyList<string> RequestIds => [.. _requestIds];

    /// <summary>Starts a scope for a call; disposing it ends it.</summary>
    public static IDisposable Begin(out AuditScope scope)
    {
        var previous = Slot.Value;
        scope = new AuditScope();
        Slot.Value = scope;
        return new Restore(previous);
    }

    /// <summary>Notes the instance (and cluster) the call was routed to.</summary>
    public static void NoteTarget(string instance, string? cluster = null)
    {
        if (Current is { } scope)
        {
            scope.Instance = instance;
            scope.Cluster = cluster ?? scope.Cluster;
        }
    }

    /// <summary>Notes an AWS request id.</summary>
    public static void NoteRequestId(string? requestId)
    {
        if (Current is not { } scope || string.IsNullOrEmpty(requestId))
        {
            return;
        }

        // The same answer can be seen twice (the HTTP pipeline and the AWS SDK's own pipeline): one id, once.
        var id = requestId.Length <= 128 ? requestId : requestId[..128];
        if (!scope._requestIds.Contains(id) && Interlocked.Increment(ref scope._count) <= MaxRequestIds)
        {
            scope._requestIds.Enqueue(id);
        }
    }

    private sealed class Restore(AuditScope? previous) : IDisposable
    {
        public void Dispose() => Slot.Value = previous;
    }
}
