using System.Text.Json.Nodes;

namespace McpCloudTools.Deploy.Tests;

/// <summary>The Helm chart rendered by Helm itself, with its defaults and with the shipped example of a team deployment.</summary>
public sealed class ChartTests
{
    [Fact]
    public async Task Chart_PassesHelmLintStrict_WithDefaultsAndTheExample()
    {
        await DeployTools.RunOkAsync(DeployTools.Helm, "lint", "--strict", DeployTools.Chart);
        await DeployTools.RunOkAsync(DeployTools.Helm, "lint", "--strict", DeployTools.Chart, "-f", Chart.ExampleValues);
    }

    [Fact]
    public async Task ChartAppVersion_IsTheServerVersion_SoTheDefaultImageTagExists()
    {
        var props = await File.ReadAllTextAsync(Path.Combine(DeployTools.Root, "Directory.Build.props"));
        var version = System.Text.RegularExpressions.Regex.Match(props, "<Version>([^<]+)</Version>").Groups[1].Value;
        var chart = Manifests.Parse(await File.ReadAllTextAsync(Path.Combine(DeployTools.Chart, "Chart.yaml"))).Documents.Single();

        version.Should().NotBeEmpty();
        ((string?)chart["appVersion"]).Should().Be(version, "the image is tagged with the server version (ContainerImageTags) and the chart's default tag is its appVersion");
    }

    [Fact]
    public async Task Defaults_RenderTwoHardenedReplicasWithSecretsProbesSpreadAndPolicy()
    {
        var m = await Chart.RenderAsync();

        m.Kinds.Should().BeEquivalentTo(["NetworkPolicy", "PodDisruptionBudget", "ServiceAccount", "ConfigMap", "Service", "Deployment"],
            "no Secret (they are created beforehand), no Ingress or autoscaler unless enabled");
        ((long?)m.Single("Deployment")["spec"]!["replicas"]).Should().Be(2);
        ServerPodAssertions.RunsHardened(m);
        ServerPodAssertions.ProbesTheServer(m);
        ServerPodAssertions.TakesSecretsFromSecrets(m, "mcp-mcp-cloud-tools-auth", "api-token", "mcp-mcp-cloud-tools-state", "connection");
        ServerPodAssertions.MountsAppsettings(m)!.ToJsonString().Should().Be("{}");
        ServerPodAssertions.SpreadsReplicas(m);
        ServerPodAssertions.IsolatesTraffic(m);

        // Read-only and redacting by default: no flag turns either off.
        m.Args.Should().NotContain(["--allow-write", "--allow-sensitive-data"]);
        ((string?)m.Server["image"]).Should().Be("mcp-cloud-tools:0.1.0", "the tag defaults to the chart's appVersion");
        ((bool?)m.PodSpec["enableServiceLinks"]).Should().BeFalse();
        ((string?)m.PodSpec["serviceAccountName"]).Should().Be("mcp-mcp-cloud-tools");
        ((bool?)m.Single("ServiceAccount")["automountServiceAccountToken"]).Should().BeFalse();
        ((string?)m.Single("Service")["spec"]!["sessionAffinity"]).Should().Be("ClientIP", "in-cluster clients that initialize keep their session's replica");
        ((string?)m.Single("Deployment")["spec"]!["template"]!["metadata"]!["annotations"]!["checksum/config"]).Should().MatchRegex("^[0-9a-f]{64}$");
    }

