#include "soak/soak.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <ostream>
#include <span>
#include <stdexcept>
#include <utility>

#include "app/views/headless_plots.hpp"
#include "control/lab.hpp"
#include "core/allocation.hpp"
#include "core/choices.hpp"
#include "core/compare_settings.hpp"
#include "core/settings_fields.hpp"
#include "io/atomic_file.hpp"
#include "io/csv.hpp"
#include "io/headless.hpp"
#include "io/presets.hpp"
#include "io/session_file.hpp"
#include "live/resident_memory.hpp"
#include "plot/svg_export.hpp"

namespace rl::soak {

namespace {

using Clock = std::chrono::steady_clock;

constexpr double kSampleInterval = 1.0;  // seconds
constexpr double kWarmupShare = 0.2;
// The warm-up's cycle, one to measure just after it and one at the end.
constexpr int kMinCycles = 3;

struct Sample {
    MemorySample memory;
    int cycle = 0;
    int preset = 0;  // index into the report's presets
};

std::string megabytes(double bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MB", bytes / 1e6);
    return text;
}

std::string percent(double share) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f%%", 100.0 * share);
    return text;
}

class Soak {
  public:
    Soak(const SoakOptions& options, std::ostream& out) : m_options(options), m_out(out) {
        const io::AssetDir assets = io::find_asset_dir();
        for (const io::PresetFile& p : io::list_presets(assets))
            m_report.presets.push_back(p.name);
        if (m_report.presets.empty())
            throw std::invalid_argument("no presets in " + (assets.path / "presets").string());
        m_duration = std::max(0.0, options.minutes) * 60.0;
        // Every sample is kept, so the vector is sized once rather than growing while measured.
        m_samples.reserve(static_cast<std::size_t>(m_duration / kSampleInterval) + 4096);
        m_session_file = std::filesystem::temp_directory_path() /
                         ("reinforce-lab-soak-" + std::to_string(getpid()) + ".json");
    }

    SoakReport run() {
        m_start = Clock::now();
        sample(true);
        m_report.start_bytes = m_samples.front().memory.bytes;
        m_lab = std::make_unique<control::Lab>(first_settings(), m_options.live);
        for (;;) {
            for (std::size_t i = 0; i < m_report.presets.size(); ++i) {
                m_preset = static_cast<int>(i);
                visit(m_report.presets[i]);
            }
            ++m_report.cycles;
            ++m_cycle;
            const double now = elapsed();
            m_longest_cycle = std::max(m_longest_cycle, now - m_cycle_start);
            m_cycle_start = now;
            if (m_report.cycles == 1) m_first_cycle_end = now;
            m_out << "soak: cycle " << m_report.cycles << " done at "
                  << static_cast<long long>(elapsed()) << " s, resident "
                  << megabytes(m_samples.back().memory.bytes) << std::endl;
            if (elapsed() >= m_duration && m_report.cycles >= kMinCycles) break;
        }
        // The last sample belongs to the last cycle, taken before the session goes (closing it
        // frees what a running session holds, which the window never does while in use).
        --m_cycle;
        sample(true);
        m_lab.reset();
        std::error_code ec;
        std::filesystem::remove(m_session_file, ec);
        finish();
        return std::move(m_report);
    }

  private:
    double elapsed() const { return std::chrono::duration<double>(Clock::now() - m_start).count(); }

    void sample(bool now) {
        const double t = elapsed();
        if (!now && t < m_next_sample) return;
        const std::optional<std::size_t> bytes = live::resident_bytes();
        if (!bytes) throw std::runtime_error("cannot read resident memory from /proc/self/statm");
        m_samples.push_back({{t, static_cast<double>(*bytes)}, m_cycle, m_preset});
        m_next_sample = std::max(m_next_sample + kSampleInterval, t + 0.5 * kSampleInterval);
    }

    core::Settings first_settings() {
        const io::SessionFileResult loaded =
            io::load_preset_file(io::find_asset_dir(), m_report.presets.front());
        if (!loaded) throw std::invalid_argument(loaded.error);
        return loaded.document->settings;
    }

    void problem(std::string text) {
        m_out << "soak: problem: " << text << "\n";
        m_report.problems.push_back(std::move(text));
    }

    // Single frames, as the window runs them: both runners ticked in step, messages taken.
    void frames(int count) {
        for (int i = 0; i < count; ++i) {
            m_lab->transport().tick(true);
            m_report.ticks += m_lab->comparing() ? 2 : 1;
            for (const live::Message& m : m_lab->take_messages())
                if (m.level == live::Level::kError) ++m_report.engine_errors;
            sample(false);
        }
    }

