#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/settings.hpp"
#include "engine/engine.hpp"
#include "io/csv.hpp"

namespace rl::io {

// Column stems for the tracked actions: sanitized names, unique by construction: the action's
// index (and a count when still taken) is appended when two names sanitize to the same text.
std::vector<std::string> tracked_action_columns(const core::Settings& s,
                                                std::span<const std::uint32_t> tracked);

// summary.csv, built as training advances so only its text is kept, not every step's summary:
// step, J quantiles, the two shares, then mean/p10/p50/p90 of each tracked action's probability.
class SummaryCsv {
  public:
    SummaryCsv(const core::Settings& s, std::span<const std::uint32_t> tracked);
    void add(std::span<const engine::StepSummary> steps);
    const std::string& text() const { return m_csv.str(); }

  private:
    CsvTable m_csv;
};

}  // namespace rl::io
