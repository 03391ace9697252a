using Perpetuo.Protocol;

namespace Perpetuo.Lv2.Tests;

/// <summary>
/// The LV2 worker through a real native plugin (tests/native/perpetuo-test.lv2/worker.c, whose gain its worker's
/// responses set): a response lands at the block its request fixed, however long the work takes; what activate asks
/// is answered before the first block; every size and count is bounded at its limit.
/// </summary>
public sealed class WorkerTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private const int Rate = 48000;
    private const int Block = 256;
    private const int Request = 0;
    private const int Size = 1;
    private const int WorkMs = 2;
    private const int Responses = 3;

    [Fact]
    public void TheDelayIsTheWorkLatencyInWholeBlocks()
    {
        using Lv2Plugin w = Active();

        Assert.Equal((int)Math.Ceiling(Limits.PluginWorkLatencySeconds * Rate / Block), w.WorkDelayBlocks); // 10 at 256 frames
        using Lv2Plugin small = fixture.Catalog.Instantiate(TestPlugins.Worker, Rate, 64);
        Assert.Equal((int)Math.Ceiling(Limits.PluginWorkLatencySeconds * Rate / 64), small.WorkDelayBlocks);
    }

    [Fact]
    public void WhatActivateAskedForIsAnsweredBeforeTheFirstBlock()
    {
        using Lv2Plugin w = Active();

        float[] first = Blocks(w, 1, _ => { });

        Assert.All(first, s => Assert.Equal(0.25f, s)); // the input is 1: the gain activate's request set
        Assert.Equal(1f, w.GetControlOutput(0));
    }

    [Fact]
    public void AResponseLandsAtTheBlockItsRequestFixedNotWhenTheWorkEnds()
    {
        using Lv2Plugin w = Active();
        int due = 3 + w.WorkDelayBlocks;

        float[] x = Blocks(w, due + 2, b => { if (b == 3) { w.SetControlInput(Request, 500); } });

        Assert.All(x[..(due * Block)], s => Assert.Equal(0.25f, s)); // the work took microseconds; the answer waited for its block
        Assert.All(x[(due * Block)..], s => Assert.Equal(0.5f, s));
        Assert.Equal(2, w.WorkDelivered);
    }

    [Fact]
    public void SlowWorkIsWaitedForAtItsBlockSoTheOutputIsTheSameBitForBit()
    {
        float[] fast = Session(workMs: 0);
        float[] slow = Session(workMs: 300); // longer than the ten blocks (rendered flat out here) it has

        Assert.Equal(fast, slow);
    }

    [Fact]
    public void ARequestOfTheLargestSizeIsTakenAndOneByteMoreIsRefused()
    {
        using Lv2Plugin w = Active();
        w.SetControlInput(Size, Limits.PluginWorkBytes);
        w.SetControlInput(Request, 1);
        Blocks(w, 1, _ => { });
        Assert.Equal((0f, 0L), (w.GetControlOutput(1), w.WorkRefused));

        w.SetControlInput(Size, Limits.PluginWorkBytes + 1);
        w.SetControlInput(Request, 2);
        Blocks(w, 1, _ => { });
        Assert.Equal((1f, 1L), (w.GetControlOutput(1), w.WorkRefused));
    }

    [Fact]
    public void AsManyRequestsAsTheQueueHoldsAreTakenAndOneMoreIsRefused()
    {
        using Lv2Plugin w = Active();
        w.BeginBlock();
        for (int i = 1; i <= Limits.PluginWorkQueue + 1; i++) // one request a run, all within one block
        {
            w.SetControlInput(Request, i);
            w.AudioInput(0).Fill(1f);
            w.Run(16);
        }

        Assert.Equal(1f, w.GetControlOutput(1));
        Assert.Equal(1, w.WorkRefused);
        Blocks(w, w.WorkDelayBlocks + 1, _ => { });
        Assert.Equal(1 + Limits.PluginWorkQueue, w.WorkDelivered); // activate's and the queue's, in order: the last sets the gain
        Assert.Equal(Limits.PluginWorkQueue / 1000f, w.AudioOutput(0)[0]);
    }

    [Fact]
    public void AsManyResponsesToOneRequestAsTheLimitAreDeliveredAndOneMoreIsRefused()
    {
        using Lv2Plugin w = Active();
        w.SetControlInput(Responses, Limits.PluginWorkResponses);
        Blocks(w, 1, b => w.SetControlInput(Request, 10));
        Blocks(w, w.WorkDelayBlocks + 1, _ => { });
        Assert.Equal((1f + Limits.PluginWorkResponses, 0f), (w.GetControlOutput(0), w.GetControlOutput(3))); // activate's one, then these

        w.SetControlInput(Responses, Limits.PluginWorkResponses + 1);
        Blocks(w, 1, b => w.SetControlInput(Request, 20));
        Blocks(w, w.WorkDelayBlocks + 1, _ => { });
        Assert.Equal((1f + (2 * Limits.PluginWorkResponses), 1f), (w.GetControlOutput(0), w.GetControlOutput(3)));
    }

    [Fact]
    public void EndRunIsCalledAfterEveryRun()
    {
        using Lv2Plugin w = Active();

        Blocks(w, 5, _ => { });
        w.Run(0); // no run, no end_run
        Blocks(w, 1, _ => { });

        Assert.Equal(5f, w.GetControlOutput(2)); // the sixth run reports the five end_runs before it
    }

    [Fact]
    public void DisposingWithWorkInFlightWaitsForItAndReturns()
    {
        Lv2Plugin w = Active();
        w.SetControlInput(WorkMs, 200);
        w.SetControlInput(Request, 700);
        Blocks(w, 1, _ => { });

        w.Dispose(); // its deactivate does the owed work and answers it first

        Assert.Equal(2, w.WorkDelivered);
    }

    [Fact]
    public void TheRenderThreadAllocatesNothingWithTheWorkerBusy()
    {
        using Lv2Plugin w = Active();
        for (int b = 0; b < 200; b++)
        {
            Block1(w, b);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int b = 200; b < 2200; b++)
        {
            Block1(w, b);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(w.WorkDelivered > 90, $"{w.WorkDelivered} delivered");
    }

    private static void Block1(Lv2Plugin w, int b)
    {
        w.BeginBlock();
        if (b % 20 == 0)
        {
            w.SetControlInput(Request, b % 10000);
        }
        w.Run(Block);
    }

    private float[] Session(int workMs)
    {
        using Lv2Plugin w = Active();
        w.SetControlInput(WorkMs, workMs);
        return Blocks(w, 40, b => w.SetControlInput(Request, b switch { 2 => 100, 9 => 900, 10 => 300, 30 => 50, _ => w.GetControlInput(Request) }));
    }

    /// <summary>Blocks of a constant input of 1, as the engine renders them: BeginBlock, then one run.</summary>
    private static float[] Blocks(Lv2Plugin w, int blocks, Action<int> before)
    {
        var all = new float[blocks * Block];
        for (int b = 0; b < blocks; b++)
        {
            w.BeginBlock();
            before(b);
            w.AudioInput(0).Fill(1f);
            w.Run(Block);
            w.AudioOutput(0)[..Block].CopyTo(all.AsSpan(b * Block));
        }
        return all;
    }

    private Lv2Plugin Active()
    {
        Lv2Plugin p = fixture.Catalog.Instantiate(TestPlugins.Worker, Rate, Block);
        p.Activate();
        p.SettleWork();
        return p;
    }
}