    // Plays frames for `phases` times phase_seconds, at least one. Timed rather than counted, so
    // every cycle spends its time alike among the presets (a frame at vocabulary scale takes a
    // hundred times longer than a small preset's) and the memory medians compare like with like.
    void play(int phases) {
        const double until = elapsed() + phases * m_options.phase_seconds;
        do {
            frames(1);
        } while (elapsed() < until);
    }

    void check(const std::string& what, const std::string& error) {
        if (!error.empty()) problem(m_name + ": " + what + ": " + error);
    }

    // A control edit, as a panel's widget makes it: the settings with one field set through its
    // row, then applied.
    void edit(const std::string& key, const std::string& value) {
        core::Settings draft = m_lab->settings();
        std::string error = core::set_field(draft, key, value);
        if (error.empty()) error = m_lab->apply(draft);
        check(key + "=" + value + " refused", error);
        play(1);
    }

    void visit(const std::string& name) {
        m_name = name;
        const io::SessionFileResult loaded = io::load_preset_file(io::find_asset_dir(), name);
        if (!loaded) {
            problem(loaded.error);
            return;
        }
        const core::Settings base = loaded.document->settings;
        if (const std::string error = m_lab->load_preset(name); !error.empty()) {
            problem(error);
            return;
        }
        if (std::find(m_report.visited.begin(), m_report.visited.end(), name) ==
            m_report.visited.end())
            m_report.visited.push_back(name);
        m_lab->transport().set_pace({1, 1.0});
        play(4);
        edit_settings(base);
        transport();
        lesson();
        compare();
        save_and_load();
        if (m_options.draw_plots && m_preset % std::max(1, m_options.draw_every) == 0)
            m_report.plot_draws += m_options.draw_plots(*m_lab->results_a());
    }

    // Each edit relative to the preset, so a large preset never gets larger than itself.
    void edit_settings(const core::Settings& base) {
        const int K = base.estimator.K;
        edit("K", std::to_string(std::min(core::limits::kMaxK, 2 * K)));
        edit("K", std::to_string(std::max(2, K)));
        for (const core::BaselineKind kind : core::kBanditBaselines)
            edit("baseline", std::string(core::to_string(kind)));
        edit("lr", core::field_text(core::FieldValue{0.5 * base.estimator.lr}));
        edit("entropy", "0.01");
        edit("runs", std::to_string(std::max(1, base.runs / 2)));
        edit("M", std::to_string(std::max(core::limits::kMinM, base.M / 2)));
        // Back to the preset's own settings, as a teacher undoing the edits would.
        check("preset settings refused", m_lab->apply(base));
        play(1);
    }

    void transport() {
        control::Transport& t = m_lab->transport();
        t.set_playing(false);
        for (int i = 0; i < 3; ++i) {
            t.step();
            frames(1);
        }
        t.reset();
        t.set_pace({4, 1.0});
        t.set_playing(true);
        play(2);
        t.set_pace({1, 0.5});  // slow motion
        play(2);
        t.set_pace({1, 1.0});
    }

    // Back and forth through the guided lesson, as the Back/Next strip shows its steps.
    void lesson() {
        const int count = m_lab->lesson().step_count();
        for (int i = 0; i < count; ++i) {
            check("lesson step " + std::to_string(i + 1), m_lab->show_lesson_step(i));
            play(1);
        }
    }

    // Compare mode on and off: B beside A on the same problem, both from step 0.
    void compare() {
        if (const std::string error = m_lab->compare_on_default(); !error.empty()) {
            problem(m_name + ": " + error);
            return;
        }
        m_lab->transport().set_playing(true);
        play(4);
        m_lab->compare_off();
    }

    // File > Save, then File > Open of the same file, as a teacher resuming the class would.
    void save_and_load() {
        m_lab->transport().set_playing(false);
        frames(1);
        const io::SessionFile saved = m_lab->session_file();
        if (const std::string error = m_lab->save(m_session_file); !error.empty()) {
            problem(m_name + ": save: " + error);
            return;
        }
        const io::SessionFileResult read = io::read_session_file(m_session_file);
        if (!read) {
            problem(m_name + ": open: " + read.error);
            return;
        }
        if (const std::string error = m_lab->load(
                *read.document, control::lesson_base_for(*read.document), m_session_file.string());
            !error.empty()) {
            problem(m_name + ": open: " + error);
            return;
        }
        frames(1);
        m_lab->transport().wait_idle();
        const int steps = m_lab->results_a()->steps_done;
        if (steps != saved.step)
            problem(m_name + ": the reloaded session is at step " + std::to_string(steps) +
                    ", saved at " + std::to_string(saved.step));
        if (m_lab->lesson().shown() != saved.lesson_step)
            problem(m_name + ": the reloaded session shows lesson step " +
                    std::to_string(m_lab->lesson().shown()) + ", saved at " +
                    std::to_string(saved.lesson_step));
        ++m_report.documents;
        m_lab->transport().set_playing(true);
        play(2);
    }

