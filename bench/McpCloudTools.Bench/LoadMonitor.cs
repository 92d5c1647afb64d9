using System.Globalization;

namespace McpCloudTools.Bench;

/// <summary>
/// The machine's load average, sampled before, during and after a part of the benchmark. A figure taken while the
/// 1-minute load average is above <see cref="Threshold"/> is not a result, and the report says so.
/// </summary>
internal sealed class LoadMonitor(string part, Func<(double One, double Five, double Fifteen)>? read = null)
{
    public const double Threshold = 0.5;

    private readonly Func<(double One, double Five, double Fifteen)> _read = read ?? ReadProc;
    private readonly List<(string When, double One, double Five, double Fifteen)> _samples = [];

    public string Part => part;

    public double MaxOne => _samples.Count == 0 ? 0 : _samples.Max(s => s.One);

    public bool Loaded => MaxOne > Threshold;

    public void Sample(string when)
    {
        var (one, five, fifteen) = _read();
        _samples.Add((when, one, five, fifteen));
    }

    /// <summary>One line: the first sample, the highest 1-minute figure in between, the last sample.</summary>
    public string Summary()
    {
        if (_samples.Count == 0)
        {
            return $"Load average ({part}): not sampled.";
        }

        var first = _samples[0];
        var last = _samples[^1];
        var during = _samples.Count > 2 ? _samples.Skip(1).SkipLast(1).Max(s => s.One) : Math.Max(first.One, last.One);
        return string.Create(CultureInfo.InvariantCulture,
            $"Load average ({part}; 1/5/15 min): before {first.One:0.00}/{first.Five:0.00}/{first.Fifteen:0.00}, during max {during:0.00} ({_samples.Count} samples), after {last.One:0.00}/{last.Five:0.00}/{last.Fifteen:0.00}.");
    }

    /// <summary>The warning the report carries when the machine was busy, else null.</summary>
    public string? Warning() => Loaded
        ? string.Create(CultureInfo.InvariantCulture,
            $"WARNING ({part}): the 1-minute load average reached {MaxOne:0.00} (> {Threshold:0.0}); the machine was busy, so these figures are not a result. Re-run on a quiet machine.")
        : null;

    private static (double, double, double) ReadProc()
    {
        if (!File.Exists("/proc/loadavg"))
        {
            return (double.NaN, double.NaN, double.NaN);
        }

        var f = File.ReadAllText("/proc/loadavg").Split(' ');
        return (Parse(f[0]), Parse(f[1]), Parse(f[2]));
    }

    private static double Parse(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}
