using System.Globalization;
using System.Text;

namespace McpCloudTools.Sandbox.Services.Batch;

/// <summary>
/// What a job's command prints, for the commands a sandbox job can really "run": <c>echo</c> and <c>printf</c> given
/// directly (<c>["echo", "hi"]</c>, no shell: <c>$X</c> stays as written, as in a container), or inside
/// <c>sh -c</c>/<c>bash -c</c> scripts of simple commands separated by <c>;</c>, <c>&amp;&amp;</c> or new lines, with
/// quotes and <c>$VAR</c>/<c>${VAR}</c> from the job's environment (its own variables and <c>AWS_BATCH_*</c>).
/// Anything else prints nothing here; the job's behaviour writes the rest of the log. Bounded: 100 lines of 1,000
/// characters.
/// </summary>
internal static class BatchCommandOutput
{
    private const int MaxLines = 100;
    private const int MaxLineLength = 1000;

    public static IReadOnlyList<string> Lines(SandboxJob job, int attempt)
    {
        var command = job.Command;
        if (command.Count == 0) return [];
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_BATCH_JOB_ID"] = job.Id, ["AWS_BATCH_JQ_NAME"] = job.Queue.Name,
            ["AWS_BATCH_JOB_ATTEMPT"] = attempt.ToString(CultureInfo.InvariantCulture), ["AWS_BATCH_CE_NAME"] = job.Placement?.Name ?? "",
        };
        if (job.ArrayIndex is { } index) env["AWS_BATCH_JOB_ARRAY_INDEX"] = index.ToString(CultureInfo.InvariantCulture);
        foreach (var (name, value) in job.Environment) env[name] = value;

        var output = new StringBuilder();
        if (command.Count >= 3 && command[0] is "sh" or "bash" or "/bin/sh" or "/bin/bash" && command[1] == "-c")
        {
            foreach (var simple in Split(command[2]))
            {
                if (!Run(Words(simple, env), output)) break;
            }
        }
        else
        {
            Run(command, output);
        }
        return [.. output.ToString().Split('\n').SkipLast(output.Length > 0 && output[^1] == '\n' ? 1 : 0)
            .Take(MaxLines).Select(l => l.Length > MaxLineLength ? l[..MaxLineLength] : l)];
    }

    // One simple command; false stops the script (exit, or a failing "false" before &&-chains would stop it too).
    private static bool Run(List<string> words, StringBuilder output)
    {
        if (words.Count == 0) return true;
        switch (words[0])
        {
            case "echo" or "/bin/echo":
                var args = words.Skip(1).ToList();
                var newline = true;
                if (args.Count > 0 && args[0] == "-n")
                {
                    newline = false;
                    args.RemoveAt(0);
                }
                output.Append(string.Join(' ', args));
                if (newline) output.Append('\n');
                return true;
            case "printf":
                if (words.Count > 1) output.Append(Printf(words[1], words.Skip(2).ToList()));
                return true;
            case "exit" or "false":
                return false;
            default:
                return true;
        }
    }

    private static string Printf(string format, List<string> args)
    {
        var text = new StringBuilder();
        var next = 0;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] == '\\' && i + 1 < format.Length)
            {
                text.Append(format[++i] switch { 'n' => '\n', 't' => '\t', var c => c });
            }
            else if (format[i] == '%' && i + 1 < format.Length)
            {
                var spec = format[++i];
                if (spec == '%') text.Append('%');
                else text.Append(next < args.Count ? args[next++] : "");
            }
            else
            {
                text.Append(format[i]);
            }
        }
        return text.ToString();
    }

    // Splits a script into simple commands at ; && || and new lines outside quotes.
    private static IEnumerable<string> Split(string script)
    {
        var current = new StringBuilder();
        char? quote = null;
        for (var i = 0; i < script.Length; i++)
        {
            var c = script[i];
            if (quote is { } q)
            {
                if (c == q) quote = null;
                current.Append(c);
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                current.Append(c);
            }
            else if (c is ';' or '\n' || (c is '&' or '|' && i + 1 < script.Length && script[i + 1] == c))
            {
                if (c is '&' or '|') i++;
                yield return current.ToString();
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }
        yield return current.ToString();
    }

    // Shell words: quotes removed, $VAR and ${VAR} expanded outside single quotes.
    private static List<string> Words(string command, Dictionary<string, string> env)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            if (quote == '\'')
            {
                if (c == '\'') quote = null;
                else word.Append(c);
            }
            else if (c == '$' && i + 1 < command.Length && (command[i + 1] == '{' || char.IsAsciiLetter(command[i + 1]) || command[i + 1] == '_'))
            {
                var braced = command[i + 1] == '{';
                var start = braced ? i + 2 : i + 1;
                var end = start;
                while (end < command.Length && (char.IsAsciiLetterOrDigit(command[end]) || command[end] == '_')) end++;
                word.Append(env.GetValueOrDefault(command[start..end], ""));
                i = braced && end < command.Length && command[end] == '}' ? end : end - 1;
                inWord = true;
            }
            else if (quote == '"')
            {
                if (c == '"') quote = null;
                else word.Append(c);
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (inWord) words.Add(word.ToString());
        return words;
    }
}
