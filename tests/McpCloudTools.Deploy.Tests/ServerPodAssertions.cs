using System.Text.Json.Nodes;

namespace McpCloudTools.Deploy.Tests;

/// <summary>What every rendering of the server's pod must guarantee, whichever tool or values rendered it.</summary>
internal static class ServerPodAssertions
{
    /// <summary>The image's non-root user (ContainerUser in src/McpCloudTools.Server): the chart must run as it.</summary>
    public const long AppUid = 1654;

    /// <summary>Non-root, read-only root filesystem, no privilege escalation, no capabilities, RuntimeDefault seccomp.</summary>
    public static void RunsHardened(Manifests m)
    {
        var pod = (JsonObject)m.PodSpec["securityContext"]!;
        ((bool?)pod["runAsNonRoot"]).Should().BeTrue();
        ((long?)pod["runAsUser"]).Should().Be(AppUid);
        ((string?)pod["seccompProfile"]!["type"]).Should().Be("RuntimeDefault");

        var container = (JsonObject)m.Server["securityContext"]!;
        ((bool?)container["runAsNonRoot"]).Should().BeTrue();
        ((long?)container["runAsUser"]).Should().Be(AppUid);
        ((bool?)container["readOnlyRootFilesystem"]).Should().BeTrue();
        ((bool?)container["allowPrivilegeEscalation"]).Should().BeFalse();
        ((bool?)container["privileged"]).Should().NotBe(true);
        container["capabilities"]!["drop"]!.AsArray().Select(c => (string?)c).Should().Equal("ALL");
        container["capabilities"]!["add"].Should().BeNull();
        ((string?)container["seccompProfile"]!["type"]).Should().Be("RuntimeDefault");

        // No Kubernetes API token unless asked for; a writable /tmp, and nothing else writable.
        ((bool?)m.PodSpec["automountServiceAccountToken"]).Should().BeFalse();
        var mounts = m.Server["volumeMounts"]!.AsArray().Select(v => (JsonObject)v!).ToList();
        var tmp = mounts.Single(v => (string?)v["mountPath"] == "/tmp");
        var tmpVolume = m.PodSpec["volumes"]!.AsArray().Single(v => (string?)v!["name"] == (string?)tmp["name"])!;
        tmpVolume["emptyDir"].Should().NotBeNull("/tmp is an emptyDir");
        ((string?)tmpVolume["emptyDir"]!["sizeLimit"]).Should().NotBeNullOrEmpty();

        // Resources requested and memory bounded.
        m.Server["resources"]!["requests"]!["cpu"].Should().NotBeNull();
        m.Server["resources"]!["requests"]!["memory"].Should().NotBeNull();
        m.Server["resources"]!["limits"]!["memory"].Should().NotBeNull();
    }

    /// <summary>Liveness and start-up on /healthz, readiness on /readyz, all on the named port that the server listens on.</summary>
    public static void ProbesTheServer(Manifests m)
    {
        var port = m.Server["ports"]!.AsArray().Single(p => (string?)p!["name"] == "http")!;
        var containerPort = (long)port["containerPort"]!;
        foreach (var (probe, path) in new[] { ("livenessProbe", "/healthz"), ("startupProbe", "/healthz"), ("readinessProbe", "/readyz") })
        {
            var get = m.Server[probe]?["httpGet"];
            get.Should().NotBeNull($"{probe} is an HTTP probe");
            ((string?)get!["path"]).Should().Be(path, probe);
            ((string?)get["port"]).Should().Be("http", probe);
        }

        // The server binds every interface on that very port, in HTTP mode.
        m.FlagValues("--transport").Should().Equal("http");
        m.FlagValues("--urls").Should().ContainSingle().Which.Should().MatchRegex($@"^http://(0\.0\.0\.0|\*):{containerPort}$");
    }

    /// <summary>The token and the state store come from Secrets: never a literal in the pod spec or the arguments.</summary>
    public static void TakesSecretsFromSecrets(Manifests m, string authSecret, string tokenKey, string stateSecret, string stateKey)
    {
        SecretRef(m, "MCPCLOUDTOOLS__APITOKEN").Should().Be((authSecret, tokenKey));
        SecretRef(m, "MCPCLOUDTOOLS__STATEPATH").Should().Be((stateSecret, stateKey));
        m.Args.Should().NotContain(["--api-token", "--state"], "flags would show the secrets in the process list and the pod spec");
        ((string?)m.Env("AWS_EC2_METADATA_DISABLED")?["value"]).Should().Be("true");
    }

