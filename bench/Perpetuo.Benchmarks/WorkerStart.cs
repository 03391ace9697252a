using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Perpetuo.Dsp;
using Perpetuo.Transport;

namespace Perpetuo.Benchmarks;

/// <summary>
/// A worker's spawn-to-ready time, measured the way the supervisor sees it: a fresh slot region (as <c>play</c>
/// makes it: 256 frames, stereo, 48 kHz, depth 3), the default patch as a memory file, then
/// <c>EXE worker --region R --patch P --wait sleep</c> started with <see cref="Process.Start()"/>. Times (from just
/// before Process.Start): Process.Start returned; first heartbeat (the worker has mapped, built and warmed its DSP,
/// and published block 0); block 2 published. Median, min and max over N spawns; the worker is killed after each.
/// </summary>
public static class WorkerStart
{
    public static int Run(string exe, int runs)
    {
        using MemoryFile patchFile = MemoryFile.CreateReadOnly("the patch", System.Text.Encoding.UTF8.GetBytes(DefaultPatchJson()));
        string patch = patchFile.Path;
        var started = new List<double>();
        var beat = new List<double>();
        var third = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            using SharedRegion region = SharedRegion.Create(new RegionLayout(256, 2, 48000, 8), 0);
            var link = new SupervisorLink(region);
            link.SetRenderLimit(3);
            var psi = new ProcessStartInfo(exe) { UseShellExecute = false };
            foreach (string a in new[] { "worker", "--region", region.Path, "--patch", patch, "--wait", "sleep" })
            {
                psi.ArgumentList.Add(a);
            }
            long t0 = Stopwatch.GetTimestamp();
            using Process p = Process.Start(psi)!;
            started.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            while (link.Heartbeat == 0 && !p.HasExited && Stopwatch.GetElapsedTime(t0).TotalSeconds < 30)
            {
                Thread.SpinWait(50);
            }
            beat.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            while (link.WritePosition < 3 && !p.HasExited && Stopwatch.GetElapsedTime(t0).TotalSeconds < 30)
            {
                Thread.SpinWait(50);
            }
            third.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            p.Kill();
            p.WaitForExit();
            Thread.Sleep(200);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{exe}: {runs} spawns, ms median [min-max]: Process.Start {Stat(started)}  first heartbeat {Stat(beat)}  3 blocks published {Stat(third)}"));
        return 0;
    }

    private static string Stat(List<double> xs)
    {
        double[] s = [.. xs.Order()];
        return string.Create(CultureInfo.InvariantCulture, $"{s[s.Length / 2]:F1} [{s[0]:F1}-{s[^1]:F1}]");
    }

    private static string DefaultPatchJson()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteStartArray("modules");
            foreach (PatchModule m in DefaultPatch.Modules)
            {
                w.WriteStartObject();
                w.WriteString("type", m.Type);
                w.WriteString("id", m.Id);
                w.WriteStartObject("params");
                foreach (KeyValuePair<string, float> kv in m.Params)
                {
                    w.WriteNumber(kv.Key, kv.Value);
                }
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }
}
