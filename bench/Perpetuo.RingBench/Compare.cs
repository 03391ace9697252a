using System.Globalization;

namespace Perpetuo.RingBench;

/// <summary>
/// Runs both peers alternately (Perpetuo, C, Perpetuo, C, ...) so drift in the machine's state hits both alike,
/// then prints the median of each figure and the ratio Perpetuo / C.
/// </summary>
public static class Compare
{
    private const string Ours = "perpetuo-audioring";
    private const string Theirs = "c11-atomics";

    public static int Run(int runs)
    {
        using CPeer c = CPeer.Build();
        var results = new List<Dictionary<string, string>>();
        for (int i = 0; i < runs; i++)
        {
            foreach (string mode in new[] { "tput", "lat" })
            {
                foreach (bool perpetuo in new[] { true, false })
                {
                    string line = perpetuo ? RunOurs(mode) : c.RunMode(mode);
                    Console.WriteLine(line);
                    results.Add(Parse(line));
                }
            }
        }
        Console.WriteLine($"MEDIANS over {runs} runs");
        Report(results, "tput", "rate", higherIsBetter: true);
        foreach (string key in new[] { "p50", "p99", "p999", "max" })
        {
            Report(results, "lat", key, higherIsBetter: false);
        }
        return 0;
    }

    private static string RunOurs(string mode)
    {
        using var p = SelfProcess.Start(mode);
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return CPeer.ResultLine(output + err.Result);
    }

    private static Dictionary<string, string> Parse(string line) =>
        line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);

    private static void Report(List<Dictionary<string, string>> results, string mode, string key, bool higherIsBetter)
    {
        double ours = Median(results, Ours, mode, key);
        double theirs = Median(results, Theirs, mode, key);
        long errors = results.Where(r => r["mode"] == mode).Sum(r => long.Parse(r["errors"], CultureInfo.InvariantCulture));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{mode,-4} {key,-4} perpetuo={ours,12:F0} c={theirs,12:F0} ratio perpetuo/c={ours / theirs:F2} ({(higherIsBetter ? "higher" : "lower")} is better) errors={errors}"));
    }

    private static double Median(List<Dictionary<string, string>> results, string peer, string mode, string key)
    {
        double[] v = results.Where(r => r["peer"] == peer && r["mode"] == mode)
                            .Select(r => double.Parse(r[key], CultureInfo.InvariantCulture)).Order().ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
    }
}
