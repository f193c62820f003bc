#pragma once

#include <cstdint>
#include <string>

#include "app/panels/field_widgets.hpp"
#include "app/panels/message_log.hpp"
#include "control/lab.hpp"
#include "core/settings.hpp"

// Compare mode's section for configuration B in the controls panel: B's estimator, edited like
// A's. What B shares with A is A's to change.
namespace rl::app {

class CompareControls {
  public:
    void draw(control::Lab& lab, const live::Results& a, const live::Results& b, MessageLog& log);

  private:
    // B's settings as last read from the lab, refreshed when they change.
    core::Settings m_draft;
    std::uint64_t m_draft_version = ~std::uint64_t{0};
    FieldEntry m_entry;
};

// The estimator section's title for A: "Estimator", or "Estimator A: none" when comparing.
std::string estimator_title(const live::Results& a, const live::Results* b);

}  // namespace rl::app
