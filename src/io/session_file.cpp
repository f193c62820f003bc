#include "io/session_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "core/one_line.hpp"
#include "core/settings_fields.hpp"
#include "io/atomic_file.hpp"
#include "io/settings_file.hpp"
#include "io/settings_json.hpp"
#include "io/strict_json.hpp"

namespace rl::io {

namespace {

using json::fail;
using json::FieldError;
using json::Json;
using json::string_of;
using json::type_name;

constexpr int kOldestVersion = 1;
// Keys of the document around its settings; version 1 files (the presets) may have a lesson.
constexpr std::string_view kDocumentKeys[] = {"version", "step", "history", "lesson",
                                              "lesson_step"};
constexpr std::string_view kVersion2Keys[] = {"step", "history", "lesson_step"};
constexpr std::string_view kLessonStepKeys[] = {"title", "text", "set",      "reset",
                                                "play",  "pace", "pause_at", "focus"};

std::string indexed(std::string_view list, std::size_t i) {
    return std::string(list) + "[" + std::to_string(i) + "]";
}

int whole_number(const Json& v, const std::string& field, int lo, int hi) {
    if (!v.is_number()) fail(field, "must be a number, got " + type_name(v));
    const double x = v.get<double>();
    if (x != std::floor(x) || x < lo || x > hi)
        fail(field,
             "must be a whole number between " + std::to_string(lo) + " and " + std::to_string(hi));
    return static_cast<int>(x);
}

bool flag(const Json& v, const std::string& field) {
    if (!v.is_boolean()) fail(field, "must be true or false, got " + type_name(v));
    return v.get<bool>();
}

// The file stores when each history entry ended; memory stores when each began, as the live
// timeline does. Entry i ends where entry i+1 (or the current settings) begins.
std::vector<int> until_steps(const SessionFile& d) {
    std::vector<int> until;
    for (std::size_t i = 0; i < d.history.size(); ++i)
        until.push_back(i + 1 < d.history.size() ? d.history[i + 1].step : d.settings_step);
    return until;
}

void check_steps(const SessionFile& d) {
    if (d.step < 0) fail("step", "must be a whole number between 0 and " + std::to_string(INT_MAX));
    if (d.history.empty()) {
        if (d.settings_step != 0) fail("history", "is empty, so the settings ran from step 0");
        return;
    }
    if (d.history.front().step != 0) fail("history[0]", "must begin at step 0");
    const std::vector<int> until = until_steps(d);
    for (std::size_t i = 0; i < until.size(); ++i) {
        const std::string field = indexed("history", i) + ".until_step";
        // Equal steps would be settings that never ran a step: the timeline does not make those.
        if (i == 0 && until[i] <= 0) fail(field, "must be greater than 0");
        if (i > 0 && until[i] <= until[i - 1])
            fail(field, "must be greater than " + indexed("history", i - 1) + ".until_step (" +
                            std::to_string(until[i - 1]) + ")");
        if (until[i] > d.step) fail(field, "must be at most step (" + std::to_string(d.step) + ")");
    }
}

void check(const SessionFile& d) {
    if (std::string e = core::validate(d.settings); !e.empty()) throw FieldError{{}, e};
    for (std::size_t i = 0; i < d.history.size(); ++i) {
        if (std::string e = core::validate(d.history[i].settings); !e.empty())
            throw json::nested(indexed("history", i) + ".settings", FieldError{{}, e});
    }
    check_steps(d);
    const std::size_t n = d.lesson.steps.size();
    if (n > 0) {
        // The lesson starts from the settings the runs started with; for a preset, its own.
        const core::Settings& base = d.history.empty() ? d.settings : d.history.front().settings;
        core::Settings last;
        if (std::string e = lesson_settings(base, d.lesson, static_cast<int>(n) - 1, last);
            !e.empty())
            throw FieldError{{}, e};
    }
    if (d.lesson_step < -1 || d.lesson_step >= static_cast<int>(n))
        fail("lesson_step", n == 0 ? "must be -1 (there is no lesson)"
                                   : "must be between -1 and " + std::to_string(n - 1) +
                                         " (the lesson has " + std::to_string(n) + " steps)");
}

double lesson_pace(const Json& v, const std::string& field) {
    if (!v.is_number()) fail(field, "must be a number, got " + type_name(v));
    const double pace = v.get<double>();
    if (!(pace >= kMinLessonPace && pace <= 1.0)) fail(field, "must be between 0.001 and 1");
    return pace;
}

std::vector<int> pause_steps(const Json& v, const std::string& field) {
    if (!v.is_array()) fail(field, "must be a list of steps, got " + type_name(v));
    std::vector<int> steps;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const std::string at = field + "[" + std::to_string(i) + "]";
        steps.push_back(whole_number(v[i], at, 1, INT_MAX));
        if (i > 0 && steps[i] <= steps[i - 1])
            fail(at,
                 "must be greater than the step before it (" + std::to_string(steps[i - 1]) + ")");
    }
    return steps;
}

std::vector<LessonPlot> focus_plots(const Json& v, const std::string& field) {
    if (!v.is_array()) fail(field, "must be a list of plot names, got " + type_name(v));
    if (v.empty() || v.size() > kMaxLessonFocus) fail(field, "must name one or two plots");
    std::vector<LessonPlot> plots;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const std::string at = field + "[" + std::to_string(i) + "]";
        const std::string name = string_of(v[i], at);
        const auto* it = std::find(std::begin(kLessonPlotNames), std::end(kLessonPlotNames), name);
        if (it == std::end(kLessonPlotNames)) {
            std::string names;
            for (std::size_t k = 0; k < std::size(kLessonPlotNames); ++k) {
                names += k == 0 ? "" : k + 1 == std::size(kLessonPlotNames) ? " or " : ", ";
                names += kLessonPlotNames[k];
            }
            fail(at, "must be " + names);
        }
        const auto plot = static_cast<LessonPlot>(it - std::begin(kLessonPlotNames));
        if (std::find(plots.begin(), plots.end(), plot) != plots.end())
            fail(at, "names " + name + " twice");
        plots.push_back(plot);
    }
    return plots;
}

