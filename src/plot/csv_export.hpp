#pragma once

#include <string>

#include "plot/recording.hpp"

namespace rl::plot {

// Every series of `rec`, hidden ones included, as one "tidy" CSV table: a header row, then one
// row per data point. The columns and the rows each kind writes are in docs/EXPORT.md.
std::string recording_to_csv(const Recording& rec);

}  // namespace rl::plot
