// The sequence lessons (token-chain, all-correct, one-bad-token, short-corridor), step by step:
// each step is shown as the window shows it and every number its text gives is computed, either
// exactly (J, SNR, the SNR-against-length curves), from the step the window takes when S is
// pressed (the credit strip's weights), or from the runs the step plays (J's median and tenth
// percentile at the step it pauses at: the same runs the window plays, from the same seed).

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "control/lab.hpp"
#include "core/episodes/episode_exact.hpp"
#include "core/episodes/episode_settings.hpp"
#include "core/episodes/episode_training.hpp"
#include "engine/engine.hpp"
#include "io/presets.hpp"
#include "test_live_support.hpp"

namespace {

using rl::core::BaselineKind;
using rl::core::Credit;

// `value` as the text writes it, to `decimals` places; a minus sign is the text's own.
std::string shown(double value, int decimals) {
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", decimals, std::abs(value));
    return text;
}

// A lesson shown step by step in a control::Lab, as the window drives it.
class LessonRun {
  public:
    explicit LessonRun(const char* preset) {
        const rl::io::SessionFileResult file =
            rl::io::load_preset_file({RL_TEST_ASSET_DIR, "test"}, preset);
        REQUIRE(file);
        m_lesson = file.document->lesson;
        m_lab = std::make_unique<rl::control::Lab>(file.document->settings, rl_test::cpu_options());
        m_lab->set_lesson(m_lesson, file.document->settings, -1);
    }

    // Shows step `index` (0-based), paused, and lets the worker finish what it computes for it
    // (the cloud, the SNR against length a length a tick). Returns the step's text.
    std::string show(int index) {
        REQUIRE(m_lab->show_lesson_step(index) == "");
        m_lab->transport().set_playing(false);
        for (int i = 0; i < 24; ++i)
            m_lab->transport().tick(true);
        m_lab->transport().wait_idle();
        return m_lesson.steps[static_cast<std::size_t>(index)].text;
    }
    // S: one step, with its arithmetic.
    std::shared_ptr<const rl::live::Results> press_s() {
        m_lab->transport().step();
        m_lab->transport().tick(true);
        m_lab->transport().wait_idle();
        return m_lab->results_a();
    }
    rl::core::Settings settings() const { return m_lab->settings(); }
    std::shared_ptr<const rl::live::Results> results() const { return m_lab->results_a(); }

  private:
    rl::io::Lesson m_lesson;
    std::unique_ptr<rl::control::Lab> m_lab;
};

rl::core::EpisodeExact exact(const rl::core::Settings& s) {
    const rl::core::EpisodeProblem p = rl::core::make_episode_problem(s);
    return rl::core::episode_exact(*p.model, p.initial, rl::core::episode_estimator(s.estimator));
}

// The runs' summary at `step`, as the J plot and the policy plot draw it.
rl::engine::EpisodeStepSummary summary_at(const rl::core::Settings& s, int step) {
    rl::engine::EngineChoice choice = rl::engine::make_engine("cpu", 2);
    choice.engine->configure_episodes(s);
    const rl::engine::EpisodeAdvance a = choice.engine->advance_episodes(step);
    REQUIRE(!a.steps.empty());
    REQUIRE(a.steps.back().step == step);
    return a.steps.back();
}

const rl::live::LengthCurve& curve(const rl::live::Results& r, Credit credit,
                                   BaselineKind baseline) {
    const std::vector<rl::live::LengthCurve>& curves = r.episodes.length.curves;
    const auto it = std::find_if(curves.begin(), curves.end(), [&](const auto& c) {
        return c.credit == credit && c.baseline == baseline;
    });
    REQUIRE(it != curves.end());
    return *it;
}

double snr_at(const rl::live::LengthCurve& c, int T) {
    const auto it = std::find(c.T.begin(), c.T.end(), static_cast<double>(T));
    REQUIRE(it != c.T.end());
    return c.snr[static_cast<std::size_t>(it - c.T.begin())];
}

void says(const std::string& text, const std::string& number) {
    CHECK_MESSAGE(text.find(number) != std::string::npos, "the text does not say " << number);
}

}  // namespace

