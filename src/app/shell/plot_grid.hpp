#pragma once

#include <imgui.h>

#include <functional>
#include <optional>
#include <vector>

#include "core/problem_kind.hpp"
#include "io/session_file.hpp"

// Where the plots go in the plots panel. When each would get the room to be read (about 17
// characters wide and 11 lines tall), a grid of every plot the problem has (two columns for a
// bandit; three for a table and four for a token sequence, whose credit strip takes the bottom
// row's rest);
// otherwise a focus layout:
// the one or two plots the lesson step is about, large, side by side or stacked, under a row of
// buttons that bring any plot to the front. There the This step panel, when the window has no
// room for it on its own, is one of the views too.
namespace rl::app {

using io::LessonPlot;

inline constexpr float kMinPlotWidthFonts = 17.0f;
inline constexpr float kMinPlotHeightFonts = 11.0f;
// A step that names no plots, and the window without a lesson step, focus on these.
inline constexpr LessonPlot kDefaultFocus[] = {LessonPlot::kPolicy, LessonPlot::kGradient};

// The plots a problem's grid holds, in reading order, and its columns; `wide`, when set, fills
// the rest of the last row, or a row of its own (the credit strip: a column per token).
struct PlotSet {
    std::vector<LessonPlot> grid;
    int columns = 2;
    std::optional<LessonPlot> wide;
};
PlotSet plot_set(core::ProblemKind problem);

struct PlotArrangement {
    bool focus = false;             // the buttons are shown and only `shown` is drawn
    int columns = 2;                // `shown` fills rows of this many, in reading order
    std::vector<LessonPlot> shown;  // what is drawn, first at the top left
    ImVec2 cell{0.0f, 0.0f};        // each plot's size
    // The set's wide plot, when it has one: `shown`'s last, the rest of the last row.
    bool wide_last = false;
    ImVec2 wide_cell{0.0f, 0.0f};
};

// avail: the panel's room; font: the font size; gap: the spacing between plots; buttons_h: the
// height the focus buttons take. focus: the step's plots, most important first (1 or 2); those
// not in `set` are passed over.
PlotArrangement arrange_plots(ImVec2 avail, float font, ImVec2 gap, float buttons_h,
                              const std::vector<LessonPlot>& focus, const PlotSet& set);

class PlotGrid {
  public:
    using DrawPlot = std::function<void(LessonPlot, ImVec2 size)>;

    // The lesson step's plots (empty: the policy and the gradient), applied when the lesson
    // (its revision) or the step shown differs from the last seen, so a click on a button lasts
    // until the next step.
    void follow_step(int lesson_revision, int step, const std::vector<LessonPlot>& focus);
    // Draws the plots in the current ImGui window's content region. step_panel_shown: This step
    // has its own panel, so it is not offered here.
    void draw(const DrawPlot& draw_plot, bool step_panel_shown, const PlotSet& set);

  private:
    void bring_to_front(LessonPlot plot);

    std::vector<LessonPlot> m_focus{std::begin(kDefaultFocus), std::end(kDefaultFocus)};
    int m_revision = -1, m_step = -2;
};

}  // namespace rl::app
