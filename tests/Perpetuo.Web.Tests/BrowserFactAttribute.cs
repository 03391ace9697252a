namespace Perpetuo.Web.Tests;

/// <summary>
/// A fact that drives Debian's chromium with playwright-core (tests/Perpetuo.Web.Tests/browser, installed by
/// .ci/run): skipped when node, chromium or playwright-core is missing, unless CI=true (then it runs and fails).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (BrowserSession.Missing is { } why && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = why;
        }
    }
}