TEST_CASE("sequence lessons: token-chain's numbers are the app's") {
    LessonRun lesson("token-chain");
    std::string text = lesson.show(0);
    const double snr_full = exact(lesson.settings()).snr;
    says(text, "SNR at K = 4: " + shown(snr_full, 2));
    // Every token of the first answer carries its whole return.
    const std::shared_ptr<const rl::live::Results> r = lesson.press_s();
    const rl::core::EpisodeStepRecord& d = r->episodes.detail;
    REQUIRE(!d.batch.empty());
    double R = 0.0;
    for (const rl::core::EpisodeStep& s : d.batch.front().steps)
        R += s.reward;
    for (const rl::core::DecisionWeight& w : d.weights.front())
        CHECK(w.advantage == doctest::Approx(R));

    text = lesson.show(1);
    const double snr_rtg = exact(lesson.settings()).snr;
    says(text, shown(snr_full, 2) + " → " + shown(snr_rtg, 2));

    text = lesson.show(2);
    const double snr_base = exact(lesson.settings()).snr;
    says(text, shown(snr_rtg, 2) + " → " + shown(snr_base, 2));
    CHECK(snr_base / snr_full == doctest::Approx(4.5).epsilon(0.01));
    const std::shared_ptr<const rl::live::Results> b = lesson.press_s();
    const std::vector<rl::core::DecisionWeight>& w = b->episodes.detail.weights.front();
    CHECK(w.front().baseline == doctest::Approx(4.0));
    CHECK(w.back().baseline == doctest::Approx(0.5));

    text = lesson.show(3);
    const rl::live::Results& lengths = *lesson.results();
    const auto& full = curve(lengths, Credit::kFullReturn, BaselineKind::kNone);
    const auto& best = curve(lengths, Credit::kRewardToGo, BaselineKind::kExpected);
    says(text, shown(snr_at(full, 8), 2) + " → " + shown(snr_at(full, 32), 2));
    says(text, shown(snr_at(best, 8), 2) + " → " + shown(snr_at(best, 32), 2));

    text = lesson.show(4);
    const rl::engine::EpisodeStepSummary good = summary_at(lesson.settings(), 50);
    says(text, "median J is " + shown(good.J.p50, 2));
    CHECK(good.greedy_best_share == 1.0);
    lesson.show(0);
    const rl::engine::EpisodeStepSummary plain = summary_at(lesson.settings(), 50);
    says(text, "reaches " + shown(plain.J.p50, 2) + " by step 50");
    says(text, std::to_string(std::lround(100.0 * plain.greedy_best_share)) + "% of the runs");
}

