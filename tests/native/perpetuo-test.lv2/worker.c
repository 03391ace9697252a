/*
 * Perpetuo's test plugin for the LV2 worker (built by the tests like test.c; never installed, never shipped):
 *
 *   urn:perpetuo:test:worker   out = in * gain. Each time `request` changes, run() asks the worker for it
 *                              (schedule_work with `size` bytes, the value in the first four); work() sleeps
 *                              `work_ms` milliseconds, then responds with the value; work_response() sets
 *                              gain = value / 1000. activate() asks for 250 (gain 0.25), so the first block plays
 *                              at 0.25 only if that request was answered before it. work() responds `responses`
 *                              times (the last response sets the gain). Control outputs: responses received,
 *                              requests refused by the host, end_run calls, responses the host refused.
 */
#include <lv2/core/lv2.h>
#include <lv2/worker/worker.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    const float *in;
    float *out;
    const float *request;
    const float *size;
    const float *work_ms;
    const float *responses_per_work;
    float *responses;
    float *refused;
    float *end_runs;
    float *responses_refused;
    LV2_Worker_Schedule *schedule;
    volatile int respond_refusals; /* written by work() on the host's work thread, read in run() */
    float last_request;
    float gain;
    float received, refusals, ends;
    uint8_t message[1 << 20];
} Worker;

static LV2_Handle instantiate(const LV2_Descriptor *d, double rate, const char *path, const LV2_Feature *const *f)
{
    (void)d; (void)rate; (void)path;
    LV2_Worker_Schedule *schedule = NULL;
    for (int i = 0; f && f[i]; i++) {
        if (!strcmp(f[i]->URI, LV2_WORKER__schedule)) {
            schedule = (LV2_Worker_Schedule *)f[i]->data;
        }
    }
    if (!schedule) {
        return NULL;
    }
    Worker *w = (Worker *)calloc(1, sizeof(Worker));
    w->schedule = schedule;
    w->gain = 1.0f;
    return w;
}

static void connect(LV2_Handle h, uint32_t port, void *data)
{
    Worker *w = (Worker *)h;
    switch (port) {
    case 0: w->in = (const float *)data; break;
    case 1: w->out = (float *)data; break;
    case 2: w->request = (const float *)data; break;
    case 3: w->size = (const float *)data; break;
    case 4: w->work_ms = (const float *)data; break;
    case 5: w->responses = (float *)data; break;
    case 6: w->refused = (float *)data; break;
    case 7: w->end_runs = (float *)data; break;
    case 8: w->responses_per_work = (const float *)data; break;
    case 9: w->responses_refused = (float *)data; break;
    }
}

static void ask(Worker *w, float value, uint32_t size)
{
    int32_t v = (int32_t)lrintf(value);
    size = size < 4 ? 4 : size;
    memcpy(w->message, &v, sizeof v);
    if (w->schedule->schedule_work(w->schedule->handle, size, w->message) != LV2_WORKER_SUCCESS) {
        w->refusals += 1;
    }
}

static void activate(LV2_Handle h)
{
    Worker *w = (Worker *)h;
    w->gain = 1.0f;
    w->last_request = *w->request;
    ask(w, 250, 4);
}

static void run(LV2_Handle h, uint32_t n)
{
    Worker *w = (Worker *)h;
    if (*w->request != w->last_request) {
        w->last_request = *w->request;
        float size = *w->size;
        ask(w, w->last_request, size < 4 ? 4u : size > (float)sizeof w->message ? (uint32_t)sizeof w->message : (uint32_t)size);
    }
    for (uint32_t i = 0; i < n; i++) {
        w->out[i] = w->in[i] * w->gain;
    }
    *w->responses = w->received;
    *w->refused = w->refusals;
    *w->end_runs = w->ends;
    *w->responses_refused = (float)w->respond_refusals;
}

static LV2_Worker_Status work(LV2_Handle h, LV2_Worker_Respond_Function respond, LV2_Worker_Respond_Handle handle,
                              uint32_t size, const void *data)
{
    Worker *w = (Worker *)h;
    if (size < 4) {
        return LV2_WORKER_ERR_UNKNOWN;
    }
    int32_t v;
    memcpy(&v, data, sizeof v);
    long ms = lrintf(*w->work_ms);
    if (ms > 0) {
        struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
        nanosleep(&t, NULL);
    }
    long n = lrintf(*w->responses_per_work);
    LV2_Worker_Status status = LV2_WORKER_SUCCESS;
    for (long i = 0; i < (n < 1 ? 1 : n); i++) {
        if ((status = respond(handle, sizeof v, &v)) != LV2_WORKER_SUCCESS) {
            w->respond_refusals++;
        }
    }
    return status;
}

static LV2_Worker_Status work_response(LV2_Handle h, uint32_t size, const void *body)
{
    Worker *w = (Worker *)h;
    if (size == 4) {
        int32_t v;
        memcpy(&v, body, sizeof v);
        w->gain = (float)v / 1000.0f;
        w->received += 1;
    }
    return LV2_WORKER_SUCCESS;
}

static LV2_Worker_Status end_run(LV2_Handle h)
{
    ((Worker *)h)->ends += 1;
    return LV2_WORKER_SUCCESS;
}

static const void *extension_data(const char *uri)
{
    static const LV2_Worker_Interface worker = { work, work_response, end_run };
    return strcmp(uri, LV2_WORKER__interface) ? NULL : &worker;
}

static void cleanup(LV2_Handle h) { free(h); }

static const LV2_Descriptor descriptor = {
    "urn:perpetuo:test:worker", instantiate, connect, activate, run, NULL, cleanup, extension_data,
};

LV2_SYMBOL_EXPORT const LV2_Descriptor *lv2_descriptor(uint32_t index)
{
    return index == 0 ? &descriptor : NULL;
}
