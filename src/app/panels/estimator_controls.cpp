#include "app/panels/estimator_controls.hpp"

#include "app/panels/widgets.hpp"

namespace rl::app {

namespace {

constexpr int kMaxGuiK = 4096;
constexpr double kLearningRateMin = 1e-4;
constexpr double kLearningRateMax = 100.0;

const char* baseline_label(core::BaselineKind kind) {
    switch (kind) {
        case core::BaselineKind::kNone:
            return "none (plain REINFORCE)";
        case core::BaselineKind::kConstant:
            return "constant b";
        case core::BaselineKind::kRunning:
            return "running mean of rewards";
        case core::BaselineKind::kBatchMean:
            return "batch mean (biased)";
        case core::BaselineKind::kRloo:
            return "leave-one-out (RLOO)";
        case core::BaselineKind::kExpected:
            return "E[R] (oracle)";
        case core::BaselineKind::kOptimal:
            return "optimal b* (oracle)";
        case core::BaselineKind::kGroupNorm:
            return "group-normalised (GRPO)";
    }
    return "?";
}

const char* baseline_tip(core::BaselineKind kind) {
    switch (kind) {
        case core::BaselineKind::kNone:
            return "No baseline: every sampled action is pushed up by its whole reward.";
        case core::BaselineKind::kConstant:
            return "Subtract a fixed number b from every reward; unbiased for any b.";
        case core::BaselineKind::kRunning:
            return "Subtract a running average of past rewards, as in Sutton and Barto.";
        case core::BaselineKind::kBatchMean:
            return "Subtract the batch's mean reward, which includes the sample itself, so the "
                   "gradient shrinks by (1 - 1/K).";
        case core::BaselineKind::kRloo:
            return "Subtract the mean of the other K - 1 samples: unbiased, needs K >= 2.";
        case core::BaselineKind::kExpected:
            return "Subtract the true expected reward E[R] (an oracle a real trainer lacks).";
        case core::BaselineKind::kOptimal:
            return "Subtract the variance-minimising constant b*, which is not quite E[R].";
        case core::BaselineKind::kGroupNorm:
            return "Standardise the batch's rewards (mean and standard deviation), as GRPO does.";
    }
    return "";
}

const char* kl_mode_label(core::KlMode mode) {
    return mode == core::KlMode::kPenalty ? "exact penalty" : "folded into the reward";
}

const char* running_mode_label(core::RunningMode mode) {
    return mode == core::RunningMode::kEma ? "decayed (EMA)" : "average of all rewards";
}

float label_width() {
    return ImGui::GetFontSize() * 9.0f;
}

}  // namespace

void next_width() {
    ImGui::SetNextItemWidth(-label_width());
}

bool draw_estimator_controls(core::EstimatorSettings& e) {
    bool changed = false;
    next_width();
    if (ImGui::SliderInt("K samples", &e.K, 1, kMaxGuiK, "%d",
                         ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp))
        changed = true;
    tooltip("Samples per update step: the estimate averages K sampled actions.");

    next_width();
    if (ImGui::BeginCombo("baseline", baseline_label(e.baseline))) {
        for (core::BaselineKind kind : core::kAllBaselines) {
            if (ImGui::Selectable(baseline_label(kind), kind == e.baseline) && kind != e.baseline) {
                e.baseline = kind;
                changed = true;
            }
            tooltip(baseline_tip(kind));
        }
        ImGui::EndCombo();
    }
    tooltip(baseline_tip(e.baseline));
    if (e.baseline == core::BaselineKind::kConstant || e.baseline == core::BaselineKind::kRunning) {
        next_width();
        if (input_number(e.baseline == core::BaselineKind::kConstant ? "b" : "b start",
                         &e.constant_b))
            changed = true;
        tooltip(e.baseline == core::BaselineKind::kConstant
                    ? "The constant subtracted from every reward."
                    : "The running mean's value before any reward has been seen.");
    }
    if (e.baseline == core::BaselineKind::kRunning) {
        next_width();
        static constexpr std::array kModes = {core::RunningMode::kEma, core::RunningMode::kAverage};
        if (enum_combo("running mode", e.running_mode, kModes, running_mode_label)) changed = true;
        tooltip(
            "Decayed: b follows recent batches; average: b is the mean of every reward so "
            "far, this step's included.");
        if (e.running_mode == core::RunningMode::kEma) {
            next_width();
            if (input_number("decay", &e.running_decay)) changed = true;
            tooltip("How much of the old b each step keeps (0 to 1).");
        }
    }

    next_width();
    if (ImGui::SliderScalar("learning rate", ImGuiDataType_Double, &e.lr, &kLearningRateMin,
                            &kLearningRateMax, "%.4g", ImGuiSliderFlags_Logarithmic))
        changed = true;
    tooltip("Step size alpha: each update adds alpha times the gradient estimate to the logits.");

    next_width();
    if (input_number("KL beta", &e.kl_beta)) changed = true;
    tooltip("Strength of the KL anchor to the reference policy; 0 turns it off.");
    if (e.kl_beta > 0.0) {
        next_width();
        static constexpr std::array kKl = {core::KlMode::kPenalty, core::KlMode::kReward};
        if (enum_combo("KL mode", e.kl_mode, kKl, kl_mode_label)) changed = true;
        tooltip(
            "Penalty adds the exact KL gradient; folded subtracts beta (log pi - log ref) "
            "from each sampled reward.");
    }
    next_width();
    if (input_number("entropy bonus", &e.entropy)) changed = true;
    tooltip("Adds this times the policy's entropy to the objective, keeping it exploring.");
    next_width();
    if (input_number("clip norm", &e.clip)) changed = true;
    tooltip("Rescales any gradient estimate longer than this; 0 turns clipping off.");
    return changed;
}

}  // namespace rl::app
