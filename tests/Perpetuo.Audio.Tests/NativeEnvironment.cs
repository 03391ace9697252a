using System.Runtime.InteropServices;

namespace Perpetuo.Audio.Tests;

/// <summary>
/// Sets environment variables where native libraries see them: on Unix, Environment.SetEnvironmentVariable only
/// changes .NET's copy, but libjack reads JACK_DEFAULT_SERVER with getenv.
/// </summary>
internal static partial class NativeEnvironment
{
    public static void Set(string name, string? value)
    {
        Environment.SetEnvironmentVariable(name, value);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        int rc = value is null ? UnsetEnv(name) : SetEnv(name, value, 1);
        Assert.Equal(0, rc);
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    [DllImport("libc", EntryPoint = "unsetenv")]
    private static extern int UnsetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
