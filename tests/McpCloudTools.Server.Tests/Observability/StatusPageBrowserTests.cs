using System.Net;
using System.Net.Http.Json;
using McpCloudTools.Testing;
using Microsoft.Playwright;

namespace McpCloudTools.Server.Tests.Observability;

/// <summary>
/// One server (<c>--sandbox</c>, an API token) and one real Chromium (Debian's, driven by Playwright) for the class.
/// </summary>
public sealed class StatusPageFixture : IAsyncLifetime
{
    public const string Token = "status-page-token-9e2c";

    /// <summary>Debian's chromium (installed by .ci/run); Playwright never downloads a browser here.</summary>
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    internal ServerProcess Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartHttpAsync(["--sandbox", "--api-token", Token], null, Token);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}

/// <summary>
/// The status page at <c>/</c> in a real browser: it asks for the token, shows the sandbox's instances healthy, and
/// its switches act on the same registry MCP clients see.
/// </summary>
public sealed class StatusPageBrowserTests(StatusPageFixture fixture) : IClassFixture<StatusPageFixture>
{
    private ServerProcess Server => fixture.Server;

    /// <summary>A fresh tab (its own sessionStorage) with the page loaded and the token given.</summary>
    private async Task<IPage> OpenAsync()
    {
        var page = await fixture.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            // The unauthenticated first load answers 401 by design; the browser asks for a favicon the server does not have.
            if (message.Type == "error" && !message.Text.Contains("401", StringComparison.Ordinal) && !message.Text.Contains("404", StringComparison.Ordinal))
            {
                errors.Add(message.Text);
            }
        };
        var response = await page.GotoAsync(Server.BaseUrl + "/");
        response!.Status.Should().Be(200);
        var headers = await response.AllHeadersAsync();
        headers["content-security-policy"].Should().Contain("default-src 'self'").And.Contain("frame-ancestors 'none'").And.NotContain("unsafe-inline");
        headers["x-frame-options"].Should().Be("DENY");

        // Without the token the page holds no data and asks for it.
        await page.Locator("#token-form").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        (await page.Locator("#instances tbody tr").CountAsync()).Should().Be(0);
        await page.FillAsync("#token", StatusPageFixture.Token);
        await page.ClickAsync("#token-form button[type=submit]");
        await page.WaitForSelectorAsync("body[data-loaded]");
        (await page.Locator("#token-form").IsHiddenAsync()).Should().BeTrue();
        errors.Should().BeEmpty("the page should run without script errors (CSP included)");
        return page;
    }

    private static async Task ReloadedAsync(IPage page, Func<Task> act)
    {
        var before = await page.GetAttributeAsync("body", "data-loaded");
        await act();
        await page.WaitForFunctionAsync("b => document.body.dataset.loaded !== b", before);
    }

    [Fact]
    public async Task Page_ShowsVersionModeInstancesHealthyToolsAndRecentCalls()
    {
        (await Server.CallAsync("ec2_instance_list")).IsError.Should().NotBe(true);
        var page = await OpenAsync();
        (await page.TextContentAsync("#summary")).Should().Contain("Version " + CloudToolsApp.Version).And.Contain("read-only");
        foreach (var id in new[] { "ec2", "eks", "lambda", "batch", "slurm" })
        {
            (await page.TextContentAsync($"tr[data-instance='{id}'] td:nth-child(4)")).Should().Be("healthy", $"{id} answers in the sandbox");
        }

        (await page.TextContentAsync("[data-tool='plugin_enable']")).Should().Contain("write");
        (await page.TextContentAsync("[data-tool='lambda_function_list']")).Should().Contain("read");
        (await page.Locator("[data-plugin='lambda'] [data-tool]").CountAsync()).Should().BeGreaterThan(3);
        (await page.TextContentAsync("#audit tbody")).Should().Contain("ec2_instance_list").And.Contain("ok");
        (await page.Locator("tr[data-cluster]").CountAsync()).Should().BeGreaterThan(0);

        var shots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(shots);
        var file = Path.Combine(shots, "status-page.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        new FileInfo(file).Length.Should().BeGreaterThan(10_000);
        await page.CloseAsync();
    }

    [Fact]
    public async Task DisablingLambda_InThePage_RemovesItsToolsFromAConnectedClient()
    {
        var page = await OpenAsync();
        (await Server.ToolsAsync()).Should().Contain(t => t.Name.StartsWith("lambda_", StringComparison.Ordinal));
        var changes = Server.Changes.Count;
        await ReloadedAsync(page, () => page.ClickAsync("button[data-toggle='lambda']"));
        await Server.Changes.NextAsync(ServerProcess.Patience);
        Server.Changes.Count.Should().BeGreaterThan(changes, "notifications/tools/list_changed reached the client");
        (await Server.ToolsAsync()).Should().NotContain(t => t.Name.StartsWith("lambda_", StringComparison.Ordinal));
        (await page.TextContentAsync("button[data-toggle='lambda']")).Should().Be("Enable");

        await ReloadedAsync(page, () => page.ClickAsync("button[data-toggle='lambda']"));
        await Server.Changes.NextAsync(ServerProcess.Patience);
        (await Server.ToolsAsync()).Should().Contain(t => t.Name.StartsWith("lambda_", StringComparison.Ordinal));
        await page.CloseAsync();
    }

    [Fact]
    public async Task ActivatingACluster_InThePage_ShowsInClustersList()
    {
        var page = await OpenAsync();
        await ReloadedAsync(page, () => page.ClickAsync("button[data-activate='eks:staging']"));
        (await page.TextContentAsync("tr[data-cluster='eks:staging'] strong.active")).Should().Be("active");
        (await Server.TextAsync("clusters_list")).Should().Contain("active: eks:staging");
        await page.CloseAsync();
    }

    [Fact]
    public async Task NamesFromTheRegistry_RenderAsText()
    {
        const string hostile = "<img src=x onerror=\"document.body.dataset.pwned=1\"><script>document.body.dataset.pwned=2</script>";
        using var created = await Server.Http.PostAsJsonAsync("/api/plugins",
            new { type = "lambda", id = "lambda-hostile", displayName = hostile, enabled = false });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        try
        {
            var page = await OpenAsync();
            (await page.TextContentAsync("tr[data-instance='lambda-hostile'] td.display-name")).Should().Be(hostile);
            (await page.Locator("#instances img, #instances script").CountAsync()).Should().Be(0);
            (await page.GetAttributeAsync("body", "data-pwned")).Should().BeNull();
            await page.CloseAsync();
        }
        finally
        {
            (await Server.Http.DeleteAsync("/api/plugins/lambda-hostile")).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task PagePosts_FromAnotherOrigin_AreRefused()
    {
        // The page's own POSTs carry its origin and pass; another site's do not, token or not.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/plugins/lambda/disable");
        request.Headers.Add("Origin", "https://evil.example");
        (await Server.Http.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }
}
