using System.Text.Json;
using FluentAssertions;

namespace McpCloudTools.Sandbox.Tests;

/// <summary>
/// Issue 12: whatever name a client sends, each emulated service answers as the real one does (its own 4xx error,
/// or an empty answer where AWS gives one for unknown names), never a 500, which clients would retry and blame on AWS.
/// </summary>
public sealed class MalformedNameTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private static readonly HttpClient Http = new();

    private static readonly string[] Names =
    [
        "a/b", "a#b", "a?b=c", "%", "a\0b", "a\u202Eb", "ünïcödé", ".", "a b", "\r\nX: y", new string('a', 300), "\"}{\"", "<x>&amp;",
    ];

    [Fact]
    public async Task EveryServiceAnswersMalformedNamesWithItsOwn4xx_NeverA500()
    {
        var endpoint = fixture.Host.Endpoint;
        var failures = new List<string>();
        foreach (var name in Names)
        {
            var e = Uri.EscapeDataString(name);
            var j = JsonSerializer.Serialize(name);
            (string What, Func<HttpRequestMessage> Request)[] calls =
            [
                ("eks DescribeCluster", () => TestSigner.RestRequest(HttpMethod.Get, endpoint, $"/clusters/{e}", "eks")),
                ("eks ListNodegroups", () => TestSigner.RestRequest(HttpMethod.Get, endpoint, $"/clusters/{e}/node-groups", "eks")),
                ("eks DescribeNodegroup", () => TestSigner.RestRequest(HttpMethod.Get, endpoint, $"/clusters/prod/node-groups/{e}", "eks")),
                ("eks UpdateNodegroupConfig", () => TestSigner.RestRequest(HttpMethod.Post, endpoint, $"/clusters/prod/node-groups/{e}/update-config", "eks",
                    """{"scalingConfig":{"desiredSize":1}}""")),
                ("eks DescribeUpdate", () => TestSigner.RestRequest(HttpMethod.Get, endpoint, $"/clusters/prod/updates/{e}?nodegroupName={e}", "eks")),
                ("eks DescribeAddon", () => TestSigner.RestRequest(HttpMethod.Get, endpoint, $"/clusters/prod/addons/{e}", "eks")),
                ("lambda GetFunction", () => TestSigner.RestRequest(HttpMethod.Get, endpoint, $"/2015-03-31/functions/{e}", "lambda")),
                ("lambda GetFunction qualifier", () => TestSigner.RestRequest(HttpMethod.Get, endpoint, $"/2015-03-31/functions/orders-api?Qualifier={e}", "lambda")),
                ("lambda GetFunctionConfiguration", () => TestSigner.RestRequest(HttpMethod.Get, endpoint, $"/2015-03-31/functions/{e}/configuration", "lambda")),
                ("lambda Invoke", () => TestSigner.RestRequest(HttpMethod.Post, endpoint, $"/2015-03-31/functions/{e}/invocations", "lambda", "{}")),
                ("lambda ListVersionsByFunction", () => TestSigner.RestRequest(HttpMethod.Get, endpoint, $"/2015-03-31/functions/{e}/versions", "lambda")),
                ("lambda ListAliases", () => TestSigner.RestRequest(HttpMethod.Get, endpoint, $"/2015-03-31/functions/{e}/aliases", "lambda")),
                ("lambda ListEventSourceMappings", () => TestSigner.RestRequest(HttpMethod.Get, endpoint, $"/2015-03-31/event-source-mappings?FunctionName={e}", "lambda")),
                ("batch DescribeJobs", () => TestSigner.RestRequest(HttpMethod.Post, endpoint, "/v1/describejobs", "batch", $$"""{"jobs":[{{j}}]}""")),
                ("batch ListJobs", () => TestSigner.RestRequest(HttpMethod.Post, endpoint, "/v1/listjobs", "batch", $$"""{"jobQueue":{{j}}}""")),
                ("batch DescribeJobQueues", () => TestSigner.RestRequest(HttpMethod.Post, endpoint, "/v1/describejobqueues", "batch", $$"""{"jobQueues":[{{j}}]}""")),
                ("batch SubmitJob", () => TestSigner.RestRequest(HttpMethod.Post, endpoint, "/v1/submitjob", "batch",
                    $$"""{"jobName":{{j}},"jobQueue":{{j}},"jobDefinition":{{j}}}""")),
                ("batch CancelJob", () => TestSigner.RestRequest(HttpMethod.Post, endpoint, "/v1/canceljob", "batch", $$"""{"jobId":{{j}},"reason":"r"}""")),
                ("logs DescribeLogStreams", () => TestSigner.JsonRequest(endpoint, "Logs_20140328.DescribeLogStreams", $$"""{"logGroupName":{{j}}}""")),
                ("logs GetLogEvents", () => TestSigner.JsonRequest(endpoint, "Logs_20140328.GetLogEvents", $$"""{"logGroupName":"/aws/lambda/orders-api","logStreamName":{{j}}}""")),
                ("logs FilterLogEvents", () => TestSigner.JsonRequest(endpoint, "Logs_20140328.FilterLogEvents", $$"""{"logGroupName":{{j}}}""")),
                ("ec2 DescribeInstances", () => TestSigner.FormRequest(endpoint, $"Action=DescribeInstances&Version=2016-11-15&InstanceId.1={e}", "ec2")),
                ("ec2 DescribeVpcs", () => TestSigner.FormRequest(endpoint, $"Action=DescribeVpcs&Version=2016-11-15&VpcId.1={e}", "ec2")),
                ("ec2 DescribeSecurityGroups", () => TestSigner.FormRequest(endpoint, $"Action=DescribeSecurityGroups&Version=2016-11-15&GroupId.1={e}", "ec2")),
                ("ec2 StopInstances", () => TestSigner.FormRequest(endpoint, $"Action=StopInstances&Version=2016-11-15&InstanceId.1={e}&DryRun=true", "ec2")),
            ];
            foreach (var (what, request) in calls)
            {
                using var message = request();
                using var response = await Http.SendAsync(message);
                var body = await response.Content.ReadAsStringAsync();
                // A 4xx, or what the service answers an unknown name with (Batch's Describe* list nothing): never a 5xx.
                if ((int)response.StatusCode >= 500)
                    failures.Add($"{what} {JsonSerializer.Serialize(name)}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 200)]}");
            }
        }

        failures.Should().BeEmpty(string.Join("\n", failures));
    }
}
