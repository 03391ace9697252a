namespace Perpetuo.Audio.Tests;

/// <summary>Whether the JACK command-line tools the end-to-end tests drive are installed.</summary>
internal static class JackTools
{
    private static readonly string[] Required = ["jackd", "jack_capture", "jack_wait"];

    /// <summary>True when env CI is "true": missing tools then fail the tests instead of skipping them.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why the tools cannot be used, or null when they are all on PATH.</summary>
    public static string? Missing { get; } = FindMissing();

    /// <summary>Full path of a tool on PATH, or null.</summary>
    public static string? Find(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);

    private static string? FindMissing()
    {
        string[] missing = Required.Where(t => Find(t) is null).ToArray();
        return missing.Length == 0
            ? null
            : $"JACK tools not installed ({string.Join(", ", missing)} not on PATH). Install: apt-get install -y --no-install-recommends jackd2 jack-capture libjack-jackd2-0. (With CI=true this test fails instead of skipping.)";
    }
}

/// <summary>A fact that needs jackd and jack_capture: skipped when they are missing, unless CI=true (then it runs and fails).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class JackFactAttribute : FactAttribute
{
    public JackFactAttribute()
    {
        if (JackTools.Missing is { } why && !JackTools.IsCi)
        {
            Skip = why;
        }
    }
}

/// <summary>A theory that needs jackd and jack_capture; same skip rule as <see cref="JackFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class JackTheoryAttribute : TheoryAttribute
{
    public JackTheoryAttribute()
    {
        if (JackTools.Missing is { } why && !JackTools.IsCi)
        {
            Skip = why;
        }
    }
}

/// <summary>Tests that start servers or set JACK_DEFAULT_SERVER (process-wide) run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class JackCollection
{
    public const string Name = "JACK server";
}
