#include "engine/episode_cloud.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/episodes/episode_objective.hpp"
#include "engine/episode_runs.hpp"
#include "engine/summary_stats.hpp"

namespace rl::engine {

namespace {

constexpr std::size_t kRowsPerTask = 64;
constexpr int kMaxIterations = 100;
// Up to this many coordinates a slowly converging power iteration moves onto the covariance
// matrix (widest_on_matrix); its tasks are larger, since each holds an n x n sum.
constexpr std::size_t kDenseLimit = 256;
constexpr std::size_t kDenseRowsPerTask = 512;
constexpr double kConverged = 1e-10;

double dot(std::span<const double> a, std::span<const double> b) {
    double s = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
        s += a[i] * b[i];
    return s;
}

// Scales v to unit length; false (and v zero) when it has none to speak of.
bool make_unit(std::vector<double>& v) {
    const double norm = std::sqrt(dot(v, v));
    if (!(norm > 0.0) || !std::isfinite(norm)) {
        std::fill(v.begin(), v.end(), 0.0);
        return false;
    }
    for (double& x : v)
        x /= norm;
    return true;
}

void remove_along(std::vector<double>& v, std::span<const double> unit) {
    if (unit.empty()) return;
    const double along = dot(v, unit);
    for (std::size_t i = 0; i < v.size(); ++i)
        v[i] -= along * unit[i];
}

// The estimates, one row of n per batch, and their mean.
struct Estimates {
    std::size_t n = 0, rows = 0;
    std::span<const double> values;
    std::span<const double> mean;
    std::span<const double> row(std::size_t m) const { return {values.data() + m * n, n}; }
};

// Power iteration on the sample covariance C = sum_m d_m d_m^T itself, formed once in fixed
// tasks (combined in order, so the thread count changes nothing), from the unit start u.
std::vector<double> widest_on_matrix(const Estimates& e, std::span<const double> away,
                                     std::vector<double> u, ThreadPool& pool, int iterations) {
    const std::size_t n = e.n;
    const std::size_t tasks = (e.rows + kDenseRowsPerTask - 1) / kDenseRowsPerTask;
    std::vector<std::vector<double>> parts(tasks);
    pool.run(tasks, [&](std::size_t task, int) {
        std::vector<double>& c = parts[task];
        c.assign(n * n, 0.0);
        std::vector<double> d(n);
        for (std::size_t m = task * kDenseRowsPerTask;
             m < std::min(e.rows, (task + 1) * kDenseRowsPerTask); ++m) {
            const std::span<const double> g = e.row(m);
            for (std::size_t i = 0; i < n; ++i)
                d[i] = g[i] - e.mean[i];
            for (std::size_t i = 0; i < n; ++i) {
                const double di = d[i];
                if (di == 0.0) continue;
                double* row = c.data() + i * n;
                for (std::size_t j = i; j < n; ++j)
                    row[j] += di * d[j];
            }
        }
    });
    std::vector<double> cov(n * n, 0.0);
    for (const std::vector<double>& c : parts)
        for (std::size_t k = 0; k < n * n; ++k)
            cov[k] += c[k];
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < i; ++j)
            cov[i * n + j] = cov[j * n + i];
    std::vector<double> next(n);
    for (int iteration = 0; iteration < iterations; ++iteration) {
        for (std::size_t i = 0; i < n; ++i)
            next[i] = dot({cov.data() + i * n, n}, u);
        remove_along(next, away);
        if (!make_unit(next)) return next;
        double change = 0.0;
        for (std::size_t i = 0; i < n; ++i)
            change += (next[i] - u[i]) * (next[i] - u[i]);
        std::swap(u, next);
        if (change < kConverged) break;
    }
    return u;
}

// Power iteration from the unit start u, through the rows and, if slow, on the matrix.
std::vector<double> iterate_widest(const Estimates& e, std::span<const double> away,
                                   std::vector<double> u, ThreadPool& pool) {
    const std::size_t n = e.n;
    // An iteration through the rows costs 2 n per row; the covariance itself n (n + 1) / 2 once,
    // after which an iteration costs n^2 in all. So a slow convergence finishes on the matrix.
    const int row_iterations =
        n <= kDenseLimit ? std::max(1, static_cast<int>(n / 4)) : kMaxIterations;
    const std::size_t tasks = (e.rows + kRowsPerTask - 1) / kRowsPerTask;
    std::vector<std::vector<double>> parts(tasks, std::vector<double>(n));
    for (int iteration = 0; iteration < kMaxIterations; ++iteration) {
        if (iteration == row_iterations)
            return widest_on_matrix(e, away, u, pool, kMaxIterations - iteration);
        pool.run(tasks, [&](std::size_t task, int) {
            std::vector<double>& part = parts[task];
            std::fill(part.begin(), part.end(), 0.0);
            for (std::size_t m = task * kRowsPerTask;
                 m < std::min(e.rows, (task + 1) * kRowsPerTask); ++m) {
                const std::span<const double> g = e.row(m);
                double along = 0.0;
                for (std::size_t i = 0; i < n; ++i)
                    along += (g[i] - e.mean[i]) * u[i];
                for (std::size_t i = 0; i < n; ++i)
                    part[i] += along * (g[i] - e.mean[i]);
            }
        });
        std::vector<double> next(n, 0.0);
        for (const std::vector<double>& part : parts)
            for (std::size_t i = 0; i < n; ++i)
                next[i] += part[i];
        remove_along(next, away);
        if (!make_unit(next)) return next;
        double change = 0.0;
        for (std::size_t i = 0; i < n; ++i)
            change += (next[i] - u[i]) * (next[i] - u[i]);
        u = std::move(next);
        if (change < kConverged) break;
    }
    return u;
}

// The direction, orthogonal to `away` (a unit vector, or empty), along which the estimates vary
// most: power iteration on their sample covariance, whose product with u is
// sum_m <d_m, u> d_m for the centred rows d_m. The rows are summed in fixed tasks, combined in
// order, so the thread count changes nothing. Zero when they do not vary off `away`.
std::vector<double> widest_direction(const Estimates& e, std::span<const double> away,
                                     ThreadPool& pool) {
    const std::size_t n = e.n;
    std::vector<double> u(n, 0.0), centred(n);
    // Start from the row farthest from the mean: it has a share of the widest direction unless
    // every row is orthogonal to it, and it makes the result the same for a given cloud.
    double farthest = -1.0;
    for (std::size_t m = 0; m < e.rows; ++m) {
        for (std::size_t i = 0; i < n; ++i)
            centred[i] = e.row(m)[i] - e.mean[i];
        remove_along(centred, away);
        const double d = dot(centred, centred);
        if (d > farthest) {
            farthest = d;
            u = centred;
        }
    }
    if (!make_unit(u)) return u;
    return iterate_widest(e, away, std::move(u), pool);
}

}  // namespace

