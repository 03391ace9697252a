using System.Diagnostics;
using Xunit.Abstractions;

namespace Perpetuo.Lv2.Tests;

public sealed class PluginTests(CatalogFixture fixture, ITestOutputHelper output) : IClassFixture<CatalogFixture>
{
    private const int Rate = 48000;
    private const int Block = 256;

    [Fact]
    public void PlateTurnsAnImpulseIntoAStereoTail()
    {
        using Lv2Plugin plate = Active(CatalogFixture.Plate);
        Assert.Equal((1, 2, 3), (plate.AudioInputCount, plate.AudioOutputCount, plate.ControlInputCount));
        Assert.Equal(4.255f, plate.GetControlInput(0));
        plate.SetControlInput(2, 1f); // all wet

        double[] energy = new double[2];
        for (int b = 0; b < 40; b++)
        {
            plate.AudioInput(0).Clear();
            if (b == 0)
            {
                plate.AudioInput(0)[0] = 1f;
            }
            plate.Run(Block);
            for (int ch = 0; ch < 2; ch++)
            {
                foreach (float s in plate.AudioOutput(ch)[..Block])
                {
                    Assert.True(float.IsFinite(s));
                    energy[ch] += s * s;
                }
            }
        }
        Assert.All(energy, e => Assert.True(e > 1e-6, $"energy {e}"));
    }

    [Fact]
    public void DelayMovesAnImpulseByItsDelayTime()
    {
        using Lv2Plugin delay = Active(CatalogFixture.Delay);
        int time = Info(CatalogFixture.Delay).ControlInputs.Select((c, i) => (c, i)).Single(x => x.c.Symbol == "delay_time").i;
        delay.SetControlInput(time, 0.01f); // 480 frames at 48 kHz

        var all = new List<float>();
        for (int b = 0; b < 4; b++)
        {
            delay.AudioInput(0).Clear();
            if (b == 0)
            {
                delay.AudioInput(0)[0] = 1f;
            }
            delay.Run(Block);
            all.AddRange(delay.AudioOutput(0)[..Block].ToArray());
        }
        int peak = all.IndexOf(all.Max());
        Assert.InRange(peak, 480, 481); // swh's delay_l (linear interpolation) puts the peak one frame late: 481
        Assert.All(all[..480], s => Assert.Equal(0f, s));
        Assert.True(all[peak] > 0.5f, $"peak {all[peak]}");
    }

    [Fact]
    public void TwoFreshInstancesGiveIdenticalBitsForTheSameInput()
    {
        float[] a = Render(CatalogFixture.Plate, seed: 7);
        float[] b = Render(CatalogFixture.Plate, seed: 7);

        Assert.Equal(a.Select(BitConverter.SingleToInt32Bits), b.Select(BitConverter.SingleToInt32Bits));
        Assert.Contains(a, s => s != 0f);
    }

