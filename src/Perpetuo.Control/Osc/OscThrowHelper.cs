using System.Diagnostics.CodeAnalysis;

namespace Perpetuo.Control.Osc;

/// <summary>Throws kept out of line so the hot decode paths stay small enough to inline.</summary>
internal static class OscThrowHelper
{
    [DoesNotReturn]
    public static void ThrowParse(string? message) => throw new OscParseException(message ?? "Malformed OSC packet.");

    [DoesNotReturn]
    public static T ThrowParse<T>(string message) => throw new OscParseException(message);

    [DoesNotReturn]
    public static void ThrowTypeMismatch(char expected, char actual, int index) =>
        throw new OscParseException(actual == '\0'
            ? $"{OscErrors.NoMoreArguments} Expected '{expected}' at argument {index}."
            : $"{OscErrors.TypeMismatch} Expected '{expected}' at argument {index}, found '{actual}'.");

    [DoesNotReturn]
    public static void ThrowInvalidOperation(string message) => throw new InvalidOperationException(message);
}
