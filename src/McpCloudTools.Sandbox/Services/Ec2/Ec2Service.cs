using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

namespace McpCloudTools.Sandbox.Services.Ec2;

/// <summary>
/// EC2 over its Query variant (form POST, XML answers with <c>requestId</c>, <c>&lt;Response&gt;&lt;Errors&gt;</c>):
/// instances with filters, paging, status checks and state transitions over sandbox time; start, stop, reboot and
/// terminate with <c>DryRun</c>; security groups, VPCs, subnets and zones. Access can be denied per action, or per
/// action on instances carrying a tag, to exercise <c>UnauthorizedOperation</c>.
/// </summary>
public sealed partial class Ec2Service(SandboxContext context) : ISandboxService
{
    private readonly Ec2Store _store = new(context.Clock);
    private readonly ConcurrentDictionary<(string Action, string? Key, string? Value), byte> _denies = new();
    private readonly ConcurrentDictionary<string, long> _calls = new(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Operations = FrozenSet.Create(StringComparer.Ordinal,
        "DescribeInstances", "DescribeInstanceStatus", "StartInstances", "StopInstances", "TerminateInstances", "RebootInstances",
        "DescribeSecurityGroups", "DescribeVpcs", "DescribeSubnets", "DescribeAvailabilityZones");

    /// <inheritdoc />
    public string SigningName => "ec2";

    /// <inheritdoc />
    public SandboxProtocol Protocol => SandboxProtocol.Ec2Query;

    /// <inheritdoc />
    public void Seed(SandboxScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        new Ec2Seeder(_store, context.CreateRandom("ec2"), context.AccountId, context.Region, context.Clock.UtcNow).Seed(scenario);
        if (scenario.IsEmpty) return;
        // The default account protects its database the way many do: no stop or terminate on `protected=true`.
        Deny("StopInstances", "protected", "true");
        Deny("TerminateInstances", "protected", "true");
    }

    /// <summary>
    /// Answers <paramref name="action"/> (e.g. <c>StopInstances</c>) with <c>UnauthorizedOperation</c>: always, or only
    /// for instances tagged <paramref name="tagKey"/>=<paramref name="tagValue"/>.
    /// </summary>
    public void Deny(string action, string? tagKey = null, string? tagValue = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        _denies[(action, tagKey, tagValue)] = 0;
    }

    /// <summary>Removes every deny, the seeded ones included.</summary>
    public void AllowAll() => _denies.Clear();

    /// <inheritdoc />
    public IReadOnlyDictionary<string, long> Summary()
    {
        var summary = _store.Instances().GroupBy(i => i.State.Name()).ToDictionary(g => "instances." + g.Key, g => (long)g.Count());
        summary["instances"] = summary.Values.Sum();
        summary["vpcs"] = _store.Vpcs.Count;
        summary["subnets"] = _store.Subnets.Count;
        summary["securityGroups"] = _store.SecurityGroups.Count;
        foreach (var (action, count) in _calls) summary["calls." + action] = count;
        return summary;
    }

    /// <inheritdoc />
    public Task HandleAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.Query;
        // Counted per operation for /_sandbox/state, so tests and benchmarks can see how many calls a tool made.
        if (query.Action is { } called && Operations.Contains(called)) _calls.AddOrUpdate(called, 1, (_, n) => n + 1);
        return query.Action switch
        {
            "DescribeInstances" => DescribeInstancesAsync(request, cancellationToken),
            "DescribeInstanceStatus" => DescribeInstanceStatusAsync(request, cancellationToken),
            "StartInstances" => ChangeStateAsync(request, "StartInstances", (i, now) => Ec2Lifecycle.Start(i, now), cancellationToken),
            "StopInstances" => ChangeStateAsync(request, "StopInstances",
                (i, now) => Ec2Lifecycle.Stop(i, now, Ec2Paging.Flag(query, "Force")), cancellationToken),
            "TerminateInstances" => ChangeStateAsync(request, "TerminateInstances", (i, now) => Ec2Lifecycle.Terminate(i, now), cancellationToken),
            "RebootInstances" => RebootAsync(request, cancellationToken),
            "DescribeSecurityGroups" => DescribeSecurityGroupsAsync(request, cancellationToken),
            "DescribeVpcs" => DescribeVpcsAsync(request, cancellationToken),
            "DescribeSubnets" => DescribeSubnetsAsync(request, cancellationToken),
            "DescribeAvailabilityZones" => DescribeAvailabilityZonesAsync(request, cancellationToken),
            null => throw new SandboxApiException(400, "MissingAction", "The request must contain the parameter Action"),
            var other => throw new SandboxApiException(400, "InvalidAction", $"The action {other} is not valid for this web service."),
        };
    }