TEST_CASE("sequence lessons: all-correct's numbers are the app's") {
    LessonRun lesson("all-correct");
    std::string text = lesson.show(0);
    CHECK(exact(lesson.settings()).J == doctest::Approx(1.0 / 256.0).epsilon(1e-12));
    says(text, "J = 1/256 = " + shown(1.0 / 256.0, 3));
    const double none_share = std::pow(255.0 / 256.0, 16);
    says(text, std::to_string(std::lround(100.0 * none_share)) + "% of the time");
    // The cloud's batches with no paying answer are exactly zero: binomial, 5 standard errors.
    const rl::engine::CloudResult& cloud = lesson.results()->cloud;
    REQUIRE(!cloud.norm2.empty());
    const auto zeros = std::count(cloud.norm2.begin(), cloud.norm2.end(), 0.0);
    const double M = static_cast<double>(cloud.norm2.size());
    const double share = static_cast<double>(zeros) / M;
    MESSAGE("all-correct: " << share << " of " << M << " estimates are 0 (expected " << none_share
                            << ")");
    CHECK(std::abs(share - none_share) < 5.0 * std::sqrt(none_share * (1.0 - none_share) / M));
    says(text, std::to_string(std::lround(100.0 * none_share)) + "% of the estimates");

    const double snr_full = exact(lesson.settings()).snr;
    text = lesson.show(1);
    const double snr_rtg = exact(lesson.settings()).snr;
    CHECK(snr_rtg == doctest::Approx(snr_full).epsilon(1e-12));
    says(text, "the SNR stays " + shown(snr_rtg, 2));
    {
        const std::shared_ptr<const rl::live::Results> r = lesson.press_s();
        const rl::core::EpisodeStepRecord& d = r->episodes.detail;
        for (std::size_t t = 0; t < d.full_return.front().size(); ++t)
            CHECK(d.full_return.front()[t].advantage == d.reward_to_go.front()[t].advantage);
    }

    text = lesson.show(2);
    const auto& own = curve(*lesson.results(), Credit::kRewardToGo, BaselineKind::kNone);
    says(text, shown(snr_at(own, 1), 1) + " for one token, " + shown(snr_at(own, 4), 2) +
                   " for four, " + shown(snr_at(own, 8), 2) + " for eight, " +
                   shown(snr_at(own, 16), 3) + " for sixteen");

    text = lesson.show(3);
    CHECK(lesson.settings().estimator.K == 256);
    says(text, shown(snr_rtg, 2) + " → " + shown(exact(lesson.settings()).snr, 2));
    says(text, "at J = " + shown(summary_at(lesson.settings(), 100).J.p10, 2));
    lesson.show(2);
    says(text, "still at " + shown(summary_at(lesson.settings(), 100).J.p10, 2));

    text = lesson.show(4);
    CHECK(lesson.settings().estimator.K == 16);
    CHECK(lesson.settings().length == 4);
    const rl::core::EpisodeExact four = exact(lesson.settings());
    CHECK(four.J == doctest::Approx(1.0 / 16.0).epsilon(1e-12));
    says(text, "the SNR is " + shown(four.snr, 2));
    says(text, "median J is " + shown(summary_at(lesson.settings(), 25).J.p50, 2));
}

