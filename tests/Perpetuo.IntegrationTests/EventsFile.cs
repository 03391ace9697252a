using System.Text.Json;

namespace Perpetuo.IntegrationTests;

/// <summary>Reads an engine's --events file (one JSON object per line) the way an outside script would.</summary>
internal sealed class EventsFile(string path)
{
    public IReadOnlyList<JsonElement> Read()
    {
        if (!File.Exists(path))
        {
            return [];
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var list = new List<JsonElement>();
        while (reader.ReadLine() is { } line)
        {
            if (line.EndsWith('}'))
            {
                list.Add(JsonDocument.Parse(line).RootElement.Clone());
            }
        }
        return list;
    }

    /// <summary>The events other than underruns, plus the underruns, for failure messages.</summary>
    public string Summary()
    {
        var all = Read();
        var (count, first, last) = Underruns();
        return string.Join('\n', all.Where(e => e.GetProperty("event").GetString() is not ("underrun" or "underruns")).Select(e => e.GetRawText()))
               + $"\n{count} underruns, blocks {first}..{last}";
    }

    /// <summary>
    /// Every underrun the file accounts for: a run of them is one "underrun" line and then "underruns" summaries
    /// (count, first, last). The first and last block are -1 when there were none.
    /// </summary>
    public (long Count, long First, long Last) Underruns()
    {
        long count = 0, first = long.MaxValue, last = -1;
        foreach (JsonElement e in Read())
        {
            string kind = e.GetProperty("event").GetString()!;
            if (kind == "underrun")
            {
                (count, first, last) = (count + 1, Math.Min(first, e.GetProperty("seq").GetInt64()), Math.Max(last, e.GetProperty("seq").GetInt64()));
            }
            else if (kind == "underruns")
            {
                count += e.GetProperty("count").GetInt64();
                (first, last) = (Math.Min(first, e.GetProperty("first").GetInt64()), Math.Max(last, e.GetProperty("last").GetInt64()));
            }
        }
        return (count, count == 0 ? -1 : first, last);
    }

    /// <summary>Every event of <paramref name="kind"/>, in order.</summary>
    public IEnumerable<JsonElement> All(string kind) => Read().Where(e => e.GetProperty("event").GetString() == kind);

    public int Count(string kind) => Read().Count(e => e.GetProperty("event").GetString() == kind);

    /// <summary>The worker pid of each slot and the active slot, as the events tell them.</summary>
    /// <summary>
    /// Waits (at most 30 s) until every one of <paramref name="slots"/> slots has had a worker started: start-up takes
    /// longer on a loaded machine, and a test that kills by the events' pids needs them all.
    /// </summary>
    public void WaitUntilStarted(int slots = 3)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (Slots().Pids.Count < slots)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"not every slot started; events: {Summary()}");
            Thread.Sleep(20);
        }
    }

    public (Dictionary<int, int> Pids, int Active) Slots()
    {
        var pids = new Dictionary<int, int>();
        int active = 0;
        foreach (JsonElement e in Read())
        {
            string kind = e.GetProperty("event").GetString()!;
            if (kind is "started" or "respawned")
            {
                pids[e.GetProperty("slot").GetInt32()] = e.GetProperty("pid").GetInt32();
            }
            else if (kind == "failover")
            {
                active = e.GetProperty("to").GetInt32();
            }
        }
        return (pids, active);
    }
}
