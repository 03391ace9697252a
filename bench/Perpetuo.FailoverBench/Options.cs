using System.Globalization;

namespace Perpetuo.FailoverBench;

/// <summary>What the harness does: how many faults, how often, how many commands per second.</summary>
internal sealed record Options(int Kills, int Hangs, double Interval, int Depth, int CommandsPerSecond, string WorkDir)
{
    public static Options Parse(string[] args)
    {
        int kills = 10, hangs = 3, depth = 3, rate = 0;
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
                case "--commands-per-second": rate = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--dir": dir = args[i + 1]; break;
                default:
                    throw new ArgumentException($"unknown option {args[i]}; use --kills N --hangs N --interval S --ring-depth N --commands-per-second N --dir D");
            }
        }
        return new Options(kills, hangs, interval, depth, rate, dir ?? Directory.CreateTempSubdirectory("perpetuo-failover-").FullName);
    }
}
