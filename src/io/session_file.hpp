#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/settings.hpp"

// Session documents (docs/SESSION.md, version 2): the settings, how far the runs got and the
// settings they ran under on the way, so that loading one reproduces the very same run; and the
// lesson a preset walks through.
namespace rl::io {

// Settings that took effect when `step` steps were done.
struct SettingsChange {
    int step = 0;
    core::Settings settings;
};

// The plots and the This step panel, as a lesson step names those it is about ("focus"): on
// a screen too small for all of them legibly, the window shows these large and the others a click
// away.
// Credit is an episode problem's own view and length a token sequence's (a lesson that names a
// view its problem lacks gets the default).
enum class LessonPlot { kPolicy, kGradient, kReward, kSnr, kStep, kCredit, kLength };
inline constexpr std::string_view kLessonPlotNames[] = {"policy", "gradient", "reward", "snr",
                                                        "step",   "credit",   "length"};
inline constexpr std::size_t kMaxLessonFocus = 2;

struct LessonStep {
    std::string title, text;
    // --set keys and values, applied in one go (rl::core::set_fields) on top of the earlier steps'.
    std::vector<std::pair<std::string, std::string>> set;
    bool reset = false;        // the runs start over when the step is shown
    std::optional<bool> play;  // play or pause when the step is shown; unset: leave it
    // Playing speed while the step is shown, as the speed slider sets it (1: a step batch every
    // frame); unset: the lesson pace, kLessonPace.
    std::optional<double> pace;
    // Steps at which playing pauses, ascending: where the text claims something "by step N".
    std::vector<int> pause_at;
    // The one or two plots the text talks about, most important first; empty: policy, gradient.
    std::vector<LessonPlot> focus;
};

// A pace a class can follow: at 60 frames a second, six steps a second.
inline constexpr double kLessonPace = 0.1;
inline constexpr double kMinLessonPace = 1e-3;

struct Lesson {
    std::vector<LessonStep> steps;
};

struct SessionFile {
    core::Settings settings;  // the current settings (the file's top-level fields)
    int step = 0;             // steps done when saved
    // Earlier settings, oldest first; history[0].step is 0. Empty: `session` ran from step 0.
    std::vector<SettingsChange> history;
    // Steps done when `session` took effect: after the last history entry's step, at most
    // `step`; 0 when the history is empty.
    int settings_step = 0;
    Lesson lesson;
    int lesson_step = -1;  // the lesson step shown; -1: none
};

// Larger files are refused before they are parsed (and not even read past this size): a session
// file of the largest bandit (262,144 named actions) with a few history entries fits.
inline constexpr std::size_t kMaxSessionFileBytes = std::size_t{64} << 20;

struct SessionFileResult {
    std::optional<SessionFile> document;
    std::string error;  // "SOURCE: field: reason" on one line

    explicit operator bool() const { return document.has_value(); }
};

// Reads version 1 (settings, and a lesson for the presets) and version 2. Strict: anything the
// format does not define, or a document check_session_file refuses, gives an error and no document.
// `source` names the text in messages (a path or a preset name).
SessionFileResult session_file_from_json_text(std::string_view text, std::string_view source);
SessionFileResult read_session_file(const std::filesystem::path& path);

// Replaces `target` only when the file is valid; returns the error otherwise (empty on success).
std::string load_session_file(const std::filesystem::path& path, SessionFile& target);

// Always version 2; every double at full round-trip precision.
std::string session_file_to_json_text(const SessionFile& document);
// Refuses a document that check_session_file refuses (so every saved file loads back), then writes
// atomically. Returns "" on success, else a message naming the path.
std::string write_session_file(const std::filesystem::path& path, const SessionFile& document);

// "" when the document is consistent: valid settings, steps in order, a lesson whose every step
// applies to the first settings, lesson_step in range. Else "field: reason", with the field named
// as in the file (history[1].until_step, lesson[2].set.K).
std::string check_session_file(const SessionFile& document);

// The settings lesson step `index` asks for: steps 0..index applied in order to `base`, each
// step's `set` as --set would. On error `out` is unchanged and the message names the key
// ("lesson[i].set.KEY: reason").
std::string lesson_settings(const core::Settings& base, const Lesson& lesson, int index,
                            core::Settings& out);

}  // namespace rl::io
