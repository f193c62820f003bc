#include "fuzz/fuzz_checks.hpp"

#include <charconv>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/choices.hpp"
#include "core/settings.hpp"
#include "io/cli.hpp"
#include "io/headless.hpp"
#include "io/presets.hpp"

namespace rl::fuzz {

namespace {

using io::SessionFile;

constexpr std::string_view kSource = "fuzz-input.json";

std::string text(const std::string& s) {
    return "'" + s + "'";
}
std::string text(double x) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, x);
    return std::string(buffer, result.ptr);
}
std::string text(int x) {
    return std::to_string(x);
}
std::string text(std::uint64_t x) {
    return std::to_string(x);
}
std::string text(bool x) {
    return x ? "true" : "false";
}
template <typename Enum>
requires std::is_enum_v<Enum> std::string text(Enum e) {
    return std::string(core::to_string(e));
}
std::string text(const std::vector<double>& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i > 0) out += ',';
        out += text(v[i]);
    }
    return out + "]";
}
std::string text(const std::optional<bool>& x) {
    return x ? text(*x) : "unset";
}
std::string text(const std::optional<double>& x) {
    return x ? text(*x) : "unset";
}
std::string text(const std::vector<int>& v) {
    std::string out;
    for (const int x : v)
        out += text(x) + " ";
    return out;
}
std::string text(const std::optional<core::VocabularySpec>& v) {
    return v ? "N=" + std::to_string(v->N) : "none";
}
std::string text(const std::vector<std::pair<std::string, std::string>>& set) {
    std::string out;
    for (const auto& [key, value] : set)
        out += key + "=" + value + " ";
    return out;
}

// Everything a table holds, as text, so two can be compared and the difference shown.
std::string table_text(const std::optional<core::EpisodeTableSpec>& t) {
    if (!t) return "none";
    // Appends only: GCC 12 warns falsely on "literal" + std::string.
    std::string out;
    const auto add = [&out](const std::string& part) {
        out += part;
        out += ' ';
    };
    for (const std::string& state : t->states)
        add(state);
    add(std::to_string(t->start));
    for (const std::uint32_t x : t->terminal)
        add(std::to_string(x));
    out += "| ";
    for (const std::uint32_t b : t->state_block)
        add(std::to_string(b));
    for (const core::TableTransition& m : t->transitions) {
        const core::RewardModel& r = m.reward;
        out += "; ";
        for (const std::uint32_t v : {m.state, m.action, m.next})
            add(std::to_string(v));
        add(text(r.kind));
        for (const double v : {m.prob, r.value, r.mean, r.sd, r.p, r.lo, r.hi})
            add(text(v));
    }
    return out;
}

// Keeps the first difference; the field name is built only when there is one.
class Differ {
  public:
    template <typename T>
    void operator()(const std::string& prefix, std::string_view field, const T& a, const T& b) {
        if (first.empty() && !(a == b))
            first = prefix + std::string(field) + ": " + text(a) + " vs " + text(b);
    }
    std::string first;
};

// Only the fields of the reward's kind mean anything (and only they are written).
bool same_reward(const core::RewardModel& a, const core::RewardModel& b) {
    if (a.kind != b.kind) return false;
    switch (a.kind) {
        case core::RewardKind::kFixed:
            return a.value == b.value;
        case core::RewardKind::kGaussian:
            return a.mean == b.mean && a.sd == b.sd;
        case core::RewardKind::kBernoulli:
            return a.p == b.p && a.lo == b.lo && a.hi == b.hi;
    }
    return false;
}

std::optional<core::VocabularySpec> written_vocabulary(const core::Settings& s) {
    const core::VocabularySpec* v = core::compact_vocabulary(s);
    return v ? std::optional(*v) : std::nullopt;
}