    private Task DescribeInstancesAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var ids = query.GetList("InstanceId");
        var views = Instances(ids);
        var filters = query.GetFilters();
        var matching = InstanceFilters.Apply(views, filters);
        var (page, next) = Ec2Paging.Page(query, matching, v => v.Id, ids.Count > 0, "instancesSet");
        DryRunCheck(request, "DescribeInstances", []);
        var xml = XmlContext();
        return QueryXml.WriteEc2Async(request, "DescribeInstances", w =>
        {
            w.WriteStartElement("reservationSet");
            foreach (var reservation in page.GroupBy(v => v.Instance.ReservationId))
            {
                w.WriteStartElement("item");
                w.WriteElementString("reservationId", reservation.Key);
                w.WriteElementString("ownerId", context.AccountId);
                w.WriteElementString("groupSet", "");
                w.WriteStartElement("instancesSet");
                foreach (var v in reservation) Ec2Xml.Instance(w, v, xml);
                w.WriteEndElement();
                w.WriteEndElement();
            }
            w.WriteEndElement();
            if (next is not null) w.WriteElementString("nextToken", next);
        }, cancellationToken);
    }

    private Task DescribeInstanceStatusAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var ids = query.GetList("InstanceId");
        var all = Ec2Paging.Flag(query, "IncludeAllInstances");
        var now = context.Clock.UtcNow;
        // Without IncludeAllInstances only running instances have a status, as on AWS.
        var views = Instances(ids).Where(v => all || v.State == Ec2State.Running);
        var matching = StatusFilters(now).Apply(views, query.GetFilters());
        var (page, next) = Ec2Paging.Page(query, matching, v => v.Id, ids.Count > 0, "instancesSet");
        DryRunCheck(request, "DescribeInstanceStatus", []);
        return QueryXml.WriteEc2Async(request, "DescribeInstanceStatus", w =>
        {
            w.WriteStartElement("instanceStatusSet");
            foreach (var v in page) Ec2Xml.Status(w, v, now);
            w.WriteEndElement();
            if (next is not null) w.WriteElementString("nextToken", next);
        }, cancellationToken);
    }

    private Task ChangeStateAsync(SandboxRequest request, string action,
        Func<Ec2Instance, DateTimeOffset, (Ec2State, Ec2State)> change, CancellationToken cancellationToken)
    {
        var ids = RequiredIds(request.Query);
        var targets = Instances(ids);
        DryRunCheck(request, action, targets);
        var changes = _store.Apply(ids, change);
        return QueryXml.WriteEc2Async(request, action, w =>
        {
            w.WriteStartElement("instancesSet");
            foreach (var c in changes) Ec2Xml.StateChange(w, c);
            w.WriteEndElement();
        }, cancellationToken);
    }

    private Task RebootAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        var ids = RequiredIds(request.Query);
        var targets = Instances(ids);
        DryRunCheck(request, "RebootInstances", targets);
        _store.Apply(ids, (i, now) =>
        {
            var before = i.State;
            Ec2Lifecycle.Reboot(i, now);
            return (before, i.State);
        });
        return QueryXml.WriteEc2Async(request, "RebootInstances", w => w.WriteElementString("return", "true"), cancellationToken);
    }

    private static IReadOnlyList<string> RequiredIds(QueryRequest query)
    {
        var ids = query.GetList("InstanceId");
        return ids.Count > 0 ? ids
            : throw new SandboxApiException(400, "MissingParameter", "The request must contain the parameter InstanceId");
    }

    /// <summary>The instances named (all must exist and be well formed), or every instance when none are named.</summary>
    private IReadOnlyList<InstanceView> Instances(IReadOnlyList<string> ids)
    {
        if (ids.Count == 0) return _store.Instances();
        Ec2Paging.CheckIds(ids, "i-", "InvalidInstanceID.Malformed");
        var (found, missing) = _store.Find(ids);
        return missing.Count switch
        {
            0 => found,
            1 => throw new SandboxApiException(400, "InvalidInstanceID.NotFound", $"The instance ID '{missing[0]}' does not exist"),
            _ => throw new SandboxApiException(400, "InvalidInstanceID.NotFound", $"The instance IDs '{string.Join(", ", missing)}' do not exist"),
        };
    }

    /// <summary>
    /// Permissions first, then the dry run, as EC2 orders them: a denied call answers <c>UnauthorizedOperation</c>
    /// whether or not it is a dry run; an allowed dry run answers <c>DryRunOperation</c>.
    /// </summary>
    private void DryRunCheck(SandboxRequest request, string action, IReadOnlyList<InstanceView> targets)
    {
        var caller = request.RequireCaller();
        foreach (var (denied, key, value) in _denies.Keys)
        {
            if (denied != action) continue;
            var hit = key is null ? (targets.Count > 0 ? targets[0] : null) : targets.FirstOrDefault(t => t.Instance.Tags.Any(tag => tag.Key == key && tag.Value == value));
            if (key is not null && hit is null) continue;
            var resource = hit is null ? "*" : $"arn:aws:ec2:{context.Region}:{context.AccountId}:instance/{hit.Id}";
            throw new SandboxApiException(403, "UnauthorizedOperation",
                $"You are not authorized to perform this operation. User: {caller.Arn} is not authorized to perform: ec2:{action} "
                + $"on resource: {resource} with an explicit deny in an identity-based policy. Encoded authorization failure message: "
                + EncodedMessage(request.RequestId));
        }
        if (Ec2Paging.Flag(request.Query, "DryRun"))
            throw new SandboxApiException(412, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.");
    }

    private Ec2XmlContext XmlContext() =>
        new(context.AccountId, context.Region, _store.SecurityGroups.ToDictionary(g => g.Id, g => g.Name, StringComparer.Ordinal));

    // AWS sends an opaque blob that only sts:DecodeAuthorizationMessage can read; long, like the real one.
    private static string EncodedMessage(string requestId)
    {
        var seed = SHA256.HashData(Encoding.UTF8.GetBytes(requestId));
        var blob = new byte[180];
        for (var i = 0; i < blob.Length; i++) blob[i] = seed[i % seed.Length];
        return Convert.ToBase64String(blob).Replace('+', '-').Replace('/', '_');
    }
}
