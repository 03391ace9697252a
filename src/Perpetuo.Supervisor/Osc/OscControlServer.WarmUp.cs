using Perpetuo.Control.Commands;
using Perpetuo.Control.Osc;
using Perpetuo.Supervisor.Control;
using Perpetuo.Transport;
using Perpetuo.Protocol;

namespace Perpetuo.Supervisor.Osc;

// Why: the first request through a cold server took ~24 ms on the control thread (JIT of the parser, the model,
// System.Text.Json, the exception path), long enough for the workers to reach their render limit and the callback
// to underrun. So the constructor runs one of each request through the real handling path — against a copy of
// the model and a target that accepts everything, with replies suppressed — before the engine polls it.
public sealed partial class OscControlServer
{
    private bool _warming;

    private void WarmUp()
    {
        GraphModel real = _model;
        _model = real.Clone();
        _warming = true;
        try
        {
            ModuleState? m = _model.Modules.FirstOrDefault(x => x.Type.Params.Count > 0);
            string id = m?.Id ?? "warm";
            string param = m?.Type.Params[0].Name ?? "x";
            float value = m?.Type.Params[0].Default ?? 0;
            string type = _model.Catalog.Types.First().Type;
            var target = new WarmUpTarget();
            OscPacket[] packets =
            [
                new OscMessage(ControlAddresses.Param, id, param, value),
                new OscMessage(ControlAddresses.Param, id, param, (int)value, 0.5),
                new OscMessage(ControlAddresses.Param, id, param, float.NaN),
                new OscMessage(ControlAddresses.NoteOn, 60, 1f),
                new OscMessage(ControlAddresses.NoteOff, 60),
                new OscMessage(ControlAddresses.NotesOff),
                new OscMessage(ControlAddresses.ModuleAdd, type, "warm-up-module"),
                new OscMessage(ControlAddresses.ModuleRemove, "warm-up-module"),
                new OscMessage(ControlAddresses.ModuleAdd, "lv2:urn:perpetuo:warm-up", "warm-up-plugin"), // the plugin-type path
                new OscMessage(ControlAddresses.ModuleRestore, "warm-up-plugin"),
                new OscMessage(ControlAddresses.PatchLoad, "perpetuo-warm-up.json"),
                new OscMessage(ControlAddresses.Status),
                new OscMessage(ControlAddresses.Modules),
                new OscMessage(ControlAddresses.Levels),
                new OscMessage(ControlAddresses.Events, 0L),
                new OscMessage(ControlAddresses.PatchCurrent),
                new OscMessage(ControlAddresses.PatchCurrent, 99),
                new OscMessage(ControlAddresses.Fault, 0, "stall"),
                new OscMessage("/warm-up/unknown"),
                new OscBundle(OscTimeTag.FromDateTime(DateTime.UtcNow.AddSeconds(1)),
                    new OscMessage(ControlAddresses.ModuleAdd, type, "warm-up-2"), new OscMessage(ControlAddresses.NotesOff)),
            ];
            foreach (OscPacket p in packets)
            {
                HandlePacket(target, p.ToArray());
            }
            HandlePacket(target, [1, 2, 3, 4]);
            // A finished patch load is submitted on the control thread: JIT that path too (measured: its first run
            // stalled a tick by ~20 ms), with the model's own modules as the patch.
            var load = ControlRequest.ForPatchLoad(ControlAddresses.PatchLoad, "warm-up.json");
            var patch = new Perpetuo.Control.Patches.PatchSpec(
                [.. _model.Modules.Select(x => new Perpetuo.Control.Patches.ModuleSpec(x.Type.Type, x.Id, []))]);
            SubmitPatch(target, load, GraphModel.PatchCommands(patch, clearFirst: true), "", _sender);
            SubmitPatch(target, load, null, "warm-up", _sender);
        }
        finally
        {
            _warming = false;
            _model = real;
            Packets = Malformed = Accepted = Rejected = RepliesDropped = 0;
        }
    }

    private sealed class WarmUpTarget : IEngineTarget
    {
        public int SampleRate => 48000;

        public int BlockFrames => 256;

        public long NextBlock => 0;

        public bool TrySubmit(IReadOnlyList<CommandGroup> groups, out string error)
        {
            error = "";
            return true;
        }

        public bool TryInjectFault(int slot, CommandKind kind, float value, float value2, out string error)
        {
            error = "";
            return true;
        }

        public void CountRejected()
        {
        }

        public EngineStatus Status() => new(0, 0, 0, 0, 0, 0, 0, 0, 0, SampleRate, BlockFrames, 1, []);

        public EngineGlance Glance() => new(0, 0, 0, 0, 0, 0, 0, 0, 2, 2);

        public SlotGlance GlanceSlot(int slot) => new(SlotRole.Standby, 0, 0, 0, 0, 0);

        public float Peak(int channel) => 0;
    }
}
