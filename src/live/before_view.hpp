#pragma once

#include <optional>
#include <string>

#include "core/experiment.hpp"
#include "core/settings.hpp"
#include "engine/engine.hpp"
#include "live/runner.hpp"

// The "before" of a lesson step's before/after: the previous step's settings, resolved once when
// the step is shown, then evaluated exactly at each new cloud's policy (docs/MATH.md, section 8,
// "Before and after").
namespace rl::live {

class BeforeSettings {
  public:
    // `settings`: the step before's (validated); nullopt clears. `label` names the ghost.
    void set(const std::optional<core::Settings>& settings, std::string label);

    // Whether the step before sampled just as `current` does (same estimator, same rewards): then
    // its ghost would lie exactly under the current ellipse and curve, and none is drawn.
    bool same_as(const core::Experiment& current) const;
    // The ghost ellipse and the held axes at the cloud's policy (`logits`), on the cloud's axes;
    // invalid when the actions differ in number, the estimator has no closed form, or same_as.
    BeforeView ellipse(const std::vector<double>& logits, const engine::CloudResult& cloud,
                       const core::Experiment& current) const;
    // Its baseline's SNR curve at that policy; empty when same_as.
    SnrCurve snr_curve(const std::vector<double>& logits, const core::Experiment& current) const;

  private:
    core::PolicyPoint point(const std::vector<double>& logits) const;

    std::optional<core::Experiment> m_experiment;
    core::RunProblem m_run0;
    std::string m_label;
};

}  // namespace rl::live
