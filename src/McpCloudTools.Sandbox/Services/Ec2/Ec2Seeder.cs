using System.Globalization;

namespace McpCloudTools.Sandbox.Services.Ec2;

/// <summary>
/// The default account's EC2: a prod, a staging and the default VPC; security groups including a world-open SSH
/// bastion and a world-open MySQL port; an EKS pod subnet nearly out of addresses; and a fleet of 25 instances in
/// every state, one failing its instance status check, one with a scheduled reboot, one protected by a tag-based
/// deny. <c>ec2.instances</c> sets the instance count: above 25 the rest is a deterministic bulk fleet in a
/// <c>fleet</c> VPC (10,000 seed in milliseconds); below, the fleet is cut.
/// </summary>
internal sealed class Ec2Seeder(Ec2Store store, Random random, string accountId, string region, DateTimeOffset now)
{
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (uint Network, int Offset)> _nextAddress = new(StringComparer.Ordinal);

    /// <summary>Instances in the curated fleet.</summary>
    public const int FleetSize = 25;

    /// <summary>Instances in the second region: the first of the curated fleet (three web, three API servers, one impaired).</summary>
    public const int SecondRegionFleetSize = 6;

    /// <summary>Bulk instances beyond this are not seeded (the fleet VPC's four /18 subnets hold about 65,000).</summary>
    public const int MaxInstances = 60_000;

