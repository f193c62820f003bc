// The exact moments of docs/MATH.md 13 by dynamic programming, for models whose decisions never
// share a logit block (per-position and previous-token token policies). Then <psi_t, psi_s> = 0
// for t != s, and every moment is a sum over decisions of terms that need only, at (t, x, a), the
// first two moments of the return to go (backward) and of the return so far (forward; the
// episode is Markov in its situation, so past and future are independent given x_t).

#include "core/episodes/episode_exact.hpp"

namespace rl::core {

EpisodeMoments episode_moments_dp(const EpisodeModel& model, const EpisodePolicy& policy,
                                  const EpisodeValues& v, Credit credit, bool with_cross_terms) {
    const auto T = static_cast<std::size_t>(model.horizon());
    const std::size_t S = model.situations();
    const std::size_t A = model.actions();
    const double gamma = model.discount();
    const bool full = credit == Credit::kFullReturn;
    EpisodeMoments m;
    m.horizon = model.horizon();
    m.params = policy.logits.size();
    m.mean.assign(m.params, 0.0);
    for (auto* x : {&m.reach, &m.c, &m.p, &m.ew, &m.m2})
        x->assign(T, 0.0);
    m.diagonal = true;
    if (with_cross_terms) m.h.assign(T * m.params, 0.0);
    m.J = v.J;

    std::vector<EpisodeOutcome> outcomes;
    // Q_t(x, a) and M_t(x, a) = E[G_t^2 | x, a], the reward noise included.
    const auto moments_of = [&](std::size_t t, std::uint32_t x, std::uint32_t a,
                                const std::vector<double>& second, double& q, double& mm) {
        model.outcomes(static_cast<int>(t), x, a, outcomes);
        q = 0.0;
        mm = 0.0;
        for (const EpisodeOutcome& o : outcomes) {
            const double r = o.reward.expected();
            const double next_v = v.value_at(static_cast<int>(t) + 1, o.next);
            const double next_s = second[(t + 1) * S + o.next];
            q += o.prob * (r + gamma * next_v);
            mm += o.prob *
                  (o.reward.variance() + r * r + 2.0 * r * gamma * next_v + gamma * gamma * next_s);
        }
    };
    // E[G_t^2 | x] at (t, x), index t * S + x; 0 past the horizon and where the episode ended.
    std::vector<double> second((T + 1) * S, 0.0);
    for (std::size_t t = T; t-- > 0;) {
        for (std::uint32_t x = 0; x < S; ++x) {
            if (model.terminal(x)) continue;
            const std::span<const double> pi =
                policy.block_probs(model.block(static_cast<int>(t), x));
            double s2 = 0.0;
            for (std::uint32_t a = 0; a < A; ++a) {
                double q = 0.0, mm = 0.0;
                moments_of(t, x, a, second, q, mm);
                s2 += pi[a] * mm;
            }
            second[t * S + x] = s2;
        }
    }
    const double all_second = second[model.start()];  // E[R^2]

    // Forward: F1_t(x) = E[R_<t ; x_t = x], F2_t(x) = E[R_<t^2 ; x_t = x] (R_<t from the start).
    std::vector<double> F1(S, 0.0), F2(S, 0.0), F1n(S), F2n(S);
    double discount = 1.0;
    for (std::size_t t = 0; t < T; ++t, discount *= gamma) {
        std::fill(F1n.begin(), F1n.end(), 0.0);
        std::fill(F2n.begin(), F2n.end(), 0.0);
        double reach = 0.0, ew = 0.0, m2 = 0.0;
        for (std::uint32_t x = 0; x < S; ++x) {
            const double d = v.occupancy_at(static_cast<int>(t), x);
            if (d == 0.0) continue;
            reach += d;
            const double vx = v.value_at(static_cast<int>(t), x);
            ew += d * discount * vx;
            m2 += d * discount * discount * second[t * S + x];
            const std::uint32_t b = model.block(static_cast<int>(t), x);
            const std::span<const double> pi = policy.block_probs(b);
            for (std::uint32_t a = 0; a < A; ++a) {
                double q = 0.0, mm = 0.0;
                moments_of(t, x, a, second, q, mm);
                const double norm2 = score_dot(policy, b, a, b, a);
                // E[W_t ; x, a] and E[W_t^2 ; x, a] (probability-weighted over x).
                const double w1 = full ? F1[x] + d * discount * q : d * discount * q;
                const double w2 =
                    full ? F2[x] + 2.0 * F1[x] * discount * q + d * discount * discount * mm
                         : d * discount * discount * mm;
                const double u2 = d * discount * discount * (mm - 2.0 * vx * q + vx * vx);
                m.c[t] += pi[a] * d * norm2;
                m.p[t] += pi[a] * w1 * norm2;
                m.q0 += pi[a] * w2 * norm2;
                m.prefix_q0 += pi[a] * u2 * norm2;
                add_score(policy, b, a, pi[a] * w1, m.mean);
                if (with_cross_terms)
                    add_score(policy, b, a, pi[a] * w1,
                              std::span<double>{m.h.data() + t * m.params, m.params});
                // What the return so far is where the episode goes on.
                for (const EpisodeOutcome& o : outcomes) {
                    if (model.terminal(o.next) || t + 1 == T) continue;
                    const double w = pi[a] * o.prob;
                    const double r = discount * o.reward.expected();
                    F1n[o.next] += w * (F1[x] + d * r);
                    F2n[o.next] += w * (F2[x] + 2.0 * r * F1[x] +
                                        d * (r * r + discount * discount * o.reward.variance()));
                }
            }
        }
        m.reach[t] = reach;
        // The full return's credit holds past the end too: E R and E R^2 over every episode.
        m.ew[t] = full ? v.J : ew;
        m.m2[t] = full ? all_second : m2;
        std::swap(F1, F1n);
        std::swap(F2, F2n);
    }
    return m;
}

}  // namespace rl::core
