#include "io/cli.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <ostream>
#include <sstream>
#include <system_error>

#include "core/compare_settings.hpp"
#include "core/memory_limit.hpp"
#include "core/one_line.hpp"
#include "core/settings.hpp"
#include "core/settings_fields.hpp"
#include "io/atomic_file.hpp"
#include "io/headless.hpp"
#include "io/output_set.hpp"
#include "io/presets.hpp"
#include "io/session_file.hpp"
#include "io/settings_file.hpp"

namespace rl::io {

namespace {

constexpr const char* kProgram = "reinforce-lab";
// --help lists these apart; --headless refuses them rather than ignore them.
constexpr const char* kWindowGroup = "Window (not with --headless)";

// Errors are one line, so scripts and the tests can read them; CLI11 sometimes wraps, and a
// refusal may quote a hostile value of any length.
std::string printable(std::string text) {
    std::replace(text.begin(), text.end(), '\n', ' ');
    while (!text.empty() && text.back() == ' ')
        text.pop_back();
    return core::one_line(text);
}

}  // namespace

std::string settings_reference() {
    std::ostringstream out;
    const auto entry = [&out](std::string_view key, const std::string& values,
                              std::string_view tooltip) {
        constexpr std::size_t kKeyColumn = 18;
        out << "  " << key << std::string(kKeyColumn - std::min(key.size(), kKeyColumn - 1), ' ')
            << values << "\n"
            << std::string(kKeyColumn + 2, ' ') << tooltip << "\n";
    };
    out << "Settings (session-file keys, and --set KEY=VALUE):\n";
    for (const core::SettingsField& f : core::kSettingsFields) {
        std::string values = core::field_values_text(f.kind, f.range, f.choices, f.list_of);
        if (f.kind != core::FieldKind::kList) {
            const std::string given = core::field_text(core::field_default(f));
            values += "; default " + (given.empty() ? std::string("empty") : given);
        }
        if (!f.settable) values += " (files only)";
        if (!f.file_read) values += " (--set only)";
        if (f.file_read && !f.file_write) values += " (read, written as logits)";
        entry(f.key, values, f.tooltip);
    }
    out << "Each action's fields (--set action.<index or name>.KEY=VALUE; in a file, "
           "actions[i].KEY):\n";
    for (const core::ActionField& f : core::kActionFields) {
        std::string values = core::field_values_text(f.kind, f.range, f.choices);
        if (f.reward_kinds != 0) {
            std::string kinds;
            for (const core::Choice<core::RewardKind>& c : core::choices<core::RewardKind>()) {
                if (!core::action_has_field(f, c.value)) continue;
                if (!kinds.empty()) kinds += ", ";
                kinds += c.name;
            }
            values += " (" + kinds + " rewards)";
        }
        entry(f.key, values, f.tooltip);
    }
    return out.str();
}

const char* program_version() {
    return RL_VERSION;
}

void report_error(std::ostream& err, const std::string& message) {
    err << kProgram << ": " << printable(message) << "\n";
}

int usage_error(std::ostream& err, const std::string& message) {
    report_error(err, message);
    return kExitUsage;
}

int list_presets_command(std::ostream& out, std::ostream& err) {
    const AssetDir assets = find_asset_dir();
    const std::vector<PresetFile> presets = list_presets(assets);
    if (presets.empty()) {
        err << kProgram << ": no presets in " << (assets.path / "presets").string()
            << " (assets found via " << assets.origin << ")\n";
        return kExitFailure;
    }
    const std::vector<PresetFile> episodes = list_episode_presets(assets);
    std::size_t width = 0;
    for (const auto* list : {&presets, &episodes})
        for (const PresetFile& p : *list)
            width = std::max(width, p.name.size());
    int status = kExitOk;
    for (const auto* list : {&presets, &episodes}) {
        if (list == &episodes && !episodes.empty())
            out << "episodes (token sequences and tables; with --headless for now):\n";
        for (const PresetFile& p : *list) {
            const SettingsResult loaded = read_settings_file(p.path);
            out << p.name << std::string(width + 2 - p.name.size(), ' ');
            if (loaded) {
                out << loaded.settings->title << "\n";
            } else {
                out << "(cannot load: " << loaded.error << ")\n";
                status = kExitFailure;
            }
        }
    }
    return status;
}

namespace {

// The document the command line describes: a session file or a preset, then every --set in
// order. A --set changes the settings the run starts with, so a saved run's step and history no
// longer describe it and are dropped (the lesson stays).
std::optional<SessionFile> document_from_options(const CliOptions& options, std::ostream& err) {
    SessionFileResult loaded;
    if (!options.session_file.empty()) {
        loaded = read_session_file(options.session_file);
        if (!loaded) {
            usage_error(err, "--session: " + loaded.error);
            return std::nullopt;
        }
    } else {
        loaded = load_preset_file(find_asset_dir(), options.preset);
        if (!loaded) {
            usage_error(err, "--preset: " + loaded.error);
            return std::nullopt;
        }
    }
    SessionFile document = std::move(*loaded.document);
    if (const std::string error = apply_set_arguments(document, options.sets); !error.empty()) {
        usage_error(err, error);
        return std::nullopt;
    }
    return document;
}

// The window's plan: its arguments checked, the document ready.
std::optional<int> plan_window(CommandPlan& plan, std::ostream& err) {
    const CliOptions& options = plan.options;
    if (!options.out_dir.empty()) return usage_error(err, "--out: only with --headless");
    if (!options.window.screenshot.empty() &&
        std::filesystem::path(options.window.screenshot).extension() != ".png")
        return usage_error(
            err, "--screenshot " + options.window.screenshot + ": the file must end in .png");
    // The exports are asked for after the next-to-last frame and taken in the last.
    if (!options.window.export_dir.empty() && options.window.frames < 2)
        return usage_error(err, "--export: needs --frames 2 or more");
    std::optional<SessionFile> document = document_from_options(options, err);
    if (!document) return kExitUsage;
    if (options.window.lesson_step > static_cast<int>(document->lesson.steps.size()))
        return usage_error(err, "--lesson-step " + std::to_string(options.window.lesson_step) +
                                    ": the lesson has " +
                                    std::to_string(document->lesson.steps.size()) + " steps");
    if (!options.window.compare_sets.empty()) {
        const core::CompareSettings b =
            core::compare_settings(document->settings, options.window.compare_sets);
        if (!b.settings) return usage_error(err, "--compare " + b.error);
    }
    plan.document = std::move(*document);
    plan.window = options.window;
    plan.window.source =
        options.session_file.empty() ? "preset " + options.preset : options.session_file;
    plan.window.engine = options.engine;
    plan.window.threads = options.threads;
    plan.window.memory_limit = options.memory_limit;
    return std::nullopt;
}

// Creates the --out folder of a soak; returns a usage error's exit code when it cannot.
std::optional<int> prepare_out_dir(const std::string& dir, std::ostream& err) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return usage_error(err, "--out " + dir + ": cannot create: " + ec.message());
    if (!std::filesystem::is_directory(dir, ec))
        return usage_error(err, "--out " + dir + ": not a folder");
    if (const std::string error = check_folder_writable(dir); !error.empty())
        return usage_error(err, "--out " + error);
    return std::nullopt;
}

std::optional<int> plan_soak(const CliOptions& options, std::ostream& err) {
    if (options.svg || !options.session_file.empty() || !options.sets.empty())
        return usage_error(err,
                           "--soak: visits every preset with its own settings, so --svg, "
                           "--session and --set do not apply");
    if (options.out_dir.empty())
        return usage_error(err, "--out: required with --soak (the folder for soak.csv)");
    return prepare_out_dir(options.out_dir, err);
}

std::optional<int> plan_headless(CommandPlan& plan, std::ostream& err) {
    const CliOptions& options = plan.options;
    if (options.out_dir.empty())
        return usage_error(err, "--out: required with --headless (the folder for the CSV files)");
    std::optional<SessionFile> document = document_from_options(options, err);
    if (!document) return kExitUsage;
    // Refused before training: a class does not wait to learn that its folder holds other files.
    if (std::string error = OutputSet(options.out_dir, kHeadlessOutputNames).prepare();
        !error.empty()) {
        std::string line = "--out ";
        line += error;
        return usage_error(err, line);
    }
    plan.document = std::move(*document);
    return std::nullopt;
}

}  // namespace

