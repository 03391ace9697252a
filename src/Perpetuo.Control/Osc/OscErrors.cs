namespace Perpetuo.Control.Osc;

/// <summary>
/// Error texts of the decoder. They are literals so the <c>Try…</c> paths report failures without allocating.
/// </summary>
internal static class OscErrors
{
    public const string EmptyPacket = "OSC packet is empty.";
    public const string PacketTooLarge = "OSC packet is larger than OscLimits.MaxPacketLength.";
    public const string Misaligned = "OSC packet length is not a multiple of 4.";
    public const string AddressMissingSlash = "OSC address pattern does not start with '/'.";
    public const string StringTruncated = "OSC string is truncated: packet ends before the string.";
    public const string StringUnterminated = "OSC string has no null terminator before the end of the packet.";
    public const string StringPaddingTruncated = "OSC string padding runs past the end of the packet.";
    public const string StringPaddingNotZero = "OSC string padding contains non-zero bytes.";
    public const string TypeTagMissing = "OSC message has no type tag string after its address.";
    public const string TypeTagMissingComma = "OSC type tag string does not start with ','.";
    public const string UnknownTypeTag = "OSC type tag string contains an unknown or unsupported type tag.";
    public const string ArgumentTruncated = "OSC argument is truncated: packet ends inside its data.";
    public const string BlobNegativeSize = "OSC blob has a negative size.";
    public const string BlobTooLarge = "OSC blob size runs past the end of the packet.";
    public const string BlobPaddingNotZero = "OSC blob padding contains non-zero bytes.";
    public const string TrailingBytes = "OSC message has bytes after its last argument.";
    public const string BundleTruncated = "OSC bundle is shorter than its 16-byte header.";
    public const string NotABundle = "OSC packet does not start with \"#bundle\".";
    public const string ElementSizeTruncated = "OSC bundle element size field is truncated.";
    public const string ElementSizeNotPositive = "OSC bundle element size is zero or negative.";
    public const string ElementSizeMisaligned = "OSC bundle element size is not a multiple of 4.";
    public const string ElementTooLarge = "OSC bundle element size runs past the end of the bundle.";
    public const string NestingTooDeep = "OSC bundles are nested deeper than OscLimits.MaxBundleDepth.";
    public const string NotAMessage = "OSC packet is a bundle, not a message.";
    public const string NoMoreArguments = "OSC message has no more arguments.";
    public const string TypeMismatch = "OSC argument has a different type than the one requested.";
}
