// The credit strip as drawn: its cells are the weights the run's step gave each token of its first
// sequence, coloured by the diverging scale at weight / largest |weight|; its rows are those
// weights under the full return (R on every token), rewards-to-go (the sum of the rewards from
// the token on) and the exact prefix value; its columns are the tokens that were sampled.

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "app/views/colormap.hpp"
#include "app/views/headless_plots.hpp"
#include "core/settings.hpp"
#include "live/runner.hpp"
#include "test_live_support.hpp"

namespace {

namespace plot = rl::plot;

const plot::Recording* find_plot(const std::vector<rl::app::DrawnPlot>& plots, const char* name) {
    for (const rl::app::DrawnPlot& p : plots)
        if (p.name == name) return &p.recording;
    return nullptr;
}

const plot::Series* cells_of(const plot::Recording& rec) {
    for (const plot::Series& s : rec.series)
        if (s.kind == plot::SeriesKind::kCells) return &s;
    return nullptr;
}

// The strip of `preset` after `steps` steps with the estimator given, drawn headless.
struct Strip {
    rl::live::Results results;
    std::vector<rl::app::DrawnPlot> plots;
};

Strip strip_after(const char* preset, int steps, const char* credit, const char* baseline) {
    rl::core::Settings s = rl_test::small_episode_preset(preset);
    REQUIRE(rl::core::set_field(s, "credit", credit).empty());
    REQUIRE(rl::core::set_field(s, "baseline", baseline).empty());
    rl::live::Runner live(s, rl_test::cpu_options());
    rl_test::take_steps(live, steps);
    Strip out;
    out.results = rl_test::snapshot(live);
    out.plots = rl::app::draw_plots_headless(out.results, 900, 600);
    return out;
}

}  // namespace

TEST_CASE("credit strip: its cells are the step's weights in the colours of their values") {
    struct Case {
        const char* preset;
        const char* credit;
        const char* baseline;
    };
    for (const Case c : {Case{"one-bad-token", "full_return", "batch_mean"},
                         Case{"token-chain", "reward_to_go", "none"},
                         Case{"short-corridor", "reward_to_go", "learned_value"}}) {
        INFO(c.preset << " with " << c.credit << " and " << c.baseline);
        const Strip strip = strip_after(c.preset, 3, c.credit, c.baseline);
        const rl::core::EpisodeStepRecord& d = strip.results.episodes.detail;
        REQUIRE(strip.results.episodes.detail_step == 3);
        REQUIRE(!d.batch.empty());
        const plot::Recording* rec = find_plot(strip.plots, "Credit");
        REQUIRE(rec != nullptr);
        const plot::Series* cells = cells_of(*rec);
        REQUIRE(cells != nullptr);

        const rl::core::SampledEpisode& first = d.batch.front();
        const std::size_t n = first.steps.size();
        // Read top to bottom: the run's own weights, full return, rewards-to-go, prefix value.
        const std::vector<const std::vector<std::vector<rl::core::DecisionWeight>>*> rows = {
            &d.prefix_value, &d.reward_to_go, &d.full_return, &d.weights};
        REQUIRE(rec->row_name_count() == rows.size());
        CHECK(rec->row_name(3) == "used");
        CHECK(rec->row_name(0) == "G_t - V_t");
        REQUIRE(rec->category_count() == n);
        for (std::size_t t = 0; t < n; ++t)
            CHECK(rec->category(t) == strip.results.episodes.action_names[first.steps[t].action]);

        const std::span<const double> values = rec->cell_values(*cells);
        REQUIRE(values.size() == rows.size() * n);
        double scale = 0.0;
        for (const double v : values)
            scale = std::max(scale, std::abs(v));
        REQUIRE(scale > 0.0);
        for (std::size_t row = 0; row < rows.size(); ++row) {
            for (std::size_t t = 0; t < n; ++t) {
                const std::size_t k = row * n + t;
                INFO("row " << rec->row_name(row) << ", token " << t + 1);
                CHECK(values[k] == rows[row]->front()[t].advantage);
                const std::array<std::uint8_t, 4> want = rl::app::diverging_rgba(values[k] / scale);
                const plot::Rgba got = rec->cell_color(*cells, k);
                CHECK(std::lround(got.r * 255.0f) == want[0]);
                CHECK(std::lround(got.g * 255.0f) == want[1]);
                CHECK(std::lround(got.b * 255.0f) == want[2]);
            }
        }
        // The rows beneath are what their names say, from the sampled rewards alone.
        double rest = 0.0;
        for (std::size_t t = n; t-- > 0;) {
            rest += first.steps[t].reward;
            CHECK(values[1 * n + t] == doctest::Approx(rest).epsilon(1e-12));
        }
        for (std::size_t t = 0; t < n; ++t)
            CHECK(values[2 * n + t] == doctest::Approx(rest).epsilon(1e-12));
    }
}

TEST_CASE(
    "credit strip: in a spoiled answer the prefix value blames the error most, and none "
    "after it") {
    // One bad token: an answer with the error scores 0. Its return is 0 from every token on, and
    // after the first error the value is 0 too; before it the value is the chance that no error
    // comes, which rises along the answer, so the deepest red is the error itself.
    const Strip strip = strip_after("one-bad-token", 1, "full_return", "none");
    const rl::core::EpisodeStepRecord& d = strip.results.episodes.detail;
    const std::vector<std::string>& names = strip.results.episodes.action_names;
    bool seen = false;
    for (std::size_t k = 0; k < d.batch.size(); ++k) {
        const std::vector<rl::core::EpisodeStep>& steps = d.batch[k].steps;
        const auto error = std::find_if(steps.begin(), steps.end(),
                                        [&](const auto& s) { return names[s.action] == "error"; });
        if (error == steps.end()) continue;
        seen = true;
        const auto e = static_cast<std::size_t>(error - steps.begin());
        const std::vector<rl::core::DecisionWeight>& w = d.prefix_value[k];
        INFO("sequence " << k << ", first error at token " << e + 1);
        for (std::size_t t = 0; t < steps.size(); ++t) {
            if (t > e) CHECK(w[t].advantage == doctest::Approx(0.0).scale(1.0));
            if (t < e) CHECK(w[t].advantage > w[e].advantage);
            if (t < e) CHECK(w[t].advantage < 0.0);
        }
        // The full return gives every token of it the same weight.
        for (std::size_t t = 0; t < steps.size(); ++t)
            CHECK(d.full_return[k][t].advantage == d.full_return[k][0].advantage);
    }
    // At the start one token in ten is the error, so 8 answers of 20 tokens all but surely hold
    // one (a clean one has chance 0.9^20 = 0.12).
    CHECK(seen);
}