    void finish() {
        m_report.seconds = m_samples.back().memory.seconds;
        m_report.warmup_end = std::max(kWarmupShare * m_report.seconds, m_first_cycle_end);
        std::vector<MemorySample> memory;
        memory.reserve(m_samples.size());
        for (const Sample& s : m_samples)
            memory.push_back(s.memory);
        m_report.growth = memory_growth(memory, m_report.warmup_end, m_longest_cycle);

        io::CsvTable csv;
        csv.text("seconds").text("rss_bytes").text("cycle").text("preset").end_row();
        for (const Sample& s : m_samples)
            csv.number(s.memory.seconds)
                .integer(static_cast<long long>(s.memory.bytes))
                .integer(s.cycle)
                .text(m_report.presets[static_cast<std::size_t>(s.preset)])
                .end_row();
        m_report.csv = m_options.out_dir / "soak.csv";
        if (const std::string error = io::write_file_atomically(m_report.csv, csv.str());
            !error.empty())
            throw std::runtime_error(error);
    }

    const SoakOptions& m_options;
    std::ostream& m_out;
    SoakReport m_report;
    std::unique_ptr<control::Lab> m_lab;
    std::vector<Sample> m_samples;
    std::filesystem::path m_session_file;
    Clock::time_point m_start;
    double m_duration = 0.0;
    double m_next_sample = 0.0;
    double m_first_cycle_end = 0.0;
    double m_cycle_start = 0.0, m_longest_cycle = 0.0;
    int m_preset = 0;
    int m_cycle = 1;  // the cycle under way, for soak.csv
    std::string m_name;
};

}  // namespace

std::size_t draw_plots_svg(const live::Results& results) {
    std::size_t exported = 0;
    for (const app::DrawnPlot& d : app::draw_plots_headless(results, 900, 600))
        exported += plot::recording_to_svg(d.recording, {}).empty() ? 0 : 1;
    return exported;
}

SoakReport run_soak(const SoakOptions& options, std::ostream& out) {
    return Soak(options, out).run();
}

int soak_command(const SoakOptions& options, std::ostream& out, std::ostream& err) {
    SoakReport report;
    try {
        report = run_soak(options, out);
    } catch (const std::invalid_argument& e) {
        err << "reinforce-lab: --soak: " << e.what() << "\n";
        return io::kExitUsage;
    } catch (const std::bad_alloc& e) {
        err << "reinforce-lab: --soak: " << core::allocation_message(e, "soaking") << "\n";
        return io::kExitFailure;
    } catch (const std::exception& e) {
        err << "reinforce-lab: --soak: " << e.what() << "\n";
        return io::kExitFailure;
    }
    out << "soak: " << report.visited.size() << " of " << report.presets.size()
        << " presets visited, " << report.cycles << " cycles in "
        << static_cast<long long>(report.seconds) << " s; " << report.ticks << " ticks, "
        << report.documents << " sessions saved and reloaded, " << report.plot_draws
        << " plots drawn, " << report.engine_errors << " engine errors\n";
    out << "soak: resident memory " << megabytes(report.start_bytes) << " at start, "
        << megabytes(report.growth.warmup_bytes) << " after the warm-up (from "
        << static_cast<long long>(report.warmup_end) << " s), "
        << megabytes(report.growth.end_bytes) << " at the end: growth "
        << percent(report.growth.growth) << " (limit " << percent(kSoakMaxGrowth) << ")\n";
    out << "soak: wrote " << report.csv.string() << "\n";
    if (!report.problems.empty()) {
        err << "reinforce-lab: --soak: " << report.problems.size()
            << " refused actions; the first: " << report.problems.front() << "\n";
        return io::kExitFailure;
    }
    if (!report.passed()) {
        err << "reinforce-lab: --soak: resident memory grew " << percent(report.growth.growth)
            << " after the warm-up (limit " << percent(kSoakMaxGrowth) << ")\n";
        return io::kExitFailure;
    }
    out << "soak: passed\n";
    return io::kExitOk;
}

}  // namespace rl::soak