std::string apply_set_arguments(SessionFile& document, const std::vector<std::string>& sets) {
    if (sets.empty()) return {};
    std::vector<std::pair<std::string, std::string>> changes;
    for (const std::string& assignment : sets) {
        const std::size_t eq = assignment.find('=');
        if (eq == std::string::npos) return "--set " + assignment + ": expected KEY=VALUE";
        changes.emplace_back(assignment.substr(0, eq), assignment.substr(eq + 1));
    }
    // Applied together, so --set baseline=rloo --set K=4 works in either order.
    std::size_t failed = 0;
    if (const std::string error = core::set_fields(document.settings, changes, &failed);
        !error.empty())
        return failed < changes.size() ? "--set " + sets[failed] + ": " + error : "--set: " + error;
    document.step = 0;
    document.history.clear();
    document.settings_step = 0;
    return {};
}

bool parse_window_size(const std::string& text, int& width, int& height) {
    const std::size_t x = text.find_first_of("xX");
    if (x == std::string::npos) return false;
    double w = 0.0, h = 0.0;
    if (!core::parse_number(text.substr(0, x), w) || !core::parse_number(text.substr(x + 1), h))
        return false;
    const auto in_range = [](double v) {
        return v == static_cast<int>(v) && v >= 64 && v <= 16384;
    };
    if (!in_range(w) || !in_range(h)) return false;
    width = static_cast<int>(w);
    height = static_cast<int>(h);
    return true;
}

