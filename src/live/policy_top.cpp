#include "live/policy_top.hpp"

#include <algorithm>
#include <numeric>

namespace rl::live {

namespace {

// One minus the shown medians. Medians of single actions need not sum to at most 1 over the
// runs, so the remainder is held at 0 rather than drawn below the axis.
double remainder(double shown) {
    return std::max(0.0, 1.0 - shown);
}

}  // namespace

std::vector<std::size_t> top_indices(std::span<const double> values, std::size_t k) {
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    k = std::min(k, order.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                      [&](std::size_t a, std::size_t b) {
                          return values[a] != values[b] ? values[a] > values[b] : a < b;
                      });
    order.resize(k);
    return order;
}

void fill_policy_top(std::size_t n_actions, std::span<const double> median_now,
                     const History& history, Results& r) {
    r.policy_top.clear();
    r.rest_p50.clear();
    r.rest_now = 0.0;
    if (n_actions <= kPolicyAllUpTo) return;
    r.policy_top = top_indices(median_now, kPolicyTopK);
    double shown_now = 0.0;
    for (std::size_t t : r.policy_top)
        shown_now += median_now[t];
    r.rest_now = remainder(shown_now);
    r.rest_p50.assign(history.step.size(), 0.0);
    for (std::size_t i = 0; i < history.step.size(); ++i) {
        double shown = 0.0;
        for (std::size_t t : r.policy_top)
            if (t < history.prob_p50.size() && i < history.prob_p50[t].size())
                shown += history.prob_p50[t][i];
        r.rest_p50[i] = remainder(shown);
    }
}

}  // namespace rl::live
