using System.Runtime.InteropServices;

namespace Perpetuo.Lv2.Native;

/// <summary>
/// The four LV2_Descriptor functions a host calls per instance, bound once (at instantiation) to delegates, so that
/// a block's run is one delegate call with blittable arguments: no marshalling allocation.
/// </summary>
/// <remarks>
/// Layouts, from lilv.h and lv2/core/lv2.h (pointer-sized fields, no padding on LP64 or ILP32):
/// <c>struct LilvInstanceImpl { const LV2_Descriptor* lv2_descriptor; LV2_Handle lv2_handle; void* pimpl; }</c>;
/// <c>struct LV2_Descriptor { const char* URI; instantiate; connect_port; activate; run; deactivate; cleanup;
/// extension_data; }</c>. activate, deactivate and extension_data may be NULL (lilv's inline wrappers check the same).
/// </remarks>
internal sealed class Lv2Descriptor
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void ConnectPortFunction(IntPtr handle, uint port, IntPtr data);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void HandleFunction(IntPtr handle);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void RunFunction(IntPtr handle, uint sampleCount);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate IntPtr ExtensionDataFunction([MarshalAs(UnmanagedType.LPUTF8Str)] string uri);

    private const int ConnectPortSlot = 2;
    private const int ActivateSlot = 3;
    private const int RunSlot = 4;
    private const int DeactivateSlot = 5;
    private const int ExtensionDataSlot = 7;

    private readonly ConnectPortFunction connectPort;
    private readonly HandleFunction? activate;
    private readonly RunFunction run;
    private readonly HandleFunction? deactivate;
    private readonly ExtensionDataFunction? extensionData;

    /// <summary>Reads the descriptor of a live LilvInstance. Control thread only.</summary>
    internal Lv2Descriptor(IntPtr instance)
    {
        IntPtr descriptor = Marshal.ReadIntPtr(instance, 0);
        Handle = Marshal.ReadIntPtr(instance, IntPtr.Size);
        connectPort = Marshal.GetDelegateForFunctionPointer<ConnectPortFunction>(Slot(descriptor, ConnectPortSlot));
        run = Marshal.GetDelegateForFunctionPointer<RunFunction>(Slot(descriptor, RunSlot));
        IntPtr a = Slot(descriptor, ActivateSlot);
        IntPtr d = Slot(descriptor, DeactivateSlot);
        activate = a == IntPtr.Zero ? null : Marshal.GetDelegateForFunctionPointer<HandleFunction>(a);
        deactivate = d == IntPtr.Zero ? null : Marshal.GetDelegateForFunctionPointer<HandleFunction>(d);
        IntPtr e = Slot(descriptor, ExtensionDataSlot);
        extensionData = e == IntPtr.Zero ? null : Marshal.GetDelegateForFunctionPointer<ExtensionDataFunction>(e);
    }

    /// <summary>The plugin's LV2_Handle.</summary>
    internal IntPtr Handle { get; }

    internal void ConnectPort(uint port, IntPtr data) => connectPort(Handle, port, data);

    internal void Activate() => activate?.Invoke(Handle);

    /// <remarks>Worker render thread only. Allocation-free.</remarks>
    internal void Run(uint frames) => run(Handle, frames);

    internal void Deactivate() => deactivate?.Invoke(Handle);

    /// <summary>extension_data(uri): the plugin's interface of that extension, or NULL. Control thread.</summary>
    internal IntPtr ExtensionData(string uri) => extensionData?.Invoke(uri) ?? IntPtr.Zero;

    private static IntPtr Slot(IntPtr descriptor, int slot) => Marshal.ReadIntPtr(descriptor, slot * IntPtr.Size);
}
