#include "live/before_view.hpp"

#include <algorithm>
#include <cmath>

#include "core/exact.hpp"
#include "core/policy_point.hpp"
#include "engine/cloud_parts.hpp"
#include "live/experiment_changes.hpp"
#include "live/snr_curves.hpp"

namespace rl::live {

namespace {

// The held axes reach this many standard deviations out along each axis: past the 2-sigma
// ellipses drawn, so both stay whole inside with room for the estimates around them.
constexpr double kHeldSigmas = 2.6;

struct Extent {
    double lo = 0.0, hi = 0.0;
    void include(double v) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
};

}  // namespace

void BeforeSettings::set(const std::optional<core::Settings>& settings, std::string label) {
    m_label = std::move(label);
    if (!settings) {
        m_experiment.reset();
        return;
    }
    m_experiment = core::make_experiment(*settings);
    m_run0 = core::make_run_problem(*m_experiment, 0);
}

core::PolicyPoint BeforeSettings::point(const std::vector<double>& logits) const {
    const core::Experiment& e = *m_experiment;
    return core::make_policy_point(logits, e.parameterization, m_run0.rbar, m_run0.var,
                                   e.ref_log_probs, e.estimator);
}

bool BeforeSettings::same_as(const core::Experiment& current) const {
    return m_experiment && same_estimator(*m_experiment, current) &&
           same_rewards(*m_experiment, current);
}

BeforeView BeforeSettings::ellipse(const std::vector<double>& logits,
                                   const engine::CloudResult& cloud,
                                   const core::Experiment& current) const {
    BeforeView v;
    if (!m_experiment || same_as(current) || m_experiment->n != logits.size() ||
        m_experiment->n != cloud.axis_x.size() || !cloud.exact.closed_form)
        return v;
    const core::PolicyPoint pt = point(logits);
    const core::ExactEstimate e =
        core::exact_estimate(pt, m_experiment->estimator, m_experiment->estimator.K);
    if (!e.closed_form) return v;
    const engine::ProjectedEstimate p = engine::project_estimate(pt, e, cloud.axis_x, cloud.axis_y);
    if (!std::isfinite(p.var_x) || !std::isfinite(p.var_y)) return v;
    v.valid = true;
    v.label = m_label;
    v.K = m_experiment->estimator.K;
    v.mean_x = p.mean_x;
    v.mean_y = p.mean_y;
    v.var_x = p.var_x;
    v.var_y = p.var_y;
    v.cov_xy = p.cov_xy;
    // Both ellipses, the origin and the true gradient's tip.
    Extent x, y;
    x.include(cloud.true_x);
    y.include(cloud.true_y);
    const auto ellipse_extent = [&](double mx, double my, double vx, double vy) {
        const double sx = kHeldSigmas * std::sqrt(std::max(vx, 0.0));
        const double sy = kHeldSigmas * std::sqrt(std::max(vy, 0.0));
        x.include(mx - sx);
        x.include(mx + sx);
        y.include(my - sy);
        y.include(my + sy);
    };
    ellipse_extent(p.mean_x, p.mean_y, p.var_x, p.var_y);
    ellipse_extent(cloud.exact_mean_x, cloud.exact_mean_y, cloud.exact_var_x, cloud.exact_var_y);
    // Never a flat view: a side with no spread gets a tenth of the other's, about its middle.
    const double span = std::max(x.hi - x.lo, y.hi - y.lo);
    if (!(span > 0.0) || !std::isfinite(span)) {
        v.valid = false;
        return v;
    }
    for (Extent* side : {&x, &y}) {
        const double mid = 0.5 * (side->lo + side->hi);
        side->include(mid - 0.05 * span);
        side->include(mid + 0.05 * span);
    }
    v.x_min = x.lo;
    v.x_max = x.hi;
    v.y_min = y.lo;
    v.y_max = y.hi;
    return v;
}

SnrCurve BeforeSettings::snr_curve(const std::vector<double>& logits,
                                   const core::Experiment& current) const {
    if (!m_experiment || same_as(current) || m_experiment->n != logits.size()) return {};
    return exact_snr_curve(point(logits), m_experiment->estimator);
}

}  // namespace rl::live