void compare_sessions(Differ& d, const std::string& prefix, const core::Settings& a,
                      const core::Settings& b) {
    d(prefix, "preset", a.preset, b.preset);
    d(prefix, "title", a.title, b.title);
    d(prefix, "description", a.description, b.description);
    d(prefix, "actions.size", static_cast<std::uint64_t>(a.actions.size()),
      static_cast<std::uint64_t>(b.actions.size()));
    for (std::size_t i = 0; i < a.actions.size() && i < b.actions.size(); ++i) {
        const core::ActionSpec& x = a.actions[i];
        const core::ActionSpec& y = b.actions[i];
        if (x.name == y.name && same_reward(x.reward, y.reward)) continue;
        const std::string at = prefix + "action." + std::to_string(i) + ".";
        d(at, "name", x.name, y.name);
        d(at, "reward", x.reward.kind, y.reward.kind);
        if (!same_reward(x.reward, y.reward) && d.first.empty())
            d.first = at + "reward: the " + text(x.reward.kind) + " reward's parameters differ";
    }
    d(prefix, "init_logits", a.init_logits, b.init_logits);
    d(prefix, "reference_logits", a.reference_logits, b.reference_logits);
    d(prefix, "parameterization", a.parameterization, b.parameterization);
    d(prefix, "arm_mean_sd", a.arm_mean_sd, b.arm_mean_sd);
    const core::EstimatorSettings& x = a.estimator;
    const core::EstimatorSettings& y = b.estimator;
    d(prefix, "K", x.K, y.K);
    d(prefix, "baseline", x.baseline, y.baseline);
    d(prefix, "baseline_b", x.constant_b, y.constant_b);
    d(prefix, "running_mode", x.running_mode, y.running_mode);
    d(prefix, "running_decay", x.running_decay, y.running_decay);
    d(prefix, "kl_beta", x.kl_beta, y.kl_beta);
    d(prefix, "kl_mode", x.kl_mode, y.kl_mode);
    d(prefix, "entropy", x.entropy, y.entropy);
    d(prefix, "clip", x.clip, y.clip);
    d(prefix, "lr", x.lr, y.lr);
    d(prefix, "runs", a.runs, b.runs);
    d(prefix, "steps", a.steps, b.steps);
    d(prefix, "M", a.M, b.M);
    d(prefix, "seed", a.seed, b.seed);
    // The remembered rule counts only while the actions still match it (it is what gets written).
    d(prefix, "vocabulary", written_vocabulary(a), written_vocabulary(b));
    d(prefix, "problem", a.problem, b.problem);
    d(prefix, "length", a.length, b.length);
    d(prefix, "policy_form", a.policy_form, b.policy_form);
    d(prefix, "discount", a.discount, b.discount);
    d(prefix, "outcome", a.outcome, b.outcome);
    d(prefix, "outcome_count", a.outcome_count, b.outcome_count);
    d(prefix, "outcome_reward", a.outcome_reward, b.outcome_reward);
    d(prefix, "outcome_else", a.outcome_else, b.outcome_else);
    d(prefix, "credit", x.credit, y.credit);
    d(prefix, "critic_lr", x.critic_lr, y.critic_lr);
    for (std::size_t i = 0; i < a.actions.size() && i < b.actions.size(); ++i) {
        const std::string at = prefix + "action." + std::to_string(i) + ".";
        d(at, "marked", a.actions[i].marked, b.actions[i].marked);
        const std::vector<core::PositionReward>& x = a.actions[i].by_position;
        const std::vector<core::PositionReward>& y = b.actions[i].by_position;
        d(at, "by_position.size", static_cast<std::uint64_t>(x.size()),
          static_cast<std::uint64_t>(y.size()));
        for (std::size_t j = 0; j < x.size() && j < y.size(); ++j) {
            d(at + "by_position.", "position", x[j].position, y[j].position);
            if (!same_reward(x[j].reward, y[j].reward) && d.first.empty())
                d.first = at + "by_position: a position's reward differs";
        }
    }
    d(prefix, "table", table_text(a.table), table_text(b.table));
}

// A refusal the user can act on: one line, naming the source (and after it, what is wrong).
std::string check_refusal(const std::string& error, std::string_view prefix) {
    if (error.empty()) return "refused without a message";
    if (!error.starts_with(prefix))
        return "the refusal does not start with '" + std::string(prefix) + "': " + error;
    if (error.size() == prefix.size()) return "the refusal gives no reason: " + error;
    if (error.find('\n') != std::string::npos) return "the refusal is not one line: " + error;
    return {};
}

bool valid_utf8(const std::string& s) {
    try {
        (void)nlohmann::json(s).dump();
        return true;
    } catch (const nlohmann::json::type_error&) {
        return false;
    }
}

// The writer replaces bytes that are not UTF-8 (on purpose: a name typed in the GUI must not stop
// a save); only then may the document read back differ, and only the first time.
bool strings_are_utf8(const core::Settings& s) {
    if (!valid_utf8(s.preset) || !valid_utf8(s.title) || !valid_utf8(s.description)) return false;
    for (const core::ActionSpec& a : s.actions)
        if (!valid_utf8(a.name)) return false;
    return true;
}

// What saving and opening again does to an accepted document.
std::string check_round_trip(const SessionFile& d, bool expect_same) {
    if (std::string e = io::check_session_file(d); !e.empty())
        return "an accepted document would not be saved: " + e;
    const std::string written = io::session_file_to_json_text(d);
    const io::SessionFileResult back = io::session_file_from_json_text(written, "written");
    if (!back) return "the written document does not read back: " + back.error;
    if (expect_same) {
        if (std::string diff = document_difference(d, *back.document); !diff.empty())
            return "the document read back differs: " + diff;
    }
    if (io::session_file_to_json_text(*back.document) != written)
        return "writing the document read back gives other text";
    return {};
}

std::vector<std::string_view> split_lines(std::string_view bytes) {
    std::vector<std::string_view> lines;
    while (true) {
        const std::size_t end = bytes.find('\n');
        lines.push_back(bytes.substr(0, end));
        if (end == std::string_view::npos) return lines;
        bytes.remove_prefix(end + 1);
    }
}

std::size_t pick_preset(std::string_view name, std::span<const SessionFile> presets) {
    std::size_t sum = 0;
    for (std::size_t i = 0; i < presets.size(); ++i)
        if (presets[i].settings.preset == name) return i;
    for (char c : name)
        sum += static_cast<unsigned char>(c);
    return sum % presets.size();
}

}  // namespace

