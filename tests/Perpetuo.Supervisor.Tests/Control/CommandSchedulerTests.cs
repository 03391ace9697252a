using Perpetuo.Protocol;
using Perpetuo.Supervisor.Control;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Tests.Control;

public sealed class CommandSchedulerTests
{
    private const int Frames = 256;

    [Fact]
    public void ABundleOfAFutureMessageAndMoreImmediateCommandsThanABlockHoldsIsRefusedWhole()
    {
        var s = new CommandScheduler(new CommandLog());
        s.Advance(10, null);
        CommandGroup[] bundle = [Group(1, at: 500), Group(Limits.CommandsPerBlock + 1)];
        Assert.False(s.TryAccept(bundle, Frames, null, out string error));
        Assert.Contains($"at most {Limits.CommandsPerBlock}", error);
        Assert.Equal((0L, 0), (s.Log.Count, s.Scheduled));
    }

    [Fact]
    public void ABlockTakesExactlyCommandsPerBlockAndNotOneMore()
    {
        var s = new CommandScheduler(new CommandLog());
        s.Advance(10, null);
        Assert.True(s.TryAccept([Group(Limits.CommandsPerBlock - 1)], Frames, null, out _));
        Assert.True(s.TryAccept([Group(1)], Frames, null, out _));
        Assert.False(s.TryAccept([Group(1)], Frames, null, out _)); // block 10 is full: the next must wait for the horizon
        s.Advance(11, null);
        Assert.True(s.TryAccept([Group(1)], Frames, null, out _));
        Assert.Equal(11, s.Log[s.Log.Count - 1].ApplyBlock);
    }

    [Fact]
    public void CommandsAlreadyScheduledForABlockCountAgainstIt()
    {
        var s = new CommandScheduler(new CommandLog());
        s.Advance(10, null);
        Assert.True(s.TryAccept([Group(Limits.CommandsPerBlock, at: 40)], Frames, null, out _));
        Assert.False(s.TryAccept([Group(1, at: 40, frame: 7)], Frames, null, out string error));
        Assert.Contains("block 40", error);
        Assert.True(s.TryAccept([Group(1, at: 41)], Frames, null, out _));
    }

    [Fact]
    public void TheScheduleIsBounded()
    {
        var s = new CommandScheduler(new CommandLog());
        int blocks = Limits.ScheduledCommands / Limits.CommandsPerBlock;
        for (int b = 0; b < blocks; b++)
        {
            Assert.True(s.TryAccept([Group(Limits.CommandsPerBlock, at: 100 + b)], Frames, null, out _));
        }
        Assert.False(s.TryAccept([Group(1, at: 100 + blocks)], Frames, null, out string error));
        Assert.Contains("already scheduled", error);
        Assert.Equal(Limits.ScheduledCommands, s.Scheduled);
    }

    /// <summary>
    /// Thousands of seeded schedules of submissions (immediate, late, timed, oversized, bundles of several groups),
    /// output progress and a worker that drains a ring of the real size: every invariant the engine's
    /// bit-exactness rests on is checked at every step.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RandomSchedulesKeepEveryInvariant(int seed)
    {
        for (int run = 0; run < 20; run++)
        {
            new Simulation(seed * 1000 + run).Run(400);
        }
    }

    private static CommandGroup Group(int count, long at = -1, int frame = 0)
    {
        var records = new CommandRecord[count];
        for (int i = 0; i < count; i++)
        {
            records[i] = CommandRecord.Create((int)CommandKind.NoteOn, 0, 0, value: 60, value2: 1);
        }
        return new CommandGroup(records, at, frame);
    }

