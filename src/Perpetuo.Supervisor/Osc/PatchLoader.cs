using System.Net;
using Perpetuo.Control.Catalog;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Patches;

namespace Perpetuo.Supervisor.Osc;

/// <summary>
/// Loads one patch named by `/perpetuo/patch/load` on a pool thread: the file is resolved in the patch directory,
/// read (bounded in size, regular files only), parsed and validated against the catalog there, never on the control
/// thread, which only starts a load and, on a later tick, takes its result. One load at a time.
/// </summary>
/// <remarks>
/// Why off the control thread: reading and parsing a patch of the largest size takes milliseconds, longer than a
/// block at live latencies, and a file system can stall. Why the reply says so little: the sender is anyone who
/// can reach the port, and nothing read from a file is ever echoed to the network; the detailed reason goes to the
/// engine's own log (<c>log</c>). Control thread only, except the load itself.
/// </remarks>
internal sealed class PatchLoader(PatchDirectory? directory, ModuleCatalog catalog, TextWriter? log)
{
    private Task<Result>? _loading;

    /// <summary>True while a load is under way.</summary>
    public bool Busy => _loading != null;

    /// <summary>The request being loaded: its reply address and sender.</summary>
    public ControlRequest? Request { get; private set; }

    /// <summary>Who asked (a copy: the server's receive address is reused for every datagram).</summary>
    public SocketAddress? ReplyTo { get; private set; }

    /// <summary>Starts loading; false with a reason when loading is off or another load is under way.</summary>
    public bool TryStart(ControlRequest request, SocketAddress replyTo, out string error)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(replyTo);
        error = "";
        if (directory == null)
        {
            error = "loading patches over OSC is off: start play with --patch-dir DIR to allow the .json files in DIR";
            return false;
        }
        if (_loading != null)
        {
            error = "another patch is loading; try again when it is done";
            return false;
        }
        Request = request;
        ReplyTo = new SocketAddress(replyTo.Family, replyTo.Size);
        replyTo.Buffer.Span[..replyTo.Size].CopyTo(ReplyTo.Buffer.Span);
        string name = request.PatchName;
        _loading = Task.Run(() => Load(name));
        return true;
    }

    /// <summary>The finished load's commands (clear, then the patch) or its error; false while still loading.</summary>
    public bool TryTake(out IReadOnlyList<ControlCommand>? commands, out string error)
    {
        commands = null;
        error = "";
        if (_loading is not { IsCompleted: true } done)
        {
            return false;
        }
        _loading = null;
        Result r = done.IsCompletedSuccessfully ? done.Result : new Result(null, Refused(Request!.PatchName));
        (commands, error) = (r.Commands, r.Error ?? "");
        return true;
    }

    private Result Load(string name)
    {
        string? path = directory!.Resolve(name, out string error);
        if (path == null)
        {
            return new Result(null, $"patch not loaded, nothing changed: {error}");
        }
        try
        {
            PatchSpec patch = PatchFile.Load(path);
            catalog.WaitForPlugins(patch.Modules.Select(m => m.Type)); // this is a pool thread: it may wait for the plugin list
            patch = PatchPresets.Resolve(patch, catalog, name);
            if (patch.Modules.FirstOrDefault(m => m.State != null) is { } stateful)
            {
                // Commands carry parameters, not a plugin's saved state: only the patch play starts with reaches the workers whole.
                throw new PatchException($"{name}: module \"{stateful.Id}\" has a \"state\": a plugin's saved state is loaded only from the patch play starts with");
            }
            return new Result(GraphModel.PatchCommands(patch, clearFirst: true), null);
        }
        catch (Exception e) when (e is PatchException or IOException or UnauthorizedAccessException or OutOfMemoryException)
        {
            log?.WriteLine($"perpetuo: patch/load {name}: {e.Message}");
            return new Result(null, Refused(name));
        }
    }

    private static string Refused(string name) =>
        $"patch \"{name}\" not loaded, nothing changed: it could not be read as a valid patch (the engine's log says why)";

    private sealed record Result(IReadOnlyList<ControlCommand>? Commands, string? Error);
}
