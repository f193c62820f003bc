#include "control/lab.hpp"

#include <system_error>
#include <utility>

#include "io/presets.hpp"

namespace rl::control {

Lab::Lab(const core::Settings& initial, const live::RunnerOptions& options)
    : m_pair(initial, options) {}

Lab::Lab(std::unique_ptr<live::Runner> a, const live::RunnerOptions& options)
    : m_pair(std::move(a), options) {}

void Lab::post(live::Level level, std::string text) {
    m_messages.push_back({level, std::move(text)});
}

std::string Lab::apply(const core::Settings& edited) {
    if (std::string error = m_pair.apply(edited); !error.empty()) return error;
    changed();
    return {};
}

std::string Lab::apply_b(const core::EstimatorSettings& estimator) {
    if (std::string error = m_pair.apply_b(estimator); !error.empty()) return error;
    b_changed();
    return {};
}

std::string Lab::compare_on(const core::Settings& b) {
    if (std::string error = m_pair.start_b(b); !error.empty()) return "Compare mode: " + error;
    b_changed();
    post(live::Level::kInfo, "Compare mode: A and B start again from step 0 on the same seed.");
    return {};
}

std::string Lab::compare_on_default() {
    if (std::string error = m_pair.start_default_b(); !error.empty())
        return "Compare mode: " + error;
    b_changed();
    post(live::Level::kInfo, "Compare mode: A and B start again from step 0 on the same seed.");
    return {};
}

void Lab::compare_off() {
    if (!m_pair.comparing()) return;
    m_pair.stop_b();
    b_changed();
    post(live::Level::kInfo, "Compare mode off.");
}

void Lab::toggle_compare() {
    if (m_pair.comparing()) {
        compare_off();
    } else if (std::string error = compare_on_default(); !error.empty()) {
        post(live::Level::kError, error);
    }
}

void Lab::set_lesson(io::Lesson lesson, core::Settings base, int shown) {
    m_lesson.set_lesson(std::move(lesson), std::move(base), shown);
    if (m_lesson.paced() && m_lesson.has_lesson()) m_transport.set_pace({1, io::kLessonPace, {}});
    show_before();
}

void Lab::show_before() {
    m_pair.a().set_before(m_lesson.before_settings(), m_lesson.before_label());
}

std::string Lab::show_lesson_step(int index) {
    if (std::string error = m_lesson.show(index, m_pair, m_transport); !error.empty()) return error;
    show_before();
    changed();
    return {};
}

std::string Lab::load(const io::SessionFile& file, const core::Settings& lesson_base,
                      const std::string& source) {
    const bool was_comparing = m_pair.comparing();
    if (std::string error = m_pair.load(file, source); !error.empty()) return error;
    set_lesson(file.lesson, lesson_base, file.lesson_step);
    changed();
    if (was_comparing) {
        b_changed();
        post(live::Level::kInfo, "Compare mode off: a loaded session runs one configuration.");
    }
    return {};
}

std::string Lab::load_preset(const std::string& name) {
    const io::SessionFileResult loaded = io::load_preset_file(io::find_asset_dir(), name);
    if (!loaded) return loaded.error;
    const io::SessionFile& file = *loaded.document;
    if (std::string error = load(file, file.settings, "preset " + name); !error.empty())
        return error;
    m_transport.set_playing(true);
    post(live::Level::kInfo, "Loaded the lesson \"" + file.settings.title + "\".");
    return {};
}

io::SessionFile Lab::session_file() const {
    io::SessionFile file = m_pair.a().snapshot();
    file.lesson = m_lesson.lesson();
    file.lesson_step = m_lesson.shown();
    return file;
}

std::string Lab::save(const std::filesystem::path& path) const {
    io::SessionFile file = session_file();
    std::error_code ec;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return path.parent_path().string() + ": cannot create the folder: " + ec.message();
    std::string error = io::write_session_file(path, file);
    if (!error.empty() && !file.lesson.steps.empty()) {
        file.lesson = {};
        file.lesson_step = -1;
        if (io::write_session_file(path, file).empty()) return {};
    }
    return error;
}

std::vector<live::Message> Lab::take_messages() {
    std::vector<live::Message> out = m_pair.take_messages();
    for (live::Message& m : m_messages)
        out.push_back(std::move(m));
    m_messages.clear();
    return out;
}

}  // namespace rl::control
