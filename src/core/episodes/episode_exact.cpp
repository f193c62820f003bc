#include "core/episodes/episode_exact.hpp"

#include <algorithm>
#include <cmath>

#include "core/exact.hpp"

namespace rl::core {

namespace {

struct PathStep {
    std::uint32_t situation = 0, block = 0, action = 0;
    double reward_mean = 0.0, reward_variance = 0.0;
};

// Walks every trajectory depth first and adds each one's terms, weighted by its probability.
class TrajectoryWalker {
  public:
    TrajectoryWalker(const EpisodeModel& model, const EpisodePolicy& policy,
                     const EpisodeValues& values, Credit credit, bool cross)
        : model_(model),
          policy_(policy),
          values_(values),
          full_(credit == Credit::kFullReturn),
          cross_(cross),
          T_(static_cast<std::size_t>(model.horizon())),
          outcomes_(T_ + 1) {
        m_.horizon = model.horizon();
        m_.params = policy.logits.size();
        m_.mean.assign(m_.params, 0.0);
        for (auto* v : {&m_.reach, &m_.c, &m_.p, &m_.ew, &m_.m2})
            v->assign(T_, 0.0);
        if (cross_) m_.h.assign(T_ * T_ * m_.params, 0.0);
        discount_.assign(T_ + 1, 1.0);
        for (std::size_t t = 1; t <= T_; ++t)
            discount_[t] = discount_[t - 1] * model.discount();
        tail_.resize(T_ + 1);
        noise_tail_.resize(T_ + 1);
        weight_.resize(T_);
        advantage_.resize(T_);
        dots_.resize(T_ * T_);
    }

    EpisodeMoments run() {
        walk(0, model_.start(), 1.0);
        return std::move(m_);
    }

  private:
    void walk(std::size_t t, std::uint32_t x, double prob) {
        if (t == T_ || model_.terminal(x)) {
            leaf(prob);
            return;
        }
        const std::uint32_t b = model_.block(static_cast<int>(t), x);
        const std::span<const double> pi = policy_.block_probs(b);
        for (std::uint32_t a = 0; a < model_.actions(); ++a) {
            if (pi[a] == 0.0) continue;
            model_.outcomes(static_cast<int>(t), x, a, outcomes_[t]);
            for (const EpisodeOutcome& o : outcomes_[t]) {
                if (o.prob == 0.0) continue;
                path_.push_back({x, b, a, o.reward.expected(), o.reward.variance()});
                walk(t + 1, o.next, prob * pi[a] * o.prob);
                path_.pop_back();
            }
        }
    }

    void leaf(double P) {
        const std::size_t L = path_.size();
        // tail_[t] = sum_{k >= t} gamma^k rbar_k, noise_tail_[t] = sum_{k >= t} gamma^2k v_k.
        tail_[L] = 0.0;
        noise_tail_[L] = 0.0;
        for (std::size_t k = L; k-- > 0;) {
            tail_[k] = tail_[k + 1] + discount_[k] * path_[k].reward_mean;
            noise_tail_[k] =
                noise_tail_[k + 1] + discount_[k] * discount_[k] * path_[k].reward_variance;
        }
        const double R = tail_[0];
        m_.J += P * R;
        // The credit past the end: the whole return for full return, nothing to go otherwise.
        for (std::size_t t = 0; t < T_; ++t) {
            weight_[t] = full_ ? R : t < L ? tail_[t] : 0.0;
            const double noise = full_ ? noise_tail_[0] : t < L ? noise_tail_[t] : 0.0;
            m_.ew[t] += P * weight_[t];
            m_.m2[t] += P * (weight_[t] * weight_[t] + noise);
        }
        for (std::size_t t = 0; t < L; ++t) {
            advantage_[t] =
                tail_[t] - discount_[t] * values_.value_at(static_cast<int>(t), path_[t].situation);
            for (std::size_t s = 0; s <= t; ++s) {
                const double d = score_dot(policy_, path_[t].block, path_[t].action, path_[s].block,
                                           path_[s].action);
                dots_[t * T_ + s] = d;
                dots_[s * T_ + t] = d;
            }
        }
        for (std::size_t t = 0; t < L; ++t) {
            add_score(policy_, path_[t].block, path_[t].action, P * weight_[t], m_.mean);
            m_.reach[t] += P;
            m_.c[t] += P * dots_[t * T_ + t];
            double p = 0.0, q = 0.0, prefix = 0.0;
            for (std::size_t s = 0; s < L; ++s) {
                const double d = dots_[t * T_ + s];
                if (d == 0.0) continue;
                const double later_noise = noise_tail_[std::max(t, s)];
                p += weight_[s] * d;
                q += (weight_[t] * weight_[s] + (full_ ? noise_tail_[0] : later_noise)) * d;
                prefix += (advantage_[t] * advantage_[s] + later_noise) * d;
            }
            m_.p[t] += P * p;
            m_.q0 += P * q;
            m_.prefix_q0 += P * prefix;
        }
        if (!cross_) return;
        for (std::size_t t = 0; t < T_; ++t)
            for (std::size_t s = 0; s < L; ++s)
                add_score(policy_, path_[s].block, path_[s].action, P * weight_[t],
                          std::span<double>{m_.h.data() + (t * T_ + s) * m_.params, m_.params});
    }

