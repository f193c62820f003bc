// The This-step panel tells the truth: from the text it prints alone (formula lines and table
// cells, at their printed precision) a student can redo every advantage, each action's
// estimate, the new logits and the new probabilities, for every baseline kind, with the KL
// folded into the reward or not, free or pinned; and the raw numbers it prints from satisfy the
// same identities exactly.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "app/panels/step_text.hpp"
#include "core/choices.hpp"
#include "core/settings.hpp"
#include "live/runner.hpp"
#include "support/sessions.hpp"
#include "test_live_support.hpp"

namespace {

using rl::core::BaselineKind;
using rl::core::KlMode;
using rl::core::Parameterization;

// %.4g prints within half a unit of the 4th significant digit: at most 5e-4 of the value.
constexpr double kPrinted = 5e-4;

struct Case {
    BaselineKind baseline = BaselineKind::kNone;
    rl::core::RunningMode running = rl::core::RunningMode::kEma;
    Parameterization param = Parameterization::kFree;
    bool fold = false;     // KL folded into the reward
    bool penalty = false;  // KL as an exact penalty, with an entropy bonus
    double clip = 0.0;
};

std::string describe(const Case& c) {
    std::string s(rl::core::to_string(c.baseline));
    if (c.baseline == BaselineKind::kRunning) {
        s += " ";
        s += rl::core::to_string(c.running);
    }
    s += c.param == Parameterization::kPinnedLast ? " pinned" : " free";
    if (c.fold) s += " kl-folded";
    if (c.penalty) s += " kl-penalty+entropy";
    if (c.clip > 0.0) s += " clipped";
    return s;
}

rl::core::Settings settings_for(const Case& c) {
    // Noisy rewards, so no batch's rewards all agree and group norm's std is not 0.
    rl::core::Settings s = rl_test::make_settings(
        {rl_test::gaussian_reward(1.0, 2.0), rl_test::bernoulli_reward(0.4, -1, 3),
         rl_test::fixed_reward(0.5), rl_test::gaussian_reward(-0.5, 0.7)},
        {0.3, -0.2, 0.1, 0.0}, c.param);
    s.runs = 2;
    s.M = 64;
    s.steps = 1000;
    s.reference_logits = {0.0, 0.5, -0.5, 0.0};  // away from the start, so the KL shift is not 0
    rl::core::EstimatorSettings& e = s.estimator;
    e.K = 5;
    e.lr = 0.3;
    e.baseline = c.baseline;
    e.constant_b = 0.75;
    e.running_mode = c.running;
    e.running_decay = 0.8;
    if (c.fold || c.penalty) e.kl_beta = 0.4;
    e.kl_mode = c.fold ? KlMode::kReward : KlMode::kPenalty;
    if (c.penalty) e.entropy = 0.15;
    e.clip = c.clip;
    return s;
}

// A printed cell back to its number ("+0.25" -> 0.25).
double parse(const std::string& cell) {
    INFO("cell: " << cell);
    REQUIRE(!cell.empty());
    std::size_t used = 0;
    const double v = std::stod(cell, &used);
    REQUIRE(used == cell.size());
    return v;
}

// The number after `key` in a formula line.
double number_after(const std::vector<std::string>& lines, const std::string& key) {
    for (const std::string& line : lines) {
        const std::size_t at = line.find(key);
        if (at == std::string::npos) continue;
        const std::string rest = line.substr(at + key.size());
        std::size_t used = 0;
        return std::stod(rest, &used);
    }
    FAIL("no formula line has " << key);
    return 0.0;
}

// A table as columns by header name.
using Columns = std::map<std::string, std::vector<std::string>>;

Columns by_header(const std::vector<std::string>& headers,
                  const std::vector<std::vector<std::string>>& rows) {
    Columns cols;
    for (const std::vector<std::string>& row : rows) {
        REQUIRE(row.size() == headers.size());
        for (std::size_t i = 0; i < row.size(); ++i)
            cols[headers[i]].push_back(row[i]);
    }
    return cols;
}

std::vector<double> numbers(const Columns& cols, const std::string& header) {
    INFO("column: " << header);
    REQUIRE(cols.count(header) == 1);
    std::vector<double> v;
    for (const std::string& cell : cols.at(header))
        v.push_back(cell == "pinned" ? 0.0 : parse(cell));
    return v;
}

rl::live::Results after_steps(const rl::core::Settings& s, int steps) {
    rl::live::Runner live(s, rl_test::cpu_options());
    live.wait_idle();
    for (int i = 0; i < steps; ++i) {
        live.step_once();
        live.wait_idle();
    }
    return rl_test::snapshot(live);
}

// Redoes the step from the printed text alone.
void check_printed_arithmetic(const rl::live::Results& r, const Case& c) {
    const rl::core::EstimatorSettings& e = r.settings.estimator;
    const rl::app::StepText t = rl::app::step_text(r, 64);
    const std::size_t K = r.detail.actions.size();
    const std::size_t N = r.detail.probs_before.size();
    const Columns samples = by_header(t.sample_headers, t.sample_rows);
    std::vector<std::vector<std::string>> action_rows;
    for (std::uint32_t a : rl::app::step_action_order(r.detail, 256))
        action_rows.push_back(rl::app::step_action_row(r, t.columns, a));
    const Columns actions = by_header(t.action_headers, action_rows);
    REQUIRE(samples.at("#").size() == K);
    REQUIRE(actions.at("action").size() == N);

    std::map<std::string, std::size_t> index;  // action name -> row
    for (std::size_t a = 0; a < N; ++a)
        index[actions.at("action")[a]] = a;
    const std::vector<double> p = numbers(actions, "p");
    const std::vector<double> ref = t.columns.reference ? numbers(actions, "ref p") : p;

    // The reward the baseline acts on.
    const std::vector<double> R = numbers(samples, "R");
    std::vector<double> used = R;
    if (c.fold) {
        const std::vector<double> shift = numbers(samples, "shift");
        used = numbers(samples, "R'");
        for (std::size_t k = 0; k < K; ++k) {
            const std::size_t a = index.at(samples.at("action")[k]);
            // log of a 4-digit number is off by at most 5e-4, for p and for ref.
            const double expect = e.kl_beta * (std::log(p[a]) - std::log(ref[a]));
            CHECK(std::abs(shift[k] - expect) <=
                  e.kl_beta * 2.2e-3 + kPrinted * std::abs(shift[k]));
            CHECK(std::abs(used[k] - (R[k] - shift[k])) <=
                  2 * kPrinted * (std::abs(R[k]) + std::abs(shift[k])) + 1e-12);
        }
    }
    double sum = 0.0, sum_abs = 0.0;
    for (double x : used) {
        sum += x;
        sum_abs += std::abs(x);
    }
    const double mean = sum / static_cast<double>(K);

    // The baseline column, then the advantages.
    std::vector<double> b(K, 0.0);
    if (e.baseline != BaselineKind::kNone) {
        const std::string header = e.baseline == BaselineKind::kRloo        ? "b_k"
                                   : e.baseline == BaselineKind::kGroupNorm ? "mean"
                                                                            : "b";
        b = numbers(samples, header);
    }
    const std::vector<double> A = numbers(samples, "A");
    double spread = 1.0;
    if (e.baseline == BaselineKind::kGroupNorm) {
        spread = number_after(t.formulas, "- mean)^2) = ");
        double ss = 0.0;
        for (double x : used)
            ss += (x - mean) * (x - mean);
        CHECK(std::abs(std::sqrt(ss / static_cast<double>(K)) - spread) <=
              3 * kPrinted * sum_abs / std::sqrt(static_cast<double>(K)) + kPrinted * spread);
    }
    for (std::size_t k = 0; k < K; ++k) {
        INFO("sample " << k + 1);
        switch (e.baseline) {
            case BaselineKind::kConstant:
                CHECK(b[k] == doctest::Approx(e.constant_b));
                break;
            case BaselineKind::kBatchMean:
            case BaselineKind::kGroupNorm:
                CHECK(std::abs(b[k] - mean) <=
                      2 * kPrinted * sum_abs / K + kPrinted * std::abs(b[k]));
                break;
            case BaselineKind::kRloo: {
                const double others = (sum - used[k]) / static_cast<double>(K - 1);
                CHECK(std::abs(b[k] - others) <=
                      2 * kPrinted * sum_abs / (K - 1) + kPrinted * std::abs(b[k]));
                break;
            }
            default:  // none, running, and the oracles: one printed value for the batch
                CHECK(b[k] == b[0]);
        }
        const double expect = (used[k] - b[k]) / spread;
        CHECK(std::abs(A[k] - expect) <=
              2 * kPrinted * (std::abs(used[k]) + std::abs(b[k])) / spread +
                  2 * kPrinted * std::abs(expect) + 1e-12);
    }

    // Each action's estimate: own_a - p_a Abar (+ d_a), times the clip factor.
    const std::vector<double> AK = numbers(samples, "A/K");
    std::vector<double> own_expect(N, 0.0), own_abs(N, 0.0);
    double abar = 0.0, abar_abs = 0.0;
    for (std::size_t k = 0; k < K; ++k) {
        CHECK(std::abs(AK[k] - A[k] / K) <= 2 * kPrinted * std::abs(AK[k]) + 1e-12);
        const std::size_t a = index.at(samples.at("action")[k]);
        own_expect[a] += AK[k];
        own_abs[a] += std::abs(AK[k]);
        abar += AK[k];
        abar_abs += std::abs(AK[k]);
    }
    const double abar_printed = number_after(t.formulas, "Abar = sum of all A/K = ");
    CHECK(std::abs(abar_printed - abar) <= 2 * kPrinted * abar_abs + 1e-12);
    const std::vector<double> own = numbers(actions, "own");
    const std::vector<double> g = numbers(actions, "g");
    std::vector<double> d(N, 0.0);
    if (t.columns.deterministic) {
        d = numbers(actions, "d");
        const double kl = number_after(t.formulas, "KL = sum_a p_a log(p_a / ref_a) = ");
        const double H = number_after(t.formulas, "H = -sum_a p_a log p_a = ");
        double kl_sum = 0.0, H_sum = 0.0;
        for (std::size_t a = 0; a < N; ++a) {
            kl_sum += p[a] * (std::log(p[a]) - std::log(ref[a]));
            H_sum -= p[a] * std::log(p[a]);
        }
        CHECK(std::abs(kl - kl_sum) <= 5e-3 * (std::abs(kl) + 0.01));
        CHECK(std::abs(H - H_sum) <= 5e-3 * H);
        for (std::size_t a = 0; a < r.detail.dim; ++a) {
            const double expect = -e.kl_beta * p[a] * (std::log(p[a] / ref[a]) - kl) -
                                  e.entropy * p[a] * (std::log(p[a]) + H);
            CHECK(std::abs(d[a] - expect) <= 5e-3 * p[a] * (e.kl_beta + e.entropy) * 4 + 1e-9);
        }
    }
    double scale = 1.0;
    if (e.clip > 0.0 && r.detail.clip_scale < 1.0) scale = number_after(t.formulas, " / |g| = ");
    const std::vector<double> logit = numbers(actions, "logit");
    const std::vector<double> logit_new = numbers(actions, "logit new");
    const std::vector<double> p_new = numbers(actions, "p new");
    double z = 0.0, max_logit = 1.0, p_new_sum = 0.0;
    for (std::size_t a = 0; a < N; ++a) {
        z += std::exp(logit_new[a]);
        max_logit = std::max(max_logit, std::abs(logit_new[a]));
        p_new_sum += p_new[a];
    }
    for (std::size_t a = 0; a < N; ++a) {
        INFO("action " << actions.at("action")[a]);
        CHECK(std::abs(own[a] - own_expect[a]) <= 2 * kPrinted * own_abs[a] + 1e-12);
        if (a >= r.detail.dim) {
            CHECK(actions.at("g")[a] == "pinned");
            CHECK(logit_new[a] == 0.0);
        } else {
            const double raw = own[a] - p[a] * abar_printed + d[a];
            const double raw_err =
                kPrinted * (std::abs(own[a]) + 2 * std::abs(p[a] * abar_printed) + std::abs(d[a])) +
                2 * kPrinted * abar_abs * p[a];
            CHECK(std::abs(g[a] - scale * raw) <=
                  scale * raw_err + 2 * kPrinted * std::abs(scale * raw) + 1e-12);
        }
        const double expect = logit[a] + e.lr * g[a];
        CHECK(std::abs(logit_new[a] - expect) <=
              kPrinted * (std::abs(logit[a]) + e.lr * std::abs(g[a]) + std::abs(logit_new[a])) +
                  1e-12);
        const double softmax = std::exp(logit_new[a]) / z;
        CHECK(std::abs(p_new[a] - softmax) <= softmax * 2.5e-3 * max_logit + kPrinted * p_new[a]);
    }
    CHECK(p_new_sum == doctest::Approx(1.0).epsilon(N * kPrinted));
}

// Equal to rounding: absolute near 0, where the sums that cancel (RLOO's Abar) leave 1e-17s.
bool close(double a, double b) {
    return std::abs(a - b) <= 1e-12 * (1.0 + std::abs(a) + std::abs(b));
}

// The same identities on the raw numbers the panel prints from, to rounding.
void check_raw_arithmetic(const rl::live::Results& r) {
    const rl::engine::StepDetail& d = r.detail;
    const std::size_t K = d.actions.size(), N = d.probs_before.size();
    REQUIRE(d.baselines.size() == K);
    std::vector<double> own(N, 0.0);
    double abar = 0.0;
    for (std::size_t k = 0; k < K; ++k) {
        const double expect =
            d.spread == 0.0 ? 0.0 : (d.rewards_used[k] - d.baselines[k]) / d.spread;
        CHECK(close(d.advantages[k], expect));
        own[d.actions[k]] += d.advantages[k] / K;
        abar += d.advantages[k] / K;
    }
    CHECK(close(d.mean_advantage, abar));
    double z = 0.0;
    for (double l : d.logits_after)
        z += std::exp(l);
    for (std::size_t a = 0; a < N; ++a) {
        CHECK(close(d.sampled_weight[a], own[a]));
        const double g =
            a < d.dim ? d.clip_scale * (own[a] - d.probs_before[a] * abar + d.deterministic[a])
                      : 0.0;
        CHECK(close(d.gradient[a], g));
        CHECK(close(d.logits_after[a], d.logits_before[a] + r.settings.estimator.lr * g));
        CHECK(close(d.probs_after[a], std::exp(d.logits_after[a]) / z));
    }
}

std::vector<Case> every_case() {
    std::vector<Case> cases;
    for (BaselineKind kind : rl::core::kBanditBaselines) {
        for (Parameterization param : {Parameterization::kFree, Parameterization::kPinnedLast}) {
            for (bool fold : {false, true}) {
                Case c;
                c.baseline = kind;
                c.param = param;
                c.fold = fold;
                cases.push_back(c);
                if (kind == BaselineKind::kRunning) {
                    c.running = rl::core::RunningMode::kAverage;
                    cases.push_back(c);
                }
            }
        }
    }
    // The exact part and clipping change the arithmetic too.
    Case extra;
    extra.baseline = BaselineKind::kRloo;
    extra.penalty = true;
    cases.push_back(extra);
    extra.param = Parameterization::kPinnedLast;
    cases.push_back(extra);
    extra.baseline = BaselineKind::kGroupNorm;
    extra.clip = 0.05;
    cases.push_back(extra);
    extra.baseline = BaselineKind::kNone;
    extra.penalty = false;
    extra.param = Parameterization::kFree;
    cases.push_back(extra);
    return cases;
}

}  // namespace

