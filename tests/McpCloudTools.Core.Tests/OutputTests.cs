using McpCloudTools.Core;
using McpCloudTools.Core.Output;

namespace McpCloudTools.Core.Tests;

public sealed class OutputTests
{
    [Fact]
    public void TextTable_AlignsColumns_DropsEmptyColumns_AndDashesEmptyCells()
    {
        var table = new TextTable("name", "state", "ip", "note")
            .Row("web-1", "running", null, "ok")
            .Row("database-primary", "stopped", "", "");

        table.ToString().Should().Be(
            "NAME             STATE   NOTE\n" +
            "web-1            running ok\n" +
            "database-primary stopped -\n");
    }

    [Fact]
    public void TextTable_KeepsEachCellOnOneLine()
    {
        new TextTable("a", "b").Row("x\ny", "z\tw").ToString().Should().Be("A   B\nx y z w\n");
    }

    [Fact]
    public void ToolOutput_SkipsNullAndEmptyFields_AndEmptySections()
    {
        var text = new ToolOutput()
            .Field("name", "web")
            .Field("empty", "")
            .Field("none", null)
            .Field("list", new[] { "a", "", "b" })
            .Field("nolist", Array.Empty<string>())
            .Field("flag", true)
            .Section("tags", o => o.Field("env", "prod"))
            .Section("nothing", o => o.Field("x", null))
            .ToString();

        text.Should().Be("name: web\nlist: a, b\nflag: yes\ntags:\n  env: prod");
    }

    [Fact]
    public void Page_SaysNofM_AndGivesTheNextCursor_OnlyWhenTruncated()
    {
        var request = Paging.Read(2, null);
        new ToolOutput().Page(2, 5, "abc", request).ToString().Should().Be("2 of 5 shown; next page: cursor=abc");
        new ToolOutput().Page(5, 5, null, request).ToString().Should().BeEmpty("everything fit on one page");
        new ToolOutput().Page(3, 5, null, Paging.Read(2, "c")).ToString().Should().Be("3 shown; end of list (5 in all)");
        new ToolOutput().Page(2, null, "t", request).ToString().Should().Be("2 shown, more exist; next page: cursor=t");
    }

    [Fact]
    public void Paging_RejectsLimitBelowOne_AndCapsLimitAboveMaximum()
    {
        var act = () => Paging.Read(0, null, 50, 500);
        act.Should().Throw<ToolException>().WithMessage("*between 1 and 500*");

        var capped = Paging.Read(5000, null, 50, 500);
        capped.Limit.Should().Be(500);
        new ToolOutput().Page(500, 600, "c", capped).ToString().Should().StartWith("(limit 5000 capped to 500)");
    }

    [Fact]
    public void Slice_PagesThroughEverything_WithCursorsBoundToTheListing()
    {
        var all = Enumerable.Range(0, 23).ToList();
        var seen = new List<int>();
        string? cursor = null;
        do
        {
            var (items, next) = Paging.Slice(all, Paging.Read(10, cursor), "list|a");
            seen.AddRange(items);
            cursor = next;
        }
        while (cursor is not null);

        seen.Should().Equal(all);
        var (_, second) = Paging.Slice(all, Paging.Read(10, null), "list|a");
        var wrongScope = () => Paging.Slice(all, Paging.Read(10, second), "list|b");
        wrongScope.Should().Throw<ToolException>().WithMessage("*another listing*");
        var garbage = () => Paging.Decode("!!not-base64!!", "list|a");
        garbage.Should().Throw<ToolException>();
    }

    [Theory]
    [InlineData(30, "30s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600, "3h")]
    [InlineData(5 * 86400, "5d")]
    [InlineData(800 * 86400, "2y")]
    public void Age_IsKubectlStyle(int seconds, string expected)
    {
        var now = DateTimeOffset.Parse("2026-11-25T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Fmt.Age(now.AddSeconds(-seconds), now).Should().Be(expected);
    }

    [Fact]
    public void Clip_QuotesAValueWholeUpToItsLimit_ElseCutWithAnEllipsis_NeverHalfASurrogatePair()
    {
        Fmt.Clip("eks-prod", 8).Should().Be("eks-prod");
        Fmt.Clip("eks-production", 8).Should().Be("eks-prod…");
        Fmt.Clip("", 3).Should().BeEmpty();
        var emoji = "ab\U0001F600cd";
        Fmt.Clip(emoji, 3).Should().Be("ab…", "cutting after the high surrogate would leave half a character");
        Fmt.Clip(emoji, 4).Should().Be("ab\U0001F600…");
        Fmt.Clip(new string('x', 100_000), 40).Should().HaveLength(41);
    }

    [Fact]
    public void Bytes_AndTruncate_AreShortAndExact()
    {
        Fmt.Bytes(512).Should().Be("512B");
        Fmt.Bytes(1536).Should().Be("1.5KiB");
        Fmt.Bytes(3L * 1024 * 1024 * 1024).Should().Be("3GiB");
        Fmt.Truncate("abcdef", 3).Should().Be("abc… (3 more chars)");
    }
}
