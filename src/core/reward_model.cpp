#include "core/reward_model.hpp"

namespace rl::core {

double RewardModel::expected() const {
    switch (kind) {
        case RewardKind::kGaussian:
            return mean;
        case RewardKind::kBernoulli:
            return lo + p * (hi - lo);
        case RewardKind::kFixed:
        default:
            return value;
    }
}

double RewardModel::variance() const {
    switch (kind) {
        case RewardKind::kGaussian:
            return sd * sd;
        case RewardKind::kBernoulli:
            return p * (1.0 - p) * (hi - lo) * (hi - lo);
        case RewardKind::kFixed:
        default:
            return 0.0;
    }
}

RewardSampler make_reward_sampler(const RewardModel& model, double offset) {
    switch (model.kind) {
        case RewardKind::kGaussian:
            return {RewardKind::kGaussian, model.mean + offset, model.sd, 0};
        case RewardKind::kBernoulli:
            return {RewardKind::kBernoulli, model.lo + offset, model.hi - model.lo,
                    bernoulli_threshold(model.p)};
        case RewardKind::kFixed:
        default:
            return {RewardKind::kFixed, model.value + offset, 0.0, 0};
    }
}

}  // namespace rl::core
