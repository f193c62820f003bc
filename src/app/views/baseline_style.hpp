#pragma once

#include <string>

#include "core/estimator.hpp"
#include "plot/plot.hpp"

// How a baseline looks in the plots: its short name and a colour it keeps in every plot.
namespace rl::app {

std::string baseline_name(core::BaselineKind kind);
plot::Rgba baseline_color(core::BaselineKind kind);

}  // namespace rl::app
