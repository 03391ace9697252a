using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Perpetuo.FailoverBench;

// Failover harness: runs a real `perpetuo play` into a WAV file, SIGKILLs the active worker (pids from
// `perpetuo status --json`, as an outside script would) and SIGSTOPs workers, then prints the failover figures
// and checks the WAV against `perpetuo render` sample for sample. Exit status 0 only when it is identical with 0
// underruns.
//
//   dotnet run -c Release --project bench/Perpetuo.FailoverBench -- [--kills 10] [--hangs 3] [--interval 1.0]
var options = Options.Parse(args);
return new Harness(options).Run();

namespace Perpetuo.FailoverBench
{
    internal sealed record Options(int Kills, int Hangs, double Interval, int Depth, string WorkDir)
    {
        public static Options Parse(string[] args)
        {
            int kills = 10, hangs = 3, depth = 3;
            double interval = 1.0;
            string? dir = null;
            for (int i = 0; i + 1 < args.Length; i += 2)
            {
                switch (args[i])
                {
                    case "--kills": kills = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                    case "--hangs": hangs = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                    case "--interval": interval = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                    case "--ring-depth": depth = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                    case "--dir": dir = args[i + 1]; break;
                    default: throw new ArgumentException($"unknown option {args[i]}; use --kills N --hangs N --interval S --ring-depth N --dir D");
                }
            }
            return new Options(kills, hangs, interval, depth, dir ?? Directory.CreateTempSubdirectory("perpetuo-failover-").FullName);
        }
    }
}