    [Fact]
    public async Task ExampleValues_RenderAutoscaledIngressIrsaAndEveryServerSetting()
    {
        var m = await Chart.RenderAsync("-f", Chart.ExampleValues);

        m.Kinds.Should().BeEquivalentTo(["NetworkPolicy", "PodDisruptionBudget", "ServiceAccount", "ConfigMap", "Service", "Deployment", "HorizontalPodAutoscaler", "Ingress"]);
        ServerPodAssertions.RunsHardened(m);
        ServerPodAssertions.ProbesTheServer(m);
        ServerPodAssertions.TakesSecretsFromSecrets(m, "mcp-tokens", "ops-team", "mcp-state", "url");
        ServerPodAssertions.SpreadsReplicas(m);
        ServerPodAssertions.IsolatesTraffic(m);

        // The autoscaler owns the replica count.
        m.Single("Deployment")["spec"]!["replicas"].Should().BeNull();
        var hpa = m.Single("HorizontalPodAutoscaler")["spec"]!;
        ((string?)hpa["scaleTargetRef"]!["name"]).Should().Be("mcp");
        ((long?)hpa["minReplicas"]).Should().Be(3);
        ((long?)hpa["maxReplicas"]).Should().Be(8);
        ((long?)hpa["metrics"]![0]!["resource"]!["target"]!["averageUtilization"]).Should().Be(60);

        // Hard anti-affinity, strict spread, a PDB that keeps two up.
        m.PodSpec["affinity"]!["podAntiAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"].Should().NotBeNull();
        m.PodSpec["topologySpreadConstraints"]!.AsArray().Select(c => (string?)c!["whenUnsatisfiable"]).Should().AllBe("DoNotSchedule");
        ((long?)m.Single("PodDisruptionBudget")["spec"]!["minAvailable"]).Should().Be(2);

        // Server flags and per-client tokens.
        m.Args.Should().Contain("--allow-write");
        m.FlagValues("--log-level").Should().Equal("Information");
        m.FlagValues("--call-timeout").Should().Equal("60");
        m.FlagValues("--max-sessions-per-client").Should().Equal("20");
        m.FlagValues("--allowed-host").Should().Equal("mcp.example.com", "mcp.mcp.svc", "mcp.mcp.svc.cluster.local");
        foreach (var (variable, key) in new[] { ("MCPCLOUDTOOLS__APITOKENS__0", "ci-bot"), ("MCPCLOUDTOOLS__APITOKENS__1", "oncall") })
        {
            var reference = m.Env(variable)!["valueFrom"]!["secretKeyRef"]!;
            ((string?)reference["name"]).Should().Be("mcp-tokens");
            ((string?)reference["key"]).Should().Be(key);
        }

        ((string?)m.Server["envFrom"]![0]!["secretRef"]!["name"]).Should().Be("mcp-identity", "identity settings come as MCPCLOUDTOOLS__ variables from their Secret");
        ((string?)m.Env("AWS_REGION")!["value"]).Should().Be("eu-west-1");
        ((string?)m.Server["image"]).Should().Be("123456789012.dkr.ecr.eu-west-1.amazonaws.com/mcp-cloud-tools:0.1.0");

        // The opaque config block arrives as JSON, as written.
        var appsettings = ServerPodAssertions.MountsAppsettings(m)!;
        ((string?)appsettings["McpCloudTools"]!["AllowedOrigins"]![0]).Should().Be("https://agents.example.com");
        ((string?)appsettings["Logging"]!["LogLevel"]!["Default"]).Should().Be("Warning");
        var declared = appsettings["McpCloudTools"]!["Instances"]!["eks-us"]!;
        ((string?)declared["Type"]).Should().Be("eks", "the example declares a plugin instance in the config map");
        ((string?)declared["Config"]!["region"]).Should().Be("us-east-1");

        // IRSA.
        ((string?)m.Single("ServiceAccount")["metadata"]!["annotations"]!["eks.amazonaws.com/role-arn"]).Should().Be("arn:aws:iam::123456789012:role/mcp-cloud-tools-readonly");

        // Ingress: client-IP affinity, unbuffered streams, TLS, routed to the Service's named port.
        var ingress = m.Single("Ingress");
        var annotations = (JsonObject)ingress["metadata"]!["annotations"]!;
        ((string?)annotations["nginx.ingress.kubernetes.io/upstream-hash-by"]).Should().Be("$remote_addr");
        ((string?)annotations["nginx.ingress.kubernetes.io/proxy-buffering"]).Should().Be("off");
        ((string?)annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]).Should().Be("3600");
        ((string?)annotations["cert-manager.io/cluster-issuer"]).Should().Be("letsencrypt");
        ((string?)ingress["spec"]!["ingressClassName"]).Should().Be("nginx");
        ((string?)ingress["spec"]!["tls"]![0]!["secretName"]).Should().Be("mcp-example-com-tls");
        var backend = ingress["spec"]!["rules"]![0]!["http"]!["paths"]![0]!["backend"]!["service"]!;
        ((string?)backend["name"]).Should().Be("mcp");
        ((string?)backend["port"]!["name"]).Should().Be("http");

