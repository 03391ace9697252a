using System.Reflection;

namespace Perpetuo.Lv2.Native;

/// <summary>
/// The C-callable address of an <c>[UnmanagedCallersOnly]</c> static method, through RuntimeMethodHandle.GetFunctionPointer
/// (the same address <c>&amp;Method</c> gives in unsafe code; see Perpetuo.Audio's NativeCallback): no delegate to keep alive.
/// </summary>
internal static class FunctionPointers
{
    /// <summary>The address of the non-public static method <paramref name="name"/> of <paramref name="type"/>.</summary>
    internal static IntPtr Of(Type type, string name)
    {
        MethodInfo method = type.GetMethod(name, BindingFlags.Static | BindingFlags.NonPublic)
            ?? throw new MissingMethodException(type.FullName, name);
        return method.MethodHandle.GetFunctionPointer();
    }
}
