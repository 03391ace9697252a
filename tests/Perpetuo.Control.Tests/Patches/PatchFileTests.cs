using Perpetuo.Control.Patches;

namespace Perpetuo.Control.Tests.Patches;

/// <summary>The parse errors a patch author sees: what PatchFile's JsonDocument walk keeps (see the note atop PatchFile.cs).</summary>
public sealed class PatchFileTests
{
    [Theory]
    [InlineData("\"x\"", "modules[0].params.freq: must be a finite number, got a string")]
    [InlineData("true", "modules[0].params.freq: must be a finite number, got true")]
    [InlineData("1e39", "modules[0].params.freq: must be a finite number, got 1e39")]
    public void ABadParameterValueIsNamedByItsKindOrItsNumber(string value, string message)
    {
        PatchException e = Assert.Throws<PatchException>(() =>
            PatchFile.Parse("""{"modules": [{"type": "osc", "id": "a", "params": {"freq": """ + value + "}}]}", "p.json"));
        Assert.Equal($"p.json: {message}", e.Message);
    }

    [Theory]
    [InlineData("""{"modules": [{"type": 5, "id": "a"}]}""", "p.json: modules[0].type: required, must be a non-empty string")]
    [InlineData("""{"modules": [{"type": SECRET, "id": "a"}]}""", "p.json: not valid JSON at line 1, byte 23 of the line")]
    public void ASyntaxErrorAndAWrongFieldAreDifferentMessages(string json, string message)
    {
        PatchException e = Assert.Throws<PatchException>(() => PatchFile.Parse(json, "p.json"));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void EveryParameterIsKeptInFileOrderDuplicatesIncluded()
    {
        PatchSpec p = PatchFile.Parse("""{"modules": [{"type": "osc", "id": "a", "params": {"freq": 1, "amp": 0.5, "freq": 2}}]}""");
        Assert.Equal([("freq", 1f), ("amp", 0.5f), ("freq", 2f)], Assert.Single(p.Modules).Params.Select(kv => (kv.Key, kv.Value)));
    }
}
