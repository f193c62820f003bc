#include "app/panels/step_text.hpp"

#include <algorithm>
#include <string_view>

#include "app/panels/widgets.hpp"
#include "core/choices.hpp"
#include "core/estimator.hpp"

namespace rl::app {

namespace {

using core::BaselineKind;

std::string action_name(const live::Results& r, std::size_t a) {
    return a < r.settings.actions.size() ? r.settings.actions[a].name : std::to_string(a);
}

// "R" or, with the KL folded in, "R'": the reward the baseline and the advantage act on.
std::string reward_symbol(const StepColumns& c) {
    return c.folded ? "R'" : "R";
}

// `text` with {R} replaced by the reward symbol and {b} by the baseline's value. Built by
// appending: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string.
std::string filled(std::string_view text, const std::string& R, const std::string& b) {
    std::string out;
    for (std::size_t at = 0; at < text.size();) {
        if (text.compare(at, 3, "{R}") == 0) {
            out += R;
            at += 3;
        } else if (text.compare(at, 3, "{b}") == 0) {
            out += b;
            at += 3;
        } else {
            out += text[at++];
        }
    }
    return out;
}

std::string advantage_line(const live::Results& r, const StepColumns& c) {
    const engine::StepDetail& d = r.detail;
    const core::EstimatorSettings& e = r.settings.estimator;
    const std::string R = reward_symbol(c);
    const std::string b = step_number(d.baseline);
    const auto line = [&](std::string_view text) { return "A_k = " + filled(text, R, b); };
    switch (e.baseline) {
        case BaselineKind::kNone:
            return line("{R}_k   (no baseline)");
        case BaselineKind::kConstant:
            return line("{R}_k - b,   b = {b} (the constant chosen)");
        case BaselineKind::kExpected:
            return line(
                "{R}_k - b,   b = E[{R}] = {b} under the policy sampled (an oracle: a real trainer "
                "does not know it)");
        case BaselineKind::kOptimal:
            return line(
                "{R}_k - b*,   b* = {b} = sum_a pi_a rbar_a |s_a|^2 / sum_a pi_a |s_a|^2 (an "
                "oracle)");
        case BaselineKind::kRunning: {
            if (e.running_mode != core::RunningMode::kEma)
                return line(
                    "{R}_k - b,   b = {b}: the mean of every reward so far, this step's K "
                    "included");
            const std::string decay = step_number(e.running_decay);
            return line(
                       "{R}_k - b,   b = {b}: the running mean before this step, which joins it "
                       "after the update: b <- ") +
                   filled(decay + " b + (1 - " + decay + ") mean({R})", R, b);
        }
        case BaselineKind::kBatchMean:
            return line(
                "{R}_k - b,   b = (1/K) sum_j {R}_j = {b}, sample k included (so g shrinks by 1 - "
                "1/K)");
        case BaselineKind::kRloo:
            if (d.actions.size() < 2)
                return line(
                    "0: leave-one-out needs K >= 2, and one sample has no other to compare with");
            return line(
                "{R}_k - b_k,   b_k = (sum_j {R}_j - {R}_k) / (K - 1), the mean of the other K - "
                "1");
        case BaselineKind::kGroupNorm: {
            std::string text = line(
                "({R}_k - mean) / std,   mean = {b},   std = sqrt((1/K) sum_j ({R}_j - mean)^2) "
                "= ");
            text += step_number(d.spread);
            if (d.spread == 0.0) text += ": the rewards all agree, so every A_k = 0";
            return text;
        }
        case BaselineKind::kPrefixValue:
        case BaselineKind::kLearnedValue:
            break;  // episodes only: a one-step problem's settings refuse them
    }
    return line("{R}_k");
}

std::string gradient_line(const live::Results& r, const StepColumns& c) {
    const engine::StepDetail& d = r.detail;
    std::string line = "g_a = (1/K) sum_k A_k ([a_k = a] - p_a)";
    if (c.deterministic) line += " + d_a";
    line += " = own_a - p_a Abar";
    if (c.deterministic) line += " + d_a";
    line += ",  own_a = sum of a's A/K,  Abar = sum of all A/K = ";
    line += step_number(d.mean_advantage, true);
    // These kinds' advantages sum to exactly 0, so a tiny Abar is rounding, not a bug.
    const BaselineKind kind = r.settings.estimator.baseline;
    if (kind == BaselineKind::kRloo || kind == BaselineKind::kBatchMean ||
        kind == BaselineKind::kGroupNorm)
        line += " (0 but for rounding)";
    if (d.dim < d.probs_before.size()) line += ";  the last logit is pinned at 0: no g";
    return line;
}

// d = -beta p (log(p/ref) - KL) - c_H p (log p + H), with only the terms that are on.
std::string deterministic_line(const live::Results& r) {
    const engine::StepDetail& d = r.detail;
    const core::EstimatorSettings& e = r.settings.estimator;
    const bool penalty = e.kl_beta > 0.0 && e.kl_mode == core::KlMode::kPenalty;
    std::string line = "d_a =";
    if (penalty) line += " -beta p_a (log(p_a / ref_a) - KL)";
    if (e.entropy != 0.0) line += " - c_H p_a (log p_a + H)";
    line += ",  ";
    if (penalty) {
        line += " beta = ";
        line += step_number(e.kl_beta);
        line += ",  KL = sum_a p_a log(p_a / ref_a) = ";
        line += step_number(d.kl);
        line += ",";
    }
    if (e.entropy != 0.0) {
        line += " c_H = ";
        line += step_number(e.entropy);
        line += ",  H = -sum_a p_a log p_a = ";
        line += step_number(d.entropy);
    }
    if (line.back() == ',') line.pop_back();
    line += "   (exact, the same for every batch)";
    return line;
}

std::string clip_line(const live::Results& r) {
    const engine::StepDetail& d = r.detail;
    const std::string clip = step_number(r.settings.estimator.clip);
    std::string line = "clip ";
    line += clip;
    line += ":  |g| = ";
    line += step_number(d.raw_norm);
    if (d.clip_scale < 1.0) {
        line += " > ";
        line += clip;
        line += ": g scaled by ";
        line += clip;
        line += " / |g| = ";
        line += step_number(d.clip_scale);
        line += " (column g is after it)";
    } else {
        line += ", under it: g as it is";
    }
    return line;
}

std::string update_line(const live::Results& r) {
    std::string line = "logit new = logit + alpha g,  alpha = ";
    line += step_number(r.settings.estimator.lr);
    line += ";  p new = softmax(logit new);  true G = the exact gradient, to compare with g";
    return line;
}

std::vector<std::string> sample_headers(const live::Results& r, const StepColumns& c) {
    // Short headers, since a column is a few characters wide; the formula lines define them.
    std::vector<std::string> h = {"#", "action", "R"};
    if (c.folded) {
        h.push_back("shift");
        h.push_back("R'");
    }
    switch (r.settings.estimator.baseline) {
        case BaselineKind::kNone:
            break;
        case BaselineKind::kRloo:
            h.push_back("b_k");
            break;
        case BaselineKind::kGroupNorm:
            h.push_back("mean");
            break;
        default:
            h.push_back("b");
            break;
    }
    h.push_back("A");
    h.push_back("A/K");
    return h;
}

std::vector<std::string> sample_row(const live::Results& r, const StepColumns& c, std::size_t k) {
    const engine::StepDetail& d = r.detail;
    const double K = static_cast<double>(d.actions.size());
    std::vector<std::string> row = {std::to_string(k + 1), action_name(r, d.actions[k]),
                                    step_number(d.rewards[k])};
    if (c.folded) {
        row.push_back(step_number(d.rewards[k] - d.rewards_used[k]));
        row.push_back(step_number(d.rewards_used[k]));
    }
    if (c.has_baseline) row.push_back(step_number(d.baselines[k]));
    row.push_back(step_number(d.advantages[k], true));
    row.push_back(step_number(d.advantages[k] / K, true));
    return row;
}

}  // namespace

std::string step_number(double v, bool sign) {
    std::string s = format_number(v);
    if (sign && v > 0.0) s.insert(s.begin(), '+');
    return s;
}

StepText step_text(const live::Results& r, std::size_t max_sample_rows) {
    const engine::StepDetail& d = r.detail;
    const core::EstimatorSettings& e = r.settings.estimator;
    StepText t;
    StepColumns& c = t.columns;
    c.folded = e.kl_beta > 0.0 && e.kl_mode == core::KlMode::kReward;
    c.has_baseline = e.baseline != BaselineKind::kNone;
    c.group_norm = e.baseline == BaselineKind::kGroupNorm;
    c.reference = !d.ref_probs.empty();
    c.deterministic = (e.kl_beta > 0.0 && e.kl_mode == core::KlMode::kPenalty) || e.entropy != 0.0;

    const std::size_t n = d.probs_before.size();
    t.heading = "Step ";
    t.heading += std::to_string(d.step);
    t.heading += " of run 0:  K = ";
    t.heading += std::to_string(d.actions.size());
    t.heading += " samples,  baseline: ";
    t.heading += core::choice_of(e.baseline).label;
    t.heading += d.dim < n ? ",  last logit pinned at 0" : ",  every logit free";

    if (c.folded) {
        std::string fold = "R'_k = R_k - shift_k,   shift_k = beta (log p(a_k) - log ref(a_k)),   ";
        fold += "beta = ";
        fold += step_number(e.kl_beta);
        fold += "   (the KL folded into the reward)";
        t.formulas.push_back(fold);
    }
    t.formulas.push_back(advantage_line(r, c));
    t.formulas.push_back(gradient_line(r, c));
    if (c.deterministic) t.formulas.push_back(deterministic_line(r));
    if (e.clip > 0.0) t.formulas.push_back(clip_line(r));
    t.formulas.push_back(update_line(r));

    t.sample_headers = sample_headers(r, c);
    const std::size_t shown = std::min(d.actions.size(), max_sample_rows);
    for (std::size_t k = 0; k < shown; ++k)
        t.sample_rows.push_back(sample_row(r, c, k));

    t.action_headers = {"action", "p"};
    if (c.reference) t.action_headers.push_back("ref p");
    t.action_headers.push_back("own");
    if (c.deterministic) t.action_headers.push_back("d");
    for (const char* h : {"g", "true G", "logit", "logit new", "p new"})
        t.action_headers.emplace_back(h);
    return t;
}

std::vector<std::string> step_action_row(const live::Results& r, const StepColumns& c,
                                         std::size_t a) {
    const engine::StepDetail& d = r.detail;
    // The pinned last logit has no gradient entry: it stays at 0.
    const bool pinned = a >= d.dim;
    const auto gradient_cell = [&](const std::vector<double>& v) {
        return pinned ? std::string("pinned") : step_number(v[a], true);
    };
    std::vector<std::string> row = {action_name(r, a), step_number(d.probs_before[a])};
    if (c.reference) row.push_back(step_number(d.ref_probs[a]));
    row.push_back(step_number(d.sampled_weight[a], true));
    if (c.deterministic) row.push_back(gradient_cell(d.deterministic));
    row.push_back(gradient_cell(d.gradient));
    row.push_back(gradient_cell(d.true_gradient));
    row.push_back(step_number(d.logits_before[a]));
    row.push_back(step_number(d.logits_after[a]));
    row.push_back(step_number(d.probs_after[a]));
    return row;
}

std::vector<std::uint32_t> step_action_order(const engine::StepDetail& d, std::size_t max_rows) {
    std::vector<std::uint32_t> order;
    const std::size_t actions = d.probs_before.size();
    if (actions > 16) {
        std::vector<std::uint32_t> sampled(d.actions.begin(), d.actions.end());
        std::sort(sampled.begin(), sampled.end());
        sampled.erase(std::unique(sampled.begin(), sampled.end()), sampled.end());
        for (std::uint32_t a : sampled)
            if (a < actions && order.size() < max_rows) order.push_back(a);
        for (std::uint32_t a = 0; a < actions && order.size() < max_rows; ++a)
            if (!std::binary_search(sampled.begin(), sampled.end(), a)) order.push_back(a);
    } else {
        for (std::uint32_t a = 0; a < actions && order.size() < max_rows; ++a)
            order.push_back(a);
    }
    return order;
}

}  // namespace rl::app