        // NetworkPolicy: only from the ingress controller; PostgreSQL only to its subnet; Slurm's REST port added.
        var policy = m.Single("NetworkPolicy")["spec"]!;
        ((string?)policy["ingress"]![0]!["from"]![0]!["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"]).Should().Be("ingress-nginx");
        var egress = policy["egress"]!.AsArray();
        var postgres = egress.Single(r => r!["ports"]!.AsArray().Any(p => p!["port"]!.ToString() == "5432"))!;
        ((string?)postgres["to"]![0]!["ipBlock"]!["cidr"]).Should().Be("10.0.32.0/20");
        egress.Should().Contain(r => r!["ports"]!.AsArray().Any(p => p!["port"]!.ToString() == "6820"));
    }

    [Theory]
    [InlineData("clientIP", "$remote_addr")]
    [InlineData("sessionHeader", "$http_mcp_session_id")]
    [InlineData("none", null)]
    public async Task IngressAffinity_SetsTheHashKeyOfIngressNginx(string affinity, string? hashBy)
    {
        var m = await Chart.RenderAsync("--set", "ingress.enabled=true", "--set", $"ingress.affinity={affinity}");

        var annotations = (JsonObject)m.Single("Ingress")["metadata"]!["annotations"]!;
        ((string?)annotations["nginx.ingress.kubernetes.io/upstream-hash-by"]).Should().Be(hashBy);
        ((string?)annotations["nginx.ingress.kubernetes.io/proxy-buffering"]).Should().Be("off");
    }

    [Fact]
    public async Task TrialValues_CreateTheSecretsTheDeploymentReads()
    {
        var m = await Chart.RenderAsync("--set", "auth.apiToken=trial-token", "--set", "state.connection=postgres://mcp@db:5432/mcp");

        var secrets = m.OfKind("Secret").ToDictionary(s => (string)s["metadata"]!["name"]!);
        secrets.Keys.Should().BeEquivalentTo(["mcp-mcp-cloud-tools-auth", "mcp-mcp-cloud-tools-state"]);
        Convert.FromBase64String((string)secrets["mcp-mcp-cloud-tools-auth"]["data"]!["api-token"]!).Should().Equal("trial-token"u8.ToArray());
        Convert.FromBase64String((string)secrets["mcp-mcp-cloud-tools-state"]["data"]!["connection"]!).Should().Equal("postgres://mcp@db:5432/mcp"u8.ToArray());
        ServerPodAssertions.TakesSecretsFromSecrets(m, "mcp-mcp-cloud-tools-auth", "api-token", "mcp-mcp-cloud-tools-state", "connection");
        m.Yaml.Should().NotContain("trial-token", "the token appears only base64-encoded in its Secret");
    }

    [Fact]
    public async Task SignInValues_BecomeTheAuthFlags_AndNoApiTokenIsRead()
    {
        var m = await Chart.RenderAsync("--set", "auth.issuer=https://login.example.com/realms/team", "--set", "auth.audience=https://mcp.example.com/mcp",
            "--set", "auth.scopes={mcp}", "--set", "auth.grants.group:sre={write,destructive}", "--set", "auth.grants.group:platform={admin}",
            "--set", "state.connection=postgres://mcp@db:5432/mcp");

        m.FlagValues("--auth-issuer").Should().Equal("https://login.example.com/realms/team");
        m.FlagValues("--auth-audience").Should().Equal("https://mcp.example.com/mcp");
        m.FlagValues("--auth-scope").Should().Equal("mcp");
        m.FlagValues("--auth-grant").Should().Equal("group:platform=admin", "group:sre=write,destructive");
        m.Env("MCPCLOUDTOOLS__APITOKEN").Should().BeNull("the server takes one scheme at a time: sign-in replaces the API token");
    }

    [Fact]
    public async Task OneReplicaWithStatePath_PassesItLiterally()
    {
        var m = await Chart.RenderAsync("--set", "replicaCount=1", "--set", "state.path=none");

        ((long?)m.Single("Deployment")["spec"]!["replicas"]).Should().Be(1);
        ((string?)m.Env("MCPCLOUDTOOLS__STATEPATH")!["value"]).Should().Be("none");
        ServerPodAssertions.RunsHardened(m);
    }

    [Theory]
    [InlineData("postgres://mcp@db.internal:5432/mcp?sslmode=require")]
    [InlineData("Host=db.internal;Username=mcp;Database=mcp")]
    public async Task SeveralReplicas_TakeAPostgresConnectionInStatePath(string connection)
    {
        var m = await Chart.RenderAsync("--set", "replicaCount=3", "--set-string", $"state.path={connection.Replace(";", "\\;", StringComparison.Ordinal)}");

        ((long?)m.Single("Deployment")["spec"]!["replicas"]).Should().Be(3);
        ((string?)m.Env("MCPCLOUDTOOLS__STATEPATH")!["value"]).Should().Be(connection);
    }

    [Theory]
    [InlineData(new[] { "--set", "state.path=none" }, "state.path=\"none\" keeps the state of each replica to itself")]
    [InlineData(new[] { "--set", "replicaCount=1", "--set", "state.path=none", "--set", "autoscaling.enabled=true" }, "With replicaCount 1 or autoscaling")]
    [InlineData(new[] { "--set", "ingress.affinity=cookie" }, "ingress.affinity=\"cookie\": use clientIP (default), sessionHeader or none")]
    [InlineData(new[] { "--set", "podAntiAffinity=always" }, "podAntiAffinity=\"always\": use soft, hard")]
    [InlineData(new[] { "--set", "serviceAccount.create=false" }, "serviceAccount.name: with serviceAccount.create=false")]
    [InlineData(new[] { "--set", "terminationGracePeriodSeconds=1" }, "terminationGracePeriodSeconds=1: use 2 to 3610 seconds")]
    [InlineData(new[] { "--set", "server.extraArgs[0]=--shutdown-timeout", "--set", "server.extraArgs[1]=25" }, "--shutdown-timeout is derived from terminationGracePeriodSeconds")]
    public async Task BrokenValues_AreRefusedWithAMessageNamingTheValue(string[] arguments, string message)
    {
        var (code, error) = await Chart.RenderFailureAsync(arguments);

        code.Should().NotBe(0);
        error.Should().Contain(message);
    }

    [Theory]
    [InlineData(null, 30, "20")]
    [InlineData(60, 60, "50")]
    [InlineData(12, 12, "6")]
    public async Task TheGracePeriod_IsOneValue_TheServersShutdownTimeoutStayingBelowIt(int? grace, int expectedGrace, string expectedTimeout)
    {
        var m = await Chart.RenderAsync(grace is null ? [] : ["--set", $"terminationGracePeriodSeconds={grace}"]);

        ((long?)m.PodSpec["terminationGracePeriodSeconds"]).Should().Be(expectedGrace);
        m.FlagValues("--shutdown-timeout").Should().Equal(expectedTimeout);
        double.Parse(expectedTimeout, System.Globalization.CultureInfo.InvariantCulture).Should().BeLessThan(expectedGrace,
            "in-flight calls must finish before Kubernetes kills the container");
    }

    [Fact]
    public async Task ServerOptions_BecomeFlagsAndNoOptionIsInventedByTheChart()
    {
        var m = await Chart.RenderAsync(
            "--set", "server.allowSensitiveData=true", "--set", "server.legacySse=false", "--set", "server.maxRequestBytes=1048576",
            "--set", "server.maxSessions=500", "--set", "server.sessionIdleSeconds=600", "--set", "server.allowedOrigins[0]=https://a.example",
            "--set", "server.listenHost=*", "--set", "server.port=9090", "--set", "server.extraArgs[0]=--max-sessions-per-client",
            "--set", "server.extraArgs[1]=5");

        m.Args.Should().Contain(["--allow-sensitive-data", "--no-sse"]);
        m.FlagValues("--max-request-bytes").Should().Equal("1048576");
        m.FlagValues("--max-sessions").Should().Equal("500");
        m.FlagValues("--session-idle-seconds").Should().Equal("600");
        m.FlagValues("--allowed-origin").Should().Equal("https://a.example");
        m.FlagValues("--max-sessions-per-client").Should().Equal("5");
        m.FlagValues("--urls").Should().Equal("http://*:9090");
        ((long?)m.Server["ports"]![0]!["containerPort"]).Should().Be(9090);
        ServerPodAssertions.ProbesTheServer(m);

        // Every flag the chart emits is one the server knows (its --help lists them).
        var help = await File.ReadAllTextAsync(Path.Combine(DeployTools.Root, "src", "McpCloudTools.Server", "CommandLine.cs"));
        m.Args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).Should().AllSatisfy(flag => help.Should().Contain($"\"{flag}\""));
    }
}
