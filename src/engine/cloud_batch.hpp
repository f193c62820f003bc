#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "core/policy_point.hpp"
#include "engine/cloud_projections.hpp"

// What both ways of drawing a cloud's batches (sample by sample, or as counts) share: the sparse
// per-action sum a batch builds, and the fold that turns it into the batch's projections, squared
// norm and clip, and adds it to its task's sums.
namespace rl::engine {

// A dense accumulator that remembers which entries it touched, so clearing costs O(touched).
struct SparseAccumulator {
    std::vector<double> value;
    std::vector<std::uint8_t> seen;
    std::vector<std::uint32_t> touched;

    void resize(std::size_t n) {
        value.assign(n, 0.0);
        seen.assign(n, 0);
        touched.clear();
    }
    void add(std::uint32_t i, double x) {
        if (!seen[i]) {
            seen[i] = 1;
            touched.push_back(i);
        }
        value[i] += x;
    }
    void clear() {
        for (std::uint32_t i : touched) {
            value[i] = 0.0;
            seen[i] = 0;
        }
        touched.clear();
    }
};

// One task's sums over its batches, combined in task order so the mean estimate does not depend
// on which worker ran which task.
struct CloudTaskSums {
    std::vector<std::pair<std::uint32_t, double>> sparse;  // sum of scale * A / K per action
    double scaled_mean_adv = 0.0;                          // sum of scale * mean(A)
    double scale = 0.0;                                    // sum of clip scales
};

struct CloudBatchContext {
    const core::PolicyPoint& pt;
    std::span<const double> basis_x, basis_y;
    CloudProjections proj;
    double clip = 0.0;  // 0: no clipping
};

// The batch's estimate g = v - mean_adv pi + d (v = batch.value, sum of A / K per action):
// its projections and squared norm after clipping into px, py, norm2; then v and the clip
// scale added to the task's accumulator and sums, and `batch` cleared.
void fold_batch(const CloudBatchContext& c, SparseAccumulator& batch, double mean_adv,
                SparseAccumulator& task, CloudTaskSums& sums, double& px, double& py,
                double& norm2);

}  // namespace rl::engine
