#include "core/vocabulary.hpp"

#include <cmath>
#include <cstdio>

#include "core/settings.hpp"

namespace rl::core {

std::string vocabulary_token_name(std::size_t rank) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "tok%05zu", rank);
    return buffer;
}

bool is_good_token(const VocabularySpec& v, std::size_t rank) {
    return (rank + 1) % v.good_every == 0;
}

std::string check_vocabulary(const VocabularySpec& v) {
    if (v.N < limits::kMinActions || v.N > limits::kMaxActions)
        return "vocabulary.N: must be a whole number between " +
               std::to_string(limits::kMinActions) + " and " + std::to_string(limits::kMaxActions);
    if (!std::isfinite(v.zipf_s) || v.zipf_s < 0.0 || v.zipf_s > limits::kMaxZipfS)
        return "vocabulary.zipf_s: must be between 0 and " +
               std::to_string(static_cast<int>(limits::kMaxZipfS));
    if (v.good_every < 1 || v.good_every > v.N)
        return "vocabulary.good_every: must be a whole number between 1 and N (" +
               std::to_string(v.N) + ")";
    const double big = limits::kMaxRewardMagnitude;
    if (!std::isfinite(v.good_reward) || std::abs(v.good_reward) > big)
        return "vocabulary.good_reward: must be between -1e+30 and 1e+30";
    if (!std::isfinite(v.other_reward) || std::abs(v.other_reward) > big)
        return "vocabulary.other_reward: must be between -1e+30 and 1e+30";
    return {};
}

VocabularyActions expand_vocabulary(const VocabularySpec& v, Parameterization param) {
    VocabularyActions out;
    out.names.reserve(v.N);
    out.rewards.reserve(v.N);
    out.logits.reserve(v.N);
    for (std::size_t a = 0; a < v.N; ++a) {
        out.names.push_back(vocabulary_token_name(a));
        out.rewards.push_back(is_good_token(v, a) ? v.good_reward : v.other_reward);
        out.logits.push_back(-v.zipf_s * std::log(static_cast<double>(a + 1)));
    }
    if (param == Parameterization::kPinnedLast) {
        const double last = out.logits.back();
        for (double& l : out.logits)
            l -= last;
    }
    return out;
}

void apply_vocabulary(Settings& s, const VocabularySpec& v) {
    VocabularyActions expanded = expand_vocabulary(v, s.parameterization);
    s.actions.clear();
    s.actions.reserve(v.N);
    for (std::size_t a = 0; a < v.N; ++a) {
        ActionSpec action;
        action.name = std::move(expanded.names[a]);
        action.reward.kind = RewardKind::kFixed;
        action.reward.value = expanded.rewards[a];
        s.actions.push_back(std::move(action));
    }
    s.init_logits = std::move(expanded.logits);
    s.reference_logits.clear();
    s.vocabulary = v;
}

const VocabularySpec* compact_vocabulary(const Settings& s) {
    if (!s.vocabulary || s.actions.size() != s.vocabulary->N) return nullptr;
    const VocabularySpec& v = *s.vocabulary;
    const VocabularyActions expected = expand_vocabulary(v, s.parameterization);
    for (std::size_t a = 0; a < v.N; ++a) {
        const ActionSpec& action = s.actions[a];
        // Exact comparisons: a file must load back bit for bit, so near enough is not enough.
        if (action.name != expected.names[a] || action.reward.kind != RewardKind::kFixed ||
            action.reward.value != expected.rewards[a] || s.init_logits[a] != expected.logits[a])
            return nullptr;
    }
    return &v;
}

}  // namespace rl::core
