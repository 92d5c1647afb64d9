using System.Net;
using System.Net.Sockets;

namespace McpCloudTools.Testing;

/// <summary>Free loopback ports for servers started by tests.</summary>
public static class TestPorts
{
    /// <summary>A port that was free a moment ago.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Polls <paramref name="url"/> until it answers 200 or the time is up.</summary>
    public static async Task WaitUntilUpAsync(string url, TimeSpan timeout, Func<bool>? giveUp = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline || giveUp?.Invoke() == true)
            {
                throw new TimeoutException($"{url} did not come up within {timeout}.");
            }

            await Task.Delay(50);
        }
    }
}
