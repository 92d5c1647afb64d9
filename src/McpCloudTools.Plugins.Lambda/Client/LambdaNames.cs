using System.Text.RegularExpressions;
using McpCloudTools.Core.Validation;

namespace McpCloudTools.Plugins.Lambda.Client;

/// <summary>Lambda's own naming rules (lambda.service-2.json <c>NamespacedFunctionName</c>, <c>NumericLatestPublishedOrAliasQualifier</c>).</summary>
public static partial class LambdaNames
{
    /// <summary>A function: name, <c>name:alias</c>, <c>name:version</c>, partial or full ARN; 1-256 characters.</summary>
    public static NameRule Function { get; } = new("a function", FunctionPattern(), 256,
        c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '$',
        "its name (letters, digits, '-', '_', '.'), optionally followed by :version or :alias, or its ARN; at most 256 characters",
        "lambda_function_list shows the functions of this region.");

    /// <summary>A qualifier: <c>$LATEST</c>, a version number or an alias; 1-128 characters.</summary>
    public static NameRule Qualifier { get; } = new("a qualifier", QualifierPattern(), 128,
        c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '$' or '.',
        "$LATEST, a version number or an alias name (letters, digits, '-', '_'), at most 128 characters",
        "lambda_version_list and lambda_alias_list show them.");

    /// <summary>The <c>name</c> filter of lambda_function_list: part of a function name.</summary>
    public static NameRule NameFilter { get; } = new("a function name filter", NameFilterPattern(), 64,
        c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '*', "part of a function name, or a pattern with *: letters, digits, '-', '_', '.' and '*', at most 64 characters");

    /// <summary>The <c>runtime</c> filter of lambda_function_list: the start of a runtime id (<c>python</c>, <c>nodejs20</c>) or <c>image</c>.</summary>
    public static NameRule RuntimeFilter { get; } = new("a runtime filter", RuntimePattern(), 32,
        c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '*', "part of a runtime id (python, nodejs20.x, java21) or image, or a pattern with * (python3.*): letters, digits, '.', '-', '*', at most 32 characters");

    [GeneratedRegex(@"^(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]+))?$")]
    private static partial Regex FunctionPattern();

    [GeneratedRegex(@"^(\$(LATEST(\.PUBLISHED)?)|[a-zA-Z0-9-_$]+)$")]
    private static partial Regex QualifierPattern();

    [GeneratedRegex(@"^[a-zA-Z0-9._*-]+$")]
    private static partial Regex NameFilterPattern();

    [GeneratedRegex(@"^[a-zA-Z0-9.*-]+$")]
    private static partial Regex RuntimePattern();
}

/// <summary>Which rule a value of a Lambda tool parameter follows.</summary>
public enum LambdaName
{
    /// <summary><see cref="LambdaNames.Function"/>.</summary>
    Function,

    /// <summary><see cref="LambdaNames.NameFilter"/>.</summary>
    NameFilter,

    /// <summary><see cref="LambdaNames.RuntimeFilter"/>.</summary>
    RuntimeFilter,
}

/// <summary>Declares that a tool parameter is a Lambda name; the call guard checks it before the tool runs.</summary>
/// <param name="name">Which rule.</param>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class LambdaNameAttribute(LambdaName name) : ArgumentRuleAttribute
{
    /// <summary>Which rule.</summary>
    public LambdaName Name => name;

    /// <inheritdoc />
    public override ArgumentRule Rule => name switch
    {
        LambdaName.Function => LambdaNames.Function,
        LambdaName.NameFilter => LambdaNames.NameFilter,
        LambdaName.RuntimeFilter => LambdaNames.RuntimeFilter,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
