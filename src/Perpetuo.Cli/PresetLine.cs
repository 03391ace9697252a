using System.Globalization;
using System.Text;
using Perpetuo.Lv2;

namespace Perpetuo.Cli;

/// <summary>
/// One preset in the report of a plugin check's child: <c>NUMBER HAS_STATE URI LABEL-AS-HEX SYMBOL=VALUE...</c>,
/// fields separated by single spaces: the label in UTF-8 hex (it may hold anything), each value in invariant
/// culture. The parent reads it as untrusted input: a line that does not parse is dropped.
/// </summary>
internal static class PresetLine
{
    public static string Format(Lv2Preset p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"{p.Number} {(p.HasState ? 1 : 0)} {OneWord(p.Uri)} {Convert.ToHexStringLower(Encoding.UTF8.GetBytes(p.Label))}");
        foreach ((string symbol, float value) in p.Values)
        {
            b.Append(CultureInfo.InvariantCulture, $" {OneWord(symbol)}={value:R}");
        }
        return b.ToString();
    }

    /// <summary>The preset the line describes, or null when it is not one.</summary>
    public static PresetJson? TryParse(string line)
    {
        string[] f = line.Split(' ');
        if (f.Length < 4 || !int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number < 1
            || f[1] is not ("0" or "1") || f[2].Length == 0)
        {
            return null;
        }
        string label;
        try
        {
            label = Encoding.UTF8.GetString(Convert.FromHexString(f[3]));
        }
        catch (FormatException)
        {
            return null;
        }
        var values = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (string pair in f.Skip(4))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !float.TryParse(pair.AsSpan(eq + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v))
            {
                return null;
            }
            values[pair[..eq]] = v;
        }
        return new PresetJson(number, f[2], label, f[1] == "1", values);
    }

    private static string OneWord(string text) => text.Replace(' ', '_').ReplaceLineEndings("_");
}
