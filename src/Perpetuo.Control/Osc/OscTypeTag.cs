namespace Perpetuo.Control.Osc;

/// <summary>The type tag characters of OSC 1.0 that this codec reads and writes.</summary>
/// <remarks>
/// Required by OSC 1.0: i f s b. Recommended extensions: h d t S c r m T F N I. Arrays ('[' ']') are not
/// supported and are rejected as unknown tags, as is every other character.
/// </remarks>
public static class OscTypeTag
{
    public const char Int32 = 'i';
    public const char Float = 'f';
    public const char String = 's';
    public const char Blob = 'b';
    public const char Int64 = 'h';
    public const char Double = 'd';
    public const char TimeTag = 't';
    public const char Symbol = 'S';
    public const char Char = 'c';
    public const char Rgba = 'r';
    public const char Midi = 'm';
    public const char True = 'T';
    public const char False = 'F';
    public const char Nil = 'N';
    public const char Impulse = 'I';

    /// <summary>Whether <paramref name="tag"/> is a type tag this codec understands.</summary>
    public static bool IsKnown(char tag) => FixedSize(tag) >= 0 || tag is String or Symbol or Blob;

    /// <summary>
    /// Data size in bytes of a fixed-size type (0 for T F N I), or -1 for variable-size (s S b) and unknown tags.
    /// </summary>
    internal static int FixedSize(char tag) => tag switch
    {
        Int32 or Float or Char or Rgba or Midi => 4,
        Int64 or Double or TimeTag => 8,
        True or False or Nil or Impulse => 0,
        _ => -1,
    };
}
