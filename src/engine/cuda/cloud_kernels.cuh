#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "core/alias_sample.hpp"
#include "core/estimator.hpp"
#include "core/sample_draw.hpp"
#include "engine/cloud_projections.hpp"

// The cloud's kernels. One warp scores one batch at a time (grid-stride over batches): lanes
// take the batch's sample pairs, so one Philox block gives two samples and all four words are
// used. A batch never builds a dense length-N gradient: the projections need only sums over its
// samples, and |g|^2 needs sum_a c_a^2 (c_a the advantage sum of action a), which the warp gets
// from a per-warp accumulator it touches only at the batch's own actions and leaves zeroed.
namespace rl::engine::cuda_cloud {

struct Params {
    std::uint64_t seed;
    std::uint32_t run, step;
    int K, M;
    std::uint32_t n, dim;
    core::BaselineKind baseline;
    double fixed_b, clip;
    bool noisy;
    const core::AliasEntry* table;
    const core::RewardSampler* samplers;
    const double *shift, *axis_x, *axis_y, *pi_dim, *det;
    CloudProjections proj;
    double* scratch;      // per warp, n doubles, all zero between batches (global memory path)
    bool shared_scratch;  // per-warp accumulators in shared memory instead
    // Outputs.
    double *x, *y, *norm2, *scale, *mean_adv;
    float *xf, *yf;
    double* action_sums;  // length n, zeroed before the launch
};

constexpr int kWarpsPerBlock = 4;

__device__ inline double warp_sum(double v) {
    for (int offset = 16; offset > 0; offset >>= 1)
        v += __shfl_xor_sync(0xFFFFFFFFu, v, offset);
    return v;
}

// The pair's actions and rewards with the KL fold applied, as the CPU engine scores them.
__device__ inline void draw_used(const Params& p, std::uint32_t batch, std::uint32_t pair,
                                 bool second, std::uint32_t a[2], double u[2]) {
    const core::StreamKey ak{p.seed, core::Purpose::kCloudAction, p.run, p.step, batch};
    const core::StreamKey rk{p.seed, core::Purpose::kCloudReward, p.run, p.step, batch};
    core::draw_sample_pair(p.table, p.n, p.samplers, p.noisy, ak, rk, pair, second, a, u);
    u[0] -= p.shift[a[0]];
    if (second) u[1] -= p.shift[a[1]];
}

// The batch statistics an advantage needs, per baseline kind (as core/advantages.cpp).
struct BatchStats {
    double total = 0.0, mean = 0.0, inv_sd = 0.0;
    bool agree = false;  // every reward of the batch equal: batch-relative advantages are all 0
};

__device__ inline double advantage(const Params& p, const BatchStats& s, double u) {
    switch (p.baseline) {
        case core::BaselineKind::kBatchMean:
            return s.agree ? 0.0 : u - s.mean;
        case core::BaselineKind::kRloo:
            return p.K < 2 || s.agree ? 0.0
                                      : u - (s.total - u) * (1.0 / static_cast<double>(p.K - 1));
        case core::BaselineKind::kGroupNorm:
            return (u - s.mean) * s.inv_sd;
        default:
            return u - p.fixed_b;
    }
}

__device__ inline void atomic_add_double(double* where, double v) {
    atomicAdd(where, v);
}

__global__ void batch_kernel(Params p) {
    extern __shared__ double shared[];
    const int lane = threadIdx.x & 31;
    const int warp_in_block = threadIdx.x >> 5;
    const long long warp = static_cast<long long>(blockIdx.x) * kWarpsPerBlock + warp_in_block;
    const long long warps = static_cast<long long>(gridDim.x) * kWarpsPerBlock;
    double* c = p.shared_scratch ? shared + static_cast<std::size_t>(warp_in_block) * p.n
                                 : p.scratch + static_cast<std::size_t>(warp) * p.n;
    if (p.shared_scratch) {
        for (std::uint32_t a = lane; a < p.n; a += 32)
            c[a] = 0.0;
        __syncwarp();
    }
    const int pairs = (p.K + 1) / 2;
    const double inv_k = 1.0 / p.K;
    std::uint32_t a[2];
    double u[2];

    for (long long b = warp; b < p.M; b += warps) {
        const auto batch = static_cast<std::uint32_t>(b);
        // Pass 1: the batch's reward statistics (the group norm needs a second look for its sd).
        BatchStats s;
        double part = 0.0;
        for (int j = lane; j < pairs; j += 32) {
            const bool second = 2 * j + 1 < p.K;
            draw_used(p, batch, j, second, a, u);
            part += u[0] + (second ? u[1] : 0.0);
        }
        s.total = warp_sum(part);
        s.mean = s.total * inv_k;
        const bool group_norm = p.baseline == core::BaselineKind::kGroupNorm;
        if (group_norm || p.baseline == core::BaselineKind::kBatchMean ||
            p.baseline == core::BaselineKind::kRloo) {
            // Rewards that all agree carry no signal, however their mean rounds (as
            // core/advantages.cpp): asked of the rewards, against the batch's first.
            draw_used(p, batch, 0, p.K > 1, a, u);
            const double first = u[0];
            bool agree = true;
            double ss = 0.0;
            for (int j = lane; j < pairs; j += 32) {
                const bool second = 2 * j + 1 < p.K;
                draw_used(p, batch, j, second, a, u);
                ss += (u[0] - s.mean) * (u[0] - s.mean);
                if (second) ss += (u[1] - s.mean) * (u[1] - s.mean);
                agree = agree && u[0] == first && (!second || u[1] == first);
            }
            const double sd = sqrt(warp_sum(ss) * inv_k);
            s.agree = __all_sync(0xFFFFFFFFu, agree);
            s.inv_sd = group_norm && sd > 0.0 && !s.agree ? 1.0 / sd : 0.0;
        }
        // Pass 2: projections and the per-action advantage sums.
        double sx = 0.0, sy = 0.0, spi = 0.0, sd = 0.0, sa = 0.0;
        for (int j = lane; j < pairs; j += 32) {
            const bool second = 2 * j + 1 < p.K;
            draw_used(p, batch, j, second, a, u);
            for (int h = 0; h < (second ? 2 : 1); ++h) {
                const double adv = advantage(p, s, u[h]);
                const std::uint32_t act = a[h];
                sa += adv;
                sx += adv * p.axis_x[act];
                sy += adv * p.axis_y[act];
                spi += adv * p.pi_dim[act];
                sd += adv * p.det[act];
                if (act < p.dim) atomic_add_double(&c[act], adv);
            }
        }
        sx = warp_sum(sx);
        sy = warp_sum(sy);
        spi = warp_sum(spi);
        sd = warp_sum(sd);
        sa = warp_sum(sa);
        __syncwarp();
        // Pass 3: sum_a c_a^2 = sum_k A_k c_{a_k}, so no pass over all N actions.
        double cc = 0.0;
        for (int j = lane; j < pairs; j += 32) {
            const bool second = 2 * j + 1 < p.K;
            draw_used(p, batch, j, second, a, u);
            for (int h = 0; h < (second ? 2 : 1); ++h)
                if (a[h] < p.dim) cc += advantage(p, s, u[h]) * c[a[h]];
        }
        cc = warp_sum(cc);
        const double mean_adv = sa * inv_k;
        const CloudProjections& q = p.proj;
        double gx = sx * inv_k - mean_adv * q.pi_x + q.d_x;
        double gy = sy * inv_k - mean_adv * q.pi_y + q.d_y;
        double norm2 = cc * inv_k * inv_k + 2.0 * (sd * inv_k - mean_adv * spi * inv_k) +
                       mean_adv * mean_adv * q.pi_pi - 2.0 * mean_adv * q.pi_d + q.d_d;
        norm2 = fmax(norm2, 0.0);
        double scale = 1.0;
        if (p.clip > 0.0 && norm2 > p.clip * p.clip) {
            scale = p.clip / sqrt(norm2);
            gx *= scale;
            gy *= scale;
            norm2 = p.clip * p.clip;
        }
        __syncwarp();
        // Pass 4: flush each touched action once into the sums (the first lane to reach it takes
        // its value and leaves 0), which also clears the accumulator for the next batch.
        for (int j = lane; j < pairs; j += 32) {
            const bool second = 2 * j + 1 < p.K;
            const core::StreamKey ak{p.seed, core::Purpose::kCloudAction, p.run, p.step, batch};
            const core::PhiloxCounter bits = core::draw_pair(ak, j);
            a[0] = core::alias_sample(p.table, p.n, bits.v[0], bits.v[1]);
            a[1] = second ? core::alias_sample(p.table, p.n, bits.v[2], bits.v[3]) : p.n;
            for (int h = 0; h < 2; ++h) {
                if (a[h] >= p.dim) continue;
                const double v = __longlong_as_double(static_cast<long long>(
                    atomicExch(reinterpret_cast<unsigned long long*>(&c[a[h]]), 0ull)));
                if (v != 0.0) atomic_add_double(&p.action_sums[a[h]], scale * v * inv_k);
            }
        }
        __syncwarp();
        if (lane == 0) {
            p.x[b] = gx;
            p.y[b] = gy;
            p.xf[b] = static_cast<float>(gx);
            p.yf[b] = static_cast<float>(gy);
            p.norm2[b] = norm2;
            p.scale[b] = scale;
            p.mean_adv[b] = mean_adv;
        }
    }
}

// The same bins as cloud_histogram on the host: floor of the scaled offset, clamped to the edges.
__global__ void histogram_kernel(const float* x, const float* y, int m, int bins_x, int bins_y,
                                 double x_min, double sx, double y_min, double sy,
                                 unsigned* counts) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= m) return;
    const int bx = min(max(static_cast<int>(floor((x[i] - x_min) * sx)), 0), bins_x - 1);
    const int by = min(max(static_cast<int>(floor((y[i] - y_min) * sy)), 0), bins_y - 1);
    atomicAdd(&counts[by * bins_x + bx], 1u);
}

}  // namespace rl::engine::cuda_cloud
