#include "plot/plot.hpp"

#include <imgui_internal.h>

#include <algorithm>
#include <cstring>

#include "plot/internal.hpp"
#include "plot/replay.hpp"

namespace rl::plot {
namespace {

// Like ImGui's GImGui: the current context is global, the UI state lives inside it.
Context* g_context = nullptr;

const PlotStyle kDefaultStyle{};
const Hover kNoHover{};

// Okabe and Ito's colours, then Tol's and a few more, chosen so that all twelve stay apart for
// normal vision and the three common colour-vision deficiencies (tests/test_palette.cpp).
const Rgba kDefaultPalette[] = {
    {0.000f, 0.447f, 0.698f, 1},  // blue
    {0.902f, 0.624f, 0.000f, 1},  // orange
    {0.000f, 0.620f, 0.451f, 1},  // bluish green
    {0.835f, 0.369f, 0.000f, 1},  // vermillion
    {0.800f, 0.475f, 0.655f, 1},  // reddish purple
    {0.200f, 0.133f, 0.533f, 1},  // indigo
    {0.467f, 0.667f, 0.867f, 1},  // light blue
    {0.549f, 0.337f, 0.294f, 1},  // brown
    {0.694f, 0.349f, 0.157f, 1},  // rust
    {0.600f, 0.600f, 0.200f, 1},  // olive
    {0.533f, 0.133f, 0.333f, 1},  // wine
    {0.267f, 0.733f, 0.600f, 1},  // teal
};

ImVec2 resolve_size(ImVec2 size, float scale) {
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    if (size.x <= 0) size.x = avail.x;
    if (size.y <= 0) size.y = avail.y;
    // A plot smaller than this has no room for its axes; keep it usable rather than inverted.
    size.x = std::max(size.x, 120.0f * scale);
    size.y = std::max(size.y, 90.0f * scale);
    return size;
}

void reset_builder(Context& ctx) {
    for (AxisSpec& a : ctx.axes) {
        a.label.clear();
        a.log = false;
        a.include_zero = false;
        a.min = kAuto;
        a.max = kAuto;
        a.percent = false;
    }
    ctx.legend = LegendCorner::kNorthEast;
    ctx.locked = false;
}

}  // namespace

Context* current_context() {
    return g_context;
}

ImGuiID label_hash(std::string_view full_label) {
    // A size of 0 would make ImHashStr read up to a terminator the view does not have.
    if (full_label.empty()) return ImHashStr("");
    return ImHashStr(full_label.data(), full_label.size());
}

bool is_hidden(const PlotState& state, ImGuiID hash) {
    return std::find(state.hidden.begin(), state.hidden.end(), hash) != state.hidden.end();
}

std::string_view display_label(const char* label) {
    if (label == nullptr) return {};
    const char* end = ImGui::FindRenderedTextEnd(label);
    return std::string_view(label, static_cast<std::size_t>(end - label));
}

Rgba with_alpha(Rgba c, float a) {
    c.a = a;
    return c;
}

Context* CreateContext() {
    auto* ctx = new Context();
    if (g_context == nullptr) g_context = ctx;
    return ctx;
}

void DestroyContext(Context* context) {
    if (context == nullptr) return;
    if (g_context == context) g_context = nullptr;
    delete context;
}

void SetCurrentContext(Context* context) {
    g_context = context;
}

Context* GetCurrentContext() {
    return g_context;
}

void SetStyle(const PlotStyle& style) {
    IM_ASSERT(g_context != nullptr && "rl::plot::SetStyle needs a current context");
    if (g_context != nullptr) g_context->style = style;
}

const PlotStyle& GetStyle() {
    IM_ASSERT(g_context != nullptr && "rl::plot::GetStyle needs a current context");
    return g_context != nullptr ? g_context->style : kDefaultStyle;
}

Rgba PaletteColor(int i) {
    const std::vector<Rgba>* custom = g_context != nullptr ? &g_context->style.palette : nullptr;
    if (custom != nullptr && !custom->empty()) {
        const int n = static_cast<int>(custom->size());
        return (*custom)[static_cast<std::size_t>(((i % n) + n) % n)];
    }
    constexpr int n = static_cast<int>(std::size(kDefaultPalette));
    return kDefaultPalette[((i % n) + n) % n];
}

int PaletteSize() {
    if (g_context != nullptr && !g_context->style.palette.empty())
        return static_cast<int>(g_context->style.palette.size());
    return static_cast<int>(std::size(kDefaultPalette));
}

bool BeginPlot(const char* id, const char* title, ImVec2 size) {
    Context* ctx = g_context;
    // No lazily created context: who owns and frees it would be unclear. Create one at start-up.
    IM_ASSERT(ctx != nullptr && "rl::plot::BeginPlot: no current context (CreateContext)");
    if (ctx == nullptr || id == nullptr) return false;
    IM_ASSERT(ctx->current == nullptr && "rl::plot::BeginPlot: EndPlot missing");
    if (ctx->current != nullptr) return false;

    const ImGuiID imgui_id = ImGui::GetID(id);
    size = resolve_size(size, ctx->style.scale);
    // The invisible button takes the mouse so a drag pans the plot instead of moving the window.
    ImGui::InvisibleButton(id, size, ImGuiButtonFlags_MouseButtonLeft);
    if (!ImGui::IsItemVisible()) return false;
    ctx->hovered = ImGui::IsItemHovered();
    ctx->active = ImGui::IsItemActive();
    if (ctx->hovered) ImGui::SetItemUsingMouseWheel();  // the wheel zooms, not scrolls
    ctx->origin = ImGui::GetItemRectMin();
    ctx->size = size;

    PlotState& state = ctx->plots[imgui_id];
    state.name_hash = ImHashStr(id);
    ctx->current = &state;
    reset_builder(*ctx);
    Recording& rec = state.building;
    rec.clear();
    rec.id = id;
    const std::string_view shown_title = display_label(title);
    rec.title.assign(shown_title.data(), shown_title.size());
    rec.size = {size.x, size.y};
    return true;
}

void SetupAxis(Axis axis, const AxisSpec& spec) {
    Context* ctx = g_context;
    if (ctx == nullptr || ctx->current == nullptr) return;
    IM_ASSERT(!ctx->locked && "rl::plot::SetupAxis after a Plot* call");
    if (ctx->locked) return;
    ctx->axes[axis == Axis::kX ? kAxisX : kAxisY] = spec;
}

void SetupLegend(LegendCorner corner) {
    Context* ctx = g_context;
    if (ctx == nullptr || ctx->current == nullptr) return;
    IM_ASSERT(!ctx->locked && "rl::plot::SetupLegend after a Plot* call");
    if (ctx->locked) return;
    ctx->legend = corner;
}

namespace {

// Category names or row names, as the member `ranges` of the recording being built holds them.
void store_names(const std::vector<std::string>& labels,
                 std::vector<std::uint32_t> Recording::*ranges) {
    Context* ctx = g_context;
    if (ctx == nullptr || ctx->current == nullptr) return;
    IM_ASSERT(!ctx->locked && "rl::plot::SetupCategories or SetupRowNames after a Plot* call");
    if (ctx->locked) return;
    Recording& rec = ctx->current->building;
    (rec.*ranges).clear();
    for (const std::string& label : labels) {
        (rec.*ranges).push_back(rec.add_string(label));
        (rec.*ranges).push_back(static_cast<std::uint32_t>(label.size()));
    }
}

}  // namespace

void SetupCategories(const std::vector<std::string>& labels) {
    store_names(labels, &Recording::category_ranges);
}

void SetupRowNames(const std::vector<std::string>& labels) {
    store_names(labels, &Recording::row_ranges);
}

void EndPlot() {
    Context* ctx = g_context;
    IM_ASSERT(ctx != nullptr && ctx->current != nullptr && "rl::plot::EndPlot without BeginPlot");
    if (ctx == nullptr || ctx->current == nullptr) return;
    PlotState& state = *ctx->current;
    Recording& rec = state.building;

    handle_input(*ctx, state);
    // Again after the input: a legend click this frame takes effect this frame.
    for (Series& s : rec.series) {
        if (s.kind != SeriesKind::kText) s.hidden = is_hidden(state, label_hash(rec.full_label(s)));
    }
    fit_view(*ctx, state);

    Layout layout;
    compute_layout(*ctx, rec, layout);
    emit_background(*ctx, layout, rec);
    emit_series(*ctx, layout, rec);
    emit_axes(*ctx, layout, rec);
    emit_legend(*ctx, layout, rec);
    drop_crowded_labels(rec, layout.width, layout.height, ctx->text_scratch);

    ReplayRecording(rec, ImGui::GetWindowDrawList(), ctx->origin, &ctx->replay);
    show_hover(*ctx, layout, rec);

    std::swap(state.building, state.last);
    state.completed_frame = ImGui::GetFrameCount();
    ctx->current = nullptr;
}

bool IsHidden(const char* label) {
    Context* ctx = g_context;
    if (ctx == nullptr || ctx->current == nullptr || label == nullptr) return false;
    return is_hidden(*ctx->current, ImHashStr(label));
}

void SetHidden(const char* label, bool hidden) {
    Context* ctx = g_context;
    if (ctx == nullptr || ctx->current == nullptr || label == nullptr) return;
    std::vector<ImGuiID>& list = ctx->current->hidden;
    const ImGuiID hash = ImHashStr(label);
    const auto it = std::find(list.begin(), list.end(), hash);
    if (hidden && it == list.end()) list.push_back(hash);
    if (!hidden && it != list.end()) list.erase(it);
}

const Hover& LastHover() {
    return g_context != nullptr ? g_context->hover : kNoHover;
}

const Recording* LastRecording(const char* id) {
    Context* ctx = g_context;
    if (ctx == nullptr || id == nullptr) return nullptr;
    const ImGuiID hash = ImHashStr(id);
    const PlotState* best = nullptr;
    for (const auto& [key, state] : ctx->plots) {
        if (state.name_hash != hash || state.completed_frame < 0) continue;
        if (best == nullptr || state.completed_frame > best->completed_frame) best = &state;
    }
    if (best == nullptr) return nullptr;
    // "The last frame's plot": one that stopped being drawn is stale, not last.
    if (ImGui::GetCurrentContext() != nullptr && best->completed_frame < ImGui::GetFrameCount() - 1)
        return nullptr;
    return &best->last;
}

}  // namespace rl::plot
