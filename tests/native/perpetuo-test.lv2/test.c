/*
 * Perpetuo's test plugins: real native LV2 plugins whose faults the tests choose, so that every fault kind is
 * exercised through the real LV2 path (lilv, a plugin's own code, a real signal) and not only through the managed
 * `fault` module. Built by the tests with gcc and lv2-dev (tests/Perpetuo.Lv2.Tests/TestPlugins.cs); never
 * installed, never shipped.
 *
 *   urn:perpetuo:test:fault      a one-pole smoother (state, so a replay matters) that faults in run() when
 *                                `armed` is 1: the kind is `mode` (see enum fault below)
 *   urn:perpetuo:test:crash-on-instantiate   SIGSEGV inside instantiate()
 *   urn:perpetuo:test:hang-on-instantiate    sleeps forever inside instantiate()
 *   urn:perpetuo:test:noisy      prints garbage on stdout and stderr when instantiated and activated, then
 *                                passes its input through (a scan must not take it for its own output)
 *   urn:perpetuo:test:uninitialized  adds to its input bytes of memory it allocated and never wrote (malloc, not
 *                                calloc): it plays differently wherever the heap was laid out otherwise (a replica)
 */
#include <lv2/core/lv2.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum fault { NONE = 0, SEGV = 1, ABORT = 2, EXIT = 3, DIVZERO = 4, STACK = 5, SPIN = 6, BLOCK = 7, NAN_OUT = 8 };

typedef struct {
    const float *in;
    float *out;
    const float *mode;
    const float *armed;
    float state;
} Fault;

static LV2_Handle instantiate_fault(const LV2_Descriptor *d, double rate, const char *path, const LV2_Feature *const *f)
{
    (void)d; (void)rate; (void)path; (void)f;
    return calloc(1, sizeof(Fault));
}

static void connect_fault(LV2_Handle h, uint32_t port, void *data)
{
    Fault *p = (Fault *)h;
    switch (port) {
    case 0: p->in = (const float *)data; break;
    case 1: p->out = (float *)data; break;
    case 2: p->mode = (const float *)data; break;
    case 3: p->armed = (const float *)data; break;
    }
}

static void activate_fault(LV2_Handle h) { ((Fault *)h)->state = 0.0f; }

/* Deep enough to overflow any thread's stack; `volatile` and the use of the array keep gcc from making it a loop. */
static int recurse(int depth)
{
    volatile char pad[4096];
    pad[0] = (char)depth;
    if (depth < 0) { /* never: depth only grows; the test keeps gcc from calling this an infinite recursion */
        return 0;
    }
    return recurse(depth + 1) + pad[0];
}

/* A write through a pointer the compiler cannot see is null. */
static void segv(void)
{
    volatile int *volatile bad = NULL;
    *bad = 1;
}

static void fire(int mode, float *out, uint32_t n)
{
    volatile int zero = 0, one = 1; /* both volatile: gcc turns 1 / x into compares, no division, and no trap */
    switch (mode) {
    case SEGV: segv(); break;
    case ABORT: abort();
    case EXIT: exit(3);
    case DIVZERO: out[0] = (float)(one / zero); break;
    case STACK: out[0] = (float)recurse(0); break;
    case SPIN: for (;;) { __asm__ volatile("" ::: "memory"); }
    case BLOCK: for (;;) { pause(); }
    case NAN_OUT: for (uint32_t i = 0; i < n; i++) { out[i] = NAN; } break;
    default: break;
    }
}

static void run_fault(LV2_Handle h, uint32_t n)
{
    Fault *p = (Fault *)h;
    float s = p->state;
    for (uint32_t i = 0; i < n; i++) {
        s = 0.5f * p->in[i] + 0.5f * s;
        p->out[i] = s;
    }
    p->state = s;
    if (*p->armed >= 0.5f) {
        fire((int)lrintf(*p->mode), p->out, n);
    }
}

static void cleanup(LV2_Handle h) { free(h); }

static LV2_Handle instantiate_crash(const LV2_Descriptor *d, double rate, const char *path, const LV2_Feature *const *f)
{
    (void)d; (void)rate; (void)path; (void)f;
    segv();
    return NULL;
}

static LV2_Handle instantiate_hang(const LV2_Descriptor *d, double rate, const char *path, const LV2_Feature *const *f)
{
    (void)d; (void)rate; (void)path; (void)f;
    for (;;) { pause(); }
    return NULL;
}

typedef struct { const float *in; float *out; } Pass;

static void garbage(void)
{
    static const char junk[] = "\x01\x02{\"uri\": \"not json\", ]]] \xff\xfe garbage from a plugin\n";
    (void)!write(1, junk, sizeof junk - 1);
    (void)!write(2, junk, sizeof junk - 1);
    fputs("[{\"uri\":\"forged\"}]\n", stdout);
    fflush(stdout);
}

static LV2_Handle instantiate_noisy(const LV2_Descriptor *d, double rate, const char *path, const LV2_Feature *const *f)
{
    (void)d; (void)rate; (void)path; (void)f;
    garbage();
    return calloc(1, sizeof(Pass));
}

static void connect_pass(LV2_Handle h, uint32_t port, void *data)
{
    Pass *p = (Pass *)h;
    if (port == 0) { p->in = (const float *)data; } else if (port == 1) { p->out = (float *)data; }
}

static void activate_noisy(LV2_Handle h) { (void)h; garbage(); }

static void run_pass(LV2_Handle h, uint32_t n)
{
    Pass *p = (Pass *)h;
    memmove(p->out, p->in, n * sizeof(float));
}

typedef struct { const float *in; float *out; unsigned char *stale; } Stale;

static LV2_Handle instantiate_stale(const LV2_Descriptor *d, double rate, const char *path, const LV2_Feature *const *f)
{
    (void)d; (void)rate; (void)path; (void)f;
    Stale *s = (Stale *)calloc(1, sizeof(Stale));
    s->stale = (unsigned char *)malloc(4096); /* never written: what was there before, or MALLOC_PERTURB_'s pattern */
    return s;
}

static void connect_stale(LV2_Handle h, uint32_t port, void *data)
{
    Stale *s = (Stale *)h;
    if (port == 0) { s->in = (const float *)data; } else if (port == 1) { s->out = (float *)data; }
}

static void run_stale(LV2_Handle h, uint32_t n)
{
    Stale *s = (Stale *)h;
    for (uint32_t i = 0; i < n; i++) {
        s->out[i] = s->in[i] + (float)s->stale[i % 4096] / 4096.0f;
    }
}

static void cleanup_stale(LV2_Handle h)
{
    free(((Stale *)h)->stale);
    free(h);
}

static const LV2_Descriptor descriptors[] = {
    { "urn:perpetuo:test:fault", instantiate_fault, connect_fault, activate_fault, run_fault, NULL, cleanup, NULL },
    { "urn:perpetuo:test:crash-on-instantiate", instantiate_crash, connect_pass, NULL, run_pass, NULL, cleanup, NULL },
    { "urn:perpetuo:test:hang-on-instantiate", instantiate_hang, connect_pass, NULL, run_pass, NULL, cleanup, NULL },
    { "urn:perpetuo:test:noisy", instantiate_noisy, connect_pass, activate_noisy, run_pass, NULL, cleanup, NULL },
    { "urn:perpetuo:test:uninitialized", instantiate_stale, connect_stale, NULL, run_stale, NULL, cleanup_stale, NULL },
};

LV2_SYMBOL_EXPORT const LV2_Descriptor *lv2_descriptor(uint32_t index)
{
    return index < sizeof descriptors / sizeof descriptors[0] ? &descriptors[index] : NULL;
}
