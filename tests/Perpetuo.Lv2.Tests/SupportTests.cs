using Perpetuo.Protocol;

namespace Perpetuo.Lv2.Tests;

public sealed class SupportTests
{
    private static readonly Lv2Port AudioIn = new(0, "in", "In", Lv2PortType.Audio, IsInput: true, IsOptional: false, SupportsMidi: false);
    private static readonly Lv2Port AudioOut = new(1, "out", "Out", Lv2PortType.Audio, IsInput: false, IsOptional: false, SupportsMidi: false);

    [Fact]
    public void AnUnprovidedRequiredFeatureIsTheReasonWithItsUri()
    {
        const string instanceAccess = "http://lv2plug.in/ns/ext/instance-access";

        (bool supported, string reason) = Lv2Support.Decide([Lv2Uris.UridMap, instanceAccess], [AudioIn, AudioOut]);

        Assert.False(supported);
        Assert.Equal($"requires feature {instanceAccess} which Perpetuo does not provide", reason);
    }

    [Fact]
    public void ProvidedAndHonouredFeaturesAreSupported()
    {
        (bool supported, string reason) = Lv2Support.Decide([.. Lv2Support.ProvidedFeatures, Lv2Uris.InPlaceBroken], [AudioIn, AudioOut]);

        Assert.True(supported, reason);
        Assert.Equal("", reason);
    }

    [Fact]
    public void FixedAndPowerOfTwoBlockLengthsAreNotProvided()
    {
        Assert.DoesNotContain("http://lv2plug.in/ns/ext/buf-size#fixedBlockLength", Lv2Support.ProvidedFeatures);
        Assert.False(Lv2Support.Decide(["http://lv2plug.in/ns/ext/buf-size#powerOf2BlockLength"], []).Supported);
    }

    [Fact]
    public void CvAtomAndMidiPortsAreConnectedOptionalOrNot()
    {
        Lv2Port cv = new(2, "mod", "Mod", Lv2PortType.CV, IsInput: true, IsOptional: false, SupportsMidi: false);
        Lv2Port midi = new(3, "events", "Events", Lv2PortType.Atom, IsInput: true, IsOptional: false, SupportsMidi: true);
        Lv2Port notify = new(4, "notify", "Notify", Lv2PortType.Atom, IsInput: false, IsOptional: true, SupportsMidi: false);

        (bool supported, string reason) = Lv2Support.Decide([], [AudioIn, cv, midi, notify, AudioOut]);

        Assert.True(supported, reason);
        Assert.True(Lv2Support.CanConnect(midi));
        Assert.True(Lv2Support.CanConnect(notify));
    }

    [Fact]
    public void AnAtomPortMayAskForTheLargestBufferButNotOneByteMore()
    {
        Lv2Port largest = new(2, "notify", "Notify", Lv2PortType.Atom, IsInput: false, IsOptional: false, SupportsMidi: false)
        {
            MinimumSize = Limits.PluginAtomPortMaxBytes,
        };
        Lv2Port larger = largest with { MinimumSize = Limits.PluginAtomPortMaxBytes + 1L };

        Assert.True(Lv2Support.Decide([], [AudioIn, largest, AudioOut]).Supported);
        Assert.Equal(Limits.PluginAtomPortMaxBytes, Lv2Support.AtomBufferBytes(largest, 0));
        (bool supported, string reason) = Lv2Support.Decide([], [AudioIn, larger, AudioOut]);
        Assert.False(supported);
        Assert.Equal("its atom port (port 2 'notify') asks for a buffer of 16,777,217 bytes, more than Perpetuo gives (16,777,216 bytes)", reason);
        Assert.True(Lv2Support.Decide([], [AudioIn, larger with { IsOptional = true }, AudioOut]).Supported); // left unconnected
        Assert.False(Lv2Support.CanConnect(larger with { IsOptional = true }));
    }

    [Fact]
    public void OldEventPortsAndAtomPortsThatAreNotSequencesAreRefusedInWords()
    {
        Lv2Port ev = new(2, "ev", "Events", Lv2PortType.Event, IsInput: true, IsOptional: false, SupportsMidi: true);
        Lv2Port single = new(3, "level", "Level", Lv2PortType.Atom, IsInput: true, IsOptional: false, SupportsMidi: false) { IsSequence = false };

        (bool supported, string reason) = Lv2Support.Decide([], [AudioIn, ev, single, AudioOut]);

        Assert.False(supported);
        Assert.Equal("it uses LV2's old event port (port 2 'ev') (ev:EventPort, replaced by atom ports in 2012), which Perpetuo does not connect; " +
                     "its atom port (port 3 'level') takes a single value, not a sequence of events, which Perpetuo does not connect", reason);
    }

    [Fact]
    public void AMidiInputIsSizedForTheEventsItMustHold()
    {
        Lv2Port midi = new(0, "in", "In", Lv2PortType.Atom, IsInput: true, IsOptional: false, SupportsMidi: true);

        Assert.Equal(Limits.PluginAtomBytes, Lv2Support.AtomBufferBytes(midi, 10));
        Assert.Equal(Lv2AtomBuffer.HeaderBytes + (24 * 10_000), Lv2Support.AtomBufferBytes(midi, 10_000));
        Assert.Equal(Limits.PluginAtomBytes, Lv2Support.AtomBufferBytes(midi with { IsInput = false }, 10_000));
    }

    [Theory]
    [InlineData(null, null, null, 0f, 1f, 0f)]
    [InlineData(2f, null, null, 2f, 3f, 2f)]
    [InlineData(null, 10f, 20f, 0f, 10f, 10f)]
    [InlineData(5f, 1f, 3f, 1f, 5f, 3f)]
    [InlineData(-1f, 1f, -5f, -1f, 1f, -1f)]
    [InlineData(float.NaN, float.PositiveInfinity, float.NaN, 0f, 1f, 0f)]
    public void MissingOrBrokenRangesGetSensibleFallbacks(float? min, float? max, float? def, float eMin, float eMax, float eDef)
    {
        Assert.Equal((eMin, eMax, eDef), Lv2Support.Range(min, max, def));
    }
}
