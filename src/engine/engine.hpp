#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/advantages.hpp"
#include "core/exact.hpp"
#include "core/experiment.hpp"
#include "core/settings.hpp"
#include "engine/episode_results.hpp"

// The engine interface: plain C++, no CUDA types, so the app, the CLI and the tests can hold any
// engine. Results are complete: callers display them and never compute statistics themselves.
namespace rl::engine {

struct Histogram2D {
    int bins_x = 0;
    int bins_y = 0;
    double x_min = 0.0, x_max = 0.0;
    double y_min = 0.0, y_max = 0.0;
    std::vector<std::uint32_t> counts;  // row-major, y outer
};

// How a cloud's batches are drawn: sample by sample, or as each action's count and reward sum
// from their exact joint distribution (engine/count_cloud.hpp); the same distribution either way.
// kAuto lets the engine's cost model choose; the CUDA engine always draws samples.
enum class CloudDraw { kAuto, kSamples, kCounts };

struct CloudRequest {
    std::vector<double> logits;  // the policy the cloud is drawn at
    std::uint32_t run = 0;       // whose reward problem (arm means can differ per run)
    std::uint32_t step = 0;      // keys the random streams, so each step gets fresh samples
    int K = 1;
    int M = 1024;
    double running_value = 0.0;  // the running-mean baseline's current value
    int histogram_bins = 64;
    CloudDraw draw = CloudDraw::kAuto;
    // The previous cloud's axis_y, or empty: a warm start for the power iteration that finds the
    // second axis, which at a vocabulary's size is most of a cloud's setup and, while the policy
    // moves little, needs a few iterations from there instead of hundreds.
    std::vector<double> axis_y_hint;
};

// M independent K-sample estimates at one policy, projected on a 2-D basis: x along the unit
// true gradient, y along the orthogonal direction of largest exact variance.
struct CloudResult {
    // Exact, from the closed forms.
    std::vector<double> true_gradient;   // gradient of the objective (KL and entropy included)
    std::vector<double> axis_x, axis_y;  // unit vectors, length N; axis_y is 0 when dim is 1
    double true_x = 0.0, true_y = 0.0;   // the true gradient projected (its length, and ~0)
    core::ExactEstimate exact;
    // False for episodes: their exact side has the mean and the trace of the covariance but not
    // the covariance on the two axes, so exact_var_* and cov_xy are 0 and the second axis is the
    // measured estimates' direction of largest variance.
    bool exact_on_axes = true;
    double exact_mean_x = 0.0, exact_mean_y = 0.0;
    double exact_var_x = 0.0, exact_var_y = 0.0, exact_cov_xy = 0.0;
    // Measured, from the samples.
    std::vector<float> x, y;    // each batch's estimate, projected
    std::vector<double> norm2;  // each batch's |g|^2
    std::vector<double> mean;   // mean estimate, length N
    double mean_x = 0.0, mean_y = 0.0;
    // Episodes (exact_on_axes false): the unbiased sample covariance of the projected estimates,
    // the ellipse the plot draws in place of an exact one; 0 for bandits.
    double measured_var_x = 0.0, measured_var_y = 0.0, measured_cov_xy = 0.0;
    double trace_cov = 0.0;     // unbiased sample trace of the covariance
    double snr = 0.0;           // 0 when snr_reason says why there is none
    std::string snr_reason;     // snr_undefined_reason; empty when snr is a number
    double uphill_share = 0.0;  // share with <g, true gradient> > 0
    double mean_cosine = 0.0;   // mean cosine to the true gradient
    Histogram2D histogram;
    bool drawn_as_counts = false;  // the batches were drawn as counts, not sample by sample
};

// Step t across all runs: the policy it sampled from and the samples it drew.
struct StepSummary {
    int step = 0;
    Quantiles J;                    // expected reward (no KL or entropy term)
    double best_prob_share = 0.0;   // runs whose most likely action is a best action (ties share)
    double opt_action_share = 0.0;  // the step's samples that were a best action
    std::vector<Quantiles> action_probs;  // one per tracked action
};

// The arithmetic of run 0's latest update, for the this-step panel: enough that every number it
// shows can be recomputed from the others (docs/MATH.md, section 11, "The update step").
struct StepDetail {
    int step = 0;
    std::size_t dim = 0;  // free logits: N, or N - 1 with the last pinned
    std::vector<std::uint32_t> actions;
    std::vector<double> rewards;       // as drawn
    std::vector<double> rewards_used;  // after folding the KL term in
    std::vector<double> baselines;     // b_k, per sample
    double spread = 1.0;               // A_k = (R'_k - b_k) / spread: group norm's std, else 1
    std::vector<double> advantages;
    double baseline = 0.0;  // mean of baselines
    // g before the exact part and clipping is sampled_weight - mean_advantage * pi, where
    // sampled_weight_a = (1/K) sum over the samples of a of A_k (0 for unsampled actions).
    double mean_advantage = 0.0;
    std::vector<double> sampled_weight;
    // With the KL anchor on (kl_beta > 0): the reference policy, KL(pi || ref) and, for the
    // entropy bonus, H(pi), all at the policy the step sampled from. Empty / 0 otherwise.
    std::vector<double> ref_probs;
    double kl = 0.0, entropy = 0.0;
    std::vector<double> deterministic;  // the sample-free part added to g (KL penalty, entropy)
    double raw_norm = 0.0;              // ||g|| before clipping
    double clip_scale = 1.0;
    std::vector<double> gradient;  // the estimate the update used
    std::vector<double> true_gradient;
    std::vector<double> logits_before, logits_after;
    std::vector<double> probs_before, probs_after;
};

struct TrainingAdvance {
    std::vector<StepSummary> steps;
    StepDetail run0;
    bool diverged = false;
    std::string divergence;  // which run, which step, and what went non-finite
};

class Engine {
  public:
    virtual ~Engine() = default;
    virtual std::string_view name() const = 0;  // "cpu" or "cuda"
    virtual std::string description() const = 0;

