using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Perpetuo.Lv2.Native;

/// <summary>
/// The C entry points of the urid:map and urid:unmap features:
/// <c>LV2_URID (*map)(LV2_URID_Map_Handle, const char* uri)</c> and
/// <c>const char* (*unmap)(LV2_URID_Unmap_Handle, LV2_URID)</c>, the handle being a GCHandle of an
/// <see cref="Lv2UridMap"/>.
/// </summary>
/// <remarks>
/// UnmanagedCallersOnly methods, addressed through RuntimeMethodHandle.GetFunctionPointer (the same address
/// <c>&amp;Method</c> gives in unsafe code; see Perpetuo.Audio's NativeCallback): no delegate to keep alive. An
/// exception must not cross into C, so each catches everything and returns 0 / NULL, which LV2 defines as failure.
/// </remarks>
internal static class UridCallbacks
{
    internal static IntPtr MapFunction { get; } = Of(nameof(Map));

    internal static IntPtr UnmapFunction { get; } = Of(nameof(Unmap));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static uint Map(IntPtr handle, IntPtr uri)
    {
        try
        {
            return uri == IntPtr.Zero || GCHandle.FromIntPtr(handle).Target is not Lv2UridMap map
                ? 0u
                : map.Map(Marshal.PtrToStringUTF8(uri) ?? string.Empty);
        }
#pragma warning disable CA1031 // nothing may unwind into the plugin's C frames; 0 is LV2's "cannot map"
        catch (Exception)
#pragma warning restore CA1031
        {
            return 0;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static IntPtr Unmap(IntPtr handle, uint urid)
    {
        try
        {
            return GCHandle.FromIntPtr(handle).Target is Lv2UridMap map ? map.UnmapUtf8(urid) : IntPtr.Zero;
        }
#pragma warning disable CA1031 // as above: NULL is LV2's "unknown id"
        catch (Exception)
#pragma warning restore CA1031
        {
            return IntPtr.Zero;
        }
    }

    private static IntPtr Of(string name) => FunctionPointers.Of(typeof(UridCallbacks), name);
}