    /// <summary>One scheduler, an output clock, and one worker with a command ring of the real capacity.</summary>
    private sealed class Simulation(int seed)
    {
        private readonly Random _rng = new(seed);
        private readonly CommandScheduler _s = new(new CommandLog(1024));
        private readonly Queue<CommandRecord> _ring = new();
        private readonly HashSet<int> _pending = [];
        private readonly Dictionary<int, long> _stampOf = [];
        private readonly int _depth = 2 + (seed % 3);
        private long _played;
        private long _cursor;
        private long _limit;
        private long _next; // the worker's next block
        private int _id;

        public void Run(int steps)
        {
            for (int step = 0; step < steps; step++)
            {
                switch (_rng.Next(4))
                {
                    case 0:
                    case 1:
                        Submit();
                        break;
                    default:
                        _played = Math.Min(_played + 1, _next); // the callback never plays a block the worker has not made
                        break;
                }
                FeedAndRender();
            }
            for (int i = 0; i < 200 && _pending.Count > 0; i++) // drain: every accepted command reaches the worker
            {
                _played = _next;
                FeedAndRender();
            }
            Assert.Empty(_pending);
        }

        private void Submit()
        {
            int groups = 1 + _rng.Next(3);
            var batch = new CommandGroup[groups];
            for (int g = 0; g < groups; g++)
            {
                int count = _rng.Next(10) == 0 ? _rng.Next(Limits.CommandsPerBlock + 500) : 1 + _rng.Next(40);
                long at = _rng.Next(3) switch
                {
                    0 => -1,
                    1 => Math.Max(0, _played - _rng.Next(5)), // late
                    _ => _played + _rng.Next(60),
                };
                var records = new CommandRecord[count];
                for (int i = 0; i < count; i++)
                {
                    records[i] = CommandRecord.Create((int)CommandKind.NoteOn, 0, 0, value: _id + i, value2: 1);
                }
                _id += count;
                batch[g] = new CommandGroup(records, at, _rng.Next(Frames));
            }
            long logBefore = _s.Log.Count;
            int scheduledBefore = _s.Scheduled;
            long floor = _s.PublishedLimit;
            var logged = new List<CommandRecord>();
            if (!_s.TryAccept(batch, Frames, logged.Add, out string error))
            {
                Assert.NotEmpty(error);
                Assert.Equal((logBefore, scheduledBefore), (_s.Log.Count, _s.Scheduled)); // refused: nothing changed
                return;
            }
            Assert.Equal(_s.Log.Count - logBefore, logged.Count);
            for (long i = logBefore; i < _s.Log.Count; i++)
            {
                Assert.True(_s.Log[i].ApplyBlock >= floor, "a stamp below a published render limit");
            }
            foreach (CommandGroup g in batch)
            {
                foreach (CommandRecord r in g.Records)
                {
                    _pending.Add((int)r.Value);
                }
            }
        }

        private void FeedAndRender()
        {
            long horizon = _played + _depth;
            _s.Advance(horizon, null);
            while (_cursor < _s.Log.Count && _ring.Count < Limits.CommandRingRecords)
            {
                CommandRecord r = _s.Log[_cursor++];
                _stampOf[(int)r.Value] = r.ApplyBlock;
                _ring.Enqueue(r);
            }
            long limit = _s.LimitFor(_cursor, horizon);
            for (long i = _cursor; i < _s.Log.Count; i++)
            {
                Assert.True(_s.Log[i].ApplyBlock >= limit, "a render limit passed an unfed command");
            }
            _limit = Math.Max(_limit, limit);
            while (_next < _limit)
            {
                int drained = 0;
                while (_ring.Count > 0 && _ring.Peek().ApplyBlock <= _next && drained < Limits.CommandRingRecords)
                {
                    CommandRecord r = _ring.Dequeue();
                    Assert.Equal(_next, r.ApplyBlock); // applied at its own block: never late, never early
                    Assert.True(_pending.Remove((int)r.Value), "a command applied twice");
                    drained++;
                }
                Assert.True(drained <= Limits.CommandsPerBlock, $"{drained} commands at block {_next}");
                _next++;
            }
        }
    }
}
