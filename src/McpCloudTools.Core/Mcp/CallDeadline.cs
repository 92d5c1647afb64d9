using System.Globalization;
using System.Text.Json;

namespace McpCloudTools.Core.Mcp;

/// <summary>The operator's limits on tool calls (<c>--call-timeout</c>, <c>CallTimeoutSeconds</c>).</summary>
public sealed class CallLimits
{
    /// <summary>The default whole-call deadline of a read tool, in seconds: well under a minute.</summary>
    public const int DefaultCallTimeoutSeconds = 45;

    /// <summary>The largest deadline the option accepts, in seconds.</summary>
    public const int MaxCallTimeoutSeconds = 3600;

    /// <summary>How long a read tool call may take in all, retries and waits included.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(DefaultCallTimeoutSeconds);

    /// <summary>The defaults.</summary>
    public static CallLimits Default { get; } = new();
}

/// <summary>
/// Marks a read tool that waits by design (<c>*_wait</c>): its deadline is what its <paramref name="argument"/> asks
/// for (else <paramref name="defaultSeconds"/>, at most <paramref name="maxSeconds"/>) plus the call timeout, so the
/// last reads after the wait still have their time.
/// </summary>
/// <param name="argument">The argument holding the wait in seconds, e.g. <c>timeout_seconds</c>.</param>
/// <param name="defaultSeconds">The wait when the argument is absent.</param>
/// <param name="maxSeconds">The longest wait the tool allows.</param>
[AttributeUsage(AttributeTargets.Method)]
public sealed class WaitsUpToAttribute(string argument, int defaultSeconds, int maxSeconds) : Attribute
{
    /// <summary>The argument holding the wait in seconds.</summary>
    public string Argument { get; } = argument;

    /// <summary>The wait when the argument is absent.</summary>
    public int DefaultSeconds { get; } = defaultSeconds;

    /// <summary>The longest wait the tool allows.</summary>
    public int MaxSeconds { get; } = maxSeconds;

    /// <summary>The wait a call asks for.</summary>
    public TimeSpan Wait(IDictionary<string, JsonElement>? arguments)
    {
        var seconds = arguments is not null && arguments.TryGetValue(Argument, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d)
            ? d
            : DefaultSeconds;
        return TimeSpan.FromSeconds(Math.Clamp(seconds, 0, MaxSeconds));
    }
}

/// <summary>
/// The whole-call deadline of the tool call running on this async flow. <see cref="CallToolGuard"/> starts it and
/// cancels the call's token when it passes; the retry layers read <see cref="Remaining"/> so that they start no
/// attempt that cannot finish; the clients note what they are waiting for, so the timeout message can name it.
/// </summary>
/// <remarks>
/// The rule: read tools get <see cref="CallLimits.CallTimeout"/> (default 45 s); <c>*_wait</c> tools
/// (<see cref="WaitsUpToAttribute"/>) get their own wait plus that; write and destructive tools get none, because
/// cutting a change halfway leaves the agent not knowing whether it happened: they are bounded by the per-attempt
/// timeout, the retry rules (no replay of a non-idempotent call) and their own documented waits.
/// </remarks>
public sealed class CallDeadline
{
    private static readonly AsyncLocal<CallDeadline?> Slot = new();
    private readonly TimeProvider _time;
    private readonly long _started;
    private volatile string? _waitingFor;
    private int _attemptsStopped;

    private CallDeadline(TimeSpan budget, TimeProvider time)
    {
        Budget = budget;
        _time = time;
        _started = time.GetTimestamp();
    }

    /// <summary>The deadline of the current call, or null outside one (or in shared work, see <see cref="Suspend"/>).</summary>
    public static CallDeadline? Current => Slot.Value;

    /// <summary>The whole call's budget.</summary>
    public TimeSpan Budget { get; }

    /// <summary>Time since the call started.</summary>
    public TimeSpan Elapsed => _time.GetElapsedTime(_started);

    /// <summary>Time left; zero or less once the deadline has passed.</summary>
    public TimeSpan Remaining => Budget - Elapsed;

    /// <summary>The last outside call the tool waited for, e.g. <c>ec2 DescribeVpcs at http://127.0.0.1:4566</c>.</summary>
    public string? WaitingFor => _waitingFor;

    /// <summary>Whether a retry layer gave up an attempt because the deadline left no time for it.</summary>
    public bool StoppedRetrying => Volatile.Read(ref _attemptsStopped) > 0;

    /// <summary>Starts a deadline for the rest of this async flow; dispose to end it.</summary>
    public static IDisposable Begin(TimeSpan budget, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var previous = Slot.Value;
        Slot.Value = new CallDeadline(budget, time);
        return new Restore(previous);
    }

    /// <summary>
    /// Takes the rest of this async flow out of the current call's deadline: for work shared by several calls
    /// (initialising an instance, building a cluster connection), which has its own timeout and must not be shaped by
    /// whichever call happened to start it.
    /// </summary>
    public static IDisposable Suspend()
    {
        var previous = Slot.Value;
        Slot.Value = null;
        return new Restore(previous);
    }

    /// <summary>Records what the current call now waits for (no-op outside a call).</summary>
    public static void NoteWaitingFor(string what)
    {
        if (Current is { } deadline)
        {
            deadline._waitingFor = what;
        }
    }

    /// <summary>
    /// Whether a retry layer may start another attempt: only if, after <paramref name="delay"/>, the time left is at
    /// least as long as the last attempt took (a timed-out attempt took the whole attempt timeout). Always true
    /// outside a call. A refusal is remembered for the message.
    /// </summary>
    public static bool AllowsAnotherAttempt(TimeSpan delay, TimeSpan lastAttempt)
    {
        if (Current is not { } deadline || deadline.Remaining >= delay + lastAttempt)
        {
            return true;
        }

        Interlocked.Increment(ref deadline._attemptsStopped);
        return false;
    }

    /// <summary>The message of a call cut by its deadline: what was waited for, how long, and what to try.</summary>
    public string Message(string tool) =>
        string.Create(CultureInfo.InvariantCulture, $"{tool} stopped after {Seconds(Budget)} s, its whole-call deadline, ")
        + (WaitingFor is { } what ? $"while waiting for {what}" : "before the backend answered")
        + ". Narrow the request (a filter, a namespace, a smaller limit), raise the deadline with --call-timeout "
        + string.Create(CultureInfo.InvariantCulture, $"(now {Seconds(Budget)} s), or check that the endpoint answers (endpoint_url, AWS_ENDPOINT_URL, the network).");

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);

    private sealed class Restore(CallDeadline? previous) : IDisposable
    {
        public void Dispose() => Slot.Value = previous;
    }
}
