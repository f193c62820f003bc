#pragma once

// Inner products of the policy's fixed vectors with the cloud basis, restricted to dim: a batch's
// estimate is g = v - mean_adv pi + d (v sparse), so its projections need only these. Plain
// doubles so device-side code (nvcc, C++17) can take them too.
namespace rl::engine {

struct CloudProjections {
    double pi_x = 0.0, pi_y = 0.0, d_x = 0.0, d_y = 0.0;
    double pi_pi = 0.0, pi_d = 0.0, d_d = 0.0;
};

}  // namespace rl::engine