    /// <summary>The ConfigMap's appsettings.json is mounted beside the server executable, where the server reads it.</summary>
    public static JsonNode? MountsAppsettings(Manifests m)
    {
        var mount = m.Server["volumeMounts"]!.AsArray().Select(v => (JsonObject)v!).Single(v => (string?)v["name"] == "config");
        ((string?)mount["mountPath"]).Should().Be("/app/appsettings.json");
        ((string?)mount["subPath"]).Should().Be("appsettings.json");
        ((bool?)mount["readOnly"]).Should().BeTrue();
        var volume = m.PodSpec["volumes"]!.AsArray().Single(v => (string?)v!["name"] == "config")!;
        var configMapName = (string?)volume["configMap"]!["name"];
        var configMap = m.OfKind("ConfigMap").Single(c => (string?)c["metadata"]!["name"] == configMapName);
        var json = (string?)configMap["data"]!["appsettings.json"];
        json.Should().NotBeNull();
        return JsonNode.Parse(json!);
    }

    /// <summary>Replicas spread over nodes and zones, kept up by a PodDisruptionBudget, selected by the pods' own labels.</summary>
    public static void SpreadsReplicas(Manifests m)
    {
        var podLabels = (JsonObject)m.Single("Deployment")["spec"]!["template"]!["metadata"]!["labels"]!;
        var selector = (JsonObject)m.Single("Deployment")["spec"]!["selector"]!["matchLabels"]!;
        Selects(selector, podLabels).Should().BeTrue("the Deployment selects its own pods");

        var spread = m.PodSpec["topologySpreadConstraints"]!.AsArray().Select(c => (JsonObject)c!).ToList();
        spread.Select(c => (string?)c["topologyKey"]).Should().Contain(["topology.kubernetes.io/zone", "kubernetes.io/hostname"]);
        spread.Should().AllSatisfy(c => Selects((JsonObject)c["labelSelector"]!["matchLabels"]!, podLabels).Should().BeTrue("a spread constraint counts the server's pods"));

        var antiAffinity = m.PodSpec["affinity"]?["podAntiAffinity"];
        antiAffinity.Should().NotBeNull("replicas prefer (or require) different nodes");

        var pdb = m.Single("PodDisruptionBudget");
        Selects((JsonObject)pdb["spec"]!["selector"]!["matchLabels"]!, podLabels).Should().BeTrue("the PDB covers the server's pods");
        (pdb["spec"]!["maxUnavailable"] ?? pdb["spec"]!["minAvailable"]).Should().NotBeNull();

        var service = m.Single("Service");
        Selects((JsonObject)service["spec"]!["selector"]!, podLabels).Should().BeTrue("the Service routes to the server's pods");
        ((string?)service["spec"]!["ports"]![0]!["targetPort"]).Should().Be("http");
    }

    /// <summary>Only the server port in; DNS, PostgreSQL and HTTPS out; never the instance-metadata address.</summary>
    public static void IsolatesTraffic(Manifests m)
    {
        var policy = m.Single("NetworkPolicy");
        var podLabels = (JsonObject)m.Single("Deployment")["spec"]!["template"]!["metadata"]!["labels"]!;
        Selects((JsonObject)policy["spec"]!["podSelector"]!["matchLabels"]!, podLabels).Should().BeTrue();
        policy["spec"]!["policyTypes"]!.AsArray().Select(t => (string?)t).Should().BeEquivalentTo(["Ingress", "Egress"]);

        var ingress = policy["spec"]!["ingress"]!.AsArray();
        ingress.Should().ContainSingle();
        ingress[0]!["ports"]!.AsArray().Select(p => (string?)p!["port"]?.ToString()).Should().Equal("http");

        var egress = policy["spec"]!["egress"]!.AsArray().Select(r => (JsonObject)r!).ToList();
        var ports = egress.SelectMany(r => r["ports"]!.AsArray()).Select(p => p!["port"]!.ToString()).ToList();
        ports.Should().Contain(["53", "5432", "443"]);
        var https = egress.Single(r => r["ports"]!.AsArray().Any(p => p!["port"]!.ToString() == "443"));
        https["to"]!.AsArray().SelectMany(t => t!["ipBlock"]?["except"]?.AsArray() ?? []).Select(e => (string?)e)
            .Should().Contain("169.254.169.254/32", "HTTPS goes anywhere but the instance-metadata address");
        egress.Where(r => r["to"] is null).SelectMany(r => r["ports"]!.AsArray()).Select(p => p!["port"]!.ToString())
            .Should().NotContain(["80", "443"], "no rule opens a web port to every address, metadata included");
    }

    /// <summary>True when every label of <paramref name="selector"/> is on <paramref name="labels"/> with the same value.</summary>
    public static bool Selects(JsonObject selector, JsonObject labels) =>
        selector.Count > 0 && selector.All(kv => labels[kv.Key] is { } v && (string?)v == (string?)kv.Value);

    private static (string? Name, string? Key) SecretRef(Manifests m, string variable)
    {
        var env = m.Env(variable);
        env.Should().NotBeNull($"{variable} is set");
        env!["value"].Should().BeNull($"{variable} comes from a Secret, not a literal");
        var reference = env["valueFrom"]!["secretKeyRef"]!;
        return ((string?)reference["name"], (string?)reference["key"]);
    }
}
