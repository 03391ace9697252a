namespace Perpetuo.Audio.Native;

/// <summary>
/// Points file descriptor 2 at /dev/null until disposed, so native libraries that print to stderr during probing
/// (ALSA's ~85 "cannot find card '0'" lines inside Pa_Initialize, libjack's "Cannot connect to server socket")
/// stay out of the user's terminal.
/// </summary>
/// <remarks>
/// Design: dup(2) keeps the real stderr, dup2(/dev/null, 2) hides it, dup2(saved, 2) restores it. This is
/// process-wide: anything another thread writes to stderr in the window is lost too, so hold it only around one
/// short native call. Control thread only. Does nothing where fds are not POSIX (Windows).
/// </remarks>
internal readonly struct StderrSilencer : IDisposable
{
    private const int StderrFd = 2;
    [ThreadStatic]
    private static int t_depth;

    private readonly int _saved;

    private StderrSilencer(int saved) => _saved = saved;

    /// <summary>
    /// True while this thread holds a silencer. Managed writers must check it: .NET's Console.Error writes to its
    /// own dup of fd 2, which dup2 does not redirect (so <see cref="Jack.JackLog"/> drops messages instead).
    /// </summary>
    public static bool IsActiveOnThisThread => t_depth > 0;

    /// <summary>Hides stderr until <see cref="Dispose"/>. Control thread only.</summary>
    public static StderrSilencer Begin()
    {
        t_depth++;
        if (OperatingSystem.IsWindows())
        {
            return new StderrSilencer(-1);
        }

        Console.Error.Flush();
        int saved = LibC.Dup(StderrFd);
        int devNull = LibC.Open("/dev/null", LibC.OWronly);
        if (saved < 0 || devNull < 0)
        {
            if (devNull >= 0)
            {
                LibC.Close(devNull);
            }

            if (saved >= 0)
            {
                LibC.Close(saved);
            }

            return new StderrSilencer(-1);
        }

        LibC.Dup2(devNull, StderrFd);
        LibC.Close(devNull);
        return new StderrSilencer(saved);
    }

    /// <summary>Restores the real stderr.</summary>
    public void Dispose()
    {
        t_depth--;
        if (_saved < 0)
        {
            return;
        }

        LibC.Dup2(_saved, StderrFd);
        LibC.Close(_saved);
    }
}
