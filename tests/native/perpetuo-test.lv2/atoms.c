/*
 * Perpetuo's test plugins with atom ports (built by the tests like test.c; never installed, never shipped):
 *
 *   urn:perpetuo:test:gate-synth   an instrument whose output says, sample by sample, what it was told: while a note
 *                                  sounds (the last note on, until its note off or controller 123) every sample is
 *                                  (note + velocity / 128) / 256, else 0; it counts the MIDI messages and the
 *                                  controller-123 messages it read (control outputs), and echoes every message to its
 *                                  MIDI output
 *   urn:perpetuo:test:atom-garbage passes its input through and writes into its atom output what `mode` says: 0 a
 *                                  proper sequence of one event, 1 a sequence whose size is past its buffer, 2 an
 *                                  atom of another type, 3 an event whose body reaches past the sequence
 */
#include <lv2/atom/atom.h>
#include <lv2/atom/util.h>
#include <lv2/core/lv2.h>
#include <lv2/midi/midi.h>
#include <lv2/urid/urid.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const LV2_Atom_Sequence *midi_in;
    LV2_Atom_Sequence *midi_out;
    float *out;
    float *messages;
    float *all_off;
    LV2_URID midi_event, sequence;
    int note, velocity;
    float count, offs;
} Gate;

static LV2_URID_Map *find_map(const LV2_Feature *const *features)
{
    for (int i = 0; features && features[i]; i++) {
        if (!strcmp(features[i]->URI, LV2_URID__map)) {
            return (LV2_URID_Map *)features[i]->data;
        }
    }
    return NULL;
}

static LV2_Handle instantiate_gate(const LV2_Descriptor *d, double rate, const char *path, const LV2_Feature *const *f)
{
    (void)d; (void)rate; (void)path;
    LV2_URID_Map *map = find_map(f);
    if (!map) {
        return NULL;
    }
    Gate *g = (Gate *)calloc(1, sizeof(Gate));
    g->midi_event = map->map(map->handle, LV2_MIDI__MidiEvent);
    g->sequence = map->map(map->handle, LV2_ATOM__Sequence);
    g->note = -1;
    return g;
}

static void connect_gate(LV2_Handle h, uint32_t port, void *data)
{
    Gate *g = (Gate *)h;
    switch (port) {
    case 0: g->midi_in = (const LV2_Atom_Sequence *)data; break;
    case 1: g->midi_out = (LV2_Atom_Sequence *)data; break;
    case 2: g->out = (float *)data; break;
    case 3: g->messages = (float *)data; break;
    case 4: g->all_off = (float *)data; break;
    }
}

static void activate_gate(LV2_Handle h)
{
    Gate *g = (Gate *)h;
    g->note = -1;
    g->count = g->offs = 0;
}

static void fill(Gate *g, uint32_t from, uint32_t to)
{
    float v = g->note < 0 ? 0.0f : ((float)g->note + (float)g->velocity / 128.0f) / 256.0f;
    for (uint32_t i = from; i < to; i++) {
        g->out[i] = v;
    }
}

/* Appends a copy of ev to the output sequence, if it fits (the host set atom.size to the space there is). */
static void echo(LV2_Atom_Sequence *out, uint32_t capacity, const LV2_Atom_Event *ev)
{
    uint32_t total = (uint32_t)sizeof(LV2_Atom_Event) + ev->body.size;
    uint32_t used = out->atom.size; /* the body so far: unit, pad and events */
    if (sizeof(LV2_Atom) + used + lv2_atom_pad_size(total) > capacity) {
        return;
    }
    memcpy((char *)LV2_ATOM_BODY(&out->atom) + used, ev, total);
    out->atom.size += lv2_atom_pad_size(total);
}

