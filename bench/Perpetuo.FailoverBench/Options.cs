using System.Globalization;

namespace Perpetuo.FailoverBench;

/// <summary>What the harness does: how many faults, how often, how many commands per second.</summary>
internal sealed record Options(int Kills, int Hangs, double Interval, int Depth, int CommandsPerSecond, string WorkDir, int Block = 256, bool KeepCpusAwake = false, int Slots = 3)
{
    public static Options Parse(string[] args)
    {
        int kills = 10, hangs = 3, depth = 3, rate = 0, block = 256, slots = 3;
        double interval = 1.0;
        string? dir = null;
        bool awake = false;
        for (int i = 0; i < args.Length; i += 2)
        {
            if (args[i] == "--keep-cpus-awake")
            {
                awake = true;
                i--;
                continue;
            }
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{args[i]} needs a value");
            }
            switch (args[i])
            {
                case "--block": block = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--kills": kills = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--hangs": hangs = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--interval": interval = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--ring-depth": depth = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--commands-per-second": rate = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--dir": dir = args[i + 1]; break;
                case "--slots": slots = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default:
                    throw new ArgumentException($"unknown option {args[i]}; use --kills N --hangs N --interval S --ring-depth N --block N --keep-cpus-awake --commands-per-second N --slots N --dir D");
            }
        }
        return new Options(kills, hangs, interval, depth, rate, dir ?? Directory.CreateTempSubdirectory("perpetuo-failover-").FullName, block, awake, slots);
    }
}