TEST_CASE("This-step panel: every printed number is redone from the others, for every baseline") {
    int clipped = 0;
    for (const Case& c : every_case()) {
        CAPTURE(describe(c));
        const rl::live::Results r = after_steps(settings_for(c), 3);
        REQUIRE(r.detail_valid);
        REQUIRE(r.detail.step == 3);
        if (r.detail.clip_scale < 1.0) ++clipped;
        check_raw_arithmetic(r);
        check_printed_arithmetic(r, c);
    }
    CHECK(clipped >= 1);  // the clip cases really clipped, so the scale line was exercised
}

TEST_CASE("This-step panel: the formula line and headers name the baseline in use") {
    const auto text_for = [](const Case& c) {
        const rl::live::Results r = after_steps(settings_for(c), 1);
        REQUIRE(r.detail_valid);
        return rl::app::step_text(r, 64);
    };
    const auto has = [](const std::vector<std::string>& lines, const std::string& part) {
        for (const std::string& line : lines)
            if (line.find(part) != std::string::npos) return true;
        return false;
    };
    // What each kind's advantage line must say, and the baseline column it must have.
    struct Expect {
        BaselineKind kind;
        const char* formula;
        const char* column;  // "" for none
    };
    const Expect expects[] = {
        {BaselineKind::kNone, "A_k = R_k   (no baseline)", ""},
        {BaselineKind::kConstant, "A_k = R_k - b,   b = 0.75", "b"},
        {BaselineKind::kRunning, "the running mean before this step", "b"},
        {BaselineKind::kBatchMean, "b = (1/K) sum_j R_j = ", "b"},
        {BaselineKind::kRloo, "b_k = (sum_j R_j - R_k) / (K - 1)", "b_k"},
        {BaselineKind::kExpected, "b = E[R] = ", "b"},
        {BaselineKind::kOptimal, "A_k = R_k - b*,   b* = ", "b"},
        {BaselineKind::kGroupNorm, "A_k = (R_k - mean) / std,   mean = ", "mean"},
    };
    for (const Expect& x : expects) {
        Case c;
        c.baseline = x.kind;
        CAPTURE(describe(c));
        const rl::app::StepText t = text_for(c);
        CHECK(has(t.formulas, x.formula));
        CHECK(t.heading.find(rl::core::choice_of(x.kind).label) != std::string::npos);
        const std::vector<std::string> base = {"#", "action", "R"};
        std::vector<std::string> headers = base;
        if (*x.column) headers.emplace_back(x.column);
        headers.emplace_back("A");
        headers.emplace_back("A/K");
        CHECK(t.sample_headers == headers);
        CHECK(t.action_headers == std::vector<std::string>{"action", "p", "own", "g", "true G",
                                                           "logit", "logit new", "p new"});
        CHECK(!has(t.formulas, "d_a ="));
        CHECK(!has(t.formulas, "clip"));
        CHECK(t.sample_rows.size() == 5);
    }

    Case folded;
    folded.baseline = BaselineKind::kRloo;
    folded.fold = true;
    folded.param = Parameterization::kPinnedLast;
    const rl::app::StepText f = text_for(folded);
    CHECK(has(f.formulas, "R'_k = R_k - shift_k,   shift_k = beta (log p(a_k) - log ref(a_k))"));
    CHECK(has(f.formulas, "b_k = (sum_j R'_j - R'_k) / (K - 1)"));
    CHECK(has(f.formulas, "the last logit is pinned at 0: no g"));
    CHECK(f.heading.find("last logit pinned at 0") != std::string::npos);
    CHECK(f.sample_headers ==
          std::vector<std::string>{"#", "action", "R", "shift", "R'", "b_k", "A", "A/K"});
    CHECK(f.action_headers[2] == "ref p");

    Case penalty;
    penalty.penalty = true;
    penalty.clip = 0.05;
    const rl::app::StepText pe = text_for(penalty);
    CHECK(has(pe.formulas, "d_a = -beta p_a (log(p_a / ref_a) - KL) - c_H p_a (log p_a + H)"));
    CHECK(has(pe.formulas, "g_a = (1/K) sum_k A_k ([a_k = a] - p_a) + d_a"));
    CHECK(has(pe.formulas, "clip 0.05:  |g| = "));
    CHECK(std::find(pe.action_headers.begin(), pe.action_headers.end(), "d") !=
          pe.action_headers.end());
}

