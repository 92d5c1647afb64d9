using System.Globalization;

namespace McpCloudTools.Sandbox.Services.Ec2;

/// <summary>
/// How instances move between states over sandbox time, and what start, stop, reboot and terminate do to them,
/// with EC2's rules for which transitions are allowed. Pure: the store calls it under its lock.
/// </summary>
internal static class Ec2Lifecycle
{
    /// <summary>pending → running.</summary>
    public static readonly TimeSpan PendingFor = TimeSpan.FromSeconds(15);

    /// <summary>stopping → stopped.</summary>
    public static readonly TimeSpan StoppingFor = TimeSpan.FromSeconds(30);

    /// <summary>shutting-down → terminated.</summary>
    public static readonly TimeSpan ShuttingDownFor = TimeSpan.FromSeconds(30);

    /// <summary>How long a terminated instance stays visible, as on AWS (about an hour).</summary>
    public static readonly TimeSpan TerminatedVisibleFor = TimeSpan.FromHours(1);

    /// <summary>Status checks report <c>initializing</c> this long after a launch, start or reboot.</summary>
    public static readonly TimeSpan ChecksInitializeFor = TimeSpan.FromMinutes(2);

    /// <summary>True while the instance is on its way somewhere (or waiting to disappear).</summary>
    public static bool IsMoving(Ec2State state) => state is Ec2State.Pending or Ec2State.Stopping or Ec2State.ShuttingDown or Ec2State.Terminated;

    /// <summary>Applies every transition due by <paramref name="now"/>; true when the instance should disappear.</summary>
    public static bool Settle(Ec2Instance instance, DateTimeOffset now)
    {
        while (true)
        {
            var (due, next) = instance.State switch
            {
                Ec2State.Pending => (instance.StateSince + PendingFor, Ec2State.Running),
                Ec2State.Stopping => (instance.StateSince + StoppingFor, Ec2State.Stopped),
                Ec2State.ShuttingDown => (instance.StateSince + ShuttingDownFor, Ec2State.Terminated),
                Ec2State.Terminated => (instance.StateSince + TerminatedVisibleFor, Ec2State.Terminated),
                _ => (DateTimeOffset.MaxValue, instance.State),
            };
            if (now < due) return false;
            if (instance.State == Ec2State.Terminated) return true;
            instance.State = next;
            instance.StateSince = due;
        }
    }

    /// <summary>StartInstances on one instance: (previous, current).</summary>
    public static (Ec2State Previous, Ec2State Current) Start(Ec2Instance instance, DateTimeOffset now)
    {
        var previous = instance.State;
        switch (previous)
        {
            case Ec2State.Running or Ec2State.Pending:
                return (previous, previous);
            case Ec2State.Stopped:
                instance.State = Ec2State.Pending;
                instance.StateSince = now;
                instance.LaunchTime = now;
                instance.TransitionReason = null;
                instance.StateReason = null;
                // A start lands on new hardware: instance-level impairments and host events are gone.
                instance.ImpairedSince = null;
                instance.ScheduledEvent = null;
                return (previous, Ec2State.Pending);
            default:
                throw IncorrectState(instance, "started");
        }
    }

    /// <summary>StopInstances on one instance: (previous, current).</summary>
    public static (Ec2State Previous, Ec2State Current) Stop(Ec2Instance instance, DateTimeOffset now, bool force)
    {
        var previous = instance.State;
        switch (previous)
        {
            case Ec2State.Stopped:
                return (previous, previous);
            case Ec2State.Stopping when force:
                instance.State = Ec2State.Stopped;
                instance.StateSince = now;
                return (previous, Ec2State.Stopped);
            case Ec2State.Stopping:
                return (previous, previous);
            case Ec2State.Running:
                instance.State = Ec2State.Stopping;
                instance.StateSince = now;
                instance.TransitionReason = UserInitiated(now);
                instance.StateReason = ("Client.UserInitiatedShutdown", "Client.UserInitiatedShutdown: User initiated shutdown");
                return (previous, Ec2State.Stopping);
            default:
                throw IncorrectState(instance, "stopped");
        }
    }

    /// <summary>TerminateInstances on one instance (idempotent, as on AWS): (previous, current).</summary>
    public static (Ec2State Previous, Ec2State Current) Terminate(Ec2Instance instance, DateTimeOffset now)
    {
        var previous = instance.State;
        if (previous is Ec2State.Terminated or Ec2State.ShuttingDown) return (previous, previous);
        instance.State = Ec2State.ShuttingDown;
        instance.StateSince = now;
        instance.TransitionReason = UserInitiated(now);
        instance.StateReason = ("Client.UserInitiatedShutdown", "Client.UserInitiatedShutdown: User initiated shutdown");
        instance.ScheduledEvent = null;
        return (previous, Ec2State.ShuttingDown);
    }

    /// <summary>RebootInstances on one instance: terminated ones are ignored, as on AWS.</summary>
    public static void Reboot(Ec2Instance instance, DateTimeOffset now)
    {
        switch (instance.State)
        {
            case Ec2State.Running:
                instance.RebootedAt = now;
                // A reboot clears an OS-level (instance check) failure; system-level problems need a stop/start.
                instance.ImpairedSince = null;
                return;
            case Ec2State.Terminated or Ec2State.ShuttingDown:
                return;
            default:
                throw IncorrectState(instance, "rebooted");
        }
    }

    /// <summary>The status-check summary of a running instance: <c>ok</c>, <c>impaired</c> or <c>initializing</c>.</summary>
    public static string CheckStatus(Ec2State state, DateTimeOffset launchTime, DateTimeOffset? rebootedAt, bool impaired,
        DateTimeOffset now)
    {
        if (state != Ec2State.Running) return "not-applicable";
        if (impaired) return "impaired";
        var since = rebootedAt is { } r && r > launchTime ? r : launchTime;
        return now - since < ChecksInitializeFor ? "initializing" : "ok";
    }

    private static SandboxApiException IncorrectState(Ec2Instance instance, string verb) =>
        new(400, "IncorrectInstanceState",
            $"The instance '{instance.Id}' is not in a state from which it can be {verb}.");

    private static string UserInitiated(DateTimeOffset now) =>
        $"User initiated ({now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} GMT)";
}
