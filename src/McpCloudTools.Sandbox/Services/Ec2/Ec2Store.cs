namespace McpCloudTools.Sandbox.Services.Ec2;

/// <summary>An instance as one request sees it: the fixed facts plus a copy of the state taken under the lock.</summary>
internal sealed record InstanceView(
    Ec2Instance Instance,
    Ec2State State,
    DateTimeOffset StateSince,
    DateTimeOffset LaunchTime,
    string? TransitionReason,
    (string Code, string Message)? StateReason,
    DateTimeOffset? ImpairedSince,
    Ec2ScheduledEvent? Event,
    DateTimeOffset? RebootedAt)
{
    public static InstanceView Of(Ec2Instance i) =>
        new(i, i.State, i.StateSince, i.LaunchTime, i.TransitionReason, i.StateReason, i.ImpairedSince, i.ScheduledEvent, i.RebootedAt);

    public string Id => Instance.Id;

    /// <summary>Terminated instances have lost their network interface, addresses and volumes.</summary>
    public bool IsGone => State == Ec2State.Terminated;

    /// <summary>Public addresses are released while the instance is not running (no Elastic IPs in the sandbox).</summary>
    public string? PublicIp => State is Ec2State.Running or Ec2State.Pending or Ec2State.Stopping ? Instance.PublicIp : null;
}

/// <summary>One instance's answer to start, stop or terminate.</summary>
internal sealed record StateChange(string InstanceId, Ec2State Previous, Ec2State Current);

/// <summary>
/// The account's EC2 resources. Networking is fixed after seeding; instances move on with sandbox time (settled on
/// every read, so nothing runs in the background) and with actions, all under one lock.
/// </summary>
internal sealed class Ec2Store(SandboxClock clock)
{
    private readonly Lock _gate = new();
    private readonly List<Ec2Instance> _instances = [];
    private readonly Dictionary<string, Ec2Instance> _byId = new(StringComparer.Ordinal);
    private readonly HashSet<Ec2Instance> _moving = [];

    public List<Ec2Vpc> Vpcs { get; } = [];

    public List<Ec2Subnet> Subnets { get; } = [];

    public List<Ec2SecurityGroup> SecurityGroups { get; } = [];

    public SandboxClock Clock => clock;

    /// <summary>Adds seeded instances, keeping the list in id order (the order EC2 pages in here).</summary>
    public void Add(IEnumerable<Ec2Instance> instances)
    {
        lock (_gate)
        {
            foreach (var instance in instances)
            {
                _instances.Add(instance);
                _byId.Add(instance.Id, instance);
                if (Ec2Lifecycle.IsMoving(instance.State)) _moving.Add(instance);
            }
            _instances.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        }
    }

    /// <summary>Every visible instance, in id order.</summary>
    public IReadOnlyList<InstanceView> Instances()
    {
        lock (_gate)
        {
            Settle();
            var views = new InstanceView[_instances.Count];
            for (var i = 0; i < views.Length; i++) views[i] = InstanceView.Of(_instances[i]);
            return views;
        }
    }

    /// <summary>The visible instances with these ids, and the ids that are not (or no longer) visible.</summary>
    public (IReadOnlyList<InstanceView> Found, IReadOnlyList<string> Missing) Find(IEnumerable<string> ids)
    {
        lock (_gate)
        {
            Settle();
            var found = new List<InstanceView>();
            var missing = new List<string>();
            foreach (var id in ids.Distinct(StringComparer.Ordinal))
            {
                if (_byId.TryGetValue(id, out var instance)) found.Add(InstanceView.Of(instance));
                else missing.Add(id);
            }
            found.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
            return (found, missing);
        }
    }

    /// <summary>
    /// Applies a state action to each instance, all or nothing: an instance in the wrong state fails the whole call
    /// before anything changes, as EC2 does.
    /// </summary>
    public IReadOnlyList<StateChange> Apply(IReadOnlyList<string> ids, Func<Ec2Instance, DateTimeOffset, (Ec2State, Ec2State)> action)
    {
        lock (_gate)
        {
            Settle();
            var now = clock.UtcNow;
            var targets = ids.Distinct(StringComparer.Ordinal).Select(id => _byId[id]).ToList();
            // Rehearse on copies first so a failure on the third instance leaves the first two untouched.
            foreach (var target in targets) action(Copy(target), now);
            var changes = new List<StateChange>();
            foreach (var target in targets)
            {
                var (previous, current) = action(target, now);
                if (Ec2Lifecycle.IsMoving(current)) _moving.Add(target);
                changes.Add(new StateChange(target.Id, previous, current));
            }
            return changes;
        }
    }

    /// <summary>Addresses held by instances, per subnet id (terminated instances have released theirs).</summary>
    public IReadOnlyDictionary<string, int> UsedAddresses()
    {
        lock (_gate)
        {
            Settle();
            return _instances.Where(i => i.State != Ec2State.Terminated).GroupBy(i => i.Subnet.Id, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        }
    }

    private void Settle()
    {
        if (_moving.Count == 0) return;
        var now = clock.UtcNow;
        List<Ec2Instance>? gone = null;
        foreach (var instance in _moving)
        {
            if (Ec2Lifecycle.Settle(instance, now)) (gone ??= []).Add(instance);
        }
        _moving.RemoveWhere(i => !Ec2Lifecycle.IsMoving(i.State));
        if (gone is null) return;
        foreach (var instance in gone)
        {
            _moving.Remove(instance);
            _byId.Remove(instance.Id);
            _instances.Remove(instance);
        }
    }

    private static Ec2Instance Copy(Ec2Instance i) => new()
    {
        Id = i.Id, ReservationId = i.ReservationId, ImageId = i.ImageId, InstanceType = i.InstanceType, Subnet = i.Subnet,
        PrivateIp = i.PrivateIp, SecurityGroupIds = i.SecurityGroupIds, Tags = i.Tags, RootVolumeId = i.RootVolumeId,
        NetworkInterfaceId = i.NetworkInterfaceId, MacAddress = i.MacAddress, CreatedAt = i.CreatedAt,
        State = i.State, StateSince = i.StateSince, LaunchTime = i.LaunchTime,
    };
}
