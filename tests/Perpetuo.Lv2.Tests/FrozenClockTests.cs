namespace Perpetuo.Lv2.Tests;

/// <summary>
/// A plugin's own calls to time() are told one fixed time, when it is instantiated and when it runs (Perpetuo's
/// native test plugin asks; setBfree seeds its random key clicks so): no wall clock reaches the audio.
/// </summary>
public sealed class FrozenClockTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    [Fact]
    public void APluginAskingTheTimeIsToldTheFixedTimeWhenInstantiatedAndInRun()
    {
        using Lv2Plugin clock = fixture.Catalog.Instantiate(TestPlugins.Clock, 48000, 256);
        clock.Activate();
        clock.Run(256);

        Assert.Equal(1000f, clock.GetControlOutput(0)); // 1e9 s, in millions
        Assert.Equal(1000f, clock.GetControlOutput(1));
        Assert.True(DateTimeOffset.UtcNow.ToUnixTimeSeconds() > 1_600_000_000); // the process's own clock is the real one
    }

    [Fact]
    public void SetBfreeIsTheSameOrganInTwoInstancesASecondApart()
    {
        float[] first = Organ();
        Thread.Sleep(1100); // its seed was time(NULL), in seconds
        float[] second = Organ();

        Assert.Equal(first, second);
        Assert.Contains(first, s => s != 0f);
    }

    private float[] Organ()
    {
        using Lv2Plugin organ = fixture.Catalog.Instantiate("http://gareus.org/oss/lv2/b_synth", 48000, 256);
        organ.Activate();
        organ.SettleWork();
        var all = new List<float>();
        for (int b = 0; b < 40; b++)
        {
            organ.BeginBlock();
            if (b == 1)
            {
                Assert.True(organ.TryWriteMidi(0, 0x90, 60, 100));
            }
            organ.Run(256);
            all.AddRange(organ.AudioOutput(0)[..256].ToArray());
        }
        return [.. all];
    }
}
