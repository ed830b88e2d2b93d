/*
 * The fuzzers' random numbers: splitmix64, small and fast, seeded from the
 * environment or the clock so that a failing run can be replayed; and how
 * long a run is.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TESTS_FUZZ_FUZZ_RNG_H
#define TESTS_FUZZ_FUZZ_RNG_H

static inline uint64_t fuzz_rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline uint64_t fuzz_rng_below(uint64_t *state, uint64_t n)
{
    return n ? fuzz_rng_next(state) % n : 0;
}

static inline bool fuzz_rng_chance(uint64_t *state, unsigned percent)
{
    return fuzz_rng_below(state, 100) < percent;
}

/*
 * Steps (or inputs) of a run: SPAPR_DDW_FUZZ_COUNT if set, else slow in
 * slow mode (make check-slow), else quick.
 */
static inline uint64_t fuzz_run_count(uint64_t quick, uint64_t slow)
{
    const char *count = g_getenv("SPAPR_DDW_FUZZ_COUNT");

    if (count) {
        return g_ascii_strtoull(count, NULL, 0);
    }
    return g_test_slow() || g_getenv("SPAPR_DDW_SLOW") ? slow : quick;
}

/* The seed: env_name replays a printed one, else the clock; printed. */
static inline uint64_t fuzz_run_seed(const char *env_name, uint64_t steps)
{
    const char *env = g_getenv(env_name);
    uint64_t seed = env ? g_ascii_strtoull(env, NULL, 0) :
                          g_get_real_time() ^ ((uint64_t)getpid() << 32);

    g_test_message("seed %" PRIu64 " (%s=%" PRIu64 " replays it), %" PRIu64
                   " steps", seed, env_name, seed, steps);
    return seed;
}

#endif
