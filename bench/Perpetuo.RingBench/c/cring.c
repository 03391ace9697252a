/*
 * The comparison peer for RingBench: a plain SPSC ring in POSIX shared memory, the algorithm of JACK2's
 * ringbuffer.c and Boost's spsc_queue. Producer and consumer indices are 64-bit, each on its own 128-byte line,
 * published with release stores and read with acquire loads; each side keeps a cached copy of the other's index.
 * A slot carries a 64-bit sequence number and 256 float samples (1 KiB), copied in and out with memcpy. No hash,
 * no seqlock: the consumer trusts the producer, which is exactly what the Perpetuo ring does not do.
 *
 * Same workload and checks as Perpetuo.RingBench's own peer: 4 slots; every sample (float)(seq % 1000); in lat
 * mode samples 0..2 carry a CLOCK_MONOTONIC stamp as three 22-bit integers (the same clock as .NET's Stopwatch).
 *
 *   cc -O3 -march=native -std=c11 -o cring cring.c && ./cring tput|lat
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CAP 4
#define FRAMES 256
#define STAMP_SAMPLES 3
#define PERIOD_NS 50000

struct slot {
    uint64_t seq;
    uint64_t pad[7]; /* samples 64-byte aligned, as in the Perpetuo slot */
    float samples[FRAMES];
};

struct ring {
    alignas(128) _Atomic uint64_t write_idx; /* producer's line */
    alignas(128) _Atomic uint64_t read_idx;  /* consumer's line */
    alignas(128) struct slot slots[CAP];
};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static struct ring *map_ring(const char *name, int create)
{
    int fd = shm_open(name, create ? O_CREAT | O_EXCL | O_RDWR : O_RDWR, 0600);
    if (fd < 0) { perror("shm_open"); exit(2); }
    if (create && ftruncate(fd, sizeof(struct ring)) != 0) { perror("ftruncate"); exit(2); }
    void *p = mmap(NULL, sizeof(struct ring), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) { perror("mmap"); exit(2); }
    close(fd);
    return p;
}

static void produce(struct ring *r, int lat, uint64_t total)
{
    float block[FRAMES];
    uint64_t w = 0, read_cache = 0;
    int64_t next = now_ns();
    for (uint64_t seq = 0; seq < total; seq++) {
        float v = (float)(seq % 1000);
        for (int i = 0; i < FRAMES; i++) block[i] = v;
        if (lat) {
            next += PERIOD_NS;
            while (now_ns() < next) { }
            int64_t t = now_ns();
            block[0] = (float)(t & 0x3FFFFF);
            block[1] = (float)((t >> 22) & 0x3FFFFF);
            block[2] = (float)((t >> 44) & 0x3FFFFF);
        }
        /* acquire: the consumer finished copying a slot before it published its read index */
        while (w - read_cache >= CAP) read_cache = atomic_load_explicit(&r->read_idx, memory_order_acquire);
        struct slot *s = &r->slots[w & (CAP - 1)];
        s->seq = seq;
        memcpy(s->samples, block, sizeof block);
        /* release: the slot is complete before the consumer sees the new write index */
        atomic_store_explicit(&r->write_idx, ++w, memory_order_release);
    }
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[1], "tput") != 0 && strcmp(argv[1], "lat") != 0)) {
        fprintf(stderr, "usage: cring tput|lat\n");
        return 2;
    }
    int lat = strcmp(argv[1], "lat") == 0;
    uint64_t warm = lat ? 10000 : 200000, measured = lat ? 40000 : 2000000, total = warm + measured;
    char name[64];
    snprintf(name, sizeof name, "/perpetuo-cring-%d", (int)getpid());
    struct ring *r = map_ring(name, 1);
    pid_t child = fork();
    if (child < 0) { perror("fork"); return 2; }
    if (child == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        produce(map_ring(name, 0), lat, total); /* its own mapping of the shared-memory object */
        _exit(0);
    }
    int64_t *lats = lat ? malloc(sizeof(int64_t) * measured) : NULL;
    float buf[FRAMES];
    uint64_t rd = 0, write_cache = 0, errors = 0;
    int64_t start = 0;
    for (uint64_t seq = 0; seq < total; seq++) {
        if (seq == warm) start = now_ns();
        /* acquire: slot contents written before the write index are visible */
        while (rd >= write_cache) write_cache = atomic_load_explicit(&r->write_idx, memory_order_acquire);
        struct slot *s = &r->slots[rd & (CAP - 1)];
        uint64_t got = s->seq;
        memcpy(buf, s->samples, sizeof buf);
        /* release: our copy is complete before the producer may reuse the slot */
        atomic_store_explicit(&r->read_idx, ++rd, memory_order_release);
        int64_t t = now_ns();
        float v = (float)(seq % 1000);
        int bad = got != seq;
        for (int i = lat ? STAMP_SAMPLES : 0; i < FRAMES; i++) bad |= buf[i] != v;
        errors += bad != 0;
        if (lat && seq >= warm) {
            int64_t stamp = (int64_t)buf[0] | ((int64_t)buf[1] << 22) | ((int64_t)buf[2] << 44);
            lats[seq - warm] = t - stamp;
        }
    }
    int64_t elapsed = now_ns() - start;
    int status = 0;
    waitpid(child, &status, 0);
    shm_unlink(name);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) errors++;
    if (lat) {
        qsort(lats, measured, sizeof(int64_t), cmp_i64);
        printf("RESULT peer=c11-atomics mode=lat p50=%lld p99=%lld p999=%lld max=%lld errors=%llu\n",
               (long long)lats[measured / 2], (long long)lats[measured * 99 / 100],
               (long long)lats[measured * 999 / 1000], (long long)lats[measured - 1], (unsigned long long)errors);
    } else {
        printf("RESULT peer=c11-atomics mode=tput rate=%lld errors=%llu\n",
               (long long)(measured * 1000000000.0 / elapsed), (unsigned long long)errors);
    }
    return 0;
}