    const EpisodeModel& model_;
    const EpisodePolicy& policy_;
    const EpisodeValues& values_;
    const bool full_, cross_;
    const std::size_t T_;
    std::vector<std::vector<EpisodeOutcome>> outcomes_;  // one buffer per depth
    std::vector<PathStep> path_;
    std::vector<double> discount_, tail_, noise_tail_, weight_, advantage_, dots_;
    EpisodeMoments m_;
};

double dot(std::span<const double> a, std::span<const double> b) {
    double s = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
        s += a[i] * b[i];
    return s;
}

std::string no_exact_reason(const EpisodeEstimator& e) {
    if (e.baseline == BaselineKind::kLearnedValue)
        return "a learned critic depends on the history: Monte Carlo only";
    // The other kinds lack a closed form for the reasons they lack one for bandits.
    EstimatorSettings bandit;
    bandit.baseline = e.baseline;
    return std::string(no_closed_form_reason(bandit, e.K));
}

}  // namespace

EpisodeMomentsResult episode_moments(const EpisodeModel& model, const EpisodePolicy& policy,
                                     const EpisodeValues& values, Credit credit,
                                     bool with_cross_terms, double max_trajectories) {
    EpisodeMomentsResult r;
    if (values.trajectories > max_trajectories) {
        if (!model.decisions_share_blocks()) {
            r.moments = episode_moments_dp(model, policy, values, credit, with_cross_terms);
            r.ok = true;
            return r;
        }
        r.reason = "more than 2^" + std::to_string(std::lround(std::log2(max_trajectories))) +
                   " trajectories to enumerate: Monte Carlo only";
        return r;
    }
    r.moments = TrajectoryWalker(model, policy, values, credit, with_cross_terms).run();
    r.ok = true;
    return r;
}

std::vector<double> fixed_episode_baselines(const EpisodeMoments& m, const EpisodeEstimator& e,
                                            double discount) {
    std::vector<double> b(static_cast<std::size_t>(m.horizon), 0.0);
    double discount_t = 1.0;
    for (std::size_t t = 0; t < b.size(); ++t, discount_t *= discount) {
        const double units = e.credit == Credit::kFullReturn ? 1.0 : discount_t;
        switch (e.baseline) {
            case BaselineKind::kConstant:
                b[t] = units * e.constant_b;
                break;
            case BaselineKind::kExpected:
                b[t] = m.reach[t] > 0.0 ? m.ew[t] / m.reach[t] : 0.0;
                if (e.credit == Credit::kFullReturn) b[t] = m.J;
                break;
            case BaselineKind::kOptimal:
                b[t] = m.c[t] > 0.0 ? m.p[t] / m.c[t] : 0.0;
                break;
            default:
                break;
        }
    }
    return b;
}

EpisodeExact episode_exact(const EpisodeModel& model, const EpisodePolicy& policy,
                           const EpisodeEstimator& e) {
    return episode_exact(model, policy, episode_values(model, policy), e);
}

EpisodeExact episode_exact(const EpisodeModel& model, const EpisodePolicy& policy,
                           const EpisodeValues& values, const EpisodeEstimator& e) {
    EpisodeMomentsResult moments;
    if (no_exact_reason(e).empty()) {
        const bool loo =
            e.baseline == BaselineKind::kRloo || e.baseline == BaselineKind::kBatchMean;
        moments = episode_moments(model, policy, values, e.credit, loo && e.K >= 2);
    }
    return episode_exact_from(model, values, moments, e);
}

EpisodeExact episode_exact_from(const EpisodeModel& model, const EpisodeValues& values,
                                const EpisodeMomentsResult& r, const EpisodeEstimator& e) {
    EpisodeExact out;
    out.J = values.J;
    out.gradient = values.gradient;
    out.reason = no_exact_reason(e);
    if (!out.reason.empty()) return out;
    const bool loo = e.baseline == BaselineKind::kRloo || e.baseline == BaselineKind::kBatchMean;
    if (!r.ok) {
        out.reason = r.reason;
        return out;
    }
    const EpisodeMoments& m = r.moments;
    if (loo && e.K >= 2 && m.h.empty()) {
        out.reason = "the moments were gathered without the cross terms leave-one-out needs";
        return out;
    }
    const double K = e.K;
    const double signal2 = dot(m.mean, m.mean);
    out.mean = m.mean;
    double second = 0.0;  // E|g_1|^2 of one episode, for the baselines that are fixed numbers
    if (e.baseline == BaselineKind::kPrefixValue) {
        second = m.prefix_q0;
    } else if (!loo) {
        const std::vector<double> b = fixed_episode_baselines(m, e, model.discount());
        second = m.q0;
        for (std::size_t t = 0; t < b.size(); ++t)
            second += b[t] * b[t] * m.c[t] - 2.0 * b[t] * m.p[t];
    }
    if (!loo) {
        out.trace_cov = (second - signal2) / K;
    } else if (e.K < 2) {
        // The batch mean of one episode is that episode: every weight is 0.
        std::fill(out.mean.begin(), out.mean.end(), 0.0);
        out.trace_cov = 0.0;
    } else {
        const std::size_t T = static_cast<std::size_t>(m.horizon);
        double P = 0.0, S1 = 0.0, S2 = 0.0, H = 0.0;
        for (std::size_t t = 0; t < T; ++t) {
            P += m.ew[t] * m.p[t];
            S1 += m.ew[t] * m.ew[t] * m.c[t];
            S2 += m.m2[t] * m.c[t];
            if (m.diagonal) {
                const std::span<const double> h_tt{m.h.data() + t * m.params, m.params};
                H += dot(h_tt, h_tt);
                continue;
            }
            for (std::size_t s = 0; s < T; ++s) {
                const std::span<const double> h_ts{m.h.data() + (t * T + s) * m.params, m.params};
                const std::span<const double> h_st{m.h.data() + (s * T + t) * m.params, m.params};
                H += dot(h_ts, h_st);
            }
        }
        out.trace_cov =
            (m.q0 - 2.0 * P - signal2) / K + (S2 + (K - 2.0) * S1 + H) / (K * (K - 1.0));
        if (e.baseline == BaselineKind::kBatchMean) {
            const double shrink = (K - 1.0) / K;
            for (double& v : out.mean)
                v *= shrink;
            out.trace_cov *= shrink * shrink;
        }
    }
    out.trace_cov = std::max(out.trace_cov, 0.0);
    out.exact = true;
    const double mean_norm = std::sqrt(dot(out.mean, out.mean));
    out.snr = signal_to_noise(mean_norm, out.trace_cov);
    out.snr_reason = snr_undefined_reason(mean_norm, out.trace_cov);
    return out;
}

}  // namespace rl::core
