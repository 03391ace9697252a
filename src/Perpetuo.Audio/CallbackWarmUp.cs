using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Perpetuo.Audio;

/// <summary>
/// Compiles every method of the types an audio callback runs before the first real callback, so that none of them
/// is JIT-compiled on the audio thread. Measured: the first callbacks through a real-time JACK server at a 256-frame
/// period ran over their deadline ("client = perpetuo was not finished, state = Running") while their code was
/// compiled on first call.
/// </summary>
/// <remarks>Control thread, before the output starts. Allocates (reflection); once per run.</remarks>
public static class CallbackWarmUp
{
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance
                                     | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>Prepares every non-generic, non-abstract method and constructor of each type (and its base types).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "The callback's types are rooted by the code that calls them.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "As above: a trimmed-away method is never called, so never needs compiling.")]
    public static int Prepare(params Type[] types)
    {
        ArgumentNullException.ThrowIfNull(types);
        int prepared = 0;
        foreach (Type type in types)
        {
            for (Type? t = type; t != null && t != typeof(object); t = t.BaseType)
            {
                foreach (MethodBase m in t.GetMethods(All).Cast<MethodBase>().Concat(t.GetConstructors(All)))
                {
                    if (m.IsAbstract || m.ContainsGenericParameters || m.DeclaringType!.ContainsGenericParameters)
                    {
                        continue;
                    }
                    try
                    {
                        RuntimeHelpers.PrepareMethod(m.MethodHandle, t.IsGenericType ? t.GetGenericArguments().Select(a => a.TypeHandle).ToArray() : null);
                        prepared++;
                    }
                    catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidOperationException)
                    {
                        // A method the runtime will not prepare ahead (e.g. a P/Invoke stub): it is compiled on first call.
                    }
                }
            }
        }
        return prepared;
    }
}
