/*
 * The fuzzers' random numbers: splitmix64, small and fast, seeded from the
 * command line or the clock so that a failing run can be replayed.
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

#endif
