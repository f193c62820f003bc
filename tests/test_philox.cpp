// Philox4x32-10 against the published Random123 known-answer vectors, and the stream keying that
// makes every draw a pure function of (seed, purpose, run, step, batch, pair).

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "core/philox.hpp"
#include "core/random_streams.hpp"

namespace {

using Words = std::array<std::uint32_t, 4>;

Words run_philox(Words ctr, std::array<std::uint32_t, 2> key) {
    const rl::core::PhiloxCounter out =
        rl::core::philox4x32_10(rl::core::PhiloxCounter{{ctr[0], ctr[1], ctr[2], ctr[3]}},
                                rl::core::PhiloxKey{{key[0], key[1]}});
    return {out.v[0], out.v[1], out.v[2], out.v[3]};
}

Words words(const rl::core::PhiloxCounter& c) {
    return {c.v[0], c.v[1], c.v[2], c.v[3]};
}

std::string hex(std::uint32_t w) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08x", w);
    return buf;
}

void check_kat(Words ctr, std::array<std::uint32_t, 2> key, Words expected) {
    const Words got = run_philox(ctr, key);
    for (int i = 0; i < 4; ++i) {
        INFO("word " << i << ": got " << hex(got[i]) << ", expected " << hex(expected[i]));
        CHECK(got[i] == expected[i]);
    }
}

}  // namespace

// Random123 kat_vectors, "philox4x32 10" lines.
TEST_CASE("philox4x32-10 matches the Random123 known-answer vector: zero counter, zero key") {
    check_kat({0, 0, 0, 0}, {0, 0}, {0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u});
}

TEST_CASE("philox4x32-10 matches the Random123 known-answer vector: all-ones counter and key") {
    check_kat({0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}, {0xffffffffu, 0xffffffffu},
              {0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu});
}

TEST_CASE("philox4x32-10 matches the Random123 known-answer vector: pi digits") {
    check_kat({0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}, {0xa4093822u, 0x299f31d0u},
              {0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u});
}

TEST_CASE("draw_pair is a pure function of its inputs") {
    const rl::core::StreamKey key{0x0123456789abcdefull, rl::core::Purpose::kCloudAction, 7, 11,
                                  13};
    const Words first = words(rl::core::draw_pair(key, 5));
    // Interleave unrelated draws: a counter-based generator has no hidden state to disturb.
    for (std::uint32_t j = 0; j < 100; ++j)
        (void)rl::core::draw_pair(key, j);
    const Words again = words(rl::core::draw_pair(key, 5));
    CHECK(first == again);

    // It is Philox of the documented counter and key layout, so a CUDA kernel that builds the
    // same words draws the same numbers.
    const Words direct = run_philox(
        {5u, 13u, 11u, (static_cast<std::uint32_t>(rl::core::Purpose::kCloudAction) << 24) | 7u},
        {0x89abcdefu, 0x01234567u});
    CHECK(first == direct);
}

TEST_CASE("draw_pair gives different words when any one input changes") {
    const rl::core::StreamKey base{42, rl::core::Purpose::kTrainAction, 3, 100, 9};
    const std::uint32_t pair = 17;
    const Words reference = words(rl::core::draw_pair(base, pair));

    struct Variant {
        const char* what;
        rl::core::StreamKey key;
        std::uint32_t pair;
    };
    auto with = [&](auto mutate) {
        rl::core::StreamKey k = base;
        mutate(k);
        return k;
    };
    const std::vector<Variant> variants = {
        {"seed low word", with([](rl::core::StreamKey& k) { k.seed = 43; }), pair},
        {"seed high word", with([](rl::core::StreamKey& k) { k.seed = 42 + (1ull << 32); }), pair},
        {"purpose",
         with([](rl::core::StreamKey& k) { k.purpose = rl::core::Purpose::kTrainReward; }), pair},
        {"run", with([](rl::core::StreamKey& k) { k.run = 4; }), pair},
        {"run high bits", with([](rl::core::StreamKey& k) { k.run = 3 | (1u << 23); }), pair},
        {"step", with([](rl::core::StreamKey& k) { k.step = 101; }), pair},
        {"batch", with([](rl::core::StreamKey& k) { k.batch = 10; }), pair},
        {"pair", base, pair + 1},
    };
    std::set<Words> seen{reference};
    for (const Variant& v : variants) {
        const Words w = words(rl::core::draw_pair(v.key, v.pair));
        INFO("changed " << v.what);
        CHECK(w != reference);
        CHECK(seen.insert(w).second);  // and different from every other variant
    }
}

TEST_CASE("draw_pair streams do not collide across purposes, runs, steps and batches") {
    // 5 purposes x 4 runs x 4 steps x 4 batches x 16 pairs = 5120 blocks: a collision of any of
    // their first words would mean two draws share a counter (a 32-bit birthday collision among
    // 5120 words has probability ~3e-3, so compare whole 128-bit blocks, which cannot collide by
    // chance).
    std::set<Words> seen;
    std::size_t total = 0;
    for (std::uint32_t purpose = 1; purpose <= 5; ++purpose)
        for (std::uint32_t run = 0; run < 4; ++run)
            for (std::uint32_t step = 0; step < 4; ++step)
                for (std::uint32_t batch = 0; batch < 4; ++batch)
                    for (std::uint32_t pair = 0; pair < 16; ++pair) {
                        const rl::core::StreamKey k{2024, static_cast<rl::core::Purpose>(purpose),
                                                    run, step, batch};
                        seen.insert(words(rl::core::draw_pair(k, pair)));
                        ++total;
                    }
    CHECK(seen.size() == total);
}

TEST_CASE("uniform_open stays strictly inside (0, 1) at the extreme words") {
    const double lo = rl::core::uniform_open(0u);
    const double hi = rl::core::uniform_open(0xffffffffu);
    CAPTURE(lo);
    CAPTURE(hi);
    CHECK(lo > 0.0);
    CHECK(hi < 1.0);
    CHECK(lo == doctest::Approx(0.5 / 4294967296.0).epsilon(1e-15));
    CHECK(1.0 - hi == doctest::Approx(0.5 / 4294967296.0).epsilon(1e-6));
}

TEST_CASE("bernoulli thresholds: p = 0 never succeeds, p = 1 always does, p = 0.5 splits words") {
    CHECK(rl::core::bernoulli_threshold(0.0) == 0u);
    CHECK(rl::core::bernoulli_threshold(1.0) == (std::uint64_t{1} << 32));
    CHECK_FALSE(rl::core::bernoulli_draw(0u, rl::core::bernoulli_threshold(0.0)));
    CHECK(rl::core::bernoulli_draw(0xffffffffu, rl::core::bernoulli_threshold(1.0)));
    const std::uint64_t half = rl::core::bernoulli_threshold(0.5);
    CHECK(rl::core::bernoulli_draw(0x7fffffffu, half));
    CHECK_FALSE(rl::core::bernoulli_draw(0x80000000u, half));
}
