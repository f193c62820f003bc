// Extreme inputs: every setting at the ends of its range, alone and in the worst pairs, through the
// live path (what the window draws) and the headless path (what the CSV files hold). No case may
// throw, publish a NaN or an infinity for a plot, or write one to a CSV file; a divergence pauses
// and says which run, which step and what; afterwards the session still takes an edit and a reset.
// Runs, steps and batches are small, smaller still where K or N is at its maximum.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/choices.hpp"
#include "core/settings.hpp"
#include "core/settings_fields.hpp"
#include "core/vocabulary.hpp"
#include "io/headless.hpp"
#include "live/runner.hpp"
#include "support/png_check.hpp"
#include "support/run_app.hpp"
#include "support/sessions.hpp"
#include "support/temp_dir.hpp"
#include "test_live_support.hpp"

namespace {

using rl::live::Level;
using rl::live::Message;
using rl::live::Results;
using rl::live::Runner;
using Changes = std::vector<std::pair<std::string, std::string>>;

struct ExtremeCase {
    std::string name;
    rl::core::Settings settings;
    int steps_per_frame = 8;
};

rl::core::Settings small_base() {
    return rl_test::small_yes_no_maybe(4, 256);
}

// Through set_fields, the path --set and session files take: the extremes must be accepted.
rl::core::Settings with(rl::core::Settings s, const Changes& changes) {
    const std::string error = rl::core::set_fields(s, changes);
    REQUIRE_MESSAGE(error.empty(), error);
    return s;
}

// Every action a Gaussian with this mean (alternating sign) and sd.
Changes gaussian_rewards(double mean, const std::string& sd) {
    Changes c;
    for (int a = 0; a < 3; ++a) {
        const std::string key = "action." + std::to_string(a) + ".";
        std::ostringstream m;
        m << (a % 2 == 0 ? mean : -mean);
        c.push_back({key + "reward", "gaussian"});
        c.push_back({key + "mean", m.str()});
        c.push_back({key + "sd", sd});
    }
    return c;
}

Changes join(Changes a, const Changes& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

const Changes kHugeFixed = {
    {"action.0.value", "1e30"}, {"action.1.value", "-1e30"}, {"action.2.value", "1e30"}};
const Changes kLr = {{"lr", "1e6"}};

rl::core::Settings vocabulary_settings(double good_reward, double lr) {
    rl::core::Settings s = small_base();
    rl::core::VocabularySpec v;
    v.N = rl::core::limits::kMaxActions;
    v.good_reward = good_reward;
    v.other_reward = -good_reward;
    rl::core::apply_vocabulary(s, v);
    s.runs = 2;
    s.M = 64;
    s.estimator.lr = lr;
    REQUIRE(rl::core::validate(s).empty());
    return s;
}

std::vector<ExtremeCase> extreme_cases() {
    const rl::core::Settings base = small_base();
    const std::string max_k = std::to_string(rl::core::limits::kMaxK);
    const std::string max_c = "1e6";
    std::vector<ExtremeCase> cases;
    const auto add = [&](std::string name, const Changes& changes, int pace = 8) {
        cases.push_back({std::move(name), with(base, changes), pace});
    };
    // Each extreme with the others at their defaults.
    add("lr 1e6", kLr);
    add("rewards +-1e30", kHugeFixed);
    add("gaussian rewards, sd 0", gaussian_rewards(5.0, "0"));
    add("gaussian rewards, sd 1e30", gaussian_rewards(0.0, "1e30"));
    add("K 1", {{"K", "1"}});
    add("K max", {{"K", max_k}, {"runs", "2"}, {"M", "4"}}, 2);
    add("kl_beta 0", {{"kl_beta", "0"}});
    add("kl_beta max, penalty", {{"kl_beta", max_c}, {"kl_mode", "penalty"}});
    add("kl_beta max, reward", {{"kl_beta", max_c}, {"kl_mode", "reward"}});
    add("clip 0", {{"clip", "0"}});
    add("clip max", {{"clip", "1e12"}});
    add("entropy max", {{"entropy", max_c}});
    add("constant baseline 1e30", {{"baseline", "constant"}, {"baseline_b", "1e30"}});
    add("constant baseline -1e30", {{"baseline", "constant"}, {"baseline_b", "-1e30"}});
    add("arm_mean_sd max", {{"arm_mean_sd", max_c}});
    add("group_norm, rewards all equal", {{"baseline", "group_norm"},
                                          {"K", "4"},
                                          {"action.0.value", "2"},
                                          {"action.1.value", "2"},
                                          {"action.2.value", "2"}});
    add("pinned, logits at the limit",
        {{"parameterization", "pinned"}, {"init_logits", "1e4,-1e4,0"}});
    {
        rl::core::Settings two = rl_test::make_settings(
            {rl_test::fixed_reward(1.0), rl_test::fixed_reward(0.0)}, {0.0, 0.0});
        two.runs = 4;
        two.M = 256;
        two.steps = 100000;
        cases.push_back({"N 2", two, 8});
        cases.push_back(
            {"N 2, lr 1e6, rewards +-1e30",
             with(two, {{"lr", "1e6"}, {"action.0.value", "1e30"}, {"action.1.value", "-1e30"}}),
             8});
    }
    cases.push_back({"N max (vocabulary)", vocabulary_settings(1.0, 0.1), 2});
    // The worst pairs.
    cases.push_back({"N max, lr 1e6, rewards +-1e30", vocabulary_settings(1e30, 1e6), 2});
    add("lr 1e6, rewards +-1e30", join(kLr, kHugeFixed));
    add("lr 1e6, rewards +-1e30, sd 1e30", join(kLr, gaussian_rewards(1e30, "1e30")));
    add("lr 1e6, K max, rewards +-1e30",
        join(join(kLr, kHugeFixed), {{"K", max_k}, {"runs", "2"}, {"M", "4"}}), 2);
    add("lr 1e6, kl_beta max penalty, rewards +-1e30",
        join(join(kLr, kHugeFixed), {{"kl_beta", max_c}}));
    add("lr 1e6, kl_beta max reward, rewards +-1e30",
        join(join(kLr, kHugeFixed), {{"kl_beta", max_c}, {"kl_mode", "reward"}}));
    add("lr 1e6, entropy max, kl_beta max",
        {{"lr", "1e6"}, {"entropy", max_c}, {"kl_beta", max_c}});
    add("lr 1e6, clip max, rewards sd 1e30",
        join(join(kLr, gaussian_rewards(0.0, "1e30")), {{"clip", "1e12"}}));
    add("rewards +-1e30, constant baseline -1e30",
        join(kHugeFixed, {{"baseline", "constant"}, {"baseline_b", "-1e30"}}));
    add("lr 1e6, arm_mean_sd max", {{"lr", "1e6"}, {"arm_mean_sd", max_c}});
    add("K max, rewards sd 1e30",
        join(gaussian_rewards(0.0, "1e30"), {{"K", max_k}, {"runs", "2"}, {"M", "4"}}), 2);
    add("lr 1e6, constant baseline 1e30, rewards -1e30", {{"lr", "1e6"},
                                                          {"baseline", "constant"},
                                                          {"baseline_b", "1e30"},
                                                          {"action.0.value", "-1e30"},
                                                          {"action.1.value", "-1e30"},
                                                          {"action.2.value", "-1e30"}});
    // Every baseline under the worst rewards and learning rate.
    for (const char* b :
         {"none", "running", "batch_mean", "rloo", "expected", "optimal", "group_norm"}) {
        add(std::string("lr 1e6, rewards +-1e30 sd 1e30, K 8, baseline ") + b,
            join(join(kLr, gaussian_rewards(1e30, "1e30")), {{"K", "8"}, {"baseline", b}}));
    }
    add("lr 1e6, running average, rewards +-1e30",
        join(join(kLr, kHugeFixed), {{"baseline", "running"}, {"running_mode", "average"}}));
    add("running mean, decay 0", {{"baseline", "running"}, {"running_decay", "0"}});
    // Bernoulli rewards at both ends of p, and lo and hi each at both ends of their range.
    for (const auto& [p, lo, hi] : {std::tuple{"0", "-1e30", "1e30"}, {"1", "1e30", "-1e30"}}) {
        Changes bernoulli;
        for (int a = 0; a < 3; ++a) {
            const std::string key = "action." + std::to_string(a) + ".";
            bernoulli.insert(bernoulli.end(), {{key + "reward", "bernoulli"},
                                               {key + "p", p},
                                               {key + "lo", lo},
                                               {key + "hi", hi}});
        }
        add(std::string("lr 1e6, bernoulli rewards p ") + p + ", lo " + lo + ", hi " + hi,
            join(kLr, bernoulli));
    }
    return cases;
}

constexpr std::size_t kSweepSize = 43;

// Collects "where=value" for every non-finite number a plot or the step panel would draw.
struct FiniteCheck {
    std::vector<std::string> bad;

    template <typename T>
    void value(const std::string& where, T x) {
        if (!std::isfinite(static_cast<double>(x))) {
            std::ostringstream os;
            os << where << "=" << static_cast<double>(x);
            bad.push_back(os.str());
        }
    }
    template <typename T>
    void all(const std::string& where, const std::vector<T>& xs) {
        for (std::size_t i = 0; i < xs.size(); ++i)
            value(where + "[" + std::to_string(i) + "]", xs[i]);
    }
};

std::vector<std::string> nonfinite_drawn(const Results& r) {
    FiniteCheck c;
    const rl::live::History& h = r.history;
    c.all("history.step", h.step);
    c.all("history.j_p10", h.j_p10);
    c.all("history.j_p50", h.j_p50);
    c.all("history.j_p90", h.j_p90);
    c.all("history.best_share", h.best_share);
    for (std::size_t i = 0; i < h.prob_p50.size(); ++i) {
        c.all("history.prob_p10." + std::to_string(i), h.prob_p10[i]);
        c.all("history.prob_p50." + std::to_string(i), h.prob_p50[i]);
        c.all("history.prob_p90." + std::to_string(i), h.prob_p90[i]);
    }
    c.value("best_J", r.best_J);
    c.all("run0_probs", r.run0_probs);
    c.all("median_probs", r.median_probs);
    c.all("p10_probs", r.p10_probs);
    c.all("p90_probs", r.p90_probs);
    c.all("rest_p50", r.rest_p50);
    c.value("rest_now", r.rest_now);
    if (r.cloud_valid) {
        const rl::engine::CloudResult& k = r.cloud;
        c.all("cloud.x", k.x);
        c.all("cloud.y", k.y);
        c.value("cloud.mean_x", k.mean_x);
        c.value("cloud.mean_y", k.mean_y);
        c.value("cloud.true_x", k.true_x);
        c.value("cloud.true_y", k.true_y);
        c.value("cloud.snr", k.snr);
        c.value("cloud.uphill_share", k.uphill_share);
        c.value("cloud.mean_cosine", k.mean_cosine);
        c.value("cloud.histogram.x_min", k.histogram.x_min);
        c.value("cloud.histogram.x_max", k.histogram.x_max);
        c.value("cloud.histogram.y_min", k.histogram.y_min);
        c.value("cloud.histogram.y_max", k.histogram.y_max);
        if (k.exact.closed_form) {
            c.value("cloud.exact_mean_x", k.exact_mean_x);
            c.value("cloud.exact_mean_y", k.exact_mean_y);
            c.value("cloud.exact_var_x", k.exact_var_x);
            c.value("cloud.exact_var_y", k.exact_var_y);
            c.value("cloud.exact_cov_xy", k.exact_cov_xy);
        }
    }
    if (r.highlight_valid) {
        c.value("highlight_x", r.highlight_x);
        c.value("highlight_y", r.highlight_y);
    }
    if (r.detail_valid) {
        const rl::engine::StepDetail& d = r.detail;
        c.all("detail.rewards", d.rewards);
        c.all("detail.rewards_used", d.rewards_used);
        c.all("detail.advantages", d.advantages);
        c.value("detail.baseline", d.baseline);
        c.value("detail.clip_scale", d.clip_scale);
        c.all("detail.gradient", d.gradient);
        c.all("detail.true_gradient", d.true_gradient);
        c.all("detail.logits_before", d.logits_before);
        c.all("detail.logits_after", d.logits_after);
        c.all("detail.probs_before", d.probs_before);
        c.all("detail.probs_after", d.probs_after);
    }
    for (const rl::live::SnrCurve& curve : r.snr_exact) {
        const std::string name = "snr_exact." + std::string(rl::core::to_string(curve.baseline));
        c.all(name + ".K", curve.K);
        c.all(name + ".snr", curve.snr);
    }
    for (const rl::live::SnrPoint& p : r.snr_measured)
        c.value("snr_measured.K" + std::to_string(p.K), p.snr);
    return c.bad;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& l : lines)
        out += l + "\n";
    return out;
}

std::string texts(const std::vector<Message>& messages) {
    std::string out;
    for (const Message& m : messages)
        out += m.text + "\n";
    return out;
}

// Errors must say what diverged: which run and which step. An engine error (a throw) is a defect.
bool check_errors_explained(const std::vector<Message>& messages, const Results& r) {
    bool any_error = false;
    for (const Message& m : messages) {
        if (m.level != Level::kError) continue;
        any_error = true;
        CHECK_MESSAGE(m.text.find("Engine error") == std::string::npos, m.text);
        CHECK_MESSAGE(m.text.find("run ") != std::string::npos, m.text);
        CHECK_MESSAGE(m.text.find("diverged at step ") != std::string::npos, m.text);
        CHECK_MESSAGE(m.text.find("paused") != std::string::npos, m.text);
    }
    if (any_error) CHECK_FALSE(r.playing);
    return any_error;
}

// Returns whether the case diverged (paused with an error).
bool run_live_case(const ExtremeCase& c) {
    CAPTURE(c.name);
    Runner live(c.settings, rl_test::cpu_options());
    live.set_pace(c.steps_per_frame, 1.0);
    live.set_playing(true);
    rl_test::run_frames(live, 6);
    std::vector<Message> messages = live.take_messages();
    const Results r = rl_test::snapshot(live);
    CHECK(r.steps_done > 0);
    const std::vector<std::string> bad = nonfinite_drawn(r);
    CHECK_MESSAGE(bad.empty(), c.name << ": " << joined(bad) << texts(messages));
    const bool diverged = check_errors_explained(messages, r);

    // Still editable: a calmer learning rate is accepted, and a reset runs again from step 0.
    rl::core::Settings calmer = live.settings();
    REQUIRE(rl::core::set_field(calmer, "lr", "0.01").empty());
    CHECK(live.apply(calmer).empty());
    live.set_playing(false);
    live.reset();
    rl_test::run_frames(live, 1);
    CHECK(rl_test::snapshot(live).steps_done == 0);
    live.set_playing(true);
    rl_test::run_frames(live, 3);
    messages = live.take_messages();
    const Results after = rl_test::snapshot(live);
    CHECK(after.steps_done > 0);
    const std::vector<std::string> bad_after = nonfinite_drawn(after);
    CHECK_MESSAGE(bad_after.empty(), c.name << " after reset: " << joined(bad_after));
    check_errors_explained(messages, after);
    return diverged;
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Cells that spell a non-finite number ("nan", "inf", "-inf" in any case).
std::vector<std::string> nonfinite_cells(const std::string& csv) {
    std::vector<std::string> bad;
    std::string cell;
    int row = 0;
    const auto flush = [&] {
        std::string lower;
        for (char ch : cell)
            lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (lower == "nan" || lower == "-nan" || lower == "inf" || lower == "-inf" ||
            lower == "infinity" || lower == "-infinity")
            bad.push_back("row " + std::to_string(row) + ": " + cell);
        cell.clear();
    };
    for (char ch : csv) {
        if (ch == ',' || ch == '\n') {
            flush();
            if (ch == '\n') ++row;
        } else {
            cell += ch;
        }
    }
    flush();
    return bad;
}

void run_headless_case(const ExtremeCase& c) {
    CAPTURE(c.name);
    rl_test::TempDir dir("rl-extreme");
    rl::core::Settings s = c.settings;
    s.steps = 3 * c.steps_per_frame;
    // The SNR table measures 88 clouds of min(M, 2^22 / K) batches each: keep them small.
    s.M = std::min(s.M, 16);
    rl::io::HeadlessOptions options;
    options.engine = "cpu";
    options.threads = 2;
    options.out_dir = dir.path;
    std::ostringstream out, err;
    int status = -1;
    CHECK_NOTHROW(status = rl::io::run_headless(s, options, out, err));
    CHECK_MESSAGE((status == rl::io::kExitOk || status == rl::io::kExitDiverged), err.str());
    if (status == rl::io::kExitDiverged) {
        MESSAGE(c.name << ": headless run diverged: " << err.str());
        CHECK_MESSAGE(err.str().find("diverged at step ") != std::string::npos, err.str());
    }
    for (const char* file : {"summary.csv", "snr.csv"}) {
        const std::filesystem::path path = dir.path / file;
        REQUIRE(std::filesystem::exists(path));
        const std::vector<std::string> bad = nonfinite_cells(read_file(path));
        CHECK_MESSAGE(bad.empty(), c.name << ": " << std::string(file) << ": " << joined(bad));
    }
    CHECK_MESSAGE(out.str().find("nan") == std::string::npos, out.str());
}

}  // namespace

TEST_CASE("Extreme inputs: the sweep reaches both ends of every numeric field's range") {
    const std::vector<ExtremeCase> cases = extreme_cases();
    REQUIRE(cases.size() == kSweepSize);
    // Their extremes cost time and memory rather than numerics; the memory budget and the
    // refusal sweep below cover them.
    const std::set<std::string> by_size = {"runs", "steps", "M"};
    // The episode fields do nothing to a bandit; tests/test_episode_settings.cpp runs their ends.
    const auto reached = [&](auto&& value_of, double target) {
        return std::any_of(cases.begin(), cases.end(),
                           [&](const ExtremeCase& c) { return value_of(c.settings) == target; });
    };
    int ends = 0;
    for (const rl::core::SettingsField& f : rl::core::kSettingsFields) {
        if (f.kind != rl::core::FieldKind::kNumber && f.kind != rl::core::FieldKind::kWhole)
            continue;
        if (by_size.count(std::string(f.key)) == 1 || f.episodes_only) continue;
        CAPTURE(f.key);
        const auto value = [&f](const rl::core::Settings& s) { return std::get<double>(f.get(s)); };
        // An open end is not a value; the nearest one a session can hold is the default's side.
        if (!f.range.lo_open) CHECK(reached(value, f.range.lo));
        if (!f.range.hi_open) CHECK(reached(value, f.range.hi));
        ends += !f.range.lo_open + !f.range.hi_open;
    }
    for (const rl::core::ActionField& f : rl::core::kActionFields) {
        if (f.reward_kinds == 0) continue;  // a reward field of some kind
        CAPTURE(f.key);
        const auto lowest = [&f](const rl::core::Settings& s) {
            double v = std::get<double>(f.get(s, 0));
            for (std::size_t a = 0; a < s.actions.size(); ++a)
                if (rl::core::action_has_field(f, s.actions[a].reward.kind))
                    v = std::min(v, std::get<double>(f.get(s, a)));
            return v;
        };
        const auto highest = [&f](const rl::core::Settings& s) {
            double v = std::get<double>(f.get(s, 0));
            for (std::size_t a = 0; a < s.actions.size(); ++a)
                if (rl::core::action_has_field(f, s.actions[a].reward.kind))
                    v = std::max(v, std::get<double>(f.get(s, a)));
            return v;
        };
        CHECK(reached(lowest, f.range.lo));
        CHECK(reached(highest, f.range.hi));
        ends += 2;
    }
    // The action count at both ends, and the logits at theirs.
    const auto actions = [](const rl::core::Settings& s) {
        return static_cast<double>(s.actions.size());
    };
    CHECK(reached(actions, static_cast<double>(rl::core::limits::kMinActions)));
    CHECK(reached(actions, static_cast<double>(rl::core::limits::kMaxActions)));
    const auto largest_logit = [](const rl::core::Settings& s) {
        double v = 0.0;
        for (double l : s.init_logits)
            v = std::max(v, std::abs(l));
        return v;
    };
    CHECK(reached(largest_logit, rl::core::limits::kMaxLogitMagnitude));
    // Every baseline under the worst learning rate.
    for (const rl::core::BaselineKind kind : rl::core::kBanditBaselines)
        CHECK(std::any_of(cases.begin(), cases.end(), [kind](const ExtremeCase& c) {
            return c.settings.estimator.baseline == kind &&
                   c.settings.estimator.lr == rl::core::limits::kMaxLearningRate;
        }));
    MESSAGE("extreme-input sweep: " << cases.size() << " cases reach " << ends
                                    << " field bounds, live and headless");
}

TEST_CASE("Extreme inputs: 43 cases on the live path draw only finite numbers or pause and say") {
    int diverged = 0, cases = 0;
    for (const ExtremeCase& c : extreme_cases()) {
        diverged += run_live_case(c) ? 1 : 0;
        ++cases;
    }
    MESSAGE(cases << " live cases, " << diverged << " paused on a divergence");
}

TEST_CASE("Extreme inputs: 43 cases headless write no NaN or infinity to the CSV files") {
    for (const ExtremeCase& c : extreme_cases())
        run_headless_case(c);
}

namespace {

// A numeric setting's range as the messages print it, and text just outside it.
struct FieldRange {
    std::string key;
    std::string lo, hi;                // the bounds as the message spells them
    std::vector<std::string> outside;  // values just beyond either end
};

std::string just_past(double x, double towards) {
    std::ostringstream os;
    os.precision(17);
    os << std::nextafter(x, towards);
    return os.str();
}

std::vector<FieldRange> numeric_fields() {
    constexpr double kInf = std::numeric_limits<double>::infinity();
    const double big = rl::core::limits::kMaxRewardMagnitude;
    const double c = rl::core::limits::kMaxCoefficient;
    const auto reals = [&](const std::string& key, double lo, double hi, const std::string& los,
                           const std::string& his) {
        return FieldRange{key, los, his, {just_past(lo, -kInf), just_past(hi, kInf)}};
    };
    std::vector<FieldRange> f = {
        {"K", "1", "65536", {"0", "65537", "2.5"}},
        {"lr", "0", "1e+06", {"0", "-1e-300", just_past(1e6, kInf)}},
        reals("baseline_b", -big, big, "-1e+30", "1e+30"),
        {"running_decay", "0", "1", {just_past(0.0, -kInf), "1"}},
        reals("kl_beta", 0.0, c, "0", "1e+06"),
        reals("entropy", 0.0, c, "0", "1e+06"),
        reals("clip", 0.0, 1e12, "0", "1e+12"),
        {"runs", "1", "4096", {"0", "4097"}},
        {"steps", "1", "1000000", {"0", "1000001"}},
        {"M", "2", "1048576", {"1", "1048577"}},
        {"seed", "0", "18446744073709551615", {"-1", "18446744073709551616", "1.5"}},
        reals("arm_mean_sd", 0.0, c, "0", "1e+06"),
        {"length", "1", "512", {"0", "513", "2.5"}},
        {"discount", "0", "1", {just_past(0.0, -kInf), just_past(1.0, kInf)}},
        {"outcome_count", "1", "512", {"0", "513"}},
        reals("outcome_reward", -big, big, "-1e+30", "1e+30"),
        reals("outcome_else", -big, big, "-1e+30", "1e+30"),
        {"critic_lr", "0", "1", {"0", just_past(1.0, kInf)}},
    };
    for (const std::string who : {"0", "yes"}) {
        const std::string a = "action." + who + ".";
        for (const char* field : {"value", "mean", "lo", "hi"})
            f.push_back(reals(a + field, -big, big, "-1e+30", "1e+30"));
        f.push_back(reals(a + "sd", 0.0, big, "0", "1e+30"));
        f.push_back(reals(a + "p", 0.0, 1.0, "0", "1"));
        f.push_back(reals(a + "logit", -1e4, 1e4, "-10000", "10000"));
    }
    for (const char* list : {"init_logits", "reference_logits"}) {
        f.push_back({list, "-10000", "10000", {"0,0,10000.000000001", "-1e5,0,0"}});
    }
    for (const char* list : {"init_probs", "reference_probs"})
        f.push_back({list, "0", "1", {"0,0.5,0.5", "1.5,-0.25,-0.25"}});
    return f;
}

// The non-numeric keys, which the numeric sweep leaves to their own tests.
const std::vector<std::string> kTextFields = {
    "baseline",    "running_mode", "kl_mode",     "parameterization", "title",
    "description", "problem",      "policy_form", "outcome",          "credit"};

bool same_settings(const rl::core::Settings& a, const rl::core::Settings& b) {
    return a.estimator.K == b.estimator.K && a.estimator.lr == b.estimator.lr &&
           a.estimator.constant_b == b.estimator.constant_b &&
           a.estimator.running_decay == b.estimator.running_decay &&
           a.estimator.kl_beta == b.estimator.kl_beta &&
           a.estimator.entropy == b.estimator.entropy && a.estimator.clip == b.estimator.clip &&
           a.runs == b.runs && a.steps == b.steps && a.M == b.M && a.seed == b.seed &&
           a.arm_mean_sd == b.arm_mean_sd && a.init_logits == b.init_logits &&
           a.reference_logits == b.reference_logits && a.actions.size() == b.actions.size() &&
           a.actions[0].reward.value == b.actions[0].reward.value &&
           a.actions[0].reward.mean == b.actions[0].reward.mean &&
           a.actions[0].reward.sd == b.actions[0].reward.sd &&
           a.actions[0].reward.p == b.actions[0].reward.p &&
           a.actions[0].reward.lo == b.actions[0].reward.lo &&
           a.actions[0].reward.hi == b.actions[0].reward.hi;
}

// `start` with action 0 given the reward model that reads `key` (action.0.mean: Gaussian), since
// a field its model does not read is refused for that reason instead.
rl::core::Settings start_for(rl::core::Settings start, const std::string& key) {
    const std::string field = key.substr(key.rfind('.') + 1);
    const char* kind = field == "mean" || field == "sd"                 ? "gaussian"
                       : field == "p" || field == "lo" || field == "hi" ? "bernoulli"
                                                                        : nullptr;
    if (key.starts_with("action.") && kind != nullptr)
        REQUIRE(rl::core::set_field(start, "action.0.reward", kind) == "");
    return start;
}

}  // namespace

TEST_CASE("Extreme inputs: set_field refuses out-of-range, NaN, inf and junk with the range") {
    const rl::core::Settings start = rl_test::yes_no_maybe();
    const std::vector<FieldRange> fields = numeric_fields();
    // Every key set_field knows is either checked here or named as text.
    for (const rl::core::SettingsField& f : rl::core::kSettingsFields) {
        if (!f.settable) continue;
        const std::string name(f.key);
        const bool numeric = std::any_of(fields.begin(), fields.end(),
                                         [&](const FieldRange& f) { return f.key == name; });
        const bool text =
            std::find(kTextFields.begin(), kTextFields.end(), name) != kTextFields.end();
        CHECK_MESSAGE((numeric || text), name << " is not covered by the refusal sweep");
    }
    int refusals = 0;
    for (const FieldRange& f : fields) {
        std::vector<std::string> values = f.outside;
        for (const char* bad :
             {"nan", "NaN", "inf", "-inf", "infinity", "1e999", "junk", "", "3x", "0x10", "1,,2"})
            values.emplace_back(bad);
        for (const std::string& v : values) {
            // An empty reference list means "no reference of its own": the initial policy.
            if ((f.key == "reference_logits" || f.key == "reference_probs") && v.empty()) continue;
            CAPTURE(f.key);
            CAPTURE(v);
            const rl::core::Settings before = start_for(start, f.key);
            rl::core::Settings s = before;
            const std::string error = rl::core::set_field(s, f.key, v);
            ++refusals;
            CHECK_FALSE(error.empty());
            CHECK(error.rfind(f.key + ":", 0) == 0);
            CHECK_MESSAGE(error.find(f.lo) != std::string::npos, error);
            CHECK_MESSAGE(error.find(f.hi) != std::string::npos, error);
            CHECK(same_settings(s, before));
        }
    }
    MESSAGE(refusals << " refused values over " << fields.size() << " numeric keys");
}

TEST_CASE("Extreme inputs: an edit out of range through the controls' path names the range") {
    // The controls edit a draft of the settings and hand it to Runner::apply, which validates it.
    Runner live(small_base(), rl_test::cpu_options());
    live.wait_idle();
    const rl::core::Settings good = live.settings();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    struct Edit {
        std::string what, lo, hi;
        std::function<void(rl::core::Settings&, double)> set;
    };
    const std::vector<Edit> edits = {
        {"lr", "0", "1e+06", [](rl::core::Settings& s, double x) { s.estimator.lr = x; }},
        {"kl_beta", "0", "1e+06", [](rl::core::Settings& s, double x) { s.estimator.kl_beta = x; }},
        {"entropy", "0", "1e+06", [](rl::core::Settings& s, double x) { s.estimator.entropy = x; }},
        {"clip", "0", "1e+12", [](rl::core::Settings& s, double x) { s.estimator.clip = x; }},
        {"baseline_b", "-1e+30", "1e+30",
         [](rl::core::Settings& s, double x) { s.estimator.constant_b = x; }},
        {"running_decay", "0", "1",
         [](rl::core::Settings& s, double x) { s.estimator.running_decay = x; }},
        {"arm_mean_sd", "0", "1e+06", [](rl::core::Settings& s, double x) { s.arm_mean_sd = x; }},
        {".value", "-1e+30", "1e+30",
         [](rl::core::Settings& s, double x) { s.actions[0].reward.value = x; }},
        {"init_logits", "-10000", "10000",
         [](rl::core::Settings& s, double x) { s.init_logits[1] = x; }},
    };
    for (const Edit& e : edits) {
        for (double x : {nan, inf, -inf, 2e30, -2e30}) {
            CAPTURE(e.what);
            CAPTURE(x);
            rl::core::Settings draft = good;
            e.set(draft, x);
            const std::string error = live.apply(draft);
            CHECK_MESSAGE(error.find(e.what) != std::string::npos, error);
            CHECK_MESSAGE(error.find(e.lo) != std::string::npos, error);
            CHECK_MESSAGE(error.find(e.hi) != std::string::npos, error);
        }
    }
    live.wait_idle();
    CHECK(same_settings(live.settings(), good));
}

TEST_CASE("Extreme inputs: at a deterministic policy the SNR is absent with its reason") {
    // exp(-2e4) is 0 in doubles: one action has all the mass, every estimate is 0, and the SNR
    // is 0/0. It must be published as absent with the reason, never as NaN, 0 or infinity.
    rl::core::Settings s =
        with(small_base(), {{"parameterization", "pinned"}, {"init_logits", "1e4,-1e4,0"}});
    Runner live(s, rl_test::cpu_options());
    rl_test::run_frames(live, 2);
    const Results r = rl_test::snapshot(live);
    REQUIRE(r.cloud_valid);
    CHECK(r.cloud.snr == 0.0);
    CHECK(r.cloud.snr_reason.find("every estimate is 0") != std::string::npos);
    CHECK(r.cloud.exact.snr_reason.find("every estimate is 0") != std::string::npos);
    bool checked = false;
    for (const rl::live::SnrCurve& curve : r.snr_exact) {
        if (curve.baseline != s.estimator.baseline) continue;
        CHECK(curve.K.empty());
        CHECK_MESSAGE(curve.reason.find("every estimate is 0") != std::string::npos, curve.reason);
        checked = true;
    }
    CHECK(checked);
    for (const rl::live::SnrPoint& p : r.snr_measured) {
        CHECK(p.snr == 0.0);
        CHECK_FALSE(p.reason.empty());
    }
}

TEST_CASE("Extreme inputs: after a divergence under the worst settings, edit and reset recover") {
    // No setting within its range makes the CPU engine diverge (the ranges keep every term far
    // below the double's limit), so the divergence is injected at step 5 under lr 1e6 and
    // rewards +-1e30, as a failing engine would report it.
    auto faults = std::make_shared<rl_test::Faults>();
    faults->diverge_at = 5;
    const rl::core::Settings worst = with(small_base(), join(kLr, gaussian_rewards(1e30, "1e30")));
    Runner live(worst, std::make_unique<rl_test::FaultyEngine>(faults),
                rl::engine::make_cpu_engine(2));
    live.set_pace(4, 1.0);
    live.set_playing(true);
    rl_test::run_frames(live, 4);
    std::vector<Message> messages = live.take_messages();
    Results r = rl_test::snapshot(live);
    CHECK(r.steps_done == 5);
    CHECK_FALSE(r.playing);
    CHECK(rl_test::has_message(messages, Level::kError, "run 0 diverged at step 5"));
    check_errors_explained(messages, r);
    const std::vector<std::string> bad = nonfinite_drawn(r);
    CHECK_MESSAGE(bad.empty(), joined(bad));

    rl::core::Settings calmer = live.settings();
    REQUIRE(rl::core::set_field(calmer, "lr", "0.01").empty());
    CHECK(live.apply(calmer).empty());
    faults->diverge_at = -1;
    live.reset();
    rl_test::run_frames(live, 1);
    r = rl_test::snapshot(live);
    CHECK(r.steps_done == 0);
    CHECK(r.settings.estimator.lr == 0.01);
    live.set_playing(true);
    rl_test::run_frames(live, 3);
    messages = live.take_messages();
    r = rl_test::snapshot(live);
    CHECK(r.steps_done == 12);
    CHECK(r.playing);
    CHECK_FALSE(rl_test::has_message(messages, Level::kError, ""));
    CHECK(nonfinite_drawn(r).empty());
}

TEST_CASE("Extreme inputs: the window under the worst case draws its plots and says why no SNR") {
    // lr 1e6, rewards +-1e30 with sd 1e30, KL and entropy at their maximum: after one step the
    // policy is deterministic, every gradient estimate is 0 and the SNR is 0/0.
    rl_test::TempDir dir("rl-extreme-gui");
    const std::filesystem::path png = dir.path / "worst.png";
    const std::filesystem::path exports = dir.path / "exports";
    const rl_test::AppRun run = rl_test::run_app(
        "--preset yes-no-maybe --engine cpu --frames 60 --size 1280x800 --set lr=1e6 "
        "--set action.0.reward=gaussian --set action.0.mean=1e30 --set action.0.sd=1e30 "
        "--set action.1.value=-1e30 --set action.2.value=1e30 --set entropy=1e6 "
        "--set kl_beta=1e6 --screenshot '" +
            png.string() + "' --export '" + exports.string() + "'",
        dir, "xvfb-run -a -s '-screen 0 1600x1000x24'");
    INFO("stdout: " << run.out);
    INFO("stderr: " << run.err);
    REQUIRE(run.status == 0);

    const rl_test::Image image = rl_test::load_png(png.string());
    REQUIRE(image.pixels != nullptr);
    CHECK(rl_test::distinct_colours(image) > 200);
    const std::map<std::string, rl_test::Box> boxes = rl_test::plot_boxes(run.out);
    // The policy and reward plots draw lines and bands; the cloud is one point at the origin
    // and the SNR plot one measured point from the initial policy, a few dozen pixels each.
    const std::pair<std::string, int> drawn[] = {
        {"Policy", 300}, {"Reward", 300}, {"Gradient", 20}, {"SNR", 20}};
    for (const auto& [name, pixels] : drawn) {
        INFO("plot " << name);
        const auto it = boxes.find(name);
        REQUIRE(it != boxes.end());
        CHECK(rl_test::coloured_pixels(image, it->second) > pixels);
    }

    // The exported plots hold what was drawn: no NaN or infinity, and the reason in the titles.
    int csv_files = 0;
    std::string gradient_svg, snr_svg;
    for (const std::filesystem::directory_entry& e : std::filesystem::directory_iterator(exports)) {
        const std::string name = e.path().filename().string();
        const std::string text = read_file(e.path());
        if (e.path().extension() == ".csv") {
            ++csv_files;
            const std::vector<std::string> bad = nonfinite_cells(text);
            CHECK_MESSAGE(bad.empty(), name << ": " << joined(bad));
        }
        if (e.path().extension() == ".svg") {
            CHECK_MESSAGE(text.find("nan") == std::string::npos, name);
            if (name.find("gradient") != std::string::npos) gradient_svg = text;
            if (name.find("snr") != std::string::npos) snr_svg = text;
        }
    }
    CHECK(csv_files >= 4);
    CHECK(gradient_svg.find("no SNR (every estimate is 0)") != std::string::npos);
    CHECK(snr_svg.find("none (every estimate is 0 at this policy)") != std::string::npos);
}

namespace {

// A CPU engine whose run 0 diverges at step 3 the way an overflowing gradient does: the step's
// detail holds the infinite gradient and the NaN it made.
class OverflowingEngine final : public rl::engine::ForwardingEngine {
  public:
    OverflowingEngine() : ForwardingEngine(rl::engine::make_cpu_engine(2)) {}
    rl::engine::TrainingAdvance advance(int steps) override {
        const int done = inner().steps_done();
        if (done >= 3) return inner().advance(steps);
        rl::engine::TrainingAdvance a = inner().advance(std::min(steps, 3 - done));
        if (inner().steps_done() == 3 && a.run0.step == 3) {
            a.run0.gradient[0] = std::numeric_limits<double>::infinity();
            a.run0.advantages[0] = std::numeric_limits<double>::quiet_NaN();
            a.diverged = true;
            a.divergence = "run 0 diverged at step 3: the gradient is not finite";
        }
        return a;
    }
};

}  // namespace

TEST_CASE("Extreme inputs: a run 0 divergence with a non-finite update shows no NaN in the panel") {
    Runner live(small_base(), std::make_unique<OverflowingEngine>(),
                rl::engine::make_cpu_engine(2));
    live.step_once();
    rl_test::run_frames(live, 1);
    REQUIRE(rl_test::snapshot(live).detail_valid);  // a good step's detail is shown
    live.set_pace(4, 1.0);
    live.set_playing(true);
    rl_test::run_frames(live, 2);
    const std::vector<Message> messages = live.take_messages();
    const Results r = rl_test::snapshot(live);
    CHECK(r.steps_done == 3);
    CHECK(rl_test::has_message(messages, Level::kError, "run 0 diverged at step 3"));
    check_errors_explained(messages, r);
    CHECK_FALSE(r.detail_valid);
    const std::vector<std::string> bad = nonfinite_drawn(r);
    CHECK_MESSAGE(bad.empty(), joined(bad));
}
