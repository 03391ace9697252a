using System.Text;
using Perpetuo.Control.Osc;

namespace Perpetuo.Control.Commands;

public static partial class RequestParser
{
    /// <summary>
    /// Reads a message's arguments in order and words what went wrong. Mutable struct: pass it by ref.
    /// </summary>
    private ref struct Args
    {
        private OscMessageReader _message;

        public Args(OscMessageReader message, string address, RequestPool? pool)
        {
            _message = message;
            Address = address;
            Pool = pool;
        }

        public string Address { get; }

        /// <summary>Where a request of one command comes from, or null.</summary>
        public RequestPool? Pool { get; }

        public string? Error { get; private set; }

        public readonly bool HasMore => _message.HasMoreArguments;

        /// <summary>Records <paramref name="problem"/> (prefixed with the address) and returns false.</summary>
        public bool Fail(string problem)
        {
            Error = $"{Address}: {problem}";
            return false;
        }

        public bool TryString(string usage, string what, out string value)
        {
            value = "";
            int index = _message.ArgumentIndex + 1;
            if (!_message.HasMoreArguments)
            {
                return Fail($"missing argument {index} ({what}); usage: {usage}");
            }
            if (!_message.TryReadString(out ReadOnlySpan<byte> utf8))
            {
                return Fail($"argument {index} ({what}) must be a string (s), got '{_message.NextType}'; usage: {usage}");
            }
            value = Strings.Get(utf8);
            return true;
        }

        /// <summary>Reads an i, h, f or d argument as a finite float.</summary>
        public bool TryNumber(string usage, string what, out float value)
        {
            value = 0;
            int index = _message.ArgumentIndex + 1;
            if (!_message.HasMoreArguments)
            {
                return Fail($"missing argument {index} ({what}); usage: {usage}");
            }
            char tag = _message.NextType;
            if (!_message.TryReadNumber(out double number))
            {
                return Fail($"argument {index} ({what}) must be a number (f, i, d or h), got '{tag}'; usage: {usage}");
            }
            value = (float)number;
            if (!float.IsFinite(value))
            {
                return Fail($"argument {index} ({what}) must be a finite number, got {number.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
            }
            return true;
        }

        /// <summary>Reads an i, h, f or d argument as a whole number in 0..<paramref name="max"/>, exactly (no float rounding).</summary>
        public bool TryWhole(string usage, string what, double max, out double value)
        {
            value = 0;
            int index = _message.ArgumentIndex + 1;
            char tag = _message.NextType;
            if (!_message.TryReadNumber(out double number))
            {
                return Fail($"argument {index} ({what}) must be a number (i, h, f or d), got '{tag}'; usage: {usage}");
            }
            if (!(number >= 0 && number <= max && number == Math.Floor(number)))
            {
                return Fail($"argument {index} ({what}) must be a whole number 0..{max:0}, got {number.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
            }
            value = number;
            return true;
        }

        public bool TryEnd(string usage) =>
            !_message.HasMoreArguments
            || Fail($"too many arguments ({_message.ArgumentCount}, unexpected '{_message.NextType}' at {_message.ArgumentIndex + 1}); usage: {usage}");
    }
}
