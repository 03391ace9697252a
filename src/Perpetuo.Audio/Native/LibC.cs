using System.Runtime.InteropServices;

namespace Perpetuo.Audio.Native;

/// <summary>The few libc calls the backends need (file descriptors for <see cref="StderrSilencer"/>).</summary>
internal static class LibC
{
    internal const int OWronly = 1;

    [DllImport("libc", EntryPoint = "dup", SetLastError = true)]
    internal static extern int Dup(int fd);

    [DllImport("libc", EntryPoint = "dup2", SetLastError = true)]
    internal static extern int Dup2(int oldFd, int newFd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    internal static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
}
