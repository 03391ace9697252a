/*
 * Perpetuo's test plugin for the fixed clock (built by the tests like test.c; never installed, never shipped):
 *
 *   urn:perpetuo:test:clock   asks the C library's time() when instantiated and in every run, and says what it was
 *                             told in millions of seconds (control outputs); passes its input through
 */
#include <lv2/core/lv2.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    const float *in;
    float *out;
    float *at_instantiate;
    float *in_run;
    double born;
} Clock;

static LV2_Handle instantiate(const LV2_Descriptor *d, double rate, const char *path, const LV2_Feature *const *f)
{
    (void)d; (void)rate; (void)path; (void)f;
    Clock *c = (Clock *)calloc(1, sizeof(Clock));
    time_t t;
    time(&t);
    c->born = (double)t;
    return c;
}

static void connect(LV2_Handle h, uint32_t port, void *data)
{
    Clock *c = (Clock *)h;
    switch (port) {
    case 0: c->in = (const float *)data; break;
    case 1: c->out = (float *)data; break;
    case 2: c->at_instantiate = (float *)data; break;
    case 3: c->in_run = (float *)data; break;
    }
}

static void run(LV2_Handle h, uint32_t n)
{
    Clock *c = (Clock *)h;
    memmove(c->out, c->in, n * sizeof(float));
    *c->at_instantiate = (float)(c->born / 1e6);
    *c->in_run = (float)((double)time(NULL) / 1e6);
}

static void cleanup(LV2_Handle h) { free(h); }

static const LV2_Descriptor descriptor = { "urn:perpetuo:test:clock", instantiate, connect, NULL, run, NULL, cleanup, NULL };

LV2_SYMBOL_EXPORT const LV2_Descriptor *lv2_descriptor(uint32_t index)
{
    return index == 0 ? &descriptor : NULL;
}
