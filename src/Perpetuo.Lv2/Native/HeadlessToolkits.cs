using System.Runtime.InteropServices;

namespace Perpetuo.Lv2.Native;

/// <summary>
/// Keeps plugins whose DSP is built on a GUI toolkit from needing a display: synthv1 (Qt) creates a QApplication in
/// its instantiate, and on a machine with no X server Qt aborts the whole process ("could not connect to display").
/// Qt's "offscreen" platform needs none. Set once per process, before the first plugin is loaded, and only when the
/// user has not chosen a platform: where the native library reads it (getenv), not .NET's copy of the environment.
/// </summary>
internal static class HeadlessToolkits
{
    private const string QtPlatform = "QT_QPA_PLATFORM";
    private static int s_done;

    /// <summary>Sets QT_QPA_PLATFORM=offscreen unless it is set. Call before the first plugin is instantiated.</summary>
    internal static void Prepare()
    {
        if (Interlocked.Exchange(ref s_done, 1) == 0 && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(QtPlatform)))
        {
            _ = SetEnv(QtPlatform, "offscreen", 0);
            Environment.SetEnvironmentVariable(QtPlatform, "offscreen"); // and for the child processes this one starts
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
