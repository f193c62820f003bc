#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/episodes/episode_settings.hpp"
#include "core/settings.hpp"
#include "engine/episode_results.hpp"
#include "live/runner.hpp"

// The live session's side of an episode problem (token sequences, tables): what the window draws
// beside the bandit's Results, from the engine's episode summaries and core's exact moments.
namespace rl::live {

// Why the runs cannot go on from `now` to `next` when either is an episode problem: the engine
// keeps episode runs only through edits that leave every estimate's distribution and update
// alone (steps, M, titles, names). Empty when they can go on.
std::string episode_restart_reason(const core::Settings& now, const core::Settings& next);

// The current step's summary as a point of the J-over-steps history.
engine::StepSummary history_point(const engine::EpisodeStepSummary& s);

class EpisodeLive {
  public:
    // `settings` are valid episode settings; `start` is what configure_episodes returned.
    EpisodeLive(const core::Settings& settings, const engine::EpisodeStart& start);

    void take(const engine::EpisodeStepSummary& latest);
    void take_step(int step, core::EpisodeStepRecord record);
    // The exact SNR against K of every baseline, with the settings' credit, at run 0's policy
    // (`logits`, blocks x actions), as the SNR plot draws them.
    std::vector<SnrCurve> snr_curves(const std::vector<double>& logits) const;
    void fill(EpisodeResults& out) const;
    // The SNR against length is swept a length at a time, between the runs' steps.
    bool sweep_pending() const { return !m_sweeper.done(); }
    void advance_sweep() { m_sweeper.advance(); }
    // The SNR plot's measured points: the run's own estimator at the cloud's policy (`logits`,
    // drawn from `step`'s streams), K = 1, 2, 4, ... a K a call, the earlier points kept as stale
    // until measured again. None for a running mean or a learned critic, whose memory a fresh
    // measurement would not have.
    void start_snr_points(const std::vector<double>& logits, std::uint32_t step);
    bool snr_points_pending() const { return m_point_next < m_point_ks.size(); }
    void measure_next_snr_point();

  private:
    core::Settings m_settings;
    core::EpisodeProblem m_problem;
    EpisodeResults m_results;
    LengthSweeper m_sweeper;
    std::vector<double> m_point_logits;
    std::uint32_t m_point_step = 0;
    std::vector<int> m_point_ks;
    std::size_t m_point_next = 0;
};

}  // namespace rl::live
