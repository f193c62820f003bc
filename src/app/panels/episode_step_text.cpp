#include "app/panels/episode_step_text.hpp"

#include "app/panels/step_text.hpp"
#include "core/choices.hpp"

namespace rl::app {

EpisodeStepText episode_step_text(const live::Results& r) {
    EpisodeStepText t;
    const live::EpisodeResults& e = r.episodes;
    const core::EpisodeStepRecord& d = e.detail;
    if (e.detail_step == 0 || d.batch.empty() || d.weights.empty()) return t;
    const core::EstimatorSettings& est = r.settings.estimator;
    const bool rtg = est.credit == core::Credit::kRewardToGo;
    const bool tokens = r.settings.problem == core::ProblemKind::kTokens;
    t.heading = "Run 0, step " + std::to_string(e.detail_step) + ": " +
                std::to_string(d.batch.size()) +
                (tokens ? " sequences sampled; the first, token by token."
                        : " episodes sampled; the first, step by step.");
    t.formulas.push_back(std::string("credit: ") +
                         (rtg ? "G_t = r_t + gamma r_(t+1) + ... (rewards from t on)"
                              : "R = r_1 + gamma r_2 + ... (the whole return, on every decision)") +
                         ", gamma = " + step_number(r.settings.discount));
    t.formulas.push_back(
        "A_t = credit - b_t (baseline: " + std::string(core::choice_of(est.baseline).label) +
        "); each decision's score psi_t = e_choice - pi_t is weighted by A_t.");
    t.formulas.push_back(
        "g = (1/" + std::to_string(d.batch.size()) +
        ") sum over the sequences of sum_t A_t psi_t; logits += " + step_number(est.lr) + " g" +
        (d.clip_scale < 1.0 ? " (clipped: g x " + step_number(d.clip_scale) + ")" : std::string()) +
        ".");
    t.headers = {"t",         tokens ? "token" : "action",
                 "r_t",       rtg ? "G_t" : "R",
                 "b_t",       "A_t",
                 "A: full R", "A: G_t",
                 "A: G_t - V"};
    const core::SampledEpisode& first = d.batch.front();
    const auto weight = [](const std::vector<std::vector<core::DecisionWeight>>& w, std::size_t i) {
        return !w.empty() && i < w.front().size() ? step_number(w.front()[i].advantage, true)
                                                  : std::string("-");
    };
    for (std::size_t i = 0; i < first.steps.size() && i < d.weights.front().size(); ++i) {
        const core::EpisodeStep& s = first.steps[i];
        const core::DecisionWeight& w = d.weights.front()[i];
        const std::string token =
            s.action < e.action_names.size() ? e.action_names[s.action] : std::to_string(s.action);
        t.rows.push_back({std::to_string(i + 1), token, step_number(s.reward),
                          step_number(w.credit), step_number(w.baseline),
                          step_number(w.advantage, true), weight(d.full_return, i),
                          weight(d.reward_to_go, i), weight(d.prefix_value, i)});
    }
    return t;
}

}  // namespace rl::app
