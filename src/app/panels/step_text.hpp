#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "live/runner.hpp"

// The This-step panel's words and numbers, built without ImGui so that a test reads exactly what
// the panel prints and redoes its arithmetic from those numbers alone.
namespace rl::app {

// Which optional columns the step's settings call for.
struct StepColumns {
    bool folded = false;         // the KL is folded into each reward: R' = R - beta log(pi/ref)
    bool has_baseline = false;   // every kind but "none" subtracts something
    bool group_norm = false;     // advantages are divided by the batch std
    bool reference = false;      // the KL anchor is on: the reference policy is a column
    bool deterministic = false;  // an exact part d (KL penalty, entropy bonus) is added to g
};

struct StepText {
    StepColumns columns;
    std::string heading;
    std::vector<std::string> formulas;  // one line each, in the order the arithmetic runs
    std::vector<std::string> sample_headers;
    std::vector<std::vector<std::string>> sample_rows;  // the first max_sample_rows samples
    std::vector<std::string> action_headers;
};

StepText step_text(const live::Results& r, std::size_t max_sample_rows);

// One row of the per-action table, in action_headers' order. Built per visible row, since a
// vocabulary has far more actions than a frame should format.
std::vector<std::string> step_action_row(const live::Results& r, const StepColumns& columns,
                                         std::size_t action);

// The actions the per-action table lists, at most max_rows. With many actions the sampled ones
// come first: they are the only rows whose estimate is more than the -pi term, and they would
// otherwise sit thousands of rows down.
std::vector<std::uint32_t> step_action_order(const engine::StepDetail& d, std::size_t max_rows);

// A number as the panel prints it, with an explicit "+" on positive values where the sign is the
// point (advantages, gradients).
std::string step_number(double v, bool sign = false);

}  // namespace rl::app
