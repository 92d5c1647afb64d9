namespace McpCloudTools.Sandbox;

/// <summary>
/// Time inside the sandbox: starts at the real time, runs <see cref="Speed"/> times faster, and can be pushed
/// forward, so state that changes over time (an instance <c>stopping</c> then <c>stopped</c>) can be tested without
/// waiting. Signatures are checked against real time, not this clock.
/// </summary>
public sealed class SandboxClock
{
    private readonly TimeProvider _real;
    private readonly Lock _gate = new();
    private DateTimeOffset _anchorSandbox;
    private long _anchorReal;
    private double _speed;

    /// <summary>Creates a clock at the current real time.</summary>
    public SandboxClock(double speed = 1, TimeProvider? real = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(speed);
        _real = real ?? TimeProvider.System;
        _anchorSandbox = _real.GetUtcNow();
        _anchorReal = _real.GetTimestamp();
        _speed = speed;
    }

    /// <summary>Current sandbox time.</summary>
    public DateTimeOffset UtcNow
    {
        get
        {
            lock (_gate) return Now();
        }
    }

    /// <summary>Sandbox seconds per real second (0 freezes time).</summary>
    public double Speed
    {
        get
        {
            lock (_gate) return _speed;
        }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (_gate)
            {
                Rebase();
                _speed = value;
            }
        }
    }

    /// <summary>Moves sandbox time forward.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        lock (_gate)
        {
            Rebase();
            _anchorSandbox += by;
        }
    }

    private DateTimeOffset Now() =>
        _anchorSandbox + TimeSpan.FromTicks((long)(_real.GetElapsedTime(_anchorReal).Ticks * _speed));

    private void Rebase()
    {
        _anchorSandbox = Now();
        _anchorReal = _real.GetTimestamp();
    }
}
