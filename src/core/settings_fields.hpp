#pragma once

#include <array>
#include <string>
#include <string_view>

#include "core/field_rows.hpp"

// The settings' fields, one row each: the key (session files, --set, lesson steps), the kind of
// value, its range or choices, the window's label and tooltip, and how to read and write it. The
// default is what a default-constructed Settings holds. validate(), the session-file reader and
// writer, --set and the window's controls all go through these rows, so a new field is a row here
// plus the line that places its widget.
//
// Contents: kSettingsFields (the settings as a whole), kActionFields (each action's fields), the
// lookups, the checks and the text parser. What a row is: core/field_rows.hpp.
namespace rl::core {

inline constexpr double kMaxClip = 1e12;
inline constexpr int kMaxGuiK = 4096;
inline constexpr int kMinGuiM = 16;
inline constexpr double kMinGuiLearningRate = 1e-4;
inline constexpr double kMaxGuiLearningRate = 100.0;

inline constexpr auto kSettingsFields = [] {
    using namespace field_access;
    const double big = limits::kMaxRewardMagnitude;
    const double coefficient = limits::kMaxCoefficient;
    SettingsField preset = member_field<&Settings::preset>(
        "preset", "preset", "The lesson the settings started from; it names exported files.");
    preset.settable = false;
    SettingsField parameterization;
    parameterization.key = "parameterization";
    parameterization.kind = FieldKind::kChoice;
    parameterization.label = "policy";
    parameterization.tooltip =
        "Free: one logit per action. Pinned: the last logit stays 0, which for two actions is the "
        "sigmoid policy.";
    parameterization.choices = kChoiceTexts<Parameterization>;
    parameterization.get = &get_parameterization;
    parameterization.set = &set_parameterization_field;
    const std::string_view initial = "The initial policy as a whole (a file gives it per action).";
    const std::string_view reference =
        "The KL anchor's reference policy; without one it is the initial policy.";
    SettingsField init_logits =
        list_field("init_logits", "numbers between -10000 and 10000", initial, &get_init_logits,
                   &set_init_logits, &check_init_logits);
    SettingsField init_probs =
        list_field("init_probs", "probabilities above 0 and at most 1", initial, &get_init_probs,
                   &set_init_probs, &check_probability_list);
    SettingsField reference_logits =
        list_field("reference_logits", "numbers between -10000 and 10000", reference,
                   &get_reference_logits, &set_reference_logits, &check_logit_list);
    SettingsField reference_probs =
        list_field("reference_probs", "probabilities above 0 and at most 1", reference,
                   &get_reference_probs, &set_reference_probs, &check_probability_list);
    // A file gives the initial policy per action, and the reference policy as logits.
    init_logits.file_read = init_logits.file_write = false;
    init_probs.file_read = init_probs.file_write = false;
    reference_logits.skip_empty = reference_probs.skip_empty = true;
    reference_probs.file_write = false;
    return std::array{
        preset,
        member_field<&Settings::title>("title", "title",
                                       "The lesson's title, shown above its text."),
        member_field<&Settings::description>("description", "description",
                                             "What the lesson is about, in a few sentences."),
        parameterization,
        member_field<&EstimatorSettings::K>(
            "K", "K samples", "Samples per update step: the estimate averages K sampled actions.",
            {1, limits::kMaxK}, log_slider(1, kMaxGuiK)),
        member_field<&EstimatorSettings::baseline>(
            "baseline", "baseline",
            "What is subtracted from each reward before it weights the sample's score."),
        member_field<&EstimatorSettings::constant_b>(
            "baseline_b", "b",
            "The constant baseline; for the running mean, its value before any reward is seen.",
            {-big, big}),
        member_field<&EstimatorSettings::running_mode>(
            "running_mode", "running mode", "How the running-mean baseline follows the rewards."),
        member_field<&EstimatorSettings::running_decay>(
            "running_decay", "decay", "How much of the old b each step keeps (0 to 1).",
            {0.0, 1.0, false, true}),
        member_field<&EstimatorSettings::lr>(
            "lr", "learning rate",
            "Step size alpha: each update adds alpha times the gradient estimate to the logits.",
            {0.0, limits::kMaxLearningRate, true, false},
            log_slider(kMinGuiLearningRate, kMaxGuiLearningRate)),
        member_field<&EstimatorSettings::kl_beta>(
            "kl_beta", "KL beta",
            "Strength of the KL anchor to the reference policy; 0 turns it off.",
            {0.0, coefficient}),
        member_field<&EstimatorSettings::kl_mode>("kl_mode", "KL mode",
                                                  "How the KL anchor enters the estimate."),
        member_field<&EstimatorSettings::entropy>(
            "entropy", "entropy bonus",
            "Adds this times the policy's entropy to the objective, keeping it exploring.",
            {0.0, coefficient}),
        member_field<&EstimatorSettings::clip>(
            "clip", "clip norm",
            "Rescales any gradient estimate longer than this; 0 turns clipping off.",
            {0.0, kMaxClip}),
        member_field<&Settings::runs>(
            "runs", "runs R",
            "Independent training runs; the plots show their median and 10-90% band.",
            {1, limits::kMaxRuns}),
        member_field<&Settings::steps>(
            "steps", "steps", "The lesson's length: playing pauses there (press Play to go on).",
            {1, limits::kMaxSteps}),
        member_field<&Settings::M>(
            "M", "cloud M",
            "How many independent K-sample estimates the gradient scatter draws each step.",
            {limits::kMinM, limits::kMaxM}, log_slider(kMinGuiM, limits::kMaxM)),
        member_field<&Settings::seed>(
            "seed", "seed", "Seed of every random stream; the same seed replays the same samples."),
        member_field<&Settings::arm_mean_sd>(
            "arm_mean_sd", "arm mean sd",
            "Above 0, each run draws its own action means from N(mean, sd^2), as a testbed does.",
            {0.0, coefficient}),
        init_logits,
        init_probs,
        reference_logits,
        reference_probs,
        member_field<&Settings::problem>(
            "problem", "problem",
            "One step (a bandit), a sequence of tokens, or an episodic table of states."),
        episode_field<&Settings::length>(
            "length", "length T",
            "Tokens in each sequence; for a table, the most moves an episode makes.",
            {1, limits::kMaxLength}),
        episode_field<&Settings::policy_form>("policy_form", "policy form",
                                              "Which logits each position draws its token from."),
        episode_field<&Settings::discount>(
            "discount", "discount gamma",
            "Each later reward counts gamma times less: the return is sum_t gamma^t r_t.",
            {0.0, 1.0}),
        episode_field<&Settings::outcome>("outcome", "outcome rule",
                                          "A reward paid once, at the end, when the rule holds."),
        episode_field<&Settings::outcome_count>("outcome_count", "k",
                                                "How many marked tokens at_least asks for.",
                                                {1, limits::kMaxLength}),
        episode_field<&Settings::outcome_reward>(
            "outcome_reward", "pays", "What the outcome rule pays when it holds.", {-big, big}),
        episode_field<&Settings::outcome_else>(
            "outcome_else", "else", "What the outcome rule pays when it does not.", {-big, big}),
        episode_field<&EstimatorSettings::credit>(
            "credit", "credit",
            "What multiplies each token's score: the whole return, or the rewards from it on."),
        episode_field<&EstimatorSettings::critic_lr>(
            "critic_lr", "critic step",
            "How far the learned critic moves its value toward each sampled return (0 to 1).",
            {0.0, 1.0, true, false}),
    };
}();

inline constexpr auto kActionFields = [] {
    using namespace field_access;
    const double big = limits::kMaxRewardMagnitude;
    const double logit = limits::kMaxLogitMagnitude;
    ActionField name;
    name.key = "name";
    name.kind = FieldKind::kText;
    name.tooltip = "The action's name, as the plots and the This step panel show it.";
    name.get = &get_action_name;
    name.set = &set_action_name;
    name.extra_check = &check_action_name;
    ActionField reward;
    reward.key = "reward";
    reward.kind = FieldKind::kChoice;
    reward.tooltip =
        "Fixed pays the same every time; Gaussian adds noise; Bernoulli pays hi with probability "
        "p, else lo.";
    reward.choices = kChoiceTexts<RewardKind>;
    reward.get = &get_reward_kind;
    reward.set = &set_reward_kind;
    ActionField logit_field;
    logit_field.key = "logit";
    logit_field.tooltip = "Initial logit; the policy is the softmax of the logits.";
    logit_field.range = {-logit, logit};
    logit_field.get = &get_action_logit;
    logit_field.set = &set_action_logit;
    logit_field.extra_check = &check_action_logit;
    ActionField prob;
    prob.key = "prob";
    prob.tooltip =
        "Initial probability; the others are rescaled to keep the total at 1, and the runs start "
        "over from the new policy.";
    prob.range = {0.0, 1.0, true, true};
    prob.get = &get_action_prob;
    prob.set = &set_action_prob;
    ActionField marked;
    marked.key = "marked";
    marked.kind = FieldKind::kWhole;
    marked.tooltip = "1 for a token the outcome rule counts (correct, target or error), else 0.";
    marked.range = {0, 1};
    marked.get = &get_action_marked;
    marked.set = &set_action_marked;
    marked.episodes_only = true;
    const unsigned fixed = reward_bit(RewardKind::kFixed);
    const unsigned gaussian = reward_bit(RewardKind::kGaussian);
    const unsigned bernoulli = reward_bit(RewardKind::kBernoulli);
    return std::array{
        name,
        reward,
        reward_field<&RewardModel::value>("value", "The reward this action always pays.",
                                          {-big, big}, fixed),
        reward_field<&RewardModel::mean>("mean", "Mean reward.", {-big, big}, gaussian),
        reward_field<&RewardModel::sd>("sd", "Standard deviation of the reward noise.", {0.0, big},
                                       gaussian),
        reward_field<&RewardModel::p>("p", "Probability of paying hi.", {0.0, 1.0}, bernoulli),
        reward_field<&RewardModel::lo>("lo", "Reward on failure (lo).", {-big, big}, bernoulli),
        reward_field<&RewardModel::hi>("hi", "Reward on success (hi).", {-big, big}, bernoulli),
        logit_field,
        prob,
        marked,
    };
}();

namespace field_access {

consteval const ActionField& find_action_or_fail(std::string_view key) {
    for (const ActionField& f : kActionFields)
        if (f.key == key) return f;
    throw "no action field has this key";
}

consteval const SettingsField& find_or_fail(std::string_view key) {
    for (const SettingsField& f : kSettingsFields)
        if (f.key == key) return f;
    throw "no settings field has this key";
}

}  // namespace field_access

// The row for `key`, found at compile time: a key with no row does not compile.
consteval const SettingsField& field(std::string_view key) {
    return field_access::find_or_fail(key);
}

consteval const ActionField& action_field(std::string_view key) {
    return field_access::find_action_or_fail(key);
}

// The row for `key`; null when there is none.
const SettingsField* find_field(std::string_view key);
const ActionField* find_action_field(std::string_view key);

// Whether an action with this reward kind has the field.
bool action_has_field(const ActionField& f, RewardKind kind);
// "name, reward, value, ...": every action field's key, for messages.
std::string action_field_keys();

// The choices the field offers for these settings: a bandit's fewer where it has fewer.
std::span<const ChoiceText> offered_choices(const SettingsField& f, const Settings& s);

// The field's value in default-constructed settings.
FieldValue field_default(const SettingsField& f);

// "" when `value` is allowed for `f` in `s`; else "KEY: reason", KEY being `where` when given.
std::string check_field(const SettingsField& f, const Settings& s, const FieldValue& value,
                        std::string_view where = {});
std::string check_action_field(const ActionField& f, const Settings& s, std::size_t action,
                               const FieldValue& value, std::string_view where);

// The value --set's text gives, or the message (naming `where`, else the key) saying what the
// field takes. A kList takes comma-separated numbers.
std::string parse_field_text(const SettingsField& f, std::string_view text, FieldValue& out,
                             std::string_view where = {});
std::string parse_action_field_text(const ActionField& f, std::string_view text, FieldValue& out,
                                    std::string_view where);

// Text that parse_field_text reads back as `value` (numbers at round-trip precision).
std::string field_text(const FieldValue& value);

// What the field takes, in words: "a whole number from 1 to 65536", "one of none, constant, ...",
// "comma-separated numbers between -10000 and 10000".
std::string field_values_text(FieldKind kind, const FieldRange& range,
                              std::span<const ChoiceText> choices, std::string_view list_of = {});

// The range's message: "must be between 0 and 1", "must be greater than 0 and at most 1e+06", ...
std::string range_reason(const FieldRange& range, bool whole);

}  // namespace rl::core
