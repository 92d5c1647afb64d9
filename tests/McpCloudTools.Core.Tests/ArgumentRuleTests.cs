using System.Text.RegularExpressions;
using McpCloudTools.Core.Validation;

namespace McpCloudTools.Core.Tests;

/// <summary>The argument rules and the way refusals show what was given.</summary>
public sealed partial class ArgumentRuleTests
{
    private static readonly NameRule Label = new("a label", LabelPattern(), 63, c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-',
        "lower-case letters, digits and '-', at most 63 characters", "list_things shows them.");

    [Theory]
    [InlineData("web", null)]
    [InlineData("", "it is empty")]
    [InlineData(".", "'.' is not a name (in a URL it means this folder)")]
    [InlineData("..", "'..' is not a name (in a URL it means the parent folder)")]
    [InlineData("api-1#", "it contains '#' at position 6")]
    [InlineData("a b", "it contains ' ' (a space) at position 2")]
    [InlineData("ab\u202Ecd", "it contains U+202E at position 3")]
    [InlineData("a\0", "it contains the control character U+0000 at position 2")]
    [InlineData("x\U0001F600", "it contains '\U0001F600' (U+1F600) at position 2")]
    [InlineData("-web", "it is not a label")]
    public void NameRule_SaysWhatIsWrong(string value, string? problem)
    {
        Label.Problem(value).Should().Be(problem);
    }

    [Fact]
    public void NameRule_RefusesOverLongValuesByLength_BeforeLookingAtCharacters()
    {
        Label.Problem(new string('a', 64) + "#").Should().Be("it is 65 characters long, more than 63");
    }

    [Fact]
    public void Refusal_NamesTheArgument_ShowsAShortPrefix_TheRuleAndWhatToTry()
    {
        var value = "a/" + new string('b', 5000);

        var error = ((Action)(() => Label.Require(value, "namespace"))).Should().Throw<ToolException>().Which.Message;

        error.Should().Be($"Invalid namespace 'a/{new string('b', 62)}…' (5,002 characters): it is 5,002 characters long, more than 63. "
            + "A label is lower-case letters, digits and '-', at most 63 characters. list_things shows them.");
    }

    [Theory]
    [InlineData(null, "pod is required and was empty.")]
    [InlineData("  ", "pod is required and was empty.")]
    public void Require_TreatsNullAndBlankAsMissing(string? value, string start)
    {
        ((Action)(() => Label.Require(value, "pod"))).Should().Throw<ToolException>().Which.Message.Should().StartWith(start);
    }

    [Fact]
    public void Show_MakesInvisibleCharactersVisible_AndNeverSplitsASurrogatePair()
    {
        ArgumentText.Show("a\0b\r\n\u202Ec").Should().Be("'a\\u0000b\\u000d\\u000a\\u202ec'");
        ArgumentText.Show("x\ud800y").Should().Be("'x\\ud800y'");
        var pairs = new string('a', 63) + "\U0001F600\U0001F600";

        var shown = ArgumentText.Show(pairs);

        shown.Should().Be($"'{new string('a', 63)}…' (67 characters)");
    }

    [Fact]
    public void TextRule_BoundsLengthAndRefusesControlCharacters_LineBreaksOnlyWhenMultiline()
    {
        TextRule.Default.Problem(new string('x', 1024)).Should().BeNull();
        TextRule.Default.Problem(new string('x', 1025)).Should().Be("it is 1,025 characters long, more than 1,024");
        TextRule.Default.Problem("a\nb").Should().Be("it contains the control character U+000A at position 2");
        new TextRule("a command", 100, multiline: true).Problem("a\r\n\tb").Should().BeNull();
        new TextRule("a command", 100, multiline: true).Problem("a\0").Should().Be("it contains the control character U+0000 at position 2");
        TextRule.Default.Problem("\ud800").Should().Be("it contains a lone UTF-16 surrogate U+D800 at position 1");
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex LabelPattern();
}