    // Starts the experiment from its initial policy.
    virtual void configure(const core::Experiment& e) = 0;
    // Changes settings without losing the runs' progress when the shape (N, runs,
    // parameterization) is unchanged; returns true when it had to start over.
    virtual bool update(const core::Experiment& e) = 0;

    virtual CloudResult gradient_cloud(const CloudRequest& request) = 0;
    // Advances every run by up to `steps` steps; stops early, keeping the last good state, when a
    // run diverges.
    virtual TrainingAdvance advance(int steps) = 0;

    virtual int steps_done() const = 0;
    virtual std::vector<double> run_logits(int run) const = 0;
    virtual double run_running_baseline(int run) const = 0;

    // Puts every run back where another engine left it (logits runs x N, one running baseline
    // per run), after configure() with the same experiment, so a replacement engine carries on.
    virtual void restore(const std::vector<std::vector<double>>& logits,
                         const std::vector<core::RunningBaseline>& running, int steps_done) = 0;
    virtual std::vector<core::RunningBaseline> running_baselines() const = 0;

    // Episodes (token sequences, tables; docs/MATH.md section 13), made from their settings. An
    // engine holds one problem at a time: configure() and configure_episodes() each replace what
    // it held, and steps_done() and run_logits() (blocks x actions) are the held problem's.
    // Empty when this engine runs episodes, else why not; configure_episodes() then throws
    // std::invalid_argument with that reason.
    virtual std::string episode_refusal() const = 0;
    // Throws std::invalid_argument for settings that are no episode problem, or a baseline that
    // cannot be had for it (optimal on a problem too large to enumerate, say).
    virtual EpisodeStart configure_episodes(const core::Settings& s) = 0;
    // M estimates with the settings' credit, baseline, KL, entropy and clip, K episodes each, on
    // the same axes as the bandit's cloud: x along the unit true gradient of the objective.
    virtual CloudResult episode_cloud(const EpisodeCloudRequest& request) = 0;
    // The same cloud spread over several calls, so that a large one stalls no frame: start it,
    // then each continue_episode_cloud(batches) draws about that many more batches (at least
    // one) and, once all M are in, returns the cloud episode_cloud(request) would, bit for bit.
    // Starting another, or configuring, drops one not finished; continuing with none started
    // throws std::logic_error. The start throws what episode_cloud() would.
    virtual void start_episode_cloud(const EpisodeCloudRequest& request) = 0;
    virtual std::optional<CloudResult> continue_episode_cloud(int batches) = 0;
    // Up to `steps` steps of every run; stops at a run that diverges, keeping the others' steps.
    virtual EpisodeAdvance advance_episodes(int steps) = 0;

    // A one-off notice for the status line (an engine switched itself, say); empty when none.
    // Taking it clears it.
    virtual std::string take_notice() { return {}; }
};

// What a bandit call (named `call`) throws while the engine holds an episode problem.
inline std::logic_error bandit_call_on_episodes(const char* call) {
    return std::logic_error(std::string(call) +
                            ": the engine holds an episode problem; configure() a bandit first");
}

// threads = 0: every core.
std::unique_ptr<Engine> make_cpu_engine(int threads = 0);

struct EngineChoice {
    std::unique_ptr<Engine> engine;
    std::string message;   // what was chosen and why, for the status line
    bool warning = false;  // a CUDA device answered but its engine failed: shown as a warning
};

// which: "auto" (CUDA when a device answers, else CPU), "cpu" or "cuda". Throws
// std::invalid_argument for an unknown name, an unavailable forced "cuda", or a malformed
// RL_CUDA_FAULT (engine/cuda_fault_injection.hpp). With that switch set and no device, auto runs
// a stand-in for the CUDA engine (engine/fault_stand_in_engine.hpp) so the fallback is exercised.
EngineChoice make_engine(std::string_view which, int cpu_threads = 0);

}  // namespace rl::engine
