using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using McpCloudTools.Testing;

namespace McpCloudTools.Plugins.Ec2.Tests;

/// <summary>Filters and paging of <c>ec2_instance_list</c> over 5,000 instances.</summary>
public sealed class InstancePagingTests(LargeFleetFixture fixture) : IClassFixture<LargeFleetFixture>
{
    private SandboxHarness Harness => fixture.Harness;

    [Fact]
    public async Task Paging_SeesEveryInstanceExactlyOnceAndReadsEc2OncePerThousand()
    {
        var callsBefore = Harness.Calls("DescribeInstances");
        var (ids, pages) = await PageThroughAsync(new { limit = 1000 });

        ids.Should().HaveCount(LargeFleetFixture.Instances).And.OnlyHaveUniqueItems();
        pages[0].Should().StartWith("instances in us-east-1, first 1000 read (more exist): ");
        pages[^1].Should().StartWith("5000 instances in us-east-1: pending 1, running ")
            .And.Contain("1000 shown; end of list (5000 in all)\nscan: 5000 instances in 5 DescribeInstances calls; listing from ");
        Harness.Calls("DescribeInstances").Should().Be(callsBefore + 5);
    }

    [Fact]
    public async Task Paging_FirstSmallPageCostsOneEc2CallAndSaysCountsArePartial()
    {
        var callsBefore = Harness.Calls("DescribeInstances");

        var text = await Harness.TextAsync("ec2_instance_list", new { limit = 20 });

        Harness.Calls("DescribeInstances").Should().Be(callsBefore + 1);
        Ec2Harness.Rows(text).Should().HaveCount(20);
        text.Should().MatchRegex(@"^instances in us-east-1, first 1000 read \(more exist\): (\w[\w-]* \d+(, )?)+\n")
            .And.Contain("20 shown, more exist; next page: cursor=")
            .And.EndWith("scan: 1000 instances in 1 DescribeInstances call; the cursor reads on, counts cover what was read");
    }

    [Fact]
    public async Task Paging_WithEc2AndLocalFiltersSeesEveryMatchExactlyOnce()
    {
        var expected = await Ec2IdsAsync(new Filter("tag:team", ["ads"]), new Filter("instance-state-name", ["stopped"]));

        var (ids, pages) = await PageThroughAsync(new { tag = "team=ads", state = "stopped", limit = 40 });

        expected.Should().HaveCountGreaterThan(200);
        ids.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(expected);
        pages[^1].Should().Contain($"; state=stopped: {expected.Count}\n")
            .And.MatchRegex("EC2 filtered tag-key; tag value, state filtered here; listing from [0-9]+s ago$");
    }

    [Fact]
    public async Task Paging_ARareNameIsFoundInOneCallAcrossEc2Pages()
    {
        var callsBefore = Harness.Calls("DescribeInstances");

        var text = await Harness.TextAsync("ec2_instance_list", new { name = "search-0490" });

        Ec2Harness.Rows(text).Select(r => r.Name).Should().Equal("search-04903", "search-04909");
        text.Should().EndWith("scan: 5000 instances in 5 DescribeInstances calls; name filtered here");
        Harness.Calls("DescribeInstances").Should().Be(callsBefore + 5);
    }

    [Fact]
    public async Task Paging_ACursorOfOtherFiltersIsRefused()
    {
        var cursor = Ec2Harness.Cursor(await Harness.TextAsync("ec2_instance_list", new { state = "stopped", limit = 5 }));

        var message = await Harness.ErrorAsync("ec2_instance_list", new { state = "running", limit = 5, cursor });

        message.Should().Be("This cursor is damaged or belongs to another listing (other tool or other filters). Call again without cursor to start over.");
    }

    [Fact]
    public async Task Sdk_PaginatorReadsTheSandboxInPagesOfFive()
    {
        using var ec2 = Sdk(Harness);
        var paginator = ec2.Paginators.DescribeInstances(new DescribeInstancesRequest
        {
            MaxResults = 5, Filters = [new Filter("tag:Name", ["web-*", "api-?", "worker-*", "eks-*"])],
        });
        var names = new List<string>();
        var pages = 0;
        await foreach (var page in paginator.Responses)
        {
            pages++;
            names.AddRange((page.Reservations ?? []).SelectMany(r => r.Instances ?? []).Select(i => i.Tags!.Single(t => t.Key == "Name").Value));
        }

        names.Should().BeEquivalentTo("web-1", "web-2", "web-3", "api-1", "api-2", "api-3", "worker-1", "worker-2", "worker-3",
            "worker-4", "eks-prod-node-1", "eks-prod-node-2", "eks-prod-node-3");
        pages.Should().Be(3);
    }

    private async Task<(List<string> Ids, List<string> Pages)> PageThroughAsync(object arguments)
    {
        var ids = new List<string>();
        var pages = new List<string>();
        var args = ToolArgs.From(arguments).ToDictionary();
        while (true)
        {
            var text = await Harness.TextAsync("ec2_instance_list", args);
            pages.Add(text);
            ids.AddRange(Ec2Harness.Rows(text).Select(r => r.Id));
            if (Ec2Harness.Cursor(text) is not { } cursor) return (ids, pages);
            args["cursor"] = cursor;
        }
    }

    private async Task<List<string>> Ec2IdsAsync(params Filter[] filters)
    {
        using var ec2 = Sdk(Harness);
        var ids = new List<string>();
        await foreach (var instance in ec2.Paginators.DescribeInstances(new DescribeInstancesRequest { MaxResults = 1000, Filters = [.. filters] }).Reservations)
            ids.AddRange((instance.Instances ?? []).Select(i => i.InstanceId!));
        return ids;
    }

    /// <summary>AWSSDK.EC2 pointed straight at the sandbox.</summary>
    internal static AmazonEC2Client Sdk(SandboxHarness harness) => new(new BasicAWSCredentials("test", "test"),
        new AmazonEC2Config { ServiceURL = harness.Sandbox.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
}
