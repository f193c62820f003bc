#include "live/history.hpp"

#include <algorithm>
#include <type_traits>
#include <vector>

#include "core/allocation.hpp"

namespace rl::live {

namespace {

// Every column in one fixed order, so two histories' columns pair up.
template <typename H>
auto columns(H& h) {
    using Column =
        std::conditional_t<std::is_const_v<H>, const std::vector<double>, std::vector<double>>;
    std::vector<Column*> out{&h.step, &h.j_p10, &h.j_p50, &h.j_p90, &h.best_share};
    for (auto* group : {&h.prob_p10, &h.prob_p50, &h.prob_p90})
        for (Column& column : *group)
            out.push_back(&column);
    return out;
}

template <typename Fn>
void for_each_column(History& h, Fn&& fn) {
    for (std::vector<double>* column : columns(h))
        fn(*column);
}

void resize_groups(History& h, std::size_t tracked_actions) {
    for (auto* group : {&h.prob_p10, &h.prob_p50, &h.prob_p90})
        group->resize(tracked_actions);
}

bool on_stride(double step, int stride) {
    return static_cast<long long>(step) % stride == 0;
}

// Drops the latest point when only its being the latest kept it.
void drop_off_stride_tail(History& h) {
    if (h.step.empty() || on_stride(h.step.back(), h.stride)) return;
    for_each_column(h, [](std::vector<double>& c) { c.pop_back(); });
}

void thin(History& h, int stride) {
    std::vector<char> keep(h.step.size());
    for (std::size_t i = 0; i < keep.size(); ++i)
        keep[i] = on_stride(h.step[i], stride);
    for_each_column(h, [&](std::vector<double>& c) {
        std::size_t out = 0;
        for (std::size_t i = 0; i < c.size(); ++i)
            if (keep[i]) c[out++] = c[i];
        c.resize(out);
    });
    h.stride = stride;
}

void append_point(History& h, const engine::StepSummary& s) {
    drop_off_stride_tail(h);
    const int stride = history_stride(s.step, h.capacity);
    if (stride != h.stride) thin(h, stride);
    h.step.push_back(s.step);
    h.j_p10.push_back(s.J.p10);
    h.j_p50.push_back(s.J.p50);
    h.j_p90.push_back(s.J.p90);
    h.best_share.push_back(s.best_prob_share);
    for (std::size_t a = 0; a < h.prob_p50.size(); ++a) {
        h.prob_p10[a].push_back(s.action_probs[a].p10);
        h.prob_p50[a].push_back(s.action_probs[a].p50);
        h.prob_p90[a].push_back(s.action_probs[a].p90);
    }
}

}  // namespace

int history_stride(int latest_step, int capacity) {
    int stride = 1;
    while (latest_step / stride + 1 > capacity)
        stride *= 2;
    return stride;
}

void history_clear(History& h, std::size_t tracked_actions) {
    h.stride = 1;
    h.capacity = core::history_point_capacity(tracked_actions);
    for_each_column(h, [](std::vector<double>& c) { c.clear(); });
    resize_groups(h, tracked_actions);
}

void history_append(History& h, const engine::StepSummary& s) {
    try {
        append_point(h, s);
    } catch (const std::bad_alloc&) {
        // A point half appended would leave the columns out of step with each other.
        std::size_t shortest = h.step.size();
        for_each_column(h,
                        [&](std::vector<double>& c) { shortest = std::min(shortest, c.size()); });
        for_each_column(h, [&](std::vector<double>& c) { c.resize(shortest); });
        throw core::AllocationFailure(core::out_of_memory_message("the step history"));
    }
}

void history_catch_up(History& older, const History& newer) {
    drop_off_stride_tail(older);
    older.capacity = newer.capacity;
    if (older.stride != newer.stride) thin(older, newer.stride);
    // What is left of `older` is every step on the stride up to its end: a prefix of `newer`.
    const std::size_t from =
        older.step.empty()
            ? 0
            : static_cast<std::size_t>(
                  std::upper_bound(newer.step.begin(), newer.step.end(), older.step.back()) -
                  newer.step.begin());
    resize_groups(older, newer.prob_p50.size());
    const auto dst = columns(older);
    const auto src = columns(newer);
    for (std::size_t c = 0; c < dst.size(); ++c)
        dst[c]->insert(dst[c]->end(), src[c]->begin() + static_cast<std::ptrdiff_t>(from),
                       src[c]->end());
}

}  // namespace rl::live
