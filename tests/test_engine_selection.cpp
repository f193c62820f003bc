#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "core/random_streams.hpp"
#include "engine/cuda/cuda_device.hpp"
#include "engine/engine.hpp"

TEST_CASE("auto engine selection falls back to the CPU engine and says why") {
    const rl::engine::CudaProbe probe = rl::engine::probe_cuda_device();
    rl::engine::EngineChoice choice = rl::engine::make_engine("auto", 1);
    REQUIRE(choice.engine);
    // Until the CUDA engine lands, auto always runs on the CPU; the message must carry a reason.
    CHECK(choice.engine->name() == "cpu");
    CHECK(choice.message.find("CPU engine, 1 thread") == 0);
    CHECK(choice.message.find('(') != std::string::npos);
    if (!probe.available) CHECK(choice.message.find(probe.reason) != std::string::npos);
}

TEST_CASE("engine names are checked") {
    CHECK_THROWS_AS(rl::engine::make_engine("gpu"), std::invalid_argument);
    CHECK(rl::engine::make_engine("cpu", 2).engine->description() == "CPU engine, 2 threads");
    CHECK_THROWS_AS(rl::engine::make_engine("cuda"), std::invalid_argument);
}

TEST_CASE("CUDA Philox draws the same words as the host") {
    const rl::engine::CudaProbe probe = rl::engine::probe_cuda_device();
    if (!probe.available) {
        MESSAGE("SKIPPED: " << probe.reason);
        return;
    }
    std::vector<rl::core::PhiloxCounter> counters;
    std::vector<rl::core::PhiloxKey> keys;
    for (std::uint32_t i = 0; i < 4096; ++i) {
        counters.push_back({{i, i * 7u, 0xFFFFFFFFu - i, i << 24}});
        keys.push_back({{0xA4093822u ^ i, 0x299F31D0u + i}});
    }
    const std::vector<rl::core::PhiloxCounter> device = rl::engine::cuda_philox(counters, keys);
    REQUIRE(device.size() == counters.size());
    int mismatches = 0;
    for (std::size_t i = 0; i < counters.size(); ++i) {
        const rl::core::PhiloxCounter host = rl::core::philox4x32_10(counters[i], keys[i]);
        for (int w = 0; w < 4; ++w)
            mismatches += host.v[w] != device[i].v[w];
    }
    CHECK(mismatches == 0);
}