std::optional<int> parse_cli(int argc, const char* const* argv, CliOptions& options,
                             std::ostream& out, std::ostream& err) {
    CLI::App app{
        "REINFORCE Lab: watch the REINFORCE policy-gradient estimator learn, and see why "
        "it is noisy.",
        kProgram};
    app.add_flag("--version", options.version, "Print the version and exit");
    app.add_flag("--headless", options.headless,
                 "Run the experiment without a window; writes summary.csv and snr.csv to --out");
    app.add_flag("--list-presets", options.list_presets, "List the lesson presets and exit");
    app.add_flag("--list-settings", options.list_settings,
                 "List every setting --set and session files take, with ranges and defaults");
    CLI::Option* preset = app.add_option("--preset", options.preset,
                                         "Lesson preset to start from (see --list-presets)")
                              ->type_name("NAME")
                              ->capture_default_str();
    app.add_option("--session", options.session_file, "Session file to load instead of a preset")
        ->type_name("FILE")
        ->excludes(preset);
    app.add_option("--set", options.sets,
                   "Change one setting, KEY=VALUE (session-file names; repeatable, applied in "
                   "order)")
        ->type_name("KEY=VALUE")
        ->allow_extra_args(false);
    app.add_flag("--svg", options.svg,
                 "With --headless: also draw the plots and write them to --out as SVG "
                 "(policy.svg, policy-now.svg, gradient.svg, reward.svg, snr.svg)");
    app.add_option("--out", options.out_dir, "Output folder for --headless (created if missing)")
        ->type_name("DIR");
    app.add_option("--engine", options.engine, "Compute engine")
        ->type_name("NAME")
        ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
        ->capture_default_str();
    app.add_option("--threads", options.threads, "CPU engine threads (0: every core)")
        ->type_name("N")
        ->check(CLI::Range(0, 4096))
        ->capture_default_str();
    CLI::Option* frames =
        app.add_option("--frames", options.window.frames,
                       "Run this many frames with training playing, then exit (window only)")
            ->type_name("N")
            ->check(CLI::Range(1, 1000000))
            ->group(kWindowGroup);
    app.add_flag("--free-running", options.window.free_running,
                 "With --frames: let the engine tick beside the window as in a live session, "
                 "instead of one tick per frame that the frame waits for")
        ->needs(frames)
        ->group(kWindowGroup);
    app.add_option("--screenshot", options.window.screenshot,
                   "With --frames: write a PNG of the window after the last frame")
        ->type_name("FILE.png")
        ->needs(frames)
        ->group(kWindowGroup);
    CLI::Option* export_dir =
        app.add_option("--export", options.window.export_dir,
                       "With --frames: after the last frame, export the window and every plot "
                       "(PNG, SVG, CSV) into this folder")
            ->type_name("DIR")
            ->needs(frames)
            ->group(kWindowGroup);
    app.add_option("--record", options.window.record_every,
                   "With --export: also save a PNG of the window every N frames, as File > "
                   "Record does")
        ->type_name("N")
        ->check(CLI::Range(1, 1000000))
        ->needs(export_dir)
        ->group(kWindowGroup);
    app.add_option("--save-session", options.window.save_session,
                   "With --frames: write the session (settings and step reached) to this file "
                   "after the last frame")
        ->type_name("FILE")
        ->needs(frames)
        ->group(kWindowGroup);
    app.add_option("--lesson-step", options.window.lesson_step,
                   "Open the lesson at this step (1 is the first), with its settings applied")
        ->type_name("N")
        ->check(CLI::Range(1, 1000))
        ->group(kWindowGroup);
    app.add_option("--compare", options.window.compare_sets,
                   "Compare mode: run a second configuration B beside A on the same problem and "
                   "seed, with this estimator setting changed, KEY=VALUE (K, lr, baseline, "
                   "baseline_b, running_mode, running_decay, kl_beta, kl_mode, entropy, clip; "
                   "repeatable; window only)")
        ->type_name("KEY=VALUE")
        ->allow_extra_args(false)
        ->group(kWindowGroup);
    app.add_flag("--presenter", options.window.presenter,
                 "Start in presenter mode: large type, light high-contrast theme (F5 toggles)")
        ->group(kWindowGroup);
    CLI::Option* soak =
        app.add_option("--soak", options.soak_minutes,
                       "With --headless: run for MINUTES (fractions allowed), cycling every preset "
                       "through the live session's settings, lessons, compare mode and saved "
                       "sessions; fails if resident memory grows 2% or more after the warm-up "
                       "(writes soak.csv to --out)")
            ->type_name("MINUTES");
    std::string memory_limit;
    app.add_option("--memory-limit", memory_limit,
                   "Refuse settings estimated to need more memory than SIZE (2G, 512M, bytes; "
                   "default: half this machine's memory)")
        ->type_name("SIZE");
    std::string size;
    app.add_option("--size", size, "Window size in pixels (default: the last size used)")
        ->type_name("WxH")
        ->group(kWindowGroup);

    try {
        app.parse(argc, argv);
        for (const CLI::Option* option : app.get_options())
            if (option->get_group() == kWindowGroup && option->count() > 0)
                options.window_options.push_back(option->get_name());
    } catch (const CLI::CallForHelp&) {
        out << app.help();
        return kExitOk;
    } catch (const CLI::CallForAllHelp&) {
        out << app.help("", CLI::AppFormatMode::All);
        return kExitOk;
    } catch (const CLI::ParseError& e) {
        return usage_error(err, e.what());
    }
    if (soak->count() > 0 &&
        !(options.soak_minutes > 0.0 && options.soak_minutes <= kMaxSoakMinutes))
        return usage_error(err, "--soak " + soak->as<std::string>() +
                                    ": minutes must be more than 0 and at most " +
                                    std::to_string(static_cast<int>(kMaxSoakMinutes)));
    if (!memory_limit.empty()) {
        const std::optional<std::uint64_t> bytes = core::parse_memory_size(memory_limit);
        if (!bytes)
            return usage_error(err, "--memory-limit " + memory_limit +
                                        ": expected a size above 0 such as 2G, 512M or 1048576");
        options.memory_limit = *bytes;
    }
    if (!size.empty() && !parse_window_size(size, options.window.width, options.window.height))
        return usage_error(err, "--size " + size + ": expected WxH, each from 64 to 16384");
    return std::nullopt;
}