EpisodeCloudDraw::EpisodeCloudDraw(const core::EpisodeProblem& problem,
                                   const core::EstimatorSettings& est, std::uint64_t seed,
                                   EpisodeCloudRequest request, const core::EpisodeRunState* memory)
    : m_request(std::move(request)), m_settings(est), m_seed(seed) {
    const std::size_t n = problem.initial.logits.size();
    if (m_request.logits.size() != n)
        throw std::invalid_argument("the cloud's policy has " +
                                    std::to_string(m_request.logits.size()) +
                                    " logits; the problem has " + std::to_string(n));
    if (m_request.K < 1 || m_request.M < 2)
        throw std::invalid_argument("a cloud needs K >= 1 and M >= 2 estimates");
    m_settings.K = m_request.K;
    m_policy =
        core::make_episode_policy(problem.initial.param, problem.initial.actions, m_request.logits);
    m_objective =
        core::episode_objective(*problem.model, m_policy, problem.reference_log_probs, m_settings);
    m_values = core::episode_values(m_objective.sampled(), m_policy);
    m_rows.resize(static_cast<std::size_t>(m_request.M) * n);
    MeasureOptions options;
    options.memory = memory;
    options.sink = [this, n](std::size_t m, std::span<const double> g) {
        std::copy(g.begin(), g.end(), m_rows.begin() + static_cast<std::ptrdiff_t>(m * n));
    };
    m_measurer = std::make_unique<EpisodeMeasurer>(m_objective, m_policy, m_values, m_settings,
                                                   m_request.M, std::move(options));
    if (!m_measurer->error().empty()) throw std::invalid_argument(m_measurer->error());
}

EpisodeCloudDraw::~EpisodeCloudDraw() = default;

bool EpisodeCloudDraw::done() const {
    return m_measurer->complete();
}

