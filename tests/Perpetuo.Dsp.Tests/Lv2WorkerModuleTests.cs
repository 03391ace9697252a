using Perpetuo.Lv2.Tests;
using Perpetuo.Protocol;

namespace Perpetuo.Dsp.Tests;

/// <summary>
/// A worker plugin in the chain (Perpetuo's native test plugin, whose gain its worker's responses set): the response
/// to a parameter change lands at the first frame of the block the request fixed, whatever the work takes.
/// </summary>
[Collection(Lv2Collection.Name)]
public sealed class Lv2WorkerModuleTests
{
    private const string Worker = "lv2:" + TestPlugins.Worker;
    private const int Block = 256;

    private static float[] Session(int workMs)
    {
        var host = new ModuleHost(Render.Rate, 1, Block) { SafetyClipperEnabled = false };
        host.AddModule("input", "in");
        host.AddModule(Worker, "w", [Render.P("work_ms", workMs)]);
        float[] ones = Enumerable.Repeat(1f, Block).ToArray();
        return Render.Blocks(host, 20, Block, (h, b) =>
        {
            h.Input.Set(ones); // a constant 1: the output is the plugin's gain
            if (b == 2)
            {
                h.QueueCommand(new DspCommand(CommandKind.SetParam, 100, "w", "request", 500)); // asked mid-block
            }
        });
    }

    [Fact]
    public void AResponseLandsAtTheFirstFrameOfItsBlockWhateverTheWorkTakes()
    {
        float[] fast = Session(workMs: 0);
        float[] slow = Session(workMs: 150);

        Assert.Equal(fast, slow);
        int due = (2 + 10) * Block; // 50 ms at 256 frames and 48 kHz: ten blocks after the request's
        Assert.All(fast[Block..due], s => Assert.Equal(0.25f, s)); // activate's answer, from before the first block
        Assert.All(fast[due..], s => Assert.Equal(0.5f, s));
    }
}