std::variant<CommandPlan, int> plan_command(int argc, const char* const* argv, std::ostream& out,
                                            std::ostream& err) {
    CommandPlan plan;
    CliOptions& options = plan.options;
    if (std::optional<int> done = parse_cli(argc, argv, options, out, err)) return *done;
    using Mode = CommandPlan::Mode;
    std::optional<int> refused;
    if (options.version) {
        plan.mode = Mode::kVersion;
    } else if (options.list_presets) {
        plan.mode = Mode::kListPresets;
    } else if (options.list_settings) {
        plan.mode = Mode::kListSettings;
    } else if (!options.headless) {
        if (options.soak_minutes > 0.0) return usage_error(err, "--soak: only with --headless");
        if (options.svg) return usage_error(err, "--svg: only with --headless");
        plan.mode = Mode::kWindow;
        refused = plan_window(plan, err);
    } else if (!options.window.compare_sets.empty()) {
        return usage_error(err,
                           "--compare: only with the window (a headless run has one "
                           "configuration)");
    } else if (!options.window_options.empty()) {
        // Accepted and ignored, they would let a script believe it got a screenshot or a step.
        std::string names;
        for (const std::string& name : options.window_options)
            names += (names.empty() ? "" : ", ") + name;
        return usage_error(err, "--headless: " + names + ": only with the window");
    } else if (options.soak_minutes > 0.0) {
        plan.mode = Mode::kSoak;
        refused = plan_soak(options, err);
    } else {
        plan.mode = Mode::kHeadless;
        refused = plan_headless(plan, err);
    }
    if (refused) return *refused;
    return plan;
}

}  // namespace rl::io
