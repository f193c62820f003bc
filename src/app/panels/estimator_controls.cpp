#include "app/panels/estimator_controls.hpp"

namespace rl::app {

FieldEdit draw_estimator_controls(FieldEntry& entry, core::Settings& draft) {
    FieldEdits edits{entry, draft};
    const auto show = [&](const core::SettingsField& f) { edits.show(f); };
    const core::EstimatorSettings& e = draft.estimator;
    show(core::field("K"));
    if (core::is_episodic(draft)) show(core::field("credit"));
    show(core::field("baseline"));
    if (e.baseline == core::BaselineKind::kLearnedValue) show(core::field("critic_lr"));
    if (e.baseline == core::BaselineKind::kConstant || e.baseline == core::BaselineKind::kRunning)
        show(core::field("baseline_b"));
    if (e.baseline == core::BaselineKind::kRunning) {
        show(core::field("running_mode"));
        if (e.running_mode == core::RunningMode::kEma) show(core::field("running_decay"));
    }
    show(core::field("lr"));
    show(core::field("kl_beta"));
    if (e.kl_beta > 0.0) show(core::field("kl_mode"));
    show(core::field("entropy"));
    show(core::field("clip"));
    return edits.edit;
}

}  // namespace rl::app
