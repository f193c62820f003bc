// LiveModel's episode half (token sequences, tables): the engine's episode calls in place of the
// bandit's, and their results beside the bandit's (live/episode_live).

#include <cstdint>
#include <optional>
#include <utility>

#include "live/cloud_strip.hpp"
#include "live/history.hpp"
#include "live/live_model.hpp"

namespace rl::live {

void LiveModel::configure_engine() {
    // Whatever the engine was drawing is gone with its problem.
    m_cloud_drawing = false;
    m_cloud_at_once = true;
    if (!core::is_episodic(m_settings)) {
        m_episodes.reset();
        m_engine->configure(m_experiment);
        return;
    }
    // Made before it replaces the old one, so a refusal leaves the old problem in place.
    auto episodes =
        std::make_unique<EpisodeLive>(m_settings, m_engine->configure_episodes(m_settings));
    m_episodes = std::move(episodes);
}

void LiveModel::apply_episode_settings(const core::Settings& next) {
    const std::string why = episode_restart_reason(m_settings, next);
    if (!why.empty()) {
        restart_with(next);
        post(Level::kInfo, why + ": the runs started over.");
        return;
    }
    const bool cloud_changed = next.M != m_settings.M;
    m_settings = next;
    m_experiment = core::make_experiment(next);
    m_versions.settings = ++m_changes;
    extend_timeline();
    if (cloud_changed) {
        m_cloud_stale = true;
        m_cloud_drawing = false;
        m_cloud_at_once = true;
    }
}

bool LiveModel::advance_episode_chunk(int steps) {
    const engine::EpisodeAdvance a = m_engine->advance_episodes(steps);
    for (const engine::EpisodeStepSummary& s : a.steps)
        history_append(m_history, history_point(s));
    if (!a.steps.empty()) m_episodes->take(a.steps.back());
    if (a.run0_step > 0) m_episodes->take_step(a.run0_step, a.run0);
    m_detail_valid = false;
    if (a.diverged) {
        m_playing = false;
        post(Level::kError, a.divergence + "; paused at the last good state.");
        return false;
    }
    if (a.steps.empty()) {
        m_playing = false;
        post(Level::kError, "The engine stopped advancing at step " +
                                std::to_string(m_engine->steps_done()) + "; paused.");
        return false;
    }
    return true;
}

bool LiveModel::cloud_due() const {
    return !m_episodes || !m_playing || m_frames_since_cloud >= kEpisodeCloudFrames;
}

bool LiveModel::compute_episode_cloud() {
    if (!m_cloud_drawing) {
        m_frames_since_cloud = 0;
        m_cloud_request = {m_engine->run_logits(0),
                           static_cast<std::uint32_t>(m_engine->steps_done()),
                           m_settings.estimator.K, m_settings.M, histogram_bins(m_settings.M)};
        m_engine->start_episode_cloud(m_cloud_request);
        m_cloud_drawing = true;
        // The policy may move while the slices are drawn; the cloud shows where it started.
        m_cloud_stale = false;
    }
    const bool at_once = !m_playing || m_cloud_at_once;
    const int slice = at_once ? m_cloud_request.M
                              : (m_cloud_request.M + kEpisodeCloudSlices - 1) / kEpisodeCloudSlices;
    // Not drawing if the engine throws: the next cloud that is due starts afresh.
    m_cloud_drawing = false;
    std::optional<engine::CloudResult> drawn = m_engine->continue_episode_cloud(slice);
    if (!drawn) {
        m_cloud_drawing = true;
        return false;
    }
    m_cloud_at_once = false;
    engine::EpisodeCloudRequest request = std::move(m_cloud_request);
    m_cloud = std::move(*drawn);
    m_cloud_valid = true;
    m_cloud_step = static_cast<int>(request.step);
    m_highlight_valid = false;
    m_strip = cloud_strip(m_cloud);
    m_piles = {};
    m_before_view = {};
    m_probe_request = {std::move(request.logits), 0.0, request.step};
    m_episodes->start_snr_points(m_probe_request.logits, m_probe_request.step);
    m_versions.cloud = ++m_changes;
    m_snr_exact_stale = true;
    return true;
}

void LiveModel::compute_episode_snr_exact() {
    m_snr_exact = m_episodes->snr_curves(m_probe_request.logits);
    m_before_snr = {};
    m_frames_since_snr_exact = 0;
    m_snr_exact_stale = false;
    m_versions.snr_exact = ++m_changes;
}

}  // namespace rl::live