LessonStep read_lesson_step(const Json& j, const std::string& where) {
    if (!j.is_object()) fail(where, "must be an object, got " + type_name(j));
    for (const auto& [key, value] : j.items()) {
        if (std::find(std::begin(kLessonStepKeys), std::end(kLessonStepKeys), key) ==
            std::end(kLessonStepKeys))
            fail(where + "." + key,
                 "unknown key (expected title, text, set, reset, play, pace, pause_at or focus)");
    }
    LessonStep step;
    if (j.contains("title")) step.title = string_of(j["title"], where + ".title");
    if (!j.contains("text")) fail(where + ".text", "missing");
    step.text = string_of(j["text"], where + ".text");
    if (j.contains("set")) {
        const Json& set = j["set"];
        if (!set.is_object()) fail(where + ".set", "must be an object, got " + type_name(set));
        for (const auto& [key, value] : set.items()) {
            const std::string field = where + ".set." + key;
            if (value.is_string()) {
                step.set.emplace_back(key, value.get<std::string>());
            } else if (value.is_number()) {
                step.set.emplace_back(key, json::number_text(value));
            } else {
                fail(field, "must be a string or a number, got " + type_name(value));
            }
        }
    }
    if (j.contains("reset")) step.reset = flag(j["reset"], where + ".reset");
    if (j.contains("play")) step.play = flag(j["play"], where + ".play");
    if (j.contains("pace")) step.pace = lesson_pace(j["pace"], where + ".pace");
    if (j.contains("pause_at")) step.pause_at = pause_steps(j["pause_at"], where + ".pause_at");
    if (j.contains("focus")) step.focus = focus_plots(j["focus"], where + ".focus");
    return step;
}

void read_history(const Json& j, SessionFile& d) {
    if (!j.is_array()) fail("history", "must be a list, got " + type_name(j));
    std::vector<int> until;
    for (std::size_t i = 0; i < j.size(); ++i) {
        const std::string where = indexed("history", i);
        const Json& entry = j[i];
        if (!entry.is_object()) fail(where, "must be an object, got " + type_name(entry));
        for (const auto& [key, value] : entry.items()) {
            if (key != "until_step" && key != "settings")
                fail(where + "." + key, "unknown key (expected until_step and settings)");
        }
        if (!entry.contains("until_step")) fail(where + ".until_step", "missing");
        if (!entry.contains("settings")) fail(where + ".settings", "missing");
        until.push_back(whole_number(entry["until_step"], where + ".until_step", 0, INT_MAX));
        const Json& settings = entry["settings"];
        if (!settings.is_object())
            fail(where + ".settings", "must be an object, got " + type_name(settings));
        try {
            d.history.push_back(
                {i == 0 ? 0 : until[i - 1], json::settings_from_json(settings, {})});
        } catch (const FieldError& e) {
            throw json::nested(where + ".settings", e);
        }
    }
    if (!until.empty()) d.settings_step = until.back();
}

