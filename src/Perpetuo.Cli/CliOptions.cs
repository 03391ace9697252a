using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Perpetuo.Cli;

/// <summary>
/// The option kinds every verb builds its definition from, so that a bound, its parse and its error message are
/// written once: an out-of-range or malformed value is a parse error (one line, exit status 2) before any verb runs.
/// </summary>
internal static class CliOptions
{
    /// <summary>The longest run any verb accepts, in seconds: a week.</summary>
    public const double MaxSeconds = 7 * 24 * 3600;

    /// <summary>
    /// <c>--seconds N</c>, the same everywhere: a number of seconds greater than 0 and at most <see cref="MaxSeconds"/>.
    /// Absent means "until Ctrl+C" for play, and the verb's default or a required value elsewhere; 0 is refused
    /// (it used to mean "forever" for play only).
    /// </summary>
    public static Option<double?> Seconds(string description, bool required = false) =>
        new("--seconds")
        {
            Description = description,
            HelpName = "N",
            Required = required,
            CustomParser = r => ParseDouble(r, double.Epsilon, MaxSeconds, "a number of seconds > 0 and <= " + MaxSeconds.ToString(CultureInfo.InvariantCulture)),
        };

    public static Option<int> Int(string name, int fallback, int min, int max, string description) =>
        new(name)
        {
            Description = description,
            HelpName = "N",
            DefaultValueFactory = _ => fallback,
            CustomParser = r =>
            {
                string s = r.Tokens[0].Value;
                if (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max)
                {
                    return v;
                }
                r.AddError($"{name} must be an integer in {min}..{max}, got \"{s}\"");
                return fallback;
            },
        };

    public static Option<double> Double(string name, double fallback, double min, double max, string description) =>
        new(name)
        {
            Description = description,
            HelpName = "N",
            DefaultValueFactory = _ => fallback,
            CustomParser = r => ParseDouble(r, min, max, $"a number in {min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}") ?? fallback,
        };

    public static Option<string?> Text(string name, string helpName, string description) =>
        new(name) { Description = description, HelpName = helpName };

    public static Option<string> Text(string name, string helpName, string fallback, string description) =>
        new(name) { Description = description, HelpName = helpName, DefaultValueFactory = _ => fallback };

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    /// <summary><c>--output</c> of play and demo, completed with its kinds.</summary>
    public static Option<string> Output(string description)
    {
        var o = Text("--output", "auto|null|wav:PATH|jack|portaudio[:DEV]", "auto", description);
        o.CompletionSources.Add(["auto", "null", "wav:", "jack", "portaudio", "portaudio:"]);
        return o;
    }

    /// <summary><c>--wait</c> of play and worker: how a worker waits for room in its ring.</summary>
    public static Option<string> Wait() => OneOf("--wait", "doorbell", "how a worker waits for work: woken by the supervisor (doorbell), or polling (sleep 1 ms, yield, spin)", "doorbell", "sleep", "yield", "spin");

    /// <summary>A word from <paramref name="words"/>: completed with them, anything else is a one-line error.</summary>
    public static Option<string> OneOf(string name, string fallback, string description, params string[] words)
    {
        var o = Text(name, string.Join('|', words), fallback, description);
        o.CompletionSources.Add(words);
        o.Validators.Add(r =>
        {
            string? v = r.GetValueOrDefault<string>();
            if (v != null && !words.Contains(v, StringComparer.Ordinal))
            {
                r.AddError($"{name} must be {string.Join(", ", words[..^1])} or {words[^1]}, got \"{v}\"");
            }
        });
        return o;
    }

    /// <summary><c>--osc HOST:PORT</c> of the query verbs: the engine to ask.</summary>
    public static Option<string> Osc() =>
        Text("--osc", "HOST:PORT", Perpetuo.Supervisor.Osc.OscEndpoint.Default, "the engine's OSC control port (UDP)");

    /// <summary><c>--timeout</c> of the query verbs, in seconds.</summary>
    public static Option<double> Timeout() => Double("--timeout", 2, 0.01, 3600, "seconds to wait for the reply");

    private static double? ParseDouble(ArgumentResult r, double min, double max, string what)
    {
        string s = r.Tokens[0].Value;
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && v >= min && v <= max)
        {
            return v;
        }
        string name = r.Parent is OptionResult o ? o.Option.Name : "value";
        r.AddError($"{name} must be {what}, got \"{s}\"");
        return null;
    }
}
