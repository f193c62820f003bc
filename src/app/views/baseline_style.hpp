#pragma once

#include <string>

#include "core/estimator.hpp"
#include "plot/plot.hpp"

// How a baseline looks in the plots: its short name and a colour it keeps in every plot.
namespace rl::app {

std::string baseline_name(core::BaselineKind kind);
plot::Rgba baseline_color(core::BaselineKind kind);
// A baseline's curve: its colour, with a width and dash pattern of its own, so curves that
// coincide (E[R], b* and a constant b near them) all stay visible: draw the widest first.
// The current baseline's is a little wider.
plot::LineStyle baseline_line(core::BaselineKind kind, bool current);

}  // namespace rl::app
