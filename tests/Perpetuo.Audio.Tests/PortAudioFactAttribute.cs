using System.Runtime.InteropServices;

namespace Perpetuo.Audio.Tests;

/// <summary>A fact that needs libportaudio.so.2: skipped when it is missing, unless CI=true (then it runs and fails).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PortAudioFactAttribute : FactAttribute
{
    public PortAudioFactAttribute()
    {
        if (Missing is { } why && !JackTools.IsCi)
        {
            Skip = why;
        }
    }

    internal static string? Missing { get; } = FindMissing();

    private static string? FindMissing()
    {
        if (!NativeLibrary.TryLoad("libportaudio.so.2", out IntPtr handle))
        {
            return "libportaudio.so.2 not installed (Debian: apt-get install libportaudio2). (With CI=true this test fails instead of skipping.)";
        }

        NativeLibrary.Free(handle);
        return null;
    }
}

/// <summary>A fact that needs libportaudio.so.2 and the JACK tools.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PortAudioJackFactAttribute : FactAttribute
{
    public PortAudioJackFactAttribute()
    {
        if ((PortAudioFactAttribute.Missing ?? JackTools.Missing) is { } why && !JackTools.IsCi)
        {
            Skip = why;
        }
    }
}