SessionFile session_file_from_json(const Json& j) {
    if (!j.is_object()) fail("session", "must be a JSON object, got " + type_name(j));
    // The version first: a newer file's new keys are better explained by its version.
    const std::string readable = "(this build reads versions 1 to 3)";
    if (!j.contains("version")) fail("version", "missing " + readable);
    const Json& version = j["version"];
    if (!version.is_number_integer() || version.get<std::int64_t>() < kOldestVersion ||
        version.get<std::int64_t>() > kSessionFormatVersion)
        fail("version", "unsupported " + version.dump() + " " + readable);
    if (version.get<std::int64_t>() == 1) {
        for (std::string_view key : kVersion2Keys)
            if (j.contains(key)) fail(std::string(key), "needs version 2");
    }
    // Episodes came with version 3: an older file naming them was not written by a build that
    // knew what they mean.
    if (version.get<std::int64_t>() < 3) {
        for (const core::SettingsField& f : core::kSettingsFields)
            if ((f.episodes_only || f.key == "problem") && j.contains(std::string(f.key)))
                fail(std::string(f.key), "needs version 3");
        if (j.contains("table")) fail("table", "needs version 3");
    }

    SessionFile d;
    d.settings = json::settings_from_json(j, kDocumentKeys);
    if (j.contains("step")) d.step = whole_number(j["step"], "step", 0, INT_MAX);
    if (j.contains("history")) read_history(j["history"], d);
    if (j.contains("lesson")) {
        const Json& lesson = j["lesson"];
        if (!lesson.is_array()) fail("lesson", "must be a list, got " + type_name(lesson));
        for (std::size_t i = 0; i < lesson.size(); ++i)
            d.lesson.steps.push_back(read_lesson_step(lesson[i], indexed("lesson", i)));
    }
    if (j.contains("lesson_step"))
        d.lesson_step = whole_number(j["lesson_step"], "lesson_step", -1, INT_MAX);
    check(d);
    return d;
}

// Messages quote the file's keys and values, which may hold any character and any length.
std::string message(const FieldError& e) {
    return core::one_line(e.field.empty() ? e.reason : e.field + ": " + e.reason);
}

// A set value goes back as a JSON number only when it reads back as the very same text, so that
// a name such as "007" stays text.
Json set_value(const std::string& value) {
    const Json number = Json::parse(value, nullptr, false);
    if (number.is_number() && json::number_text(number) == value) return number;
    return value;
}

Json lesson_to_json(const Lesson& lesson) {
    Json steps = Json::array();
    for (const LessonStep& step : lesson.steps) {
        Json j;
        j["title"] = step.title;
        j["text"] = step.text;
        if (!step.set.empty()) {
            Json set = Json::object();
            for (const auto& [key, value] : step.set)
                set[key] = set_value(value);
            j["set"] = std::move(set);
        }
        if (step.reset) j["reset"] = true;
        if (step.play) j["play"] = *step.play;
        if (step.pace) j["pace"] = *step.pace;
        if (!step.pause_at.empty()) j["pause_at"] = step.pause_at;
        if (!step.focus.empty()) {
            Json focus = Json::array();
            for (LessonPlot p : step.focus)
                focus.push_back(kLessonPlotNames[static_cast<std::size_t>(p)]);
            j["focus"] = std::move(focus);
        }
        steps.push_back(std::move(j));
    }
    return steps;
}

std::string too_large(std::string_view source) {
    return std::string(source) + ": refused: larger than " +
           std::to_string(kMaxSessionFileBytes >> 20) + " MiB (a session file is far smaller)";
}

