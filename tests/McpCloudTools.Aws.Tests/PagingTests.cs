using FluentAssertions;

namespace McpCloudTools.Aws.Tests;

/// <summary>The generic paging helper's stop rules.</summary>
public sealed class PagingTests
{
    private sealed record Page(int[] Items, string? Next);

    [Fact]
    public async Task Collect_StopsWhenTheServiceReturnsTheTokenItWasSent()
    {
        var calls = 0;
        var result = await AwsPaging.CollectAsync<Page, int>((token, _, _) =>
        {
            calls++;
            return Task.FromResult(token is null ? new Page([1, 2], "t1") : new Page([], "t1"));
        }, p => p.Items, p => p.Next, new PageLimits(), null, CancellationToken.None);

        result.Items.Should().Equal(1, 2);
        result.NextToken.Should().BeNull();
        calls.Should().Be(2);
    }

    [Fact]
    public async Task Collect_StopsAtThePageLimitAndReturnsTheTokenToResume()
    {
        var result = await AwsPaging.CollectAsync<Page, int>((token, _, _) =>
            Task.FromResult(new Page([int.Parse(token ?? "0", System.Globalization.CultureInfo.InvariantCulture)], ((token is null ? 0 : int.Parse(token, System.Globalization.CultureInfo.InvariantCulture)) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))),
            p => p.Items, p => p.Next, new PageLimits(MaxPages: 3), null, CancellationToken.None);

        result.Items.Should().Equal(0, 1, 2);
        result.NextToken.Should().Be("3");
    }

    [Fact]
    public async Task Collect_AsksOnlyForTheItemsStillWanted()
    {
        var asked = new List<int?>();
        var result = await AwsPaging.CollectAsync<Page, int>((token, wanted, _) =>
        {
            asked.Add(wanted);
            return Task.FromResult(new Page(Enumerable.Repeat(7, Math.Min(wanted ?? 4, 4)).ToArray(), "more" + asked.Count));
        }, p => p.Items, p => p.Next, new PageLimits(MaxItems: 6), null, CancellationToken.None);

        asked.Should().Equal(6, 2);
        result.Items.Should().HaveCount(6);
        result.IsTruncated.Should().BeTrue();
    }
}
