using System.Runtime.InteropServices;

namespace Perpetuo.Lv2.Native;

/// <summary>
/// A plugin's <c>LV2_State_Interface { save; restore; }</c> (lv2/state/state.h: two function pointers), from its
/// extension_data(state#interface), bound once to delegates. Both take (instance, host callback, host handle, flags,
/// features) and return an LV2_State_Status (0 success).
/// </summary>
internal sealed class StateInterface
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int StateFunction(IntPtr instance, IntPtr callback, IntPtr handle, uint flags, IntPtr features);

    private readonly StateFunction _save;
    private readonly StateFunction _restore;

    private StateInterface(StateFunction save, StateFunction restore) => (_save, _restore) = (save, restore);

    /// <summary>The interface at <paramref name="address"/>, or null when it is NULL or lacks either function.</summary>
    internal static StateInterface? At(IntPtr address)
    {
        if (address == IntPtr.Zero)
        {
            return null;
        }
        IntPtr save = Marshal.ReadIntPtr(address, 0);
        IntPtr restore = Marshal.ReadIntPtr(address, IntPtr.Size);
        return save == IntPtr.Zero || restore == IntPtr.Zero ? null : new StateInterface(
            Marshal.GetDelegateForFunctionPointer<StateFunction>(save), Marshal.GetDelegateForFunctionPointer<StateFunction>(restore));
    }

    internal int Save(IntPtr instance, IntPtr store, IntPtr handle, uint flags, IntPtr features) => _save(instance, store, handle, flags, features);

    internal int Restore(IntPtr instance, IntPtr retrieve, IntPtr handle, uint flags, IntPtr features) => _restore(instance, retrieve, handle, flags, features);
}