std::string document_difference(const SessionFile& a, const SessionFile& b) {
    Differ d;
    compare_sessions(d, "session.", a.settings, b.settings);
    d("", "step", a.step, b.step);
    d("", "session_step", a.settings_step, b.settings_step);
    d("", "history.size", static_cast<std::uint64_t>(a.history.size()),
      static_cast<std::uint64_t>(b.history.size()));
    for (std::size_t i = 0; i < a.history.size() && i < b.history.size(); ++i) {
        const std::string at = "history[" + std::to_string(i) + "].";
        d(at, "step", a.history[i].step, b.history[i].step);
        compare_sessions(d, at, a.history[i].settings, b.history[i].settings);
    }
    d("", "lesson.size", static_cast<std::uint64_t>(a.lesson.steps.size()),
      static_cast<std::uint64_t>(b.lesson.steps.size()));
    for (std::size_t i = 0; i < a.lesson.steps.size() && i < b.lesson.steps.size(); ++i) {
        const io::LessonStep& x = a.lesson.steps[i];
        const io::LessonStep& y = b.lesson.steps[i];
        const std::string at = "lesson[" + std::to_string(i) + "].";
        d(at, "title", x.title, y.title);
        d(at, "text", x.text, y.text);
        d(at, "set", x.set, y.set);
        d(at, "reset", x.reset, y.reset);
        d(at, "play", x.play, y.play);
        d(at, "pace", x.pace, y.pace);
        d(at, "pause_at", x.pause_at, y.pause_at);
    }
    d("", "lesson_step", a.lesson_step, b.lesson_step);
    return d.first;
}

std::string check_document_input(std::string_view bytes) {
    const io::SessionFileResult result = io::session_file_from_json_text(bytes, kSource);
    if (!result) return check_refusal(result.error, std::string(kSource) + ": ");
    if (!result.error.empty()) return "accepted with an error: " + result.error;
    const SessionFile& d = *result.document;
    if (std::string e = core::validate(d.settings); !e.empty())
        return "accepted a session that does not validate: " + e;
    // Strings from JSON are UTF-8 already, so nothing may change on the way.
    return check_round_trip(d, true);
}

std::string check_set_input(std::string_view bytes, std::span<const SessionFile> presets) {
    if (presets.empty()) return "no presets to start from";
    const std::vector<std::string_view> lines = split_lines(bytes);
    const SessionFile& preset = presets[pick_preset(lines.front(), presets)];

    // argv cannot hold a NUL, so each argument ends at the first one. "--set=VALUE" keeps a
    // value that starts with '-' a value; CLI11 reads an empty "--set=" as "--set" with the
    // value still to come, so an empty value goes as its own argument.
    std::vector<std::string> args = {"reinforce-lab"};
    std::vector<std::string> values;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        values.emplace_back(lines[i].substr(0, lines[i].find('\0')));
        if (values.back().empty()) {
            args.insert(args.end(), {"--set", ""});
        } else {
            args.push_back("--set=" + values.back());
        }
    }
    std::vector<const char*> argv;
    for (const std::string& a : args)
        argv.push_back(a.c_str());
    io::CliOptions options;
    std::ostringstream out, err;
    if (const std::optional<int> stop =
            io::parse_cli(static_cast<int>(argv.size()), argv.data(), options, out, err)) {
        if (*stop != io::kExitUsage) return "the parser stopped with code " + std::to_string(*stop);
        std::string message = err.str();
        if (!message.empty() && message.back() == '\n') message.pop_back();
        return check_refusal(message, "reinforce-lab: ");
    }
    if (options.sets != values) return "the parser changed the --set values";

    SessionFile document = preset;
    const std::string error = io::apply_set_arguments(document, options.sets);
    if (!error.empty()) {
        if (std::string e = check_refusal(error, "--set"); !e.empty()) return e;
        if (std::string diff = document_difference(preset, document); !diff.empty())
            return "a refused --set changed the document: " + diff;
        return {};
    }
    if (std::string e = core::validate(document.settings); !e.empty())
        return "--set accepted a session that does not validate: " + e;
    if (!values.empty() && (document.step != 0 || !document.history.empty()))
        return "--set kept the saved step or history";
    // Saved as the app saves it: the run's settings; a lesson that no longer fits is left out.
    SessionFile saved;
    saved.settings = document.settings;
    return check_round_trip(saved, strings_are_utf8(saved.settings));
}

std::vector<SessionFile> set_input_presets() {
    // Saving a changed vocabulary writes every action: at 50 000 actions an input takes seconds
    // under the sanitizers. The document target reads vocabularies of every size instead.
    constexpr std::size_t kMaxActions = 1000;
    const io::AssetDir assets = io::find_asset_dir();
    std::vector<SessionFile> presets;
    for (const io::PresetFile& p : io::list_presets(assets)) {
        io::SessionFileResult loaded = io::load_preset_file(assets, p.name);
        if (loaded && loaded.document->settings.actions.size() <= kMaxActions)
            presets.push_back(std::move(*loaded.document));
    }
    return presets;
}

}  // namespace rl::fuzz
