using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Perpetuo.Audio.Native;

/// <summary>Native entry points of managed callbacks, without <c>unsafe</c>.</summary>
internal static class NativeCallback
{
    /// <summary>
    /// The C-callable address of the private static <c>[UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]</c>
    /// method <paramref name="name"/> of <paramref name="type"/>. Control thread only.
    /// </summary>
    /// <remarks>
    /// For an UnmanagedCallersOnly method, RuntimeMethodHandle.GetFunctionPointer returns the reverse-P/Invoke entry
    /// (the same address <c>&amp;Method</c> gives in unsafe code): checked by calling it from libjack's process
    /// thread and from PortAudio's callback thread in the tests. No delegate has to be kept alive.
    /// </remarks>
    public static IntPtr Of([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.NonPublicMethods)] Type type, string name)
    {
        MethodInfo method = type.GetMethod(name, BindingFlags.Static | BindingFlags.NonPublic)
            ?? throw new MissingMethodException(type.FullName, name);
        return method.MethodHandle.GetFunctionPointer();
    }
}
