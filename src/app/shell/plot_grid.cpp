#include "app/shell/plot_grid.hpp"

#include <algorithm>
#include <iterator>
#include <string>

#include "app/panels/ui_probe.hpp"

namespace rl::app {

namespace {

// In the order of io::LessonPlot, as kLessonPlotNames.
constexpr const char* kButtonLabels[] = {"Policy",    "Gradient", "Reward J", "SNR",
                                         "This step", "Credit",   "SNR vs T"};
static_assert(std::size(kButtonLabels) == std::size(io::kLessonPlotNames));

bool legible(ImVec2 cell, float font) {
    return cell.x >= kMinPlotWidthFonts * font && cell.y >= kMinPlotHeightFonts * font;
}

}  // namespace

PlotSet plot_set(core::ProblemKind problem) {
    // Left column: learning over the steps; then the noise at this step (and, for a token
    // sequence, against its length). An episode's credit strip, a column per token, needs width:
    // the bottom row's rest.
    switch (problem) {
        case core::ProblemKind::kTokens:
            return {{LessonPlot::kPolicy, LessonPlot::kGradient, LessonPlot::kSnr,
                     LessonPlot::kLength, LessonPlot::kReward},
                    4,
                    LessonPlot::kCredit};
        case core::ProblemKind::kTable:
            return {
                {LessonPlot::kPolicy, LessonPlot::kGradient, LessonPlot::kSnr, LessonPlot::kReward},
                3,
                LessonPlot::kCredit};
        case core::ProblemKind::kBandit:
            break;
    }
    return {{LessonPlot::kPolicy, LessonPlot::kGradient, LessonPlot::kReward, LessonPlot::kSnr},
            2,
            std::nullopt};
}

PlotArrangement arrange_plots(ImVec2 avail, float font, ImVec2 gap, float buttons_h,
                              const std::vector<LessonPlot>& focus, const PlotSet& set) {
    PlotArrangement a;
    const auto per_row = static_cast<std::size_t>(std::max(set.columns, 1));
    const std::size_t left_over = set.grid.size() % per_row;
    const std::size_t rows = set.grid.size() / per_row + (left_over > 0 || set.wide ? 1 : 0);
    a.cell = {(avail.x - static_cast<float>(per_row - 1) * gap.x) / static_cast<float>(per_row),
              (avail.y - static_cast<float>(rows - 1) * gap.y) / static_cast<float>(rows)};
    if (legible(a.cell, font)) {
        a.shown = set.grid;
        a.columns = set.columns;
        if (set.wide) {
            a.shown.push_back(*set.wide);
            a.wide_last = true;
            const auto span = static_cast<float>(per_row - left_over);
            a.wide_cell = {span * a.cell.x + (span - 1.0f) * gap.x, a.cell.y};
        }
        return a;
    }
    a.focus = true;
    const auto in_set = [&set](LessonPlot p) {
        return p == LessonPlot::kStep || p == set.wide ||
               std::find(set.grid.begin(), set.grid.end(), p) != set.grid.end();
    };
    std::vector<LessonPlot> wanted;
    for (LessonPlot p : focus)
        if (in_set(p)) wanted.push_back(p);
    if (wanted.empty()) wanted.assign(std::begin(kDefaultFocus), std::end(kDefaultFocus));
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

void PlotGrid::draw(const DrawPlot& draw_plot, bool step_panel_shown, const PlotSet& set) {
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const ImVec2 gap = ImGui::GetStyle().ItemSpacing;
    const float buttons_h = ImGui::GetFrameHeight();
    // With its own panel on screen, This step is not also a view here.
    std::vector<LessonPlot> focus;
    for (LessonPlot p : m_focus)
        if (!(step_panel_shown && p == LessonPlot::kStep)) focus.push_back(p);
    const PlotArrangement a =
        arrange_plots(avail, ImGui::GetFontSize(), gap, buttons_h, focus, set);
    if (a.cell.x < 40.0f || a.cell.y < 40.0f) return;
    if (a.focus) {
        std::vector<LessonPlot> buttons = set.grid;
        if (set.wide) buttons.push_back(*set.wide);
        if (!step_panel_shown) buttons.push_back(LessonPlot::kStep);
        for (std::size_t k = 0; k < buttons.size(); ++k) {
            const LessonPlot plot = buttons[k];
            const auto i = static_cast<std::size_t>(plot);
            const bool on = std::find(a.shown.begin(), a.shown.end(), plot) != a.shown.end();
            if (k > 0) ImGui::SameLine();
            if (on)
                ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetColorU32(ImGuiCol_ButtonActive));
            if (ImGui::Button(kButtonLabels[i]) && !on) bring_to_front(plot);
            if (current_ui_probe() != nullptr)
                probe_item(std::string("plots/") += io::kLessonPlotNames[i]);
            if (on) ImGui::PopStyleColor();
        }
    }
    const std::size_t in_grid = a.shown.size() - (a.wide_last ? 1 : 0);
    for (std::size_t i = 0; i < in_grid; ++i) {
        if (i % static_cast<std::size_t>(a.columns) != 0) ImGui::SameLine(0.0f, gap.x);
        draw_plot(a.shown[i], a.cell);
    }
    if (a.wide_last) {
        if (in_grid % static_cast<std::size_t>(a.columns) != 0) ImGui::SameLine(0.0f, gap.x);
        draw_plot(a.shown.back(), a.wide_cell);
    }
}

}  // namespace rl::app