TEST_CASE("This-step panel: the running baseline is the value its formula line says") {
    for (rl::core::RunningMode mode :
         {rl::core::RunningMode::kEma, rl::core::RunningMode::kAverage}) {
        Case c;
        c.baseline = BaselineKind::kRunning;
        c.running = mode;
        CAPTURE(describe(c));
        const rl::core::Settings s = settings_for(c);
        // Step t's detail from sessions stopped at t: the same seeds draw the same samples.
        std::vector<rl::engine::StepDetail> steps;
        for (int t = 1; t <= 3; ++t)
            steps.push_back(after_steps(s, t).detail);
        double ema = s.estimator.constant_b, sum = 0.0, count = 0.0;
        for (const rl::engine::StepDetail& d : steps) {
            double batch = 0.0;
            for (double x : d.rewards_used)
                batch += x;
            if (mode == rl::core::RunningMode::kEma) {
                // Before this step's update: this step's rewards are not in it yet.
                CHECK(close(d.baseline, ema));
                const double decay = s.estimator.running_decay;
                ema = decay * ema + (1.0 - decay) * batch / static_cast<double>(d.actions.size());
            } else {
                // Every reward so far, this step's included.
                sum += batch;
                count += static_cast<double>(d.actions.size());
                CHECK(close(d.baseline, sum / count));
            }
        }
    }
}
