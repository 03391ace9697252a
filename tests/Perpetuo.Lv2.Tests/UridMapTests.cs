namespace Perpetuo.Lv2.Tests;

public sealed class UridMapTests
{
    private static readonly string[] Requests =
    [
        "http://lv2plug.in/ns/ext/atom#Int", "http://example.org/b", "http://lv2plug.in/ns/ext/atom#Int",
        "http://example.org/a", "http://example.org/b", "http://example.org/c",
    ];

    [Fact]
    public void IdsStartAtOneInOrderOfFirstRequest()
    {
        using var map = new Lv2UridMap();

        Assert.Equal([1u, 2u, 1u, 3u, 2u, 4u], Requests.Select(map.Map));
        Assert.Equal(4, map.Count);
        Assert.Equal("http://example.org/a", map.Unmap(3));
        Assert.Null(map.Unmap(0));
        Assert.Null(map.Unmap(5));
    }

    [Fact]
    public void TheSameRequestOrderGivesTheSameIdsInEveryMap()
    {
        using var a = new Lv2UridMap();
        using var b = new Lv2UridMap();

        Assert.Equal(Requests.Select(a.Map), Requests.Select(b.Map));
    }

    [Fact]
    public void TwoCatalogsMapTheHostUrisToTheSameIds()
    {
        using Lv2Catalog one = Lv2Catalog.Load();
        using Lv2Catalog two = Lv2Catalog.Load();

        Assert.Equal(one.UridMap.Count, two.UridMap.Count);
        Assert.Equal(one.UridMap.Map(Lv2Uris.SampleRate), two.UridMap.Map(Lv2Uris.SampleRate));
        Assert.Equal(one.UridMap.Map(Lv2Uris.MaxBlockLength), two.UridMap.Map(Lv2Uris.MaxBlockLength));
    }
}