    public void Seed(SandboxScenario scenario)
    {
        if (scenario.IsEmpty) return;
        var count = Math.Min(scenario.Size("ec2.instances", scenario.IsSecondRegion ? SecondRegionFleetSize : FleetSize), MaxInstances);
        var zone = (char z) => region + z;

        var prod = Vpc("10.0.0.0/16", false, ("Name", "prod"), ("env", "prod"));
        var staging = Vpc("10.1.0.0/16", false, ("Name", "staging"), ("env", "staging"));
        var fallback = Vpc("172.31.0.0/16", true);
        var prodA = Subnet(prod, zone('a'), "10.0.1.0/24", false, 0, ("Name", "prod-private-a"));
        var prodB = Subnet(prod, zone('b'), "10.0.2.0/24", false, 0, ("Name", "prod-private-b"));
        var prodPublic = Subnet(prod, zone('a'), "10.0.101.0/24", true, 2, ("Name", "prod-public-a"));
        // EKS pods take one address each from the node subnet: the classic way to run out of IPs.
        var pods = Subnet(prod, zone('c'), "10.0.64.0/26", false, 54, ("Name", "prod-eks-pods-c"), ("kubernetes.io/role/internal-elb", "1"));
        var stagingA = Subnet(staging, zone('a'), "10.1.1.0/24", false, 0, ("Name", "staging-private-a"));
        var defaultA = Subnet(fallback, zone('a'), "172.31.0.0/20", true, 0, defaultForAz: true);
        var defaultB = Subnet(fallback, zone('b'), "172.31.16.0/20", true, 0, defaultForAz: true);

        var world = new[] { "0.0.0.0/0" };
        var world6 = new[] { "::/0" };
        var outAll = new Ec2Rule("-1", null, null, world, [], []);
        var prodDefault = Group(prod, "default", "default VPC security group", [], [outAll], selfReferencing: true);
        Group(staging, "default", "default VPC security group", [], [outAll], selfReferencing: true);
        Group(fallback, "default", "default VPC security group", [], [outAll], selfReferencing: true);
        var web = Group(prod, "web-prod", "HTTPS from the internet", [Tcp(443, world, world6), Tcp(80, world, world6)], [outAll]);
        var app = Group(prod, "app-prod", "API behind the load balancer", [Tcp(8080, [], [], web.Id)], [outAll]);
        var db = Group(prod, "db-prod", "PostgreSQL from the API", [Tcp(5432, [], [], app.Id)], [outAll]);
        var bastion = Group(prod, "bastion-ssh", "SSH bastion", [Tcp(22, world, [])], [outAll]);
        var debug = Group(staging, "staging-debug", "temporary: MySQL for a contractor", [Tcp(3306, world, []), Tcp(22, ["10.0.0.0/8"], [])], [outAll]);
        var rdp = Group(prod, "win-rdp", "RDP from the office", [Tcp(3389, ["203.0.113.0/24"], [])], [outAll]);

        var fleet = new List<Ec2Instance>();
        void Add(string? name, Ec2Subnet subnet, string type, string[] groups, Ec2State state, TimeSpan age,
            string? env = null, string? reservation = null, Action<Ec2Instance>? tweak = null, params (string, string)[] tags)
        {
            var allTags = new List<Ec2Tag>();
            if (name is not null) allTags.Add(new("Name", name));
            if (env is not null) allTags.Add(new("env", env));
            allTags.AddRange(tags.Select(t => new Ec2Tag(t.Item1, t.Item2)));
            var instance = Instance(subnet, type, groups, state, now - age, allTags, reservation,
                name?.StartsWith("win-", StringComparison.Ordinal) == true ? "windows" : null);
            tweak?.Invoke(instance);
            fleet.Add(instance);
        }

        var webReservation = UniqueId("r-");
        var eksReservation = UniqueId("r-");
        string[] webGroups = [web.Id, app.Id];
        Add("web-1", prodA, "t3.medium", webGroups, Ec2State.Running, TimeSpan.FromDays(41), "prod", webReservation);
        Add("web-2", prodB, "t3.medium", webGroups, Ec2State.Running, TimeSpan.FromDays(41), "prod", webReservation);
        Add("web-3", prodA, "t3.medium", webGroups, Ec2State.Running, TimeSpan.FromDays(41), "prod", webReservation);
        Add("api-1", prodA, "m6i.large", [app.Id], Ec2State.Running, TimeSpan.FromDays(12), "prod", tags: ("team", "payments"));
        Add("api-2", prodB, "m6i.large", [app.Id], Ec2State.Running, TimeSpan.FromDays(12), "prod", tags: ("team", "payments"));
        Add("api-3", prodB, "m6i.large", [app.Id], Ec2State.Running, TimeSpan.FromDays(12), "prod",
            tweak: i => i.ImpairedSince = now.AddMinutes(-25), tags: ("team", "payments"));
        Add("worker-1", prodA, "c6i.xlarge", [prodDefault.Id], Ec2State.Running, TimeSpan.FromDays(3), "prod", tags: ("team", "data"));
        Add("worker-2", prodB, "c6i.xlarge", [prodDefault.Id], Ec2State.Running, TimeSpan.FromDays(3), "prod",
            tweak: i => i.ScheduledEvent = new(UniqueId("instance-event-"), "system-reboot",
                "The instance is scheduled for a reboot", now.AddDays(2).AddHours(3), now.AddDays(2).AddHours(5)), tags: ("team", "data"));
        Add("worker-3", prodA, "c6i.xlarge", [prodDefault.Id], Ec2State.Stopped, TimeSpan.FromDays(9), "prod",
            tweak: i => Stopped(i, now.AddDays(-2)), tags: ("team", "data"));
        Add("worker-4", prodB, "c6i.xlarge", [prodDefault.Id], Ec2State.Stopping, TimeSpan.FromDays(3), "prod",
            tweak: i => { Stopped(i, now.AddSeconds(-5)); i.State = Ec2State.Stopping; }, tags: ("team", "data"));
        Add("db-1", prodB, "r6i.large", [db.Id], Ec2State.Running, TimeSpan.FromDays(200), "prod",
            tweak: i => i.DataVolumes.Add(("/dev/sdf", UniqueId("vol-"))), tags: ("protected", "true"));
        Add("bastion", prodPublic, "t3.micro", [bastion.Id], Ec2State.Running, TimeSpan.FromDays(90), "prod");
        foreach (var (n, state, age) in new[] { (1, Ec2State.Running, 20.0), (2, Ec2State.Running, 20.0), (3, Ec2State.Pending, 0.0) })
            Add($"eks-prod-node-{n}", pods, "m6i.large", [prodDefault.Id], state, TimeSpan.FromDays(age), "prod",
                state == Ec2State.Pending ? null : eksReservation, null, ("eks:cluster-name", "prod"), ("kubernetes.io/cluster/prod", "owned"));
        Add("batch-spot-1", prodA, "c6i.2xlarge", [prodDefault.Id], Ec2State.Terminated, TimeSpan.FromHours(5), "prod",
            tweak: i => Terminated(i, now.AddMinutes(-20), ("Server.SpotInstanceTermination", "Server.SpotInstanceTermination: Spot instance termination")),
            tags: ("aws:batch:compute-environment", "nightly"));
        Add("batch-spot-2", prodB, "c6i.2xlarge", [prodDefault.Id], Ec2State.Running, TimeSpan.FromHours(5), "prod",
            tags: ("aws:batch:compute-environment", "nightly"));
        Add("old-reporting", prodA, "t3.large", [prodDefault.Id], Ec2State.Terminated, TimeSpan.FromDays(400), "prod",
            tweak: i => Terminated(i, now.AddMinutes(-10), ("Client.UserInitiatedShutdown", "Client.UserInitiatedShutdown: User initiated shutdown")));
        Add("win-reporting-1", prodA, "m6i.large", [rdp.Id], Ec2State.Running, TimeSpan.FromDays(33), "prod", tags: ("team", "finance"));
        Add("staging-web-1", stagingA, "t3.small", [debug.Id], Ec2State.Stopped, TimeSpan.FromDays(30), "staging", tweak: i => Stopped(i, now.AddDays(-6)));
        Add("staging-api-1", stagingA, "t3.small", [debug.Id], Ec2State.Stopped, TimeSpan.FromDays(30), "staging", tweak: i => Stopped(i, now.AddDays(-6)));
        Add("staging-db-1", stagingA, "t3.medium", [debug.Id], Ec2State.Running, TimeSpan.FromDays(30), "staging");
        Add("staging-worker-1", stagingA, "t3.small", [debug.Id], Ec2State.ShuttingDown, TimeSpan.FromDays(2), "staging",
            tweak: i => Terminated(i, now.AddSeconds(-10), ("Client.UserInitiatedShutdown", "Client.UserInitiatedShutdown: User initiated shutdown"), Ec2State.ShuttingDown));
        Add("scratch", defaultA, "t2.micro", [], Ec2State.Running, TimeSpan.FromDays(120));
        Add(null, defaultB, "t3.nano", [], Ec2State.Running, TimeSpan.FromDays(7));

        var seeded = fleet.Take(count).ToList();
        if (count > FleetSize) seeded.AddRange(Bulk(count - FleetSize, [prodDefault.Id]));
        store.Add(seeded);
    }