    [Fact]
    public void RunAllocatesNothingOnceWarm()
    {
        using Lv2Plugin plate = Active(CatalogFixture.Plate);
        for (int i = 0; i < 200; i++)
        {
            Block1(plate, i);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++)
        {
            Block1(plate, i);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void RunsOfAnyLengthUpToTheMaximumAreAccepted()
    {
        using Lv2Plugin plate = Active(CatalogFixture.Plate);

        plate.Run(0);
        plate.Run(1);
        plate.Run(Block - 1);
        plate.Run(Block);
        Assert.Throws<ArgumentOutOfRangeException>(() => plate.Run(Block + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => plate.Run(-1));
    }

    [Fact]
    public void RunBeforeActivateOrAfterDisposeThrows()
    {
        Lv2Plugin plate = fixture.Catalog.Instantiate(CatalogFixture.Plate, Rate, Block);
        Assert.Throws<InvalidOperationException>(() => plate.Run(Block));
        plate.Activate();
        plate.Run(Block);
        plate.Deactivate();
        Assert.Throws<InvalidOperationException>(() => plate.Run(Block));
        plate.Dispose();
        Assert.Throws<ObjectDisposedException>(() => plate.Run(Block));
        plate.Dispose(); // twice is harmless
    }

    [Fact]
    public void UnknownAndUnsupportedPluginsAreRefusedWithTheReason()
    {
        var unknown = Assert.Throws<Lv2Exception>(() => fixture.Catalog.Instantiate("http://example.org/none", Rate, Block));
        Assert.Contains("no LV2 plugin http://example.org/none", unknown.Message, StringComparison.Ordinal);
        var oversized = Assert.Throws<Lv2Exception>(() => fixture.Catalog.Instantiate(TestPlugins.HugeAtomPort, Rate, Block));
        Assert.Contains("asks for a buffer of 16,777,217 bytes, more than Perpetuo gives (16,777,216 bytes)", oversized.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APluginThatRequiresUridMapIsGivenTheCatalogsMap()
    {
        using Lv2Catalog catalog = Lv2Catalog.Load();
        int before = catalog.UridMap.Count;
        Lv2PluginInfo jx10 = catalog.Find("http://drobilla.net/plugins/mda/JX10") ?? throw new InvalidOperationException("mda-lv2 is not installed");

        // Instantiate maps midi:MidiEvent (mapped by the host already) and whatever else it needs through the feature,
        // which must not crash and must reuse the host's ids.
        using (catalog.InstantiateUnchecked(jx10, Rate, Block, 0))
        {
        }

        Assert.True(catalog.UridMap.Count >= before);
        Assert.Equal(Lv2Uris.MidiEvent, catalog.UridMap.Unmap(catalog.UridMap.Map(Lv2Uris.MidiEvent)));
    }

    [Fact]
    public void TheCatalogMayBeDisposedBeforeItsInstances()
    {
        Lv2Catalog catalog = Lv2Catalog.Load();
        using Lv2Plugin plate = catalog.Instantiate(CatalogFixture.Plate, Rate, Block);
        catalog.Dispose();

        plate.Activate();
        plate.Run(Block);
        Assert.Throws<ObjectDisposedException>(() => catalog.Instantiate(CatalogFixture.Plate, Rate, Block));
    }

    [Fact]
    public void PlateCostPerBlockIsTimed()
    {
        using Lv2Plugin plate = Active(CatalogFixture.Plate);
        for (int i = 0; i < 500; i++)
        {
            Block1(plate, i);
        }
        const int blocks = 20000;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < blocks; i++)
        {
            plate.Run(Block);
        }
        double us = clock.Elapsed.TotalMicroseconds / blocks;
        output.WriteLine($"plate, {Block} frames at {Rate} Hz: {us:0.00} us per Run ({us / (Block * 1e6 / Rate) * 100:0.00}% of the block's real time)");
    }

    private static void Block1(Lv2Plugin plugin, int i)
    {
        Span<float> input = plugin.AudioInput(0);
        input.Clear();
        input[i % Block] = 0.5f;
        plugin.SetControlInput(1, (i % 10) / 10f);
        plugin.Run(Block);
    }

    private float[] Render(string uri, int seed)
    {
        using Lv2Plugin plugin = Active(uri);
        var random = new Random(seed);
        var result = new List<float>();
        for (int b = 0; b < 50; b++)
        {
            Span<float> input = plugin.AudioInput(0);
            for (int i = 0; i < Block; i++)
            {
                input[i] = (float)(random.NextDouble() * 2 - 1);
            }
            plugin.Run(Block);
            for (int ch = 0; ch < plugin.AudioOutputCount; ch++)
            {
                result.AddRange(plugin.AudioOutput(ch)[..Block].ToArray());
            }
        }
        return [.. result];
    }

    private Lv2PluginInfo Info(string uri) => fixture.Catalog.Find(uri) ?? throw new InvalidOperationException($"{uri} is not installed");

    private Lv2Plugin Active(string uri)
    {
        Lv2Plugin p = fixture.Catalog.Instantiate(uri, Rate, Block);
        p.Activate();
        return p;
    }
}
