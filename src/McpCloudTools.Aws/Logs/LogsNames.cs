using System.Text.RegularExpressions;
using McpCloudTools.Core.Validation;

namespace McpCloudTools.Aws.Logs;

/// <summary>CloudWatch Logs' own naming rules (logs.service-2.json: <c>LogGroupName</c>, <c>LogStreamName</c>, <c>FilterPattern</c>).</summary>
public static partial class LogsNames
{
    /// <summary><c>LogGroupName</c>: 1-512 of <c>[.\-_/#A-Za-z0-9]</c>.</summary>
    public static NameRule Group { get; } = new("a log group name", GroupPattern(), 512,
        c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '/' or '#',
        "letters, digits and . - _ / #, at most 512 characters");

    /// <summary><c>LogStreamName</c>: 1-512 characters, none of them ':' or '*'.</summary>
    public static NameRule Stream { get; } = new("a log stream name", StreamPattern(), 512,
        c => c is not (':' or '*') && !char.IsControl(c), "any characters but ':' and '*', at most 512");

    /// <summary><c>FilterPattern</c>: at most 1,024 characters.</summary>
    public static TextRule FilterPattern { get; } = new("a CloudWatch Logs filter pattern", 1024);

    [GeneratedRegex(@"^[\.\-_/#A-Za-z0-9]{1,512}$")]
    private static partial Regex GroupPattern();

    [GeneratedRegex(@"^[^:*]{1,512}$")]
    private static partial Regex StreamPattern();
}
