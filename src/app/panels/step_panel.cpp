#include "app/panels/step_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "app/panels/widgets.hpp"
#include "core/estimator.hpp"

namespace rl::app {

namespace {

// A class reads a handful of rows; more scroll.
constexpr std::size_t kMaxSampleRows = 64;
constexpr std::size_t kMaxActionRows = 256;

std::string action_name(const live::Results& r, std::size_t a) {
    return a < r.settings.actions.size() ? r.settings.actions[a].name : std::to_string(a);
}

std::string signed_number(double v) {
    const std::string s = format_number(v);
    return v > 0.0 ? "+" + s : s;
}

void draw_samples(const live::Results& r, const engine::StepDetail& d, ImVec2 size) {
    const bool folded =
        r.settings.estimator.kl_beta > 0.0 && r.settings.estimator.kl_mode == core::KlMode::kReward;
    const int columns = folded ? 5 : 4;
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_BordersOuter | ImGuiTableFlags_SizingStretchSame;
    if (!ImGui::BeginTable("samples", columns, flags, size)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("sample");
    ImGui::TableSetupColumn("action");
    ImGui::TableSetupColumn("reward R");
    if (folded) ImGui::TableSetupColumn("R - beta log(pi/ref)");
    ImGui::TableSetupColumn("advantage R - b");
    ImGui::TableHeadersRow();
    const std::size_t shown = std::min(d.actions.size(), kMaxSampleRows);
    for (std::size_t k = 0; k < shown; ++k) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::Text("%zu", k + 1);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(action_name(r, d.actions[k]).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(format_number(d.rewards[k]).c_str());
        if (folded) {
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(format_number(d.rewards_used[k]).c_str());
        }
        ImGui::TableNextColumn();
        const double adv = d.advantages[k];
        ImGui::TextColored(
            adv >= 0.0 ? ImVec4(0.25f, 0.7f, 0.35f, 1.0f) : ImVec4(0.9f, 0.35f, 0.3f, 1.0f), "%s",
            signed_number(adv).c_str());
    }
    if (d.actions.size() > shown) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextDisabled("... %zu more", d.actions.size() - shown);
    }
    ImGui::EndTable();
}

void draw_vectors(const live::Results& r, const engine::StepDetail& d, ImVec2 size) {
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_BordersOuter | ImGuiTableFlags_SizingStretchSame;
    if (!ImGui::BeginTable("vectors", 7, flags, size)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("action");
    ImGui::TableSetupColumn("estimate g");
    ImGui::TableSetupColumn("true gradient");
    ImGui::TableSetupColumn("logit before");
    ImGui::TableSetupColumn("logit after");
    ImGui::TableSetupColumn("p before");
    ImGui::TableSetupColumn("p after");
    ImGui::TableHeadersRow();
    // The sampled actions come first: at a vocabulary's scale they are the only rows whose
    // estimate is not just the -pi term, and they would otherwise sit thousands of rows down.
    std::vector<std::uint32_t> order;
    const std::size_t actions = d.probs_before.size();
    if (actions > 16) {
        std::vector<std::uint32_t> sampled(d.actions.begin(), d.actions.end());
        std::sort(sampled.begin(), sampled.end());
        sampled.erase(std::unique(sampled.begin(), sampled.end()), sampled.end());
        for (std::uint32_t a : sampled)
            if (a < actions) order.push_back(a);
        for (std::uint32_t a = 0; a < actions && order.size() < kMaxActionRows; ++a)
            if (!std::binary_search(sampled.begin(), sampled.end(), a)) order.push_back(a);
    } else {
        for (std::uint32_t a = 0; a < actions; ++a)
            order.push_back(a);
    }
    const std::size_t n = std::min(order.size(), kMaxActionRows);
    const auto cell = [](const std::vector<double>& v, std::size_t i, bool sign) {
        ImGui::TableNextColumn();
        if (i >= v.size()) {
            ImGui::TextDisabled("pinned");  // the pinned last logit has no gradient entry
            return;
        }
        ImGui::TextUnformatted((sign ? signed_number(v[i]) : format_number(v[i])).c_str());
    };
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(n));
    while (clipper.Step()) {
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const std::size_t i = order[static_cast<std::size_t>(row)];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(action_name(r, i).c_str());
            cell(d.gradient, i, true);
            cell(d.true_gradient, i, true);
            cell(d.logits_before, i, false);
            cell(d.logits_after, i, false);
            cell(d.probs_before, i, false);
            cell(d.probs_after, i, false);
        }
    }
    ImGui::EndTable();
}

}  // namespace

void draw_step_panel(const live::Results& r, ImFont* numbers_font) {
    if (!r.detail_valid) {
        ImGui::TextWrapped(
            "No step taken yet. Press Step (S) to take one update and see its arithmetic here: "
            "the sampled actions, their rewards and advantages, the gradient estimate against "
            "the true gradient, and the new policy.");
        return;
    }
    const engine::StepDetail& d = r.detail;
    const core::EstimatorSettings& e = r.settings.estimator;
    ImGui::Text("Step %d of run 0:  K = %zu samples,  baseline b = %s,  learning rate alpha = %s",
                d.step, d.actions.size(), format_number(d.baseline).c_str(),
                format_number(e.lr).c_str());
    ImGui::TextDisabled(
        "g = (1/K) sum_k (R_k - b) grad log pi(a_k);   logits <- logits + alpha g%s",
        d.clip_scale < 1.0 ? "   (clipped: g scaled down)" : "");
    if (d.clip_scale < 1.0) {
        ImGui::SameLine();
        ImGui::TextDisabled("by %s", format_number(d.clip_scale).c_str());
    }
    if (numbers_font != nullptr) ImGui::PushFont(numbers_font);
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float left = std::max(avail.x * 0.36f, 0.0f);
    draw_samples(r, d, {left, avail.y});
    ImGui::SameLine(0.0f, spacing);
    draw_vectors(r, d, {avail.x - left - spacing, avail.y});
    if (numbers_font != nullptr) ImGui::PopFont();
}

}  // namespace rl::app
