#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/panels/field_widgets.hpp"
#include "app/panels/message_log.hpp"
#include "control/lab.hpp"
#include "core/settings.hpp"
#include "io/presets.hpp"

// The controls: preset, transport, actions table, estimator and run settings. Edits go into a
// draft of the lab's settings and are applied at once; a refused edit logs why and the draft goes
// back to the lab's settings. The draft starts again from the lab's settings whenever they change
// by another route (a lesson step, a loaded file).
namespace rl::app {

class ControlsPanel {
  public:
    ControlsPanel();

    // The body of the Controls window; `after_estimator` adds a section below the estimator's.
    void draw(control::Lab& lab, const live::Results& results, MessageLog& log,
              const std::function<void()>& after_estimator = {});

    // The preset picked in the combo this frame, for the app to load with its lesson after the
    // frame's panels are drawn.
    std::optional<std::string> take_preset_request() { return std::exchange(m_preset_request, {}); }
    // The estimator section's title ("Estimator", or "Estimator A: none" in compare mode).
    void set_estimator_title(std::string title) { m_estimator_title = std::move(title); }

  private:
    void draw_lesson();
    void draw_transport(control::Lab& lab, const live::Results& results, MessageLog& log);
    void draw_actions(control::Lab& lab, const live::Results& results, MessageLog& log);
    void draw_action_row(std::size_t i, const live::Results& results, bool show_reference,
                         bool& changed, std::size_t& remove);
    void draw_estimator(control::Lab& lab, MessageLog& log);
    void draw_run(control::Lab& lab, MessageLog& log);
    // Applies the draft; on refusal logs the reason and restores the lab's settings.
    void commit(control::Lab& lab, MessageLog& log);
    // Runs an edit that can fail by itself (table edits), then commits.
    void commit_edit(control::Lab& lab, MessageLog& log, const std::string& edit_error);
    // Commits a field widget's finished edit, or logs its refusal.
    void commit_field(control::Lab& lab, MessageLog& log, const FieldEdit& edit);
    void refresh_draft(const control::Lab& lab);

    core::Settings m_draft;
    std::uint64_t m_draft_version = ~std::uint64_t{0};  // the lab's settings_version it is from
    io::AssetDir m_assets;
    std::vector<io::PresetFile> m_presets;
    std::vector<io::PresetFile> m_episode_presets;  // token sequences and tables, listed apart
    bool m_show_logits = false;
    bool m_edit_reference = false;
    std::string m_pending_error;
    FieldEntry m_entry;
    std::optional<std::string> m_preset_request;
    std::string m_estimator_title = "Estimator";
    std::vector<double> m_initial_probs, m_reference_probs;  // for the table
    // The logits those were computed from: a softmax over a 50,000-token vocabulary every frame
    // would be wasted work when nothing was edited.
    std::vector<double> m_initial_from, m_reference_from;
};

}  // namespace rl::app