TEST_CASE("sequence lessons: one-bad-token's numbers are the app's") {
    LessonRun lesson("one-bad-token");
    std::string text = lesson.show(0);
    const rl::core::EpisodeExact start = exact(lesson.settings());
    CHECK(start.J == doctest::Approx(std::pow(0.9, 20)).epsilon(1e-12));
    says(text, "J = 0.9^20 = " + shown(start.J, 2));
    says(text, "−" + shown(start.J, 2));
    says(text, "+" + shown(1.0 - start.J, 2));
    {
        const std::shared_ptr<const rl::live::Results> r = lesson.press_s();
        const rl::core::EpisodeStepRecord& d = r->episodes.detail;
        const std::vector<std::string>& names = r->episodes.action_names;
        int spoiled = 0, clean = 0;
        for (std::size_t k = 0; k < d.batch.size(); ++k) {
            const bool bad = std::any_of(d.batch[k].steps.begin(), d.batch[k].steps.end(),
                                         [&](const auto& s) { return names[s.action] == "error"; });
            (bad ? spoiled : clean) += 1;
            for (const rl::core::DecisionWeight& w : d.weights[k])
                CHECK(w.advantage == doctest::Approx(bad ? -start.J : 1.0 - start.J));
        }
        CHECK(spoiled > 0);
    }

    text = lesson.show(1);
    const double snr_prefix = exact(lesson.settings()).snr;
    says(text, shown(start.snr, 2) + " → " + shown(snr_prefix, 2));
    {
        const std::shared_ptr<const rl::live::Results> r = lesson.press_s();
        const rl::core::EpisodeStepRecord& d = r->episodes.detail;
        const std::vector<std::string>& names = r->episodes.action_names;
        int seen = 0;
        for (std::size_t k = 0; k < d.batch.size(); ++k) {
            const auto& steps = d.batch[k].steps;
            const auto error = std::find_if(steps.begin(), steps.end(), [&](const auto& s) {
                return names[s.action] == "error";
            });
            if (error == steps.end()) continue;
            ++seen;
            const auto e = static_cast<std::size_t>(error - steps.begin());
            const std::vector<rl::core::DecisionWeight>& w = d.weights[k];
            for (std::size_t t = 0; t < w.size(); ++t) {
                if (t > e) CHECK(w[t].advantage == doctest::Approx(0.0).scale(1.0));
                if (t < e) CHECK(w[t].advantage > w[e].advantage);
            }
        }
        CHECK(seen > 0);
    }

    text = lesson.show(2);
    const rl::live::Results& lengths = *lesson.results();
    says(text,
         "SNR of " +
             shown(snr_at(curve(lengths, Credit::kRewardToGo, BaselineKind::kPrefixValue), 80), 3));
    says(text,
         shown(snr_at(curve(lengths, Credit::kRewardToGo, BaselineKind::kPrefixValue), 20), 2) +
             ", against " +
             shown(snr_at(curve(lengths, Credit::kFullReturn, BaselineKind::kExpected), 20), 2) +
             " with E[R] and " +
             shown(snr_at(curve(lengths, Credit::kFullReturn, BaselineKind::kNone), 20), 2));

    text = lesson.show(3);
    CHECK(lesson.settings().estimator.baseline == BaselineKind::kLearnedValue);
    says(text, "median J is " + shown(summary_at(lesson.settings(), 50).J.p50, 2));
    lesson.show(1);
    says(text, "prefix value (" + shown(summary_at(lesson.settings(), 50).J.p50, 2) + ")");

    text = lesson.show(4);
    says(text, "median J is " + shown(summary_at(lesson.settings(), 50).J.p50, 2));
}

TEST_CASE("sequence lessons: short-corridor's numbers are the app's") {
    LessonRun lesson("short-corridor");
    std::string text = lesson.show(0);
    const rl::core::EpisodeProblem start = rl::core::make_episode_problem(lesson.settings());
    says(text, "J = −" + shown(rl::core::episode_values(*start.model, start.initial).J, 1));

    text = lesson.show(1);
    const rl::engine::EpisodeStepSummary at300 = summary_at(lesson.settings(), 300);
    REQUIRE(at300.block_probs_p50.size() == 2);  // one logit set: left, right
    says(text, "median P(right) is " + shown(at300.block_probs_p50[1], 2));
    const double best = 2.0 - std::sqrt(2.0);
    says(text, "2 − √2 = " + shown(best, 3));
    // J at the optimum: the same problem with P(right) = 2 - sqrt(2) (the last logit is pinned
    // at 0, so the first is log((1 - p) / p)).
    const std::vector<double> logits = {std::log((1.0 - best) / best), 0.0};
    const rl::core::EpisodePolicy optimum =
        rl::core::make_episode_policy(lesson.settings().parameterization, 2, logits);
    says(text, "J = −" + shown(rl::core::episode_values(*start.model, optimum).J, 2));
    const double rtg_p10 = summary_at(lesson.settings(), 200).J.p10;

    text = lesson.show(2);
    CHECK(lesson.settings().estimator.credit == Credit::kFullReturn);
    says(text, "at J = −" + shown(summary_at(lesson.settings(), 200).J.p10, 2));
    says(text, "against −" + shown(rtg_p10, 2) + " with rewards-to-go");

    text = lesson.show(3);
    CHECK(lesson.settings().estimator.baseline == BaselineKind::kLearnedValue);
    says(text, "at J = −" + shown(summary_at(lesson.settings(), 200).J.p10, 2));
    says(text, "against −" + shown(rtg_p10, 2) + " with no baseline");
}
