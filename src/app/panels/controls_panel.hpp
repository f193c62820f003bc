#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/panels/message_log.hpp"
#include "core/settings.hpp"
#include "io/presets.hpp"
#include "live/runner.hpp"

// The controls: preset, actions table, estimator, run settings and the transport buttons. Edits
// go into a draft copy of the session and are applied to the live session at once; a refused
// edit logs why and the draft goes back to the last good settings.
namespace rl::app {

class ControlsPanel {
  public:
    explicit ControlsPanel(const core::Settings& initial);

    // The body of the Controls window; `after_estimator` adds a section below the estimator's.
    void draw(live::Runner& live, const live::Results& results, MessageLog& log,
              const std::function<void()>& after_estimator = {});

    // Keyboard shortcuts and menu items share these.
    void toggle_play(live::Runner& live);
    void step(live::Runner& live);
    void reset(live::Runner& live);

    int steps_per_frame() const { return m_steps_per_frame; }

    // After settings were applied elsewhere (a lesson step, a loaded file): edit from these, and
    // count it as an accepted edit so compare mode passes it on to B.
    void set_draft(const core::Settings& settings) {
        m_draft = settings;
        ++m_accepted_edits;
    }
    // Play or pause, with the partner.
    void set_playing(live::Runner& live, bool playing);
    // The preset picked in the combo this frame, for the app to load with its lesson.
    std::optional<std::string> take_preset_request() { return std::exchange(m_preset_request, {}); }
    // Compare mode: the transport (play, step, reset, pace) drives `partner` too, so both
    // configurations take the same steps; null ends that.
    void drive_also(live::Runner* partner);
    // Counts the edits the live session accepted, so compare mode knows when to pass one on.
    std::uint64_t accepted_edits() const { return m_accepted_edits; }
    // The estimator section's title ("Estimator", or "Estimator A: none" in compare mode).
    void set_estimator_title(std::string title) { m_estimator_title = std::move(title); }

  private:
    void draw_lesson();
    void draw_transport(live::Runner& live, const live::Results& results);
    void draw_actions(live::Runner& live, const live::Results& results, MessageLog& log);
    void draw_action_row(std::size_t i, const live::Results& results, bool show_reference,
                         bool& changed, std::size_t& remove);
    void draw_estimator(live::Runner& live, MessageLog& log);
    void draw_run(live::Runner& live, MessageLog& log);
    // Applies the draft; on refusal logs the reason and restores the last good settings.
    void commit(live::Runner& live, MessageLog& log);
    // Runs an edit that can fail by itself (table edits), then commits.
    void commit_edit(live::Runner& live, MessageLog& log, const std::string& edit_error);
    void set_pace(live::Runner& live);
    // Commits a field widget's finished edit, or logs its refusal and restores the draft.
    void commit_field(live::Runner& live, MessageLog& log, const struct FieldEdit& edit);

    core::Settings m_draft;
    io::AssetDir m_assets;
    std::vector<io::PresetFile> m_presets;
    int m_steps_per_frame = 1;
    float m_speed = 1.0f;
    bool m_show_logits = false;
    bool m_edit_reference = false;
    std::string m_pending_error;
    std::optional<std::string> m_preset_request;
    live::Runner* m_partner = nullptr;
    std::uint64_t m_accepted_edits = 0;
    std::string m_estimator_title = "Estimator";
    std::vector<double> m_initial_probs, m_reference_probs;  // for the table
    // The logits those were computed from: a softmax over a 50,000-token vocabulary every frame
    // would be wasted work when nothing was edited.
    std::vector<double> m_initial_from, m_reference_from;
};

}  // namespace rl::app