    /// <summary>Bulk instances in a <c>fleet</c> VPC: mostly running, a quarter stopped, a few recently terminated.</summary>
    private List<Ec2Instance> Bulk(int count, string[] groups)
    {
        var vpc = Vpc("10.100.0.0/16", false, ("Name", "fleet"), ("env", "fleet"));
        var subnets = Enumerable.Range(0, 4).Select(n => Subnet(vpc, region + (char)('a' + n % 3),
            $"10.100.{n * 64}.0/18", false, 0, ("Name", $"fleet-{n + 1}"))).ToArray();
        string[] types = ["t3.micro", "t3.small", "t3.medium", "m6i.large", "c6i.xlarge", "r6i.large", "m7g.large"];
        string[] teams = ["search", "ads", "checkout", "ml", "infra", "media"];
        var list = new List<Ec2Instance>(count);
        string? reservation = null;
        for (var k = 0; k < count; k++)
        {
            if (k % 3 == 0) reservation = UniqueId("r-");
            var team = teams[k % teams.Length];
            var state = k % 50 == 7 ? Ec2State.Terminated : k % 4 == 3 ? Ec2State.Stopped : Ec2State.Running;
            var tags = new List<Ec2Tag> { new("Name", $"{team}-{k + 1:D5}"), new("env", "fleet"), new("team", team) };
            var instance = Instance(subnets[k % subnets.Length], types[random.Next(types.Length)], groups, state,
                now - TimeSpan.FromMinutes(random.Next(60, 400 * 24 * 60)), tags, reservation);
            if (state == Ec2State.Stopped) Stopped(instance, now - TimeSpan.FromMinutes(random.Next(5, 30 * 24 * 60)));
            if (state == Ec2State.Terminated)
                Terminated(instance, now - TimeSpan.FromMinutes(random.Next(1, 40)), ("Client.UserInitiatedShutdown", "Client.UserInitiatedShutdown: User initiated shutdown"));
            list.Add(instance);
        }
        return list;
    }

    private Ec2Instance Instance(Ec2Subnet subnet, string type, IReadOnlyList<string> groups, Ec2State state,
        DateTimeOffset launched, List<Ec2Tag> tags, string? reservation, string? platform = null)
    {
        var publicIp = subnet.MapPublicIpOnLaunch
            ? string.Create(CultureInfo.InvariantCulture, $"{random.Next(3, 54)}.{random.Next(0, 255)}.{random.Next(0, 255)}.{random.Next(1, 254)}")
            : null;
        var graviton = type.Split('.')[0].Contains('g', StringComparison.Ordinal);
        return new Ec2Instance
        {
            Id = UniqueId("i-"), ReservationId = reservation ?? UniqueId("r-"),
            ImageId = platform == "windows" ? "ami-0f9c44e98edf38a2b"
                : graviton ? "ami-0c1a7f89451184c8b" : "ami-0e449927258d45bc4",
            Platform = platform,
            InstanceType = type, KeyName = tags.Any(t => t.Key.StartsWith("eks", StringComparison.Ordinal)) ? null
                : tags.Any(t => t.Value == "staging") ? "staging-key" : "ops-key",
            Subnet = subnet, PrivateIp = NextAddress(subnet), PublicIp = publicIp,
            Architecture = graviton ? "arm64" : "x86_64",
            IamProfileArn = tags.Any(t => t.Value == "prod") ? $"arn:aws:iam::{accountId}:instance-profile/prod-instance" : null,
            SecurityGroupIds = groups, Tags = tags, RootVolumeId = UniqueId("vol-"), NetworkInterfaceId = UniqueId("eni-"),
            MacAddress = Mac(),
            CreatedAt = launched, State = state, StateSince = launched, LaunchTime = launched,
            Lifecycle = tags.Any(t => t.Key == "aws:batch:compute-environment") ? "spot" : null,
        };
    }

