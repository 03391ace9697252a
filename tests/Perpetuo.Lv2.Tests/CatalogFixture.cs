namespace Perpetuo.Lv2.Tests;

/// <summary>One loaded catalog for the tests of a class (a scan costs tens of milliseconds): the installed plugins and
/// Perpetuo's own test plugins (<see cref="TestPlugins"/>).</summary>
public sealed class CatalogFixture : IDisposable
{
    public const string Plate = "http://plugin.org.uk/swh-plugins/plate";
    public const string Delay = "http://plugin.org.uk/swh-plugins/delay_l";

    public Lv2Catalog Catalog { get; } = Lv2Catalog.Load([TestPlugins.Bundle]);

    public void Dispose() => Catalog.Dispose();
}
