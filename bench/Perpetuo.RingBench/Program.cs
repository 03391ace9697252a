using System.Globalization;
using Perpetuo.RingBench;

// RingBench: the project's AudioRing across two processes, against a plain C11-atomics SPSC ring.
//   tput | lat         one Perpetuo run (this process consumes; it spawns itself as the producer)
//   c tput|lat         one run of the C peer (built with cc at run time)
//   compare [RUNS]     both peers alternately, RUNS times each mode (default 5); medians and ratios
//   split              single-thread cost of each part of a block's trip (hash, check, fences, copies)
//   produce KIND REGION COUNT   the producer process (also used by the transport tests' stress test)
string mode = args.Length > 0 ? args[0] : "compare";
switch (mode)
{
    case "tput":
    case "lat":
        return AudioRingPeer.Run(mode);
    case "c" when args.Length > 1:
        using (CPeer c = CPeer.Build())
        {
            Console.WriteLine(c.RunMode(args[1]));
        }
        return 0;
    case "compare":
        return Compare.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5);
    case "split":
        return CostSplit.Run();
    case "produce" when args.Length == 4:
        return Producer.Run(args[1], args[2], long.Parse(args[3], CultureInfo.InvariantCulture));
    default:
        Console.Error.WriteLine("usage: RingBench tput | lat | c tput|lat | compare [RUNS] | split | produce KIND REGION COUNT");
        return 2;
}
