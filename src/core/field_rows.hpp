#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/choices.hpp"
#include "core/settings.hpp"

// What one row of the settings tables is (core/settings_fields.hpp holds the tables): the kinds
// of value, ranges, widgets and choices a field can have, and the helpers that build a row from a
// member of Settings, so each row of the tables is one call.
namespace rl::core {

enum class FieldKind {
    kWhole,   // an int
    kNumber,  // a double
    kSeed,    // a 64-bit unsigned whole number
    kChoice,  // one of an enum's choices, by name
    kText,    // any text
    kList,    // numbers, one per action
};

// kWhole and kNumber hold a double, kSeed a std::uint64_t, kChoice (the choice's name) and kText a
// string, kList a vector.
using FieldValue = std::variant<double, std::uint64_t, std::string, std::vector<double>>;

// kWhole and kNumber: the allowed values; an open end excludes its bound.
struct FieldRange {
    double lo = 0.0, hi = 0.0;
    bool lo_open = false, hi_open = false;
};

// How the window edits a number: a box to type into, or a slider over [lo, hi] (a log scale for
// quantities that span decades). Ctrl+click on a slider types an exact value within [lo, hi].
struct FieldWidget {
    enum class Kind { kInput, kSlider, kLogSlider };
    Kind kind = Kind::kInput;
    double lo = 0.0, hi = 0.0;
};

// The names, labels and tooltips of a kChoice field's choices.
struct ChoiceText {
    std::string_view name, label, tooltip;
};

struct SettingsField {
    std::string_view key;
    FieldKind kind = FieldKind::kNumber;
    std::string_view label;    // in the window
    std::string_view tooltip;  // one sentence
    FieldRange range;
    std::span<const ChoiceText> choices;
    // The choices a bandit offers (the window's list for one), all of `choices` when the same.
    std::span<const ChoiceText> bandit_choices;
    FieldWidget widget;
    bool estimator = false;      // an EstimatorSettings field: compare mode's B may differ from A
    bool file_write = true;      // written to session files
    bool file_read = true;       // accepted in session files
    bool settable = true;        // accepted by --set and lesson steps
    bool episodes_only = false;  // written only when the problem is an episode
    // kList: an empty list means "none": it is not written, and --set KEY= (no text) gives it.
    bool skip_empty = false;
    // kList: what the text form holds, for messages ("numbers between -10000 and 10000").
    std::string_view list_of;
    FieldValue (*get)(const Settings&) = nullptr;
    // Writes a value that passed the checks.
    void (*set)(Settings&, const FieldValue&) = nullptr;
    // A check beyond the kind's and the range's (needs the rest of the settings); "" or the reason
    // without the key.
    std::string (*extra_check)(const Settings&, const FieldValue&) = nullptr;
};

// An action's fields, addressed as action.<index or name>.<key> by --set and as
// actions[i].<key> in files.
struct ActionField {
    std::string_view key;
    FieldKind kind = FieldKind::kNumber;
    std::string_view tooltip;
    FieldRange range;
    std::span<const ChoiceText> choices;
    // The reward kinds that read it (a bit per RewardKind); 0: every action has it.
    unsigned reward_kinds = 0;
    FieldValue (*get)(const Settings&, std::size_t action) = nullptr;
    void (*set)(Settings&, std::size_t action, const FieldValue&) = nullptr;
    std::string (*extra_check)(const Settings&, std::size_t action, const FieldValue&) = nullptr;
    bool episodes_only = false;  // written only when the problem is an episode
};

namespace field_access {

template <class C, class T>
C class_of(T C::*);

template <auto Member>
constexpr bool kIsEstimator = std::is_same_v<decltype(class_of(Member)), EstimatorSettings>;

template <auto Member>
constexpr auto& member_of(Settings& s) {
    if constexpr (kIsEstimator<Member>) {
        return s.estimator.*Member;
    } else {
        return s.*Member;
    }
}

template <auto Member>
constexpr const auto& member_of(const Settings& s) {
    if constexpr (kIsEstimator<Member>) {
        return s.estimator.*Member;
    } else {
        return s.*Member;
    }
}

template <auto Member>
using MemberType = std::remove_cvref_t<decltype(member_of<Member>(std::declval<Settings&>()))>;

template <auto Member>
FieldValue get(const Settings& s) {
    const auto& v = member_of<Member>(s);
    using T = MemberType<Member>;
    if constexpr (std::is_enum_v<T>) {
        return std::string(to_string(v));
    } else if constexpr (std::is_same_v<T, std::uint64_t> || std::is_same_v<T, std::string>) {
        return v;
    } else {
        return static_cast<double>(v);
    }
}

template <auto Member>
void set(Settings& s, const FieldValue& value) {
    auto& target = member_of<Member>(s);
    using T = MemberType<Member>;
    if constexpr (std::is_enum_v<T>) {
        parse_choice(std::get<std::string>(value), target);
    } else if constexpr (std::is_same_v<T, std::uint64_t> || std::is_same_v<T, std::string>) {
        target = std::get<T>(value);
    } else {
        target = static_cast<T>(std::get<double>(value));
    }
}

template <HasChoices Enum>
constexpr auto choice_texts() {
    constexpr auto& rows = choices<Enum>();
    std::array<ChoiceText, rows.size()> texts{};
    for (std::size_t i = 0; i < rows.size(); ++i)
        texts[i] = {rows[i].name, rows[i].label, rows[i].tooltip};
    return texts;
}

template <HasChoices Enum>
inline constexpr auto kChoiceTexts = choice_texts<Enum>();

// The choices a one-step problem offers (the window's lists for a bandit).
template <HasChoices Enum>
constexpr auto bandit_choice_texts() {
    std::array<ChoiceText, bandit_choice_count<Enum>()> texts{};
    std::size_t i = 0;
    for (const Choice<Enum>& c : choices<Enum>())
        if (offered_for_bandits(c.value)) texts[i++] = {c.name, c.label, c.tooltip};
    return texts;
}

template <HasChoices Enum>
inline constexpr auto kBanditChoiceTexts = bandit_choice_texts<Enum>();

template <auto Member>
constexpr FieldKind kind_of() {
    using T = MemberType<Member>;
    if constexpr (std::is_enum_v<T>) {
        return FieldKind::kChoice;
    } else if constexpr (std::is_same_v<T, std::string>) {
        return FieldKind::kText;
    } else if constexpr (std::is_same_v<T, std::uint64_t>) {
        return FieldKind::kSeed;
    } else if constexpr (std::is_same_v<T, int>) {
        return FieldKind::kWhole;
    } else {
        return FieldKind::kNumber;
    }
}

// A row for a plain member of Settings or EstimatorSettings: kind, choices, estimator and the
// accessors follow from the member.
template <auto Member>
constexpr SettingsField member_field(std::string_view key, std::string_view label,
                                     std::string_view tooltip, FieldRange range = {},
                                     FieldWidget widget = {}) {
    SettingsField f;
    f.key = key;
    f.kind = kind_of<Member>();
    f.label = label;
    f.tooltip = tooltip;
    f.range = range;
    f.widget = widget;
    f.estimator = kIsEstimator<Member>;
    f.get = &get<Member>;
    f.set = &set<Member>;
    if constexpr (std::is_enum_v<MemberType<Member>>) {
        f.choices = kChoiceTexts<MemberType<Member>>;
        f.bandit_choices = kBanditChoiceTexts<MemberType<Member>>;
    }
    return f;
}

// The rows that need more than a member: the parameterisation keeps the policy it describes, and
// the policies can be given as lists.
FieldValue get_parameterization(const Settings& s);
void set_parameterization_field(Settings& s, const FieldValue& v);
FieldValue get_init_logits(const Settings& s);
void set_init_logits(Settings& s, const FieldValue& v);
std::string check_init_logits(const Settings& s, const FieldValue& v);
FieldValue get_init_probs(const Settings& s);
void set_init_probs(Settings& s, const FieldValue& v);
FieldValue get_reference_logits(const Settings& s);
void set_reference_logits(Settings& s, const FieldValue& v);
std::string check_logit_list(const Settings& s, const FieldValue& v);
FieldValue get_reference_probs(const Settings& s);
void set_reference_probs(Settings& s, const FieldValue& v);
std::string check_probability_list(const Settings& s, const FieldValue& v);

constexpr SettingsField list_field(std::string_view key, std::string_view list_of,
                                   std::string_view tooltip, FieldValue (*get)(const Settings&),
                                   void (*set)(Settings&, const FieldValue&),
                                   std::string (*check)(const Settings&, const FieldValue&)) {
    SettingsField f;
    f.key = key;
    f.kind = FieldKind::kList;
    f.list_of = list_of;
    f.tooltip = tooltip;
    f.get = get;
    f.set = set;
    f.extra_check = check;
    return f;
}

constexpr FieldWidget slider(double lo, double hi) {
    return {FieldWidget::Kind::kSlider, lo, hi};
}
constexpr FieldWidget log_slider(double lo, double hi) {
    return {FieldWidget::Kind::kLogSlider, lo, hi};
}

}  // namespace field_access

namespace field_access {

constexpr unsigned reward_bit(RewardKind kind) {
    return 1u << static_cast<unsigned>(kind);
}

template <double RewardModel::*Member>
FieldValue get_reward(const Settings& s, std::size_t i) {
    return s.actions[i].reward.*Member;
}

template <double RewardModel::*Member>
void set_reward(Settings& s, std::size_t i, const FieldValue& v) {
    s.actions[i].reward.*Member = std::get<double>(v);
}

template <double RewardModel::*Member>
constexpr ActionField reward_field(std::string_view key, std::string_view tooltip, FieldRange range,
                                   unsigned kinds) {
    ActionField f;
    f.key = key;
    f.tooltip = tooltip;
    f.range = range;
    f.reward_kinds = kinds;
    f.get = &get_reward<Member>;
    f.set = &set_reward<Member>;
    return f;
}

FieldValue get_action_name(const Settings& s, std::size_t i);
void set_action_name(Settings& s, std::size_t i, const FieldValue& v);
std::string check_action_name(const Settings& s, std::size_t i, const FieldValue& v);
FieldValue get_reward_kind(const Settings& s, std::size_t i);
void set_reward_kind(Settings& s, std::size_t i, const FieldValue& v);
FieldValue get_action_logit(const Settings& s, std::size_t i);
void set_action_logit(Settings& s, std::size_t i, const FieldValue& v);
std::string check_action_logit(const Settings& s, std::size_t i, const FieldValue& v);
FieldValue get_action_prob(const Settings& s, std::size_t i);
void set_action_prob(Settings& s, std::size_t i, const FieldValue& v);
FieldValue get_action_marked(const Settings& s, std::size_t i);
void set_action_marked(Settings& s, std::size_t i, const FieldValue& v);

// A member row written only for episode problems.
template <auto Member>
constexpr SettingsField episode_field(std::string_view key, std::string_view label,
                                      std::string_view tooltip, FieldRange range = {}) {
    SettingsField f = member_field<Member>(key, label, tooltip, range);
    f.episodes_only = true;
    return f;
}

}  // namespace field_access

}  // namespace rl::core
