namespace Perpetuo.IntegrationTests;

/// <summary>A long test that runs only when PERPETUO_SOAK=1 (not in the default run; see docs/performance.md).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SoakFactAttribute : FactAttribute
{
    public SoakFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("PERPETUO_SOAK") != "1")
        {
            Skip = "soak test: set PERPETUO_SOAK=1 to run it";
        }
    }
}
