using Perpetuo.Audio.Tests;
using Perpetuo.Lv2.Tests;

namespace Perpetuo.Dsp.Tests;

/// <summary>
/// The tests that build LV2 plugin modules: the process's plugin list (<see cref="Lv2Modules"/>, loaded once) must see
/// Perpetuo's native test plugins, so LV2_PATH is set where lilv reads it before the first of them runs.
/// </summary>
[CollectionDefinition(Name)]
public sealed class Lv2Collection : ICollectionFixture<Lv2Collection.Environment>
{
    public const string Name = "LV2 plugin modules";

    /// <summary>Puts the test bundle first on LV2_PATH, once per process.</summary>
    public sealed class Environment
    {
        public Environment() => NativeEnvironment.Set("LV2_PATH", TestPlugins.Lv2Path);
    }
}
