using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Perpetuo.Supervisor.Telemetry;

/// <summary>
/// Listens to the <see cref="EngineMetrics.MeterName"/> meter and writes its instruments in the Prometheus text
/// exposition format (version 0.0.4).
/// </summary>
/// <remarks>
/// Design: why not prometheus-net's MeterAdapter? It turns every recorded measurement into a label lookup that
/// allocates (tag arrays, a sorted list, a lease closure) and may create a metric under a lock, on the thread that
/// records; here that is the audio process's control thread, ~190 histogram records a second (one per callback), and it
/// also exports counters as gauges. This listener instead keeps each histogram in preallocated buckets updated with
/// Interlocked (no allocation, no lock on the recording thread), and reads the observable instruments only when a
/// scrape asks (<see cref="MeterListener.RecordObservableInstruments"/>, on the scrape thread). Names: dots become
/// underscores, unit "s" adds <c>_seconds</c>, counters end in <c>_total</c>.
/// <see cref="Collect"/> is for one thread at a time (the metrics server's); the histogram side is any thread.
/// </remarks>
public sealed class PrometheusExposition : IDisposable
{
    private static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private readonly MeterListener _listener = new();
    private readonly List<InstrumentState> _instruments = [];
    private readonly StringBuilder _text = new(8192);
    private readonly Lock _publish = new(); // instruments published (rare) vs. a scrape reading the list

    public PrometheusExposition(string meterName = EngineMetrics.MeterName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name != meterName)
            {
                return;
            }
            InstrumentState state = CreateState(instrument);
            lock (_publish)
            {
                _instruments.Add(state);
            }
            listener.EnableMeasurementEvents(instrument, state);
        };
        _listener.SetMeasurementEventCallback<double>((_, v, tags, s) => ((InstrumentState)s!).Record(v, tags));
        _listener.SetMeasurementEventCallback<long>((_, v, tags, s) => ((InstrumentState)s!).Record(v, tags));
        _listener.SetMeasurementEventCallback<int>((_, v, tags, s) => ((InstrumentState)s!).Record(v, tags));
        _listener.Start();
    }

    /// <summary>Collects the observable instruments and writes everything as Prometheus text. One thread at a time.</summary>
    public string Collect()
    {
        _text.Clear();
        InstrumentState[] instruments;
        lock (_publish)
        {
            instruments = [.. _instruments];
        }
        foreach (InstrumentState i in instruments)
        {
            i.BeginScrape();
        }
        _listener.RecordObservableInstruments(); // the observable callbacks run here, on this thread
        foreach (InstrumentState i in instruments)
        {
            i.WriteTo(_text);
        }
        WriteProcess(_text);
        return _text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private static InstrumentState CreateState(Instrument instrument)
    {
        string name = instrument.Name.Replace('.', '_').Replace('-', '_');
        if (instrument.Unit == "s" && !name.EndsWith("_seconds", StringComparison.Ordinal))
        {
            name += "_seconds";
        }
        return instrument switch
        {
            Histogram<double> h => new HistogramState(name, instrument.Description, [.. h.Advice?.HistogramBucketBoundaries ?? DefaultBuckets]),
            ObservableCounter<long> or ObservableCounter<double> or ObservableCounter<int> =>
                new ObservedState(name.EndsWith("_total", StringComparison.Ordinal) ? name : name + "_total", instrument.Description, "counter"),
            _ => new ObservedState(name, instrument.Description, "gauge"),
        };
    }

    private static void WriteProcess(StringBuilder t)
    {
        t.Append("# HELP process_cpu_seconds_total User and system CPU time of the audio process.\n# TYPE process_cpu_seconds_total counter\n");
        t.Append(CultureInfo.InvariantCulture, $"process_cpu_seconds_total {Environment.CpuUsage.TotalTime.TotalSeconds:R}\n");
        t.Append("# HELP process_resident_memory_bytes Resident memory of the audio process.\n# TYPE process_resident_memory_bytes gauge\n");
        t.Append(CultureInfo.InvariantCulture, $"process_resident_memory_bytes {Environment.WorkingSet}\n");
        t.Append("# HELP dotnet_total_allocated_bytes Bytes allocated by the audio process since it started.\n# TYPE dotnet_total_allocated_bytes counter\n");
        t.Append(CultureInfo.InvariantCulture, $"dotnet_total_allocated_bytes {GC.GetTotalAllocatedBytes()}\n");
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return "";
        }
        var sb = new StringBuilder("{");
        foreach (KeyValuePair<string, object?> t in tags)
        {
            if (sb.Length > 1)
            {
                sb.Append(',');
            }
            string value = Convert.ToString(t.Value, CultureInfo.InvariantCulture) ?? "";
            sb.Append(t.Key.Replace('.', '_')).Append("=\"").Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
        }
        return sb.Append('}').ToString();
    }

    private abstract class InstrumentState(string name, string? help, string type)
    {
        public string Name { get; } = name;

        public abstract void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

        public virtual void BeginScrape()
        {
        }

        public void WriteTo(StringBuilder t)
        {
            t.Append("# HELP ").Append(Name).Append(' ').Append((help ?? "").Replace("\n", " ", StringComparison.Ordinal)).Append('\n');
            t.Append("# TYPE ").Append(Name).Append(' ').Append(type).Append('\n');
            WriteSamples(t);
        }

        protected abstract void WriteSamples(StringBuilder t);
    }

    /// <summary>An observable instrument: the values of the current scrape. Scrape thread only.</summary>
    private sealed class ObservedState(string name, string? help, string type) : InstrumentState(name, help, type)
    {
        private readonly List<(string Labels, double Value)> _values = [];

        public override void BeginScrape() => _values.Clear();

        public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _values.Add((Labels(tags), value));

        protected override void WriteSamples(StringBuilder t)
        {
            foreach (var (labels, value) in _values)
            {
                t.Append(Name).Append(labels).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            }
        }
    }

    /// <summary>A histogram without tags, in preallocated buckets. Record: any thread, lock-free, allocation-free.</summary>
    private sealed class HistogramState(string name, string? help, double[] bounds) : InstrumentState(name, help, "histogram")
    {
        private readonly long[] _counts = new long[bounds.Length + 1]; // the last one is +Inf
        private long _count;
        private long _sumBits;

        public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            int i = 0;
            while (i < bounds.Length && value > bounds[i])
            {
                i++;
            }
            Interlocked.Increment(ref _counts[i]);
            long seen = Volatile.Read(ref _sumBits);
            while (true)
            {
                long next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + value);
                long was = Interlocked.CompareExchange(ref _sumBits, next, seen);
                if (was == seen)
                {
                    break;
                }
                seen = was;
            }
            Interlocked.Increment(ref _count);
        }

        protected override void WriteSamples(StringBuilder t)
        {
            long cumulative = 0;
            for (int i = 0; i <= bounds.Length; i++)
            {
                cumulative += Volatile.Read(ref _counts[i]);
                string le = i < bounds.Length ? bounds[i].ToString("R", CultureInfo.InvariantCulture) : "+Inf";
                t.Append(Name).Append("_bucket{le=\"").Append(le).Append("\"} ").Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
            double sum = BitConverter.Int64BitsToDouble(Volatile.Read(ref _sumBits));
            t.Append(Name).Append("_sum ").Append(sum.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            t.Append(Name).Append("_count ").Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }
}
