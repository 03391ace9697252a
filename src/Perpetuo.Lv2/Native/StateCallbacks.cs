using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Perpetuo.Lv2.Native;

/// <summary>
/// The C entry points of LV2 State: the store and retrieve functions a plugin's save() and restore() call (their
/// handle a GCHandle of an <see cref="Lv2StateProperties"/>), and the state:mapPath and state:freePath features
/// (paths are kept as they are: a state in a patch names its files by absolute path).
/// </summary>
/// <remarks>
/// <c>LV2_State_Status store(LV2_State_Handle, uint32_t key, const void* value, size_t size, uint32_t type, uint32_t flags)</c>;
/// <c>const void* retrieve(LV2_State_Handle, uint32_t key, size_t* size, uint32_t* type, uint32_t* flags)</c>;
/// <c>char* abstract_path(handle, const char*)</c> and <c>char* absolute_path(handle, const char*)</c>, both malloc'd
/// (CoTaskMem is malloc on Unix, so a plugin that frees with free() may); <c>void free_path(handle, char*)</c>.
/// UnmanagedCallersOnly, addressed as <see cref="UridCallbacks"/> are; nothing may unwind into the plugin.
/// </remarks>
internal static class StateCallbacks
{
    internal static IntPtr StoreFunction { get; } = Of(nameof(Store));

    internal static IntPtr RetrieveFunction { get; } = Of(nameof(Retrieve));

    internal static IntPtr AbstractPathFunction { get; } = Of(nameof(SamePath));

    internal static IntPtr AbsolutePathFunction { get; } = Of(nameof(SamePath));

    internal static IntPtr FreePathFunction { get; } = Of(nameof(FreePath));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Store(IntPtr handle, uint key, IntPtr value, nuint size, uint type, uint flags)
    {
        try
        {
            return GCHandle.FromIntPtr(handle).Target is Lv2StateProperties p ? p.Store(key, value, size, type, flags) : 1;
        }
#pragma warning disable CA1031 // nothing may unwind into the plugin's C frames: LV2_STATE_ERR_UNKNOWN
        catch (Exception)
#pragma warning restore CA1031
        {
            return 1;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static IntPtr Retrieve(IntPtr handle, uint key, IntPtr size, IntPtr type, IntPtr flags)
    {
        try
        {
            return GCHandle.FromIntPtr(handle).Target is Lv2StateProperties p ? p.Retrieve(key, size, type, flags) : IntPtr.Zero;
        }
#pragma warning disable CA1031 // as above: NULL is "no such property"
        catch (Exception)
#pragma warning restore CA1031
        {
            return IntPtr.Zero;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static IntPtr SamePath(IntPtr handle, IntPtr path)
    {
        try
        {
            return path == IntPtr.Zero ? IntPtr.Zero : Marshal.StringToCoTaskMemUTF8(Marshal.PtrToStringUTF8(path));
        }
#pragma warning disable CA1031 // as above
        catch (Exception)
#pragma warning restore CA1031
        {
            return IntPtr.Zero;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void FreePath(IntPtr handle, IntPtr path) => Marshal.FreeCoTaskMem(path);

    private static IntPtr Of(string name) => FunctionPointers.Of(typeof(StateCallbacks), name);
}
