using Microsoft.Win32.SafeHandles;
using Perpetuo.Lv2;

namespace Perpetuo.Cli;

/// <summary>
/// The child side of a plugin check (`perpetuo plugins --check-child`, started by <see cref="PluginCheck"/>): reads
/// plugin URIs from standard input, one a line, and checks each in turn (<see cref="Lv2Replication"/>), saying
/// before each step what it is about to do, so that the parent can tell which plugin crashed or hung, and in which
/// step, when this process dies or stops answering.
/// </summary>
/// <remarks>
/// Its report goes to the descriptor standard output had when it started; descriptor 1 then points at standard error,
/// so a plugin's own printf can never be taken for a line of the report. Lines (UTF-8):
/// <c>begin URI</c>, <c>library SHA256</c> (of its shared library file, "-" when it cannot be read), a
/// <c>preset ...</c> line per preset (<see cref="PresetLine"/>),
/// <c>phase instantiate|activate|run</c>, <c>done 1 H1,H2,H3,H4 LATENCY</c> (the four fresh instances' outputs' hashes,
/// <see cref="Lv2CheckResult.Hashes"/>, and the latency it reported) or <c>done 0 - 0 REASON</c> (it did not run). Started with MALLOC_PERTURB_, it also fills the stack under each run
/// with that byte (<see cref="Lv2Replication.Check"/>).
/// </remarks>
internal static class PluginCheckChild
{
    public const string Option = "--check-child";

    /// <summary>Checks every URI read from standard input; returns the exit status.</summary>
    public static int Run()
    {
        int fd = Perpetuo.Transport.LibC.TakeStandardOutput();
        if (fd < 0)
        {
            Console.Error.WriteLine("perpetuo: error: plugins: could not set the check's report apart from the plugins' own output");
            return 1;
        }
        using var report = new StreamWriter(new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write), new System.Text.UTF8Encoding(false))
        {
            AutoFlush = true,
        };
        Lv2Catalog catalog;
        try
        {
            catalog = Lv2Catalog.Load();
        }
        catch (Lv2UnavailableException e)
        {
            Console.Error.WriteLine($"perpetuo: error: {e.Message}");
            return 1;
        }
        byte? stack = byte.TryParse(Environment.GetEnvironmentVariable("MALLOC_PERTURB_"), out byte b) ? b : null;
        using (catalog)
        {
            while (Console.In.ReadLine() is { } uri)
            {
                if (uri.Length == 0)
                {
                    continue;
                }
                report.WriteLine($"begin {uri}");
                Lv2PluginInfo? plugin = catalog.Find(uri);
                if (plugin == null)
                {
                    report.WriteLine($"done 0 - 0 no LV2 plugin {OneLine(uri)} is installed");
                    continue;
                }
                report.WriteLine($"library {LibraryHash(plugin.Library)}");
                foreach (Lv2Preset p in catalog.Presets(plugin))
                {
                    report.WriteLine($"preset {PresetLine.Format(p)}");
                }
                Lv2CheckResult r = Lv2Replication.Check(catalog, plugin, 48000, phase => report.WriteLine($"phase {phase}"), stack);
                report.WriteLine(r.Ran
                    ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"done 1 {string.Join(',', r.Hashes.Select(h => h.ToString("x16", System.Globalization.CultureInfo.InvariantCulture)))} {r.LatencyFrames}")
                    : $"done 0 - 0 {OneLine(r.Reason)}");
            }
        }
        return 0;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    /// <summary>SHA-256 of the library file in hex, or "-" when it cannot be read.</summary>
    private static string LibraryHash(string path)
    {
        try
        {
            using FileStream f = File.OpenRead(path);
            return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(f));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return "-";
        }
    }
}
