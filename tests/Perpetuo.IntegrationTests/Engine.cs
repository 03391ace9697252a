using System.Diagnostics;
using System.Text.Json;
using Perpetuo.Cli;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Osc;

namespace Perpetuo.IntegrationTests;

/// <summary>Asks a running engine for its status over OSC from this process (no extra process on a 2-core box).</summary>
internal static class Engine
{
    /// <summary>The status JSON, waiting up to <paramref name="wait"/> for the engine to answer.</summary>
    public static JsonElement Status(string osc, TimeSpan wait)
    {
        using OscClient client = OscClient.Connect(osc);
        var sw = Stopwatch.StartNew();
        while (true)
        {
            string? json = client.StatusJson(TimeSpan.FromMilliseconds(500));
            if (json != null)
            {
                return JsonDocument.Parse(json).RootElement.Clone();
            }
            Assert.True(sw.Elapsed < wait, $"the engine at {osc} did not answer /perpetuo/status");
        }
    }

    /// <summary>Waits (at most 30 s) until the output has played 100 blocks: the control port answers while the workers start.</summary>
    public static void WaitUntilPlaying(string osc)
    {
        var wait = Stopwatch.StartNew();
        while (Status(osc, TimeSpan.FromSeconds(30)).GetProperty("seq").GetInt64() < 100)
        {
            Assert.True(wait.Elapsed < TimeSpan.FromSeconds(30), "play did not start playing");
            Thread.Sleep(20);
        }
    }

    /// <summary>
    /// Pid of the active worker, once every other slot is verified again (a standby, or the trailing replica), null if
    /// that never happens within <paramref name="wait"/>.
    /// </summary>
    public static int? ActivePidWithStandby(string osc, TimeSpan wait)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < wait)
        {
            JsonElement s = Status(osc, TimeSpan.FromSeconds(10));
            int active = s.GetProperty("active_slot").GetInt32();
            List<JsonElement> slots = [.. s.GetProperty("slots").EnumerateArray()];
            if (slots[active].GetProperty("pid").GetInt32() > 0
                && slots.Where((_, i) => i != active).All(o => o.GetProperty("role").GetString() is "standby" or "trailing"))
            {
                return slots[active].GetProperty("pid").GetInt32();
            }
            Thread.Sleep(50);
        }
        return null;
    }

    /// <summary>A slot other than <paramref name="active"/> that stands by (not the trailing replica), from a status.</summary>
    public static int Standby(JsonElement status)
    {
        int active = status.GetProperty("active_slot").GetInt32();
        List<JsonElement> slots = [.. status.GetProperty("slots").EnumerateArray()];
        int standby = slots.FindIndex(o => o.GetProperty("role").GetString() == "standby");
        return standby >= 0 ? standby : (active + 1) % slots.Count;
    }

    /// <summary>Waits (at most 30 s) until <paramref name="condition"/> holds; fails with the events file's summary.</summary>
    public static void WaitUntil(Func<bool> condition, EventsFile events)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "timed out; events: " + events.Summary());
            Thread.Sleep(10);
        }
    }

    /// <summary>Sends <paramref name="request"/> and asserts the engine accepted it (<c>/perpetuo/done</c>).</summary>
    public static void Accept(OscClient client, OscMessage request)
    {
        OscMessage? reply = client.Request(request, TimeSpan.FromSeconds(5));
        Assert.True(reply?.Address == ControlAddresses.Done, $"{request.Address}: {reply?.Address ?? "no reply"} {reply}");
    }
}
