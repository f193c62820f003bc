#include "engine/cloud_batch.hpp"

#include <algorithm>
#include <cmath>

namespace rl::engine {

void fold_batch(const CloudBatchContext& c, SparseAccumulator& batch, double mean_adv,
                SparseAccumulator& task, CloudTaskSums& sums, double& px, double& py,
                double& norm2) {
    const core::PolicyPoint& pt = c.pt;
    const CloudProjections& proj = c.proj;
    // Everything restricted to dim: a pinned last logit has no component.
    double v_x = 0.0, v_y = 0.0, v_v = 0.0, v_pi = 0.0, v_d = 0.0;
    for (std::uint32_t a : batch.touched) {
        if (a >= pt.dim) continue;
        const double v = batch.value[a];
        v_x += v * c.basis_x[a];
        v_y += v * c.basis_y[a];
        v_v += v * v;
        v_pi += v * pt.pi[a];
        v_d += v * pt.deterministic[a];
    }
    double gx = v_x - mean_adv * proj.pi_x + proj.d_x;
    double gy = v_y - mean_adv * proj.pi_y + proj.d_y;
    double n2 = v_v + 2.0 * (v_d - mean_adv * v_pi) + mean_adv * mean_adv * proj.pi_pi -
                2.0 * mean_adv * proj.pi_d + proj.d_d;
    n2 = std::max(n2, 0.0);
    double scale = 1.0;
    if (c.clip > 0.0 && n2 > c.clip * c.clip) {
        scale = c.clip / std::sqrt(n2);
        gx *= scale;
        gy *= scale;
        n2 = c.clip * c.clip;
    }
    px = gx;
    py = gy;
    norm2 = n2;
    for (std::uint32_t a : batch.touched)
        task.add(a, scale * batch.value[a]);
    sums.scaled_mean_adv += scale * mean_adv;
    sums.scale += scale;
    batch.clear();
}

}  // namespace rl::engine
