using System.Runtime.InteropServices;

namespace Perpetuo.IntegrationTests;

/// <summary>Real signals, sent with kill(2).</summary>
internal static partial class Signals
{
    public const int SIGKILL = 9;
    public const int SIGSTOP = 19;
    public const int SIGCONT = 18;

    public static void Send(int pid, int signal) => kill(pid, signal);

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
