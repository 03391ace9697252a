/*
 * Perpetuo's test plugin for LV2 State and presets (built by the tests like test.c; never installed, never shipped):
 *
 *   urn:perpetuo:test:state   out = in * trim * level / 100. `level` is state of its own (not a port): an Int
 *                             property, with a name (a String) and a tag (a 3-byte Chunk) saved beside it; its data
 *                             gives a default state (level 50) for the host to load (state:loadDefaultState), and
 *                             presets (state.ttl) set `trim`, `level` or both. A control output reports the level.
 */
#include <lv2/atom/atom.h>
#include <lv2/core/lv2.h>
#include <lv2/state/state.h>
#include <lv2/urid/urid.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define STATE_URI "urn:perpetuo:test:state"

typedef struct {
    const float *in;
    float *out;
    const float *trim;
    float *level_out;
    int32_t level;
    char name[64];
    uint8_t tag[3];
    LV2_URID k_level, k_name, k_tag, t_int, t_string, t_chunk;
} State;

static LV2_Handle instantiate(const LV2_Descriptor *d, double rate, const char *path, const LV2_Feature *const *f)
{
    (void)d; (void)rate; (void)path;
    LV2_URID_Map *map = NULL;
    for (int i = 0; f && f[i]; i++) {
        if (!strcmp(f[i]->URI, LV2_URID__map)) {
            map = (LV2_URID_Map *)f[i]->data;
        }
    }
    if (!map) {
        return NULL;
    }
    State *s = (State *)calloc(1, sizeof(State));
    s->level = 100; /* what it plays without its default state */
    strcpy(s->name, "unnamed");
    s->k_level = map->map(map->handle, STATE_URI "#level");
    s->k_name = map->map(map->handle, STATE_URI "#name");
    s->k_tag = map->map(map->handle, STATE_URI "#tag");
    s->t_int = map->map(map->handle, LV2_ATOM__Int);
    s->t_string = map->map(map->handle, LV2_ATOM__String);
    s->t_chunk = map->map(map->handle, LV2_ATOM__Chunk);
    return s;
}

static void connect(LV2_Handle h, uint32_t port, void *data)
{
    State *s = (State *)h;
    switch (port) {
    case 0: s->in = (const float *)data; break;
    case 1: s->out = (float *)data; break;
    case 2: s->trim = (const float *)data; break;
    case 3: s->level_out = (float *)data; break;
    }
}

static void run(LV2_Handle h, uint32_t n)
{
    State *s = (State *)h;
    float g = *s->trim * (float)s->level / 100.0f;
    for (uint32_t i = 0; i < n; i++) {
        s->out[i] = s->in[i] * g;
    }
    *s->level_out = (float)s->level;
}

static LV2_State_Status save(LV2_Handle h, LV2_State_Store_Function store, LV2_State_Handle handle, uint32_t flags,
                             const LV2_Feature *const *features)
{
    (void)flags; (void)features;
    State *s = (State *)h;
    uint32_t pod = LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE;
    store(handle, s->k_level, &s->level, sizeof s->level, s->t_int, pod);
    store(handle, s->k_name, s->name, strlen(s->name) + 1, s->t_string, pod);
    store(handle, s->k_tag, s->tag, sizeof s->tag, s->t_chunk, pod);
    return LV2_STATE_SUCCESS;
}

static LV2_State_Status restore(LV2_Handle h, LV2_State_Retrieve_Function retrieve, LV2_State_Handle handle, uint32_t flags,
                                const LV2_Feature *const *features)
{
    (void)flags; (void)features;
    State *s = (State *)h;
    size_t size;
    uint32_t type, vflags;
    const void *v = retrieve(handle, s->k_level, &size, &type, &vflags);
    if (v && size == sizeof(int32_t) && type == s->t_int) {
        memcpy(&s->level, v, sizeof s->level);
    }
    v = retrieve(handle, s->k_name, &size, &type, &vflags);
    if (v && type == s->t_string && size > 0 && size <= sizeof s->name) {
        memcpy(s->name, v, size);
        s->name[size - 1] = 0;
    }
    v = retrieve(handle, s->k_tag, &size, &type, &vflags);
    if (v && type == s->t_chunk && size == sizeof s->tag) {
        memcpy(s->tag, v, sizeof s->tag);
    }
    return LV2_STATE_SUCCESS;
}

static const void *extension_data(const char *uri)
{
    static const LV2_State_Interface state = { save, restore };
    return strcmp(uri, LV2_STATE__interface) ? NULL : &state;
}

static void cleanup(LV2_Handle h) { free(h); }

static const LV2_Descriptor descriptor = { STATE_URI, instantiate, connect, NULL, run, NULL, cleanup, extension_data };

LV2_SYMBOL_EXPORT const LV2_Descriptor *lv2_descriptor(uint32_t index)
{
    return index == 0 ? &descriptor : NULL;
}
