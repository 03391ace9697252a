using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Perpetuo.Audio.Native;

namespace Perpetuo.Audio.Jack;

/// <summary>
/// Routes libjack's process-wide error and info messages. Errors raised while a thread is probing
/// (<see cref="Capture"/>) are collected for the exception message instead of printed; other errors go to stderr
/// prefixed with "jack: "; info chatter is dropped.
/// </summary>
/// <remarks>
/// libjack calls the error function synchronously on the thread that failed, so a [ThreadStatic] sink sees exactly
/// the messages of its own jack_client_open. Messages libjack raises on its own threads are rare (and already an
/// error path), so formatting them there is acceptable.
/// </remarks>
internal static class JackLog
{
    private static readonly Lock InstallLock = new();
    private static bool s_installed;

    [ThreadStatic]
    private static StringBuilder? t_sink;

    /// <summary>
    /// Installs the handlers. Throws <see cref="DllNotFoundException"/> without libjack. Control thread only.
    /// </summary>
    /// <remarks>
    /// Called before every jack_client_open, not once: the error function is process-wide and PortAudio's JACK host
    /// API (pa_jack.c) installs its own in Pa_Initialize, which would otherwise keep receiving libjack's messages
    /// after Pa_Terminate. See <see cref="ReinstallIfLoaded"/>.
    /// </remarks>
    public static void Install()
    {
        lock (InstallLock)
        {
            JackNative.SetErrorFunction(NativeCallback.Of(typeof(JackLog), nameof(OnError)));
            JackNative.SetInfoFunction(NativeCallback.Of(typeof(JackLog), nameof(OnInfo)));
            s_installed = true;
        }
    }

    /// <summary>Puts the handlers back if libjack was ever used here (after Pa_Terminate). Control thread only.</summary>
    public static void ReinstallIfLoaded()
    {
        if (Volatile.Read(ref s_installed))
        {
            Install();
        }
    }

    /// <summary>Collects this thread's libjack errors until <see cref="EndCapture"/>. Control thread only.</summary>
    public static void Capture() => t_sink = new StringBuilder();

    /// <summary>Stops collecting and returns the collected errors joined by "; ". Control thread only.</summary>
    public static string EndCapture()
    {
        string text = t_sink?.ToString() ?? string.Empty;
        t_sink = null;
        return text;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnError(IntPtr message)
    {
        string text = Marshal.PtrToStringUTF8(message) ?? string.Empty;
        StringBuilder? sink = t_sink;
        if (StderrSilencer.IsActiveOnThisThread)
        {
            return;
        }

        if (sink is null)
        {
            Console.Error.WriteLine("jack: " + text);
        }
        else
        {
            sink.Append(sink.Length == 0 ? string.Empty : "; ").Append(text);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnInfo(IntPtr message)
    {
        // Dropped: libjack's info lines ("Jack: ...") are chatter for a client.
    }
}