bool EpisodeCloudDraw::advance(int batches, ThreadPool& pool) {
    const std::size_t chunk = m_measurer->chunk_batches();
    const std::size_t first = m_measurer->measured();
    const std::size_t total = static_cast<std::size_t>(m_request.M);
    const std::size_t asked = static_cast<std::size_t>(std::max(batches, 1));
    const std::size_t count = std::min(total - first, (asked + chunk - 1) / chunk * chunk);
    if (count == 0) return true;
    const EpisodeBatches slice = sample_episode_batches(
        m_objective.sampled(), m_policy, m_request.K, static_cast<int>(count), m_seed, pool,
        m_request.step, static_cast<std::uint32_t>(first));
    m_measurer->add(slice, pool);
    return done();
}

CloudResult EpisodeCloudDraw::finish(ThreadPool& pool) const {
    if (!done()) throw std::logic_error("EpisodeCloudDraw::finish: batches are still to draw");
    const std::size_t n = m_policy.logits.size();
    const EpisodeMeasurement measured = m_measurer->finish();
    if (!measured.error.empty()) throw std::invalid_argument(measured.error);
    Estimates estimates;
    estimates.n = n;
    estimates.rows = static_cast<std::size_t>(m_request.M);
    estimates.values = m_rows;
    estimates.mean = measured.mean;
    CloudResult r;
    r.exact_on_axes = false;
    const core::EpisodeExact exact =
        core::with_objective(core::episode_exact(m_objective.sampled(), m_policy, m_values,
                                                 core::episode_estimator(m_settings)),
                             m_objective);
    r.exact.closed_form = exact.exact;
    r.exact.reason = exact.reason;
    r.exact.mean = exact.mean;
    r.exact.trace_cov = exact.trace_cov;
    r.exact.snr = exact.snr;
    r.exact.snr_reason = exact.snr_reason;
    r.true_gradient = exact.gradient;

    // x along the true gradient; with none (an optimum, a flat problem), the widest direction.
    r.axis_x = r.true_gradient;
    if (!make_unit(r.axis_x)) r.axis_x = widest_direction(estimates, {}, pool);
    r.axis_y = n > 1 ? widest_direction(estimates, r.axis_x, pool) : std::vector<double>(n, 0.0);
    r.true_x = dot(r.true_gradient, r.axis_x);
    r.true_y = dot(r.true_gradient, r.axis_y);
    if (exact.exact) {
        r.exact_mean_x = dot(exact.mean, r.axis_x);
        r.exact_mean_y = dot(exact.mean, r.axis_y);
    }
    r.x.resize(estimates.rows);
    r.y.resize(estimates.rows);
    r.norm2.resize(estimates.rows);
    for (std::size_t m = 0; m < estimates.rows; ++m) {
        const std::span<const double> g = estimates.row(m);
        r.x[m] = static_cast<float>(dot(g, r.axis_x));
        r.y[m] = static_cast<float>(dot(g, r.axis_y));
        r.norm2[m] = dot(g, g);
    }
    r.mean = measured.mean;
    r.mean_x = dot(r.mean, r.axis_x);
    r.mean_y = dot(r.mean, r.axis_y);
    if (estimates.rows > 1) {
        double sxx = 0.0, syy = 0.0, sxy = 0.0;
        for (std::size_t m = 0; m < estimates.rows; ++m) {
            const double dx = r.x[m] - r.mean_x, dy = r.y[m] - r.mean_y;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
        const double denom = static_cast<double>(estimates.rows - 1);
        r.measured_var_x = sxx / denom;
        r.measured_var_y = syy / denom;
        r.measured_cov_xy = sxy / denom;
    }
    r.trace_cov = measured.trace_cov;
    r.snr = measured.snr;
    r.snr_reason = measured.snr_reason;
    r.uphill_share = measured.uphill_share;
    r.mean_cosine = measured.mean_cosine;
    r.histogram = cloud_histogram(r.x, r.y, m_request.histogram_bins,
                                  std::sqrt(dot(r.true_gradient, r.true_gradient)));
    return r;
}

CloudResult episode_cloud(const core::EpisodeProblem& problem, const core::EstimatorSettings& est,
                          std::uint64_t seed, const EpisodeCloudRequest& request,
                          const core::EpisodeRunState* memory, ThreadPool& pool) {
    EpisodeCloudDraw draw(problem, est, seed, request, memory);
    draw.advance(request.M, pool);
    return draw.finish(pool);
}

}  // namespace rl::engine
