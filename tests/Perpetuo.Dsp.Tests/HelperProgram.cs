using System.Globalization;

namespace Perpetuo.Dsp.Tests;

/// <summary>
/// Entry point used when a test launches this assembly as a separate process (`dotnet exec Perpetuo.Dsp.Tests.dll
/// render-hash SEED`): it renders the reference scenario and prints its hash, so determinism is checked across
/// processes, not just across hosts in one process.
/// </summary>
internal static class HelperProgram
{
    public static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "render-hash")
        {
            Console.WriteLine(CrossProcessTests.RenderHash(int.Parse(args[1], CultureInfo.InvariantCulture)).ToString("x16", CultureInfo.InvariantCulture));
            return 0;
        }

        Console.Error.WriteLine("usage: render-hash SEED");
        return 2;
    }
}
