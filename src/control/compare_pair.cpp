#include "control/compare_pair.hpp"

#include <stdexcept>
#include <utility>

#include "core/compare_settings.hpp"

namespace rl::control {

ComparePair::ComparePair(const core::Settings& a, const live::RunnerOptions& options)
    : m_options(options), m_a(std::make_unique<live::Runner>(a, options)) {}

ComparePair::ComparePair(std::unique_ptr<live::Runner> a, const live::RunnerOptions& options)
    : m_options(options), m_a(std::move(a)) {
    if (!m_a) throw std::invalid_argument("a compare pair needs runner A");
}

// B's worker stops before A's.
ComparePair::~ComparePair() = default;

std::shared_ptr<const live::Results> ComparePair::results_b() const {
    return m_b ? m_b->results() : nullptr;
}

core::Settings ComparePair::settings_b() const {
    return m_b ? core::with_estimator(m_a->settings(), m_b->settings().estimator) : m_a->settings();
}

void ComparePair::post(live::Level level, std::string text) {
    m_messages.push_back({level, std::move(text)});
}

std::string ComparePair::apply(const core::Settings& edited) {
    if (std::string error = m_a->apply(edited); !error.empty()) return error;
    if (!m_b) return {};
    if (std::string error = m_b->apply(core::with_estimator(edited, m_b->settings().estimator));
        !error.empty()) {
        // B must never run a problem other than A's: without this edit it would.
        post(live::Level::kError, "B cannot take that change (" + error + "); compare mode off.");
        stop_b();
    }
    return {};
}

std::string ComparePair::apply_b(const core::EstimatorSettings& estimator) {
    if (!m_b) return "compare mode is off";
    return m_b->apply(core::with_estimator(m_a->settings(), estimator));
}

std::string ComparePair::start_b(const core::Settings& b) {
    std::unique_ptr<live::Runner> runner;
    try {
        runner = std::make_unique<live::Runner>(core::with_estimator(m_a->settings(), b.estimator),
                                                m_options);
    } catch (const std::exception& e) {
        return std::string("B cannot run: ") + e.what();
    }
    m_b = std::move(runner);
    m_a->reset();
    const live::Pace pace = m_a->pace();
    m_b->set_pace(pace.steps_per_frame, pace.speed);
    m_b->set_pause_points(pace.pause_at);
    m_b->set_playing(m_a->playing());
    return {};
}

std::string ComparePair::start_default_b() {
    const core::Settings a = m_a->settings();
    return start_b(core::with_estimator(a, core::default_compare_estimator(a.estimator)));
}

void ComparePair::stop_b() {
    m_b.reset();
}

std::string ComparePair::load(const io::SessionFile& file, const std::string& source) {
    if (std::string error = m_a->load(file, source); !error.empty()) return error;
    stop_b();
    return {};
}

std::vector<live::Message> ComparePair::take_messages() {
    std::vector<live::Message> out = m_a->take_messages();
    if (m_b)
        for (live::Message& m : m_b->take_messages())
            out.push_back({m.level, "B: " + m.text});
    for (live::Message& m : m_messages)
        out.push_back(std::move(m));
    m_messages.clear();
    return out;
}

}  // namespace rl::control
