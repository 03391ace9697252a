using System.Globalization;

namespace Perpetuo.Cli;

/// <summary>
/// A small, strict command-line parser: <c>--name value</c>, <c>--name=value</c> and <c>--flag</c>; positional
/// arguments in order. Unknown options are errors that name the option and list the known ones.
/// </summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    private CliArgs(string verb) => Verb = verb;

    public string Verb { get; }

    public List<string> Positional { get; } = [];

    /// <summary>True when --help or -h was given.</summary>
    public bool Help { get; private set; }

    /// <summary>Parses <paramref name="args"/> after the verb. <paramref name="flags"/> take no value.</summary>
    public static CliArgs Parse(string verb, IReadOnlyList<string> args, IReadOnlySet<string> flags)
    {
        var r = new CliArgs(verb);
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (a is "--help" or "-h")
            {
                r.Help = true;
            }
            else if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                string name = a[2..];
                string? value = null;
                int eq = name.IndexOf('=', StringComparison.Ordinal);
                if (eq >= 0)
                {
                    value = name[(eq + 1)..];
                    name = name[..eq];
                }
                else if (!flags.Contains(name))
                {
                    if (i + 1 >= args.Count)
                    {
                        throw new CliException($"{verb}: option --{name} needs a value");
                    }
                    value = args[++i];
                }
                r._options[name] = value;
            }
            else
            {
                r.Positional.Add(a);
            }
        }
        return r;
    }

    public string? String(string name)
    {
        _used.Add(name);
        return _options.TryGetValue(name, out string? v) ? v : null;
    }

    public bool Flag(string name)
    {
        _used.Add(name);
        return _options.ContainsKey(name);
    }

    public int Int(string name, int fallback, int min, int max)
    {
        string? s = String(name);
        if (s == null)
        {
            return fallback;
        }
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < min || v > max)
        {
            throw new CliException($"{Verb}: --{name} must be an integer in {min}..{max}, got \"{s}\"");
        }
        return v;
    }

    public double Double(string name, double fallback, double min, double max)
    {
        string? s = String(name);
        if (s == null)
        {
            return fallback;
        }
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v) || v < min || v > max)
        {
            throw new CliException($"{Verb}: --{name} must be a number in {min}..{max}, got \"{s}\"");
        }
        return v;
    }

    /// <summary>Throws if an option was given that the verb never asked about.</summary>
    public void RejectUnknown()
    {
        foreach (string k in _options.Keys)
        {
            if (!_used.Contains(k))
            {
                throw new CliException($"{Verb}: unknown option --{k}; known: {string.Join(", ", _used.Order().Select(u => "--" + u))} (see perpetuo {Verb} --help)");
            }
        }
    }
}
