using BenchmarkDotNet.Running;

namespace Perpetuo.Benchmarks;

/// <summary>
/// <c>-- --filter '*'</c>: the BenchmarkDotNet suite. <c>-- percentiles [N]</c>: the two-slot callback timed N times
/// (default 1,000,000) one call at a time, for the tail that BenchmarkDotNet's means cannot show.
/// <c>-- worker-start EXE [N]</c>: a worker's spawn-to-first-heartbeat time, N spawns of <c>EXE worker</c>.
/// <c>-- lv2-run URI [BLOCKS [FRAMES]]</c>: one LV2 plugin's run in Perpetuo's host, block by block (<see cref="Lv2RunCost"/>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "percentiles")
        {
            return CallbackPercentiles.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000,
                                           args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 256);
        }
        if (args.Length > 1 && args[0] == "worker-start")
        {
            return WorkerStart.Run(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10);
        }
        if (args.Length > 1 && args[0] == "lv2-run")
        {
            return Lv2RunCost.Run(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 2000,
                                  args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 256);
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, BenchConfig.Create());
        return 0;
    }
}
