#include "app/shell/plot_grid.hpp"

#include <algorithm>
#include <iterator>
#include <string>

#include "app/panels/ui_probe.hpp"

namespace rl::app {

namespace {

// In the order of io::LessonPlot, as kLessonPlotNames.
constexpr const char* kButtonLabels[] = {"Policy", "Gradient", "Reward J", "SNR", "This step"};
static_assert(std::size(kButtonLabels) == std::size(io::kLessonPlotNames));

bool legible(ImVec2 cell, float font) {
    return cell.x >= kMinPlotWidthFonts * font && cell.y >= kMinPlotHeightFonts * font;
}

}  // namespace

PlotArrangement arrange_plots(ImVec2 avail, float font, ImVec2 gap, float buttons_h,
                              const std::vector<LessonPlot>& focus) {
    PlotArrangement a;
    a.cell = {(avail.x - gap.x) * 0.5f, (avail.y - gap.y) * 0.5f};
    if (legible(a.cell, font)) {
        // Left column: learning over the steps; right column: the noise at this step.
        a.shown = {LessonPlot::kPolicy, LessonPlot::kGradient, LessonPlot::kReward,
                   LessonPlot::kSnr};
        return a;
    }
    a.focus = true;
    const std::vector<LessonPlot> wanted =
        focus.empty() ? std::vector<LessonPlot>(std::begin(kDefaultFocus), std::end(kDefaultFocus))
                      : focus;
    const ImVec2 room{avail.x, std::max(avail.y - buttons_h - gap.y, 0.0f)};
    const ImVec2 side{(room.x - gap.x) * 0.5f, room.y};
    const ImVec2 stacked{room.x, (room.y - gap.y) * 0.5f};
    if (wanted.size() >= 2 && legible(side, font)) {
        a.shown = {wanted[0], wanted[1]};
        a.columns = 2;
        a.cell = side;
    } else if (wanted.size() >= 2 && legible(stacked, font)) {
        a.shown = {wanted[0], wanted[1]};
        a.columns = 1;
        a.cell = stacked;
    } else {
        a.shown = {wanted[0]};
        a.columns = 1;
        a.cell = room;
    }
    return a;
}

void PlotGrid::follow_step(int lesson_revision, int step, const std::vector<LessonPlot>& focus) {
    if (lesson_revision == m_revision && step == m_step) return;
    m_revision = lesson_revision;
    m_step = step;
    m_focus = focus;
    if (m_focus.empty()) m_focus.assign(std::begin(kDefaultFocus), std::end(kDefaultFocus));
}

void PlotGrid::bring_to_front(LessonPlot plot) {
    // The clicked plot goes first; the one that was first stays beside it.
    std::vector<LessonPlot> next{plot};
    for (LessonPlot p : m_focus)
        if (p != plot && next.size() < io::kMaxLessonFocus) next.push_back(p);
    m_focus = std::move(next);
}

void PlotGrid::draw(const DrawPlot& draw_plot, bool step_panel_shown) {
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const ImVec2 gap = ImGui::GetStyle().ItemSpacing;
    const float buttons_h = ImGui::GetFrameHeight();
    // With its own panel on screen, This step is not also a view here.
    std::vector<LessonPlot> focus;
    for (LessonPlot p : m_focus)
        if (!(step_panel_shown && p == LessonPlot::kStep)) focus.push_back(p);
    const PlotArrangement a = arrange_plots(avail, ImGui::GetFontSize(), gap, buttons_h, focus);
    if (a.cell.x < 40.0f || a.cell.y < 40.0f) return;
    if (a.focus) {
        for (std::size_t i = 0; i < std::size(kButtonLabels); ++i) {
            const auto plot = static_cast<LessonPlot>(i);
            if (step_panel_shown && plot == LessonPlot::kStep) continue;
            const bool on = std::find(a.shown.begin(), a.shown.end(), plot) != a.shown.end();
            if (i > 0) ImGui::SameLine();
            if (on)
                ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetColorU32(ImGuiCol_ButtonActive));
            if (ImGui::Button(kButtonLabels[i]) && !on) bring_to_front(plot);
            if (current_ui_probe() != nullptr)
                probe_item(std::string("plots/") += io::kLessonPlotNames[i]);
            if (on) ImGui::PopStyleColor();
        }
    }
    for (std::size_t i = 0; i < a.shown.size(); ++i) {
        if (i % static_cast<std::size_t>(a.columns) != 0) ImGui::SameLine(0.0f, gap.x);
        draw_plot(a.shown[i], a.cell);
    }
}

}  // namespace rl::app
