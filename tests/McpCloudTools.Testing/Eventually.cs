namespace McpCloudTools.Testing;

/// <summary>
/// Waits for something another process or thread does: retries an assertion until it holds, or until the patience
/// runs out, when its last failure is what the test reports. The one polling loop of the tests.
/// </summary>
public static class Eventually
{
    /// <summary>Retries <paramref name="assertion"/> every <paramref name="interval"/> (100 ms unless given) for up to <paramref name="patience"/>.</summary>
    public static async Task HoldsAsync(Func<Task> assertion, TimeSpan patience, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            try
            {
                await assertion();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100));
            }
        }
    }

    /// <summary>The same for an assertion that does not wait itself.</summary>
    public static Task HoldsAsync(Action assertion, TimeSpan patience, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        return HoldsAsync(() =>
        {
            assertion();
            return Task.CompletedTask;
        }, patience, interval);
    }
}
