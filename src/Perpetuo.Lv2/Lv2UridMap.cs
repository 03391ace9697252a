using System.Runtime.InteropServices;

namespace Perpetuo.Lv2;

/// <summary>
/// The host's URI ↔ URID map (the urid:map and urid:unmap features): ids from 1, in order of first request.
/// </summary>
/// <remarks>
/// Design: deterministic on purpose, a plain list and a dictionary, never a hash of the URI or an id from a
/// process-wide counter. Two worker replicas that instantiate the same plugins in the same order ask for the same
/// URIs in the same order, so they hand out the same ids; a plugin that keys its state or output on an id (an atom
/// type in a buffer, a table index) then produces the same bits in both, which is what lets the supervisor switch
/// between them. The host maps its own URIs first, in a fixed order (<see cref="Lv2Catalog"/>).
/// Thread-safe (a lock): plugins map in instantiate on the control thread, but the LV2 spec lets them call map
/// from any thread. Mapping a URI allocates (the string), so a plugin that maps in run is not allocation-free.
/// The unmap strings live in unmanaged memory until <see cref="Dispose"/>, because LV2 lets plugins keep them.
/// </remarks>
public sealed class Lv2UridMap : IDisposable
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, uint> ids = new(StringComparer.Ordinal);
    private readonly List<string> uris = [];
    private readonly List<IntPtr> utf8 = [];
    private bool disposed;

    /// <summary>How many URIs are mapped (the largest id).</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return uris.Count;
            }
        }
    }

    /// <summary>The id of <paramref name="uri"/>, a new one (Count + 1) the first time. Any thread.</summary>
    public uint Map(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (ids.TryGetValue(uri, out uint id))
            {
                return id;
            }
            uris.Add(uri);
            utf8.Add(Marshal.StringToCoTaskMemUTF8(uri));
            id = (uint)uris.Count;
            ids.Add(uri, id);
            return id;
        }
    }

    /// <summary>The URI of <paramref name="id"/>, or null when it was never handed out. Any thread.</summary>
    public string? Unmap(uint id)
    {
        lock (gate)
        {
            return id >= 1 && id <= uris.Count ? uris[(int)id - 1] : null;
        }
    }

    /// <summary>The NUL-terminated UTF-8 copy of <paramref name="id"/>'s URI (valid until Dispose), or NULL.</summary>
    internal IntPtr UnmapUtf8(uint id)
    {
        lock (gate)
        {
            return !disposed && id >= 1 && id <= utf8.Count ? utf8[(int)id - 1] : IntPtr.Zero;
        }
    }

    /// <summary>Frees the unmap strings. Only after every instance that was given this map is freed.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }
            disposed = true;
            foreach (IntPtr p in utf8)
            {
                Marshal.FreeCoTaskMem(p);
            }
            utf8.Clear();
        }
    }
}
