#include "app/panels/step_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "app/panels/episode_step_text.hpp"
#include "app/panels/step_text.hpp"

namespace rl::app {

namespace {

// A class reads a handful of rows; more scroll.
constexpr std::size_t kMaxSampleRows = 64;
constexpr std::size_t kMaxActionRows = 256;

// Columns are as wide as their widest cell, measured on every listed row rather than on the
// rows drawn last frame, so a number that just grew is never cut ("-0.01225" shown as "-0.012").
// The table scrolls sideways when they do not all fit.
constexpr ImGuiTableFlags kTableFlags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollX |
                                        ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersOuter |
                                        ImGuiTableFlags_SizingFixedFit;

bool begin_table(const char* id, const std::vector<std::string>& headers,
                 const std::vector<std::vector<std::string>>& rows, ImVec2 size) {
    if (!ImGui::BeginTable(id, static_cast<int>(headers.size()), kTableFlags, size)) return false;
    ImGui::TableSetupScrollFreeze(0, 1);
    for (std::size_t col = 0; col < headers.size(); ++col) {
        float width = ImGui::CalcTextSize(headers[col].c_str()).x;
        for (const std::vector<std::string>& row : rows)
            width = std::max(width, ImGui::CalcTextSize(row[col].c_str()).x);
        ImGui::TableSetupColumn(headers[col].c_str(), ImGuiTableColumnFlags_WidthFixed, width);
    }
    ImGui::TableHeadersRow();
    return true;
}

void draw_samples(const live::Results& r, const StepText& t, ImVec2 size) {
    if (!begin_table("samples", t.sample_headers, t.sample_rows, size)) return;
    const engine::StepDetail& d = r.detail;
    // The advantage is the column whose sign decides which way each sample pushes.
    const std::size_t advantage_column = t.sample_headers.size() - 2;
    for (std::size_t k = 0; k < t.sample_rows.size(); ++k) {
        ImGui::TableNextRow();
        const std::vector<std::string>& row = t.sample_rows[k];
        for (std::size_t col = 0; col < row.size(); ++col) {
            ImGui::TableNextColumn();
            if (col == advantage_column) {
                const ImVec4 colour = d.advantages[k] >= 0.0 ? ImVec4(0.25f, 0.7f, 0.35f, 1.0f)
                                                             : ImVec4(0.9f, 0.35f, 0.3f, 1.0f);
                ImGui::TextColored(colour, "%s", row[col].c_str());
            } else {
                ImGui::TextUnformatted(row[col].c_str());
            }
        }
    }
    if (d.actions.size() > t.sample_rows.size()) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextDisabled("... %zu more", d.actions.size() - t.sample_rows.size());
    }
    ImGui::EndTable();
}

void draw_actions(const live::Results& r, const StepText& t, ImVec2 size) {
    // At most kMaxActionRows rows, so formatting them all each frame stays cheap.
    std::vector<std::vector<std::string>> rows;
    for (std::uint32_t a : step_action_order(r.detail, kMaxActionRows))
        rows.push_back(step_action_row(r, t.columns, a));
    if (!begin_table("vectors", t.action_headers, rows, size)) return;
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(rows.size()));
    while (clipper.Step()) {
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            ImGui::TableNextRow();
            const std::vector<std::string>& cells = rows[static_cast<std::size_t>(row)];
            for (std::size_t col = 0; col < cells.size(); ++col) {
                const std::string& cell = cells[col];
                ImGui::TableNextColumn();
                if (col > 0 && cell == "pinned")
                    ImGui::TextDisabled("pinned");
                else
                    ImGui::TextUnformatted(cell.c_str());
            }
        }
    }
    ImGui::EndTable();
}

// Wrapped, since a narrow window must still show the whole formula a student checks against.
void draw_heading(const std::string& heading, const std::vector<std::string>& formulas) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(heading.c_str());
    for (const std::string& line : formulas)
        ImGui::TextDisabled("%s", line.c_str());
    ImGui::PopTextWrapPos();
}

// Run 0's first sequence, token by token; the weights' signs coloured as the bandit's are.
void draw_episode_step(const live::Results& r, ImFont* numbers_font) {
    const EpisodeStepText t = episode_step_text(r);
    if (t.headers.empty()) {
        ImGui::TextWrapped(
            "No step taken yet. Press Step (S) to take one update and see its arithmetic here: "
            "a sampled sequence token by token, each token's reward, its credit and baseline, and "
            "the weight its score gets, beside the weights full return, rewards-to-go and the "
            "prefix-value baseline would give the same tokens.");
        return;
    }
    draw_heading(t.heading, t.formulas);
    if (numbers_font != nullptr) ImGui::PushFont(numbers_font);
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const ImVec2 size{avail.x, std::max(avail.y, 4.6f * ImGui::GetFrameHeightWithSpacing())};
    if (begin_table("sequence", t.headers, t.rows, size)) {
        for (const std::vector<std::string>& row : t.rows) {
            ImGui::TableNextRow();
            for (std::size_t col = 0; col < row.size(); ++col) {
                ImGui::TableNextColumn();
                const char sign = row[col].empty() ? ' ' : row[col].front();
                if (col >= 5 && (sign == '+' || sign == '-')) {
                    ImGui::TextColored(sign == '+' ? ImVec4(0.25f, 0.7f, 0.35f, 1.0f)
                                                   : ImVec4(0.9f, 0.35f, 0.3f, 1.0f),
                                       "%s", row[col].c_str());
                } else {
                    ImGui::TextUnformatted(row[col].c_str());
                }
            }
        }
        ImGui::EndTable();
    }
    if (numbers_font != nullptr) ImGui::PopFont();
}

}  // namespace

void draw_step_panel(const live::Results& r, ImFont* numbers_font) {
    if (r.episodes.active) {
        draw_episode_step(r, numbers_font);
        return;
    }
    if (!r.detail_valid) {
        ImGui::TextWrapped(
            "No step taken yet. Press Step (S) to take one update and see its arithmetic here: "
            "the sampled actions, their rewards and advantages, the gradient estimate against "
            "the true gradient, and the new policy.");
        return;
    }
    const StepText t = step_text(r, kMaxSampleRows);
    draw_heading(t.heading, t.formulas);
    if (numbers_font != nullptr) ImGui::PushFont(numbers_font);
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    // Split by column count: the sample table gains two with the KL folded in, the action
    // table one for ref p and one for d.
    const auto samples = static_cast<float>(t.sample_headers.size());
    const auto actions = static_cast<float>(t.action_headers.size());
    // At least a header and three rows: with large type the formulas can take the height, and
    // then the panel scrolls to the tables rather than squeezing them to their headers.
    const float height = std::max(avail.y, 4.6f * ImGui::GetFrameHeightWithSpacing());
    const float left = std::max(avail.x * samples / (samples + actions), 0.0f);
    draw_samples(r, t, {left, height});
    ImGui::SameLine(0.0f, spacing);
    draw_actions(r, t, {avail.x - left - spacing, height});
    if (numbers_font != nullptr) ImGui::PopFont();
}

}  // namespace rl::app
