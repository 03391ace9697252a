using System.CommandLine;
using System.Globalization;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Osc;

namespace Perpetuo.Cli;

/// <summary>`send`: one OSC message to a running engine; prints the reply.</summary>
internal static class SendCommand
{
    private const string Description = """
        send one OSC message to a running engine and print the reply

        Sends one OSC message to a running `perpetuo play` and prints its reply. Argument types are inferred
        (integer, float, else string) or given with -t, one letter per argument: i h f d s S, and T F N I which
        take no value. Exits 0 on /perpetuo/done (or a status/modules reply), 1 on /perpetuo/error or when no
        reply arrives within the timeout, 2 on a usage error. See docs/protocol.md for the address space.

        Examples:
          perpetuo send /perpetuo/param filter cutoff 400
          perpetuo send /perpetuo/param filter cutoff 400 2.5 -t ssff
          perpetuo send /perpetuo/note/on 60 0.8
          perpetuo send /perpetuo/module/add osc lead freq 220 -t sssf
        """;

    private static readonly Argument<string> AddressArgument = new("ADDRESS") { Description = "the OSC address, e.g. /perpetuo/param" };
    private static readonly Argument<string[]> ValuesArgument = new("ARGS") { Description = "the message's arguments", Arity = ArgumentArity.ZeroOrMore };
    private static readonly Option<string?> TypesOption = new("--types", "-t")
    {
        Description = "one type letter per argument: i h f d s S, and T F N I which take no value (default: inferred)",
        HelpName = "TYPES",
    };
    private static readonly Option<string> OscOption = CliOptions.Osc();
    private static readonly Option<double> TimeoutOption = CliOptions.Timeout();

    /// <summary>The `send` verb: its arguments, options, help and action.</summary>
    public static Command Create()
    {
        AddressArgument.Validators.Add(r =>
        {
            if (!r.GetValueOrDefault<string>().StartsWith('/'))
            {
                r.AddError("the first argument must be an OSC address such as /perpetuo/param");
            }
        });
        ValuesArgument.Validators.Add(r =>
        {
            // An unknown option would otherwise be sent as a string argument: refuse the misspelt --timout 3.
            foreach (string v in r.GetValueOrDefault<string[]>() ?? [])
            {
                if (v.StartsWith("--", StringComparison.Ordinal))
                {
                    r.AddError($"unknown option {v}; known: --types (-t), --osc, --timeout");
                }
            }
        });
        var command = new Command("send", Description) { AddressArgument, ValuesArgument, TypesOption, OscOption, TimeoutOption };
        command.SetAction(Run);
        return command;
    }

    private static int Run(ParseResult a)
    {
        double timeout = a.GetValue(TimeoutOption);
        string address = a.GetRequiredValue(AddressArgument);
        string[] values = a.GetValue(ValuesArgument) ?? [];
        string? types = a.GetValue(TypesOption);
        using OscClient client = OscClient.Open("send", a.GetValue(OscOption)!);
        var message = new OscMessage(address, BuildArguments(values, types));
        OscMessage? reply = client.Request(message, TimeSpan.FromSeconds(timeout));
        if (reply == null)
        {
            Console.Error.WriteLine($"perpetuo: error: {OscClient.NoReply(client.Server, timeout)}");
            return 1;
        }
        if (reply.Address == ControlAddresses.Error)
        {
            Console.Error.WriteLine($"perpetuo: error: {(reply.Arguments.Count > 1 ? reply.Arguments[1].AsString() : reply.ToString())}");
            return 1;
        }
        Console.WriteLine(reply.Address == ControlAddresses.Done ? $"done {message.Address}" : reply.Arguments[0].AsString());
        return 0;
    }

    /// <summary>The arguments, typed by <paramref name="types"/> or inferred.</summary>
    internal static List<OscArgument> BuildArguments(IReadOnlyList<string> values, string? types)
    {
        var args = new List<OscArgument>();
        if (types == null)
        {
            args.AddRange(values.Select(Infer));
            return args;
        }
        types = types.TrimStart(',');
        int next = 0;
        foreach (char t in types)
        {
            if (t is 'T' or 'F' or 'N' or 'I')
            {
                args.Add(t switch { 'T' => OscArgument.True, 'F' => OscArgument.False, 'N' => OscArgument.Nil, _ => OscArgument.Impulse });
                continue;
            }
            if (next >= values.Count)
            {
                throw new CliException($"send: -t {types} declares more values than were given ({values.Count})");
            }
            args.Add(Typed(t, values[next++]));
        }
        if (next != values.Count)
        {
            throw new CliException($"send: -t {types} declares {next} values but {values.Count} were given");
        }
        return args;
    }

    private static OscArgument Infer(string v) =>
        int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int i) ? i
        : v.All(c => char.IsAsciiDigit(c) || c is '.' or '-' or '+' or 'e' or 'E')
          && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? (float)d // not "NaN", "Infinity": strings
        : v;

    private static OscArgument Typed(char t, string v)
    {
        try
        {
            return t switch
            {
                'i' => int.Parse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                'h' => long.Parse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                'f' => float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
                'd' => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
                's' => v,
                'S' => OscArgument.FromSymbol(v),
                _ => throw new CliException($"send: unsupported type letter '{t}'; use i h f d s S T F N I"),
            };
        }
        catch (FormatException)
        {
            throw new CliException($"send: \"{v}\" is not a valid '{t}' value");
        }
        catch (OverflowException)
        {
            throw new CliException($"send: \"{v}\" is out of range for '{t}'");
        }
    }
}
