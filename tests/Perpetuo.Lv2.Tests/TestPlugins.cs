using System.Diagnostics;
using System.Security.Cryptography;

namespace Perpetuo.Lv2.Tests;

/// <summary>
/// Perpetuo's own native test plugins (tests/native/perpetuo-test.lv2: C, built here with gcc and lv2-dev's headers):
/// a plugin that faults in run() when told to (SIGSEGV, abort, exit, division by zero, stack overflow, busy loop,
/// blocking forever, NaN), one that crashes and one that hangs when instantiated, one that prints garbage, one that reads memory it never wrote (test.c); an
/// instrument that says what MIDI it read and one that writes garbage into its atom output (atoms.c); one whose gain
/// is set by its worker's responses, with the work's time and the request's size chosen (worker.c); one that asks the
/// C library's time() (clock.c); one with state of its own, a default state and presets (state.c). Built
/// once per source version into a directory of its own under the temp directory; <see cref="Lv2Path"/> puts it
/// before the system's plugins.
/// </summary>
public static class TestPlugins
{
    public const string Fault = "urn:perpetuo:test:fault";
    public const string CrashOnInstantiate = "urn:perpetuo:test:crash-on-instantiate";
    public const string HangOnInstantiate = "urn:perpetuo:test:hang-on-instantiate";
    public const string Noisy = "urn:perpetuo:test:noisy";
    public const string Uninitialized = "urn:perpetuo:test:uninitialized";
    public const string GateSynth = "urn:perpetuo:test:gate-synth";
    public const string AtomGarbage = "urn:perpetuo:test:atom-garbage";
    public const string Worker = "urn:perpetuo:test:worker";
    public const string Clock = "urn:perpetuo:test:clock";
    public const string State = "urn:perpetuo:test:state";
    public const string HugeAtomPort = "urn:perpetuo:test:huge-atom-port"; // data only: asks one byte more than Limits.PluginAtomPortMaxBytes

    /// <summary>The fault plugin's `mode` values (test.c's enum fault).</summary>
    public enum Mode
    {
        None = 0,
        Segv = 1,
        Abort = 2,
        Exit = 3,
        DivideByZero = 4,
        StackOverflow = 5,
        BusyLoop = 6,
        BlockForever = 7,
        Nan = 8,
    }

    private static readonly Lazy<string> Built = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The directory holding the built bundle (an LV2_PATH entry).</summary>
    public static string Directory => Built.Value;

    /// <summary>The bundle directory itself (for <see cref="Lv2Catalog.Load"/>'s bundles).</summary>
    public static string Bundle => Path.Combine(Directory, "perpetuo-test.lv2");

    /// <summary>LV2_PATH with the test bundle first, then the system's plugins.</summary>
    public static string Lv2Path => $"{Directory}:/usr/lib/lv2";

    private static readonly Lazy<string> SwhAndMda = new(LinkSwhAndMda, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// LV2_PATH with the test bundle and only the swh and mda packs (links to their bundles): a check of every plugin
    /// there takes about a minute, where every pack CI installs takes several.
    /// </summary>
    public static string SwhAndMdaLv2Path => $"{Directory}:{SwhAndMda.Value}";

    private static string LinkSwhAndMda()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"perpetuo-swh-mda-{Environment.ProcessId}");
        System.IO.Directory.CreateDirectory(dir);
        foreach (string bundle in System.IO.Directory.EnumerateDirectories("/usr/lib/lv2")
                     .Where(b => b.EndsWith("-swh.lv2", StringComparison.Ordinal) || b.EndsWith("/mda.lv2", StringComparison.Ordinal)
                                 || Path.GetFileName(b) is "core.lv2" or "atom.lv2" or "midi.lv2" or "urid.lv2" or "units.lv2" or "presets.lv2"))
        {
            string link = Path.Combine(dir, Path.GetFileName(bundle));
            if (!Path.Exists(link))
            {
                File.CreateSymbolicLink(link, bundle);
            }
        }
        return dir;
    }

    private static string Build()
    {
        string source = Path.Combine(RepositoryRoot(), "tests", "native", "perpetuo-test.lv2");
        string[] sources = ["test.c", "atoms.c", "worker.c", "clock.c", "state.c"];
        string[] files = [.. sources, "manifest.ttl", "test.ttl", "atoms.ttl", "worker.ttl", "clock.ttl", "state.ttl"];
        byte[] all = [.. files.SelectMany(f => File.ReadAllBytes(Path.Combine(source, f)))];
        string version = Convert.ToHexString(SHA256.HashData(all))[..16];
        string dir = Path.Combine(Path.GetTempPath(), $"perpetuo-test-lv2-{version}");
        if (File.Exists(Path.Combine(dir, "perpetuo-test.lv2", "test.so")))
        {
            return dir;
        }
        string staging = $"{dir}.{Environment.ProcessId}";
        string bundle = Path.Combine(staging, "perpetuo-test.lv2");
        System.IO.Directory.CreateDirectory(bundle);
        foreach (string f in files.Where(f => f.EndsWith(".ttl", StringComparison.Ordinal)))
        {
            File.Copy(Path.Combine(source, f), Path.Combine(bundle, f), overwrite: true);
        }
        foreach (string c in sources)
        {
            Compile(Path.Combine(source, c), Path.Combine(bundle, Path.ChangeExtension(c, ".so")));
        }
        try
        {
            System.IO.Directory.Move(staging, dir);
        }
        catch (IOException) when (System.IO.Directory.Exists(dir))
        {
            System.IO.Directory.Delete(staging, recursive: true); // another test process built it meanwhile
        }
        return dir;
    }

    private static void Compile(string c, string so)
    {
        var gcc = new ProcessStartInfo("gcc") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])["-std=c11", "-D_DEFAULT_SOURCE", "-O2", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC",
                                        "-o", so, c, "-lm", "-lpthread"])
        {
            gcc.ArgumentList.Add(a);
        }
        using Process p = Process.Start(gcc)!;
        string errors = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"gcc could not build the test plugins (apt-get install gcc lv2-dev): {errors}");
        }
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Perpetuo.slnx")))
            {
                return d.FullName;
            }
        }
        throw new InvalidOperationException("cannot find the repository (Perpetuo.slnx) above " + AppContext.BaseDirectory);
    }
}
