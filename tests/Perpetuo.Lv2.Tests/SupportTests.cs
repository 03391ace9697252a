namespace Perpetuo.Lv2.Tests;

public sealed class SupportTests
{
    private static readonly Lv2Port AudioIn = new(0, "in", "In", Lv2PortType.Audio, IsInput: true, IsOptional: false, SupportsMidi: false);
    private static readonly Lv2Port AudioOut = new(1, "out", "Out", Lv2PortType.Audio, IsInput: false, IsOptional: false, SupportsMidi: false);

    [Fact]
    public void AnUnprovidedRequiredFeatureIsTheReasonWithItsUri()
    {
        const string worker = "http://lv2plug.in/ns/ext/worker#schedule";

        (bool supported, string reason) = Lv2Support.Decide([Lv2Uris.UridMap, worker], [AudioIn, AudioOut]);

        Assert.False(supported);
        Assert.Equal($"requires feature {worker} which Perpetuo does not provide", reason);
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
    public void RequiredCvAtomAndMidiPortsAreRefusedButOptionalOnesAreNot()
    {
        Lv2Port cv = new(2, "mod", "Mod", Lv2PortType.CV, IsInput: true, IsOptional: false, SupportsMidi: false);
        Lv2Port midi = new(3, "events", "Events", Lv2PortType.Atom, IsInput: true, IsOptional: false, SupportsMidi: true);
        Lv2Port notify = new(4, "notify", "Notify", Lv2PortType.Atom, IsInput: false, IsOptional: true, SupportsMidi: false);

        (bool supported, string reason) = Lv2Support.Decide([], [AudioIn, cv, midi, notify, AudioOut]);

        Assert.False(supported);
        Assert.Equal("CV port input (port 2 'mod') is not connected by Perpetuo yet; MIDI input (port 3 'events'): instruments are not hosted yet", reason);
        Assert.True(Lv2Support.Decide([], [AudioIn, notify, AudioOut]).Supported);
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