// Reads at most one byte past the limit, so /dev/zero or a huge file is refused, not read whole;
// and only a regular file, so a FIFO without a writer cannot stall the window.
std::string read_text(const std::filesystem::path& path, std::string& out) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return path.string() + ": cannot read: " + std::strerror(errno);
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        return path.string() + ": cannot read: " +
               (S_ISDIR(info.st_mode) ? std::strerror(EISDIR) : "not a regular file");
    }
    char buffer[1 << 16];
    while (out.size() <= kMaxSessionFileBytes) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int error = errno;
            ::close(fd);
            return path.string() + ": cannot read: " + std::strerror(error);
        }
        if (n == 0) break;
        out.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    if (out.size() > kMaxSessionFileBytes) return too_large(path.string());
    return {};
}

}  // namespace

SessionFileResult session_file_from_json_text(std::string_view text, std::string_view source) {
    if (std::all_of(text.begin(), text.end(),
                    [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }))
        return {std::nullopt, std::string(source) + ": the file is empty"};
    if (text.size() > kMaxSessionFileBytes) return {std::nullopt, too_large(source)};
    Json j;
    if (std::string error = json::parse_strict(text, j); !error.empty())
        return {std::nullopt, std::string(source) + ": " + core::one_line(error)};
    try {
        return {session_file_from_json(j), {}};
    } catch (const FieldError& e) {
        return {std::nullopt, std::string(source) + ": " + message(e)};
    }
}

SessionFileResult read_session_file(const std::filesystem::path& path) {
    std::string contents;
    if (std::string error = read_text(path, contents); !error.empty())
        return {std::nullopt, std::move(error)};
    return session_file_from_json_text(contents, path.string());
}

std::string load_session_file(const std::filesystem::path& path, SessionFile& target) {
    SessionFileResult result = read_session_file(path);
    if (!result) return result.error;
    target = std::move(*result.document);
    return {};
}

std::string session_file_to_json_text(const SessionFile& d) {
    Json j;
    j["version"] = kSessionFormatVersion;
    Json settings = json::settings_to_json(d.settings);
    for (auto& [key, value] : settings.items())
        j[key] = std::move(value);
    j["step"] = d.step;
    if (!d.history.empty()) {
        const std::vector<int> until = until_steps(d);
        Json history = Json::array();
        for (std::size_t i = 0; i < d.history.size(); ++i)
            history.push_back({{"until_step", until[i]},
                               {"settings", json::settings_to_json(d.history[i].settings)}});
        j["history"] = std::move(history);
    }
    if (!d.lesson.steps.empty()) j["lesson"] = lesson_to_json(d.lesson);
    if (d.lesson_step != -1) j["lesson_step"] = d.lesson_step;
    // Names typed in the GUI may not be valid UTF-8; replace bad bytes rather than refuse to save.
    return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string write_session_file(const std::filesystem::path& path, const SessionFile& d) {
    if (std::string e = check_session_file(d); !e.empty())
        return path.string() + ": not saved, it would not load back: " + e;
    const std::string text = session_file_to_json_text(d);
    // A file this program could not read back is not saved; the session stays in memory.
    if (text.size() > kMaxSessionFileBytes)
        return path.string() + ": not saved: it would be " + std::to_string(text.size() >> 20) +
               " MiB, over the " + std::to_string(kMaxSessionFileBytes >> 20) +
               " MiB a session file may have (fewer actions or a vocabulary would fit)";
    return write_file_atomically(path, text);
}

std::string check_session_file(const SessionFile& d) {
    try {
        check(d);
    } catch (const FieldError& e) {
        return message(e);
    }
    return {};
}

std::string lesson_settings(const core::Settings& base, const Lesson& lesson, int index,
                            core::Settings& out) {
    const int n = static_cast<int>(lesson.steps.size());
    if (index < 0 || index >= n)
        return "lesson_step: " + std::to_string(index) + " is not a step of this lesson (it has " +
               std::to_string(n) + ")";
    core::Settings s = base;
    for (int i = 0; i <= index; ++i) {
        // set_fields' messages start with the key (or the field a combination breaks).
        if (std::string e = core::set_fields(s, lesson.steps[static_cast<std::size_t>(i)].set);
            !e.empty())
            return indexed("lesson", static_cast<std::size_t>(i)) + ".set." + e;
    }
    out = std::move(s);
    return {};
}

}  // namespace rl::io
