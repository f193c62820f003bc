#include "app/panels/estimator_controls.hpp"

namespace rl::app {

FieldEdit draw_estimator_controls(FieldEntry& entry, core::Settings& draft) {
    FieldEdit edit;
    const auto show = [&](const core::SettingsField& f) {
        FieldEdit e = field_widget(entry, draft, f);
        edit.changed |= e.changed;
        if (!e.refusal.empty()) edit.refusal = std::move(e.refusal);
    };
    const core::EstimatorSettings& e = draft.estimator;
    show(core::field("K"));
    show(core::field("baseline"));
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
    return edit;
}

}  // namespace rl::app
