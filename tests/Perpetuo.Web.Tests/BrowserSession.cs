using System.Diagnostics;
using System.Text.Json;

namespace Perpetuo.Web.Tests;

/// <summary>
/// A headless chromium on one page of perpetuo web, driven by browser/driver.mjs (playwright-core): one JSON command
/// a line on its standard input, one JSON answer a line on its standard output.
/// </summary>
internal sealed class BrowserSession : IDisposable
{
    private readonly Process _node;
    private readonly List<string> _stderr = [];

    private BrowserSession(Process node)
    {
        _node = node;
        node.ErrorDataReceived += (_, e) => { if (e.Data != null) { lock (_stderr) { _stderr.Add(e.Data); } } };
        node.BeginErrorReadLine();
        JsonElement ready = ReadAnswer(TimeSpan.FromSeconds(60));
        Assert.True(ready.GetProperty("ok").GetBoolean(), ready.GetRawText());
    }

    /// <summary>The driver's directory: tests/Perpetuo.Web.Tests/browser in the source tree.</summary>
    public static string Directory { get; } = FindDirectory();

    /// <summary>Why a browser test cannot run here, or null.</summary>
    public static string? Missing { get; } =
        !IntegrationTests.Tools.Has("node") ? "node is not installed (apt-get install nodejs npm)"
        : !File.Exists(Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium") ? "chromium is not installed (apt-get install chromium; .ci/run does)"
        : !System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "playwright-core")) ? $"playwright-core is not installed (cd {Directory} && npm ci; .ci/run does)"
        : null;

    public static BrowserSession Start(Uri page)
    {
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = Directory, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        psi.ArgumentList.Add("driver.mjs");
        psi.ArgumentList.Add(page.ToString());
        return new BrowserSession(Process.Start(psi)!);
    }

    /// <summary>Sends a command and returns its answer, failing the test when the driver says it failed.</summary>
    public JsonElement Do(object command, int timeoutSeconds = 60)
    {
        Send(command);
        return Answer(timeoutSeconds);
    }

    /// <summary>Sends a command without waiting for its answer (see <see cref="Answer"/>).</summary>
    public void Send(object command)
    {
        _node.StandardInput.WriteLine(JsonSerializer.Serialize(command));
        _node.StandardInput.Flush();
    }

    /// <summary>The next answer, failing the test when it says the command failed.</summary>
    public JsonElement Answer(int timeoutSeconds = 60)
    {
        JsonElement a = ReadAnswer(TimeSpan.FromSeconds(timeoutSeconds));
        Assert.True(a.GetProperty("ok").GetBoolean(), $"{a.GetRawText()}\n{string.Join('\n', Stderr())}");
        Assert.True(a.GetProperty("errors").GetArrayLength() == 0, $"the page logged errors: {a.GetProperty("errors").GetRawText()}");
        return a;
    }

    public void Dispose()
    {
        try
        {
            _node.StandardInput.WriteLine("""{"cmd":"quit"}""");
            _node.StandardInput.Close();
            if (!_node.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                _node.Kill(entireProcessTree: true);
            }
        }
        catch (IOException)
        {
            // it is gone already
        }
        _node.Dispose();
    }

    private List<string> Stderr()
    {
        lock (_stderr)
        {
            return [.. _stderr];
        }
    }

    private JsonElement ReadAnswer(TimeSpan timeout)
    {
        Task<string?> line = _node.StandardOutput.ReadLineAsync();
        Assert.True(line.Wait(timeout), $"the browser driver did not answer within {timeout}; stderr:\n{string.Join('\n', Stderr())}");
        Assert.True(line.Result != null, $"the browser driver exited; stderr:\n{string.Join('\n', Stderr())}");
        return JsonDocument.Parse(line.Result!).RootElement.Clone();
    }

    private static string FindDirectory()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "tests", "Perpetuo.Web.Tests", "browser");
            if (File.Exists(Path.Combine(candidate, "driver.mjs")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("tests/Perpetuo.Web.Tests/browser not found above " + AppContext.BaseDirectory);
    }
}