static void run_gate(LV2_Handle h, uint32_t n)
{
    Gate *g = (Gate *)h;
    uint32_t capacity = g->midi_out->atom.size + (uint32_t)sizeof(LV2_Atom);
    g->midi_out->atom.type = g->sequence;
    g->midi_out->atom.size = sizeof(LV2_Atom_Sequence_Body);
    g->midi_out->body.unit = 0;
    g->midi_out->body.pad = 0;
    uint32_t at = 0;
    LV2_ATOM_SEQUENCE_FOREACH(g->midi_in, ev) {
        if (ev->body.type != g->midi_event || ev->body.size < 1) {
            continue;
        }
        uint32_t frame = ev->time.frames < 0 ? 0 : (uint32_t)ev->time.frames;
        frame = frame > n ? n : frame;
        fill(g, at, frame);
        at = frame;
        const uint8_t *m = (const uint8_t *)(ev + 1);
        g->count += 1;
        echo(g->midi_out, capacity, ev);
        uint8_t kind = m[0] & 0xF0;
        if (kind == LV2_MIDI_MSG_NOTE_ON && ev->body.size >= 3 && m[2] > 0) {
            g->note = m[1];
            g->velocity = m[2];
        } else if ((kind == LV2_MIDI_MSG_NOTE_OFF || kind == LV2_MIDI_MSG_NOTE_ON) && ev->body.size >= 3) {
            if (m[1] == g->note) {
                g->note = -1;
            }
        } else if (kind == LV2_MIDI_MSG_CONTROLLER && ev->body.size >= 3 && m[1] == LV2_MIDI_CTL_ALL_NOTES_OFF) {
            g->note = -1;
            g->offs += 1;
        }
    }
    fill(g, at, n);
    *g->messages = g->count;
    *g->all_off = g->offs;
}

typedef struct {
    const float *in;
    float *out;
    const float *mode;
    LV2_Atom_Sequence *notify;
    LV2_URID sequence, chunk;
} Garbage;

static LV2_Handle instantiate_garbage(const LV2_Descriptor *d, double rate, const char *path, const LV2_Feature *const *f)
{
    (void)d; (void)rate; (void)path;
    LV2_URID_Map *map = find_map(f);
    if (!map) {
        return NULL;
    }
    Garbage *g = (Garbage *)calloc(1, sizeof(Garbage));
    g->sequence = map->map(map->handle, LV2_ATOM__Sequence);
    g->chunk = map->map(map->handle, LV2_ATOM__Chunk);
    return g;
}

static void connect_garbage(LV2_Handle h, uint32_t port, void *data)
{
    Garbage *g = (Garbage *)h;
    switch (port) {
    case 0: g->in = (const float *)data; break;
    case 1: g->out = (float *)data; break;
    case 2: g->mode = (const float *)data; break;
    case 3: g->notify = (LV2_Atom_Sequence *)data; break;
    }
}

static void run_garbage(LV2_Handle h, uint32_t n)
{
    Garbage *g = (Garbage *)h;
    memmove(g->out, g->in, n * sizeof(float));
    uint32_t capacity = g->notify->atom.size; /* what the host says there is after the header */
    LV2_Atom_Event *ev = lv2_atom_sequence_begin(&g->notify->body);
    g->notify->body.unit = 0;
    g->notify->body.pad = 0;
    ev->time.frames = 0;
    ev->body.type = g->chunk;
    ev->body.size = 4;
    memset(ev + 1, 0xAB, 4);
    g->notify->atom.type = g->sequence;
    g->notify->atom.size = (uint32_t)sizeof(LV2_Atom_Sequence_Body) + lv2_atom_pad_size(sizeof(LV2_Atom_Event) + 4);
    switch ((int)lrintf(*g->mode)) {
    case 1: g->notify->atom.size = capacity + 4096; break;
    case 2: g->notify->atom.type = g->chunk + 1000; break;
    case 3: ev->body.size = 0x7FFFFFF0; break;
    default: break;
    }
}

static void cleanup(LV2_Handle h) { free(h); }

static const LV2_Descriptor descriptors[] = {
    { "urn:perpetuo:test:gate-synth", instantiate_gate, connect_gate, activate_gate, run_gate, NULL, cleanup, NULL },
    { "urn:perpetuo:test:atom-garbage", instantiate_garbage, connect_garbage, NULL, run_garbage, NULL, cleanup, NULL },
};

LV2_SYMBOL_EXPORT const LV2_Descriptor *lv2_descriptor(uint32_t index)
{
    return index < sizeof descriptors / sizeof descriptors[0] ? &descriptors[index] : NULL;
}
