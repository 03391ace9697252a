using System.CommandLine;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Perpetuo.Control.Catalog;
using Perpetuo.Control.Patches;
using Perpetuo.Supervisor.Osc;
using Perpetuo.Web;

namespace Perpetuo.Cli;

/// <summary>
/// `web`: the control surface in a browser, in a process of its own (a web server allocates; the audio process must
/// not collect garbage). An OSC client of a running engine like `top`, whatever the number of pages.
/// </summary>
internal static class WebCommand
{
    private const string Description = """
        the engine in a browser: chain, controls, meters, slots, events, patches

        Serves a page for a running `perpetuo play` (a laptop, tablet or phone): the chain with each module's
        controls, adding a module (built-in or plugin) and removing one, the output's peak meters, the worker slots
        (heard, standby, rebuilding) and each module's health, an events timeline (failovers, respawns,
        quarantines, underruns), and loading or saving patches in --patch-dir. It talks to the engine over its OSC
        control port only (--osc), one request at a time, whatever the number of pages. Listens on 127.0.0.1:8080
        by default; any other address requires the token it prints. `play --web ADDR` starts it for you.

        Examples:
          perpetuo web
          perpetuo web --listen 0.0.0.0:8080 --patch-dir ~/patches     (then open the printed address on a tablet)
        """;

    private static readonly Option<string> ListenOption = CliOptions.Text("--listen", "HOST:PORT", "127.0.0.1:8080",
        "where the page is served (port 0: any free port); any address but loopback requires the printed token");
    private static readonly Option<string> OscOption = CliOptions.Osc();
    private static readonly Option<string?> PatchDirOption = CliOptions.Text("--patch-dir", "DIR",
        "the directory pages load patches from and save the running session into (play's --patch-dir)");
    private static readonly Option<bool> PluginsOption = CliOptions.Flag("--plugins", "offer the installed LV2 plugins in the page's list (read at start, about a second)");
    private static readonly Option<bool> FaultsOption = CliOptions.Flag("--allow-fault-injection", "offer the test-only fault module (for an engine started with it)");
    private static readonly Option<int> ParentOption = new("--exit-with-parent") { Hidden = true, Description = "exit when this process is no longer our parent (play --web)" };

    /// <summary>The `web` verb: its options, help and action.</summary>
    public static Command Create()
    {
        var command = new Command("web", Description) { ListenOption, OscOption, PatchDirOption, PluginsOption, FaultsOption, ParentOption };
        command.SetAction(Run);
        return command;
    }

    private static int Run(ParseResult a)
    {
        IPEndPoint listen = Endpoint("--listen", a.GetValue(ListenOption)!, allowPortZero: true);
        IPEndPoint engine = Endpoint("--osc", a.GetValue(OscOption)!, allowPortZero: false);
        string? patchDir = a.GetValue(PatchDirOption);
        int parent = a.GetValue(ParentOption);
        Transport.LibC.TrySetNice(10); // never take the CPU from the engine's workers
        PatchDirectory? patches;
        try
        {
            patches = patchDir == null ? null : new PatchDirectory(patchDir);
        }
        catch (PatchException e)
        {
            throw new CliException($"web: {e.Message}", e);
        }
        WebCatalog catalog = Catalog(a.GetValue(FaultsOption), a.GetValue(PluginsOption));
        string? token = IPAddress.IsLoopback(listen.Address) ? null : WebAccess.NewToken();
        WebServer server;
        try
        {
            server = WebServer.StartAsync(new WebOptions(listen, engine, patches, catalog, token)).GetAwaiter().GetResult();
        }
        catch (IOException e)
        {
            throw new CliException($"web: cannot listen on {listen}: {e.Message} (choose another with --listen HOST:PORT)", e);
        }
        try
        {
            PrintAddresses(server, listen, engine);
            WaitForStop(parent);
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return 0;
    }

    private static IPEndPoint Endpoint(string option, string text, bool allowPortZero)
    {
        try
        {
            return OscEndpoint.Parse(text, allowPortZero);
        }
        catch (FormatException e)
        {
            throw new CliException($"web: {option} {e.Message}", e);
        }
    }

    /// <summary>The built-in types (with the test-only ones when asked), then every installed plugin, hostable or not.</summary>
    private static WebCatalog Catalog(bool faults, bool plugins)
    {
        var entries = DspBridge.CatalogFor(faults).Types
            .Select(t => new CatalogEntry(t.Type, t.Type, t.Description, Plugin: false, Refusal: null, t.Params)).ToList();
        if (plugins)
        {
            entries.AddRange(Lv2PluginTypes.DescribeAll().Select(p => new CatalogEntry(p.Type, p.Name.Length > 0 ? p.Name : p.Type, p.Type, Plugin: true,
                                                                      p.Info == null ? p.Refusal : null, p.Info?.Params ?? [])));
        }
        return new WebCatalog(entries);
    }

    /// <summary>One line a person (and a test) reads: where to open the page, and with what token.</summary>
    private static void PrintAddresses(WebServer server, IPEndPoint listen, IPEndPoint engine)
    {
        Console.WriteLine($"perpetuo web: open {server.PageAddress} (engine {engine})");
        if (listen.Address.Equals(IPAddress.Any) || listen.Address.Equals(IPAddress.IPv6Any))
        {
            foreach (IPAddress address in MachineAddresses(listen.AddressFamily))
            {
                var other = new UriBuilder(server.PageAddress) { Host = address.ToString() };
                Console.WriteLine($"perpetuo web: or, from another device: {other.Uri}");
            }
        }
        Console.Out.Flush();
    }

    private static IEnumerable<IPAddress> MachineAddresses(AddressFamily family) =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .Where(ip => ip.AddressFamily == family && !IPAddress.IsLoopback(ip) && !ip.IsIPv6LinkLocal);

    /// <summary>Until Ctrl+C, SIGTERM, or (<paramref name="parent"/> > 0) that process stops being our parent.</summary>
    private static void WaitForStop(int parent)
    {
        using var stop = new ManualResetEventSlim(false);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Set();
        };
        Console.CancelKeyPress += onCancel;
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            stop.Set();
        });
        while (!stop.Wait(TimeSpan.FromMilliseconds(500)))
        {
            if (parent > 0 && Transport.LibC.ParentProcessId() != parent)
            {
                break; // play is gone (even by SIGKILL): so is its page
            }
        }
        Console.CancelKeyPress -= onCancel;
    }
}