    private static void Stopped(Ec2Instance i, DateTimeOffset at)
    {
        i.State = Ec2State.Stopped;
        i.StateSince = at;
        i.TransitionReason = $"User initiated ({at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} GMT)";
        i.StateReason = ("Client.UserInitiatedShutdown", "Client.UserInitiatedShutdown: User initiated shutdown");
    }

    private static void Terminated(Ec2Instance i, DateTimeOffset at, (string, string) reason, Ec2State state = Ec2State.Terminated)
    {
        i.State = state;
        i.StateSince = at;
        i.TransitionReason = $"User initiated ({at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} GMT)";
        i.StateReason = reason;
    }

    private Ec2Vpc Vpc(string cidr, bool isDefault, params (string, string)[] tags)
    {
        var vpc = new Ec2Vpc(UniqueId("vpc-"), cidr, isDefault, Tags(tags));
        store.Vpcs.Add(vpc);
        return vpc;
    }

    private Ec2Subnet Subnet(Ec2Vpc vpc, string zone, string cidr, bool mapPublic, int otherUsed,
        params (string, string)[] tags) => Subnet(vpc, zone, cidr, mapPublic, otherUsed, false, tags);

    private Ec2Subnet Subnet(Ec2Vpc vpc, string zone, string cidr, bool mapPublic, int otherUsed, bool defaultForAz,
        params (string, string)[] tags)
    {
        var subnet = new Ec2Subnet(UniqueId("subnet-"), vpc.Id, zone, cidr, mapPublic, defaultForAz, otherUsed, Tags(tags));
        store.Subnets.Add(subnet);
        return subnet;
    }

    private Ec2SecurityGroup Group(Ec2Vpc vpc, string name, string description, Ec2Rule[] inbound, Ec2Rule[] outbound,
        bool selfReferencing = false)
    {
        var id = UniqueId("sg-");
        // A default group lets its own members talk to each other on every port.
        IReadOnlyList<Ec2Rule> rules = selfReferencing ? [new("-1", null, null, [], [], [id]), .. inbound] : inbound;
        var group = new Ec2SecurityGroup(id, name, description, vpc.Id, rules, outbound,
            name == "default" ? [] : Tags([("Name", name)]));
        store.SecurityGroups.Add(group);
        return group;
    }

    private static Ec2Rule Tcp(int port, string[] cidrs, string[] cidrs6, string? fromGroup = null) =>
        new("tcp", port, port, cidrs, cidrs6, fromGroup is null ? [] : [fromGroup]);

    // Addresses from .4 up (AWS reserves the first four of every subnet), after those other services hold; wraps in
    // very large bulk subnets.
    private string NextAddress(Ec2Subnet subnet)
    {
        if (!_nextAddress.TryGetValue(subnet.Id, out var next))
        {
            var slash = subnet.CidrBlock.IndexOf('/', StringComparison.Ordinal);
            var octets = subnet.CidrBlock[..slash].Split('.').Select(o => uint.Parse(o, CultureInfo.InvariantCulture)).ToArray();
            next = (octets[0] << 24 | octets[1] << 16 | octets[2] << 8 | octets[3], 4 + subnet.OtherUsedIps);
        }
        var (network, offset) = next;
        _nextAddress[subnet.Id] = (network, offset + 1 >= subnet.Size - 1 ? 4 : offset + 1);
        var address = network + (uint)offset;
        return string.Create(CultureInfo.InvariantCulture, $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}");
    }

    // Current AWS ids are 17 hex digits starting with 0.
    private string UniqueId(string prefix)
    {
        while (true)
        {
            var id = prefix + "0" + Hex(16);
            if (_ids.Add(id)) return id;
        }
    }

    private string Mac()
    {
        Span<byte> bytes = stackalloc byte[5];
        random.NextBytes(bytes);
        return string.Create(CultureInfo.InvariantCulture, $"0e:{bytes[0]:x2}:{bytes[1]:x2}:{bytes[2]:x2}:{bytes[3]:x2}:{bytes[4]:x2}");
    }

    private string Hex(int length)
    {
        Span<byte> bytes = stackalloc byte[(length + 1) / 2];
        random.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes)[..length];
    }

    private static List<Ec2Tag> Tags((string Key, string Value)[] tags) => [.. tags.Select(t => new Ec2Tag(t.Key, t.Value))];
}
