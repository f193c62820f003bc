#include <cuda_runtime.h>

#include <algorithm>
#include <memory>

#include "engine/cuda/cloud_device.hpp"
#include "engine/cuda/cloud_kernels.cuh"
#include "engine/cuda/cuda_check.cuh"
#include "engine/cuda/device_buffer.cuh"

namespace rl::engine {

namespace {

// Per-warp accumulators live in shared memory while they fit the default 48 KB per block.
constexpr std::size_t kSharedBytes = 48 * 1024;
// Otherwise in global memory, one length-N slab per resident warp, within this budget.
constexpr std::size_t kScratchBudgetBytes = std::size_t{256} << 20;
constexpr long long kMaxBlocks = 132 * 16;

// Grows a buffer to at least `count` elements; contents are not kept.
template <typename T>
T* ensure(std::unique_ptr<DeviceBuffer<T>>& buffer, std::size_t count, CudaFaultInjector* faults) {
    if (!buffer || buffer->size() < count) {
        buffer.reset();  // free first, so peak memory is not old + new
        buffer = std::make_unique<DeviceBuffer<T>>(std::max<std::size_t>(count, 1), faults);
    }
    return buffer->data();
}

template <typename T>
const T* upload(std::unique_ptr<DeviceBuffer<T>>& buffer, const std::vector<T>& host,
                CudaFaultInjector* faults) {
    T* d = ensure(buffer, host.size(), faults);
    if (!host.empty()) buffer->upload(host.data(), host.size());
    return d;
}

}  // namespace

struct CloudDevice::Buffers {
    std::unique_ptr<DeviceBuffer<core::AliasEntry>> table;
    std::unique_ptr<DeviceBuffer<core::RewardSampler>> samplers;
    std::unique_ptr<DeviceBuffer<double>> shift, axis_x, axis_y, pi_dim, det;
    std::unique_ptr<DeviceBuffer<double>> scratch, action_sums;
    std::unique_ptr<DeviceBuffer<double>> x, y, norm2, scale, mean_adv;
    std::unique_ptr<DeviceBuffer<float>> xf, yf;
    std::unique_ptr<DeviceBuffer<unsigned>> counts;
    int last_m = 0;
};

CloudDevice::CloudDevice(CudaFaultInjector* faults)
    : m_buffers(std::make_unique<Buffers>()), m_faults(faults) {}
CloudDevice::~CloudDevice() = default;

CloudBatchOutputs CloudDevice::run(const CloudBatchInputs& in) {
    Buffers& b = *m_buffers;
    const auto n = static_cast<std::uint32_t>(in.table.size());
    const auto M = static_cast<std::size_t>(in.M);
    cuda_cloud::Params p{};
    p.seed = in.seed;
    p.run = in.run;
    p.step = in.step;
    p.K = in.K;
    p.M = in.M;
    p.n = n;
    p.dim = in.dim;
    p.baseline = in.baseline;
    p.fixed_b = in.fixed_b;
    p.clip = in.clip;
    p.noisy = in.noisy;
    p.proj = in.proj;
    p.table = upload(b.table, in.table, m_faults);
    p.samplers = upload(b.samplers, in.samplers, m_faults);
    p.shift = upload(b.shift, in.shift, m_faults);
    p.axis_x = upload(b.axis_x, in.axis_x, m_faults);
    p.axis_y = upload(b.axis_y, in.axis_y, m_faults);
    p.pi_dim = upload(b.pi_dim, in.pi_dim, m_faults);
    p.det = upload(b.det, in.det, m_faults);
    p.x = ensure(b.x, M, m_faults);
    p.y = ensure(b.y, M, m_faults);
    p.xf = ensure(b.xf, M, m_faults);
    p.yf = ensure(b.yf, M, m_faults);
    p.norm2 = ensure(b.norm2, M, m_faults);
    p.scale = ensure(b.scale, M, m_faults);
    p.mean_adv = ensure(b.mean_adv, M, m_faults);
    p.action_sums = ensure(b.action_sums, n, m_faults);
    RL_CUDA_CHECK_THROW(cudaMemset(p.action_sums, 0, n * sizeof(double)));

    constexpr int kWarps = cuda_cloud::kWarpsPerBlock;
    long long blocks = std::min<long long>((in.M + kWarps - 1) / kWarps, kMaxBlocks);
    const std::size_t slab = std::size_t{n} * sizeof(double);
    p.shared_scratch = slab * kWarps <= kSharedBytes;
    std::size_t shared_bytes = 0;
    if (p.shared_scratch) {
        shared_bytes = slab * kWarps;
        p.scratch = nullptr;
    } else {
        blocks = std::max<long long>(
            1, std::min<long long>(blocks,
                                   static_cast<long long>(kScratchBudgetBytes / (slab * kWarps))));
        const std::size_t count = static_cast<std::size_t>(blocks) * kWarps * n;
        const bool fresh = !b.scratch || b.scratch->size() < count;
        p.scratch = ensure(b.scratch, count, m_faults);
        // The kernel leaves the slabs zeroed, so only a new allocation needs clearing.
        if (fresh)
            RL_CUDA_CHECK_THROW(cudaMemset(p.scratch, 0, b.scratch->size() * sizeof(double)));
    }
    if (m_faults != nullptr) m_faults->at_launch();
    cuda_cloud::batch_kernel<<<static_cast<unsigned>(blocks), kWarps * 32, shared_bytes>>>(p);
    RL_CUDA_CHECK_THROW(cudaGetLastError());

    CloudBatchOutputs out;
    out.x.resize(M);
    out.y.resize(M);
    out.norm2.resize(M);
    out.action_sums.resize(n);
    std::vector<double> scale(M), mean_adv(M);
    b.x->download(out.x.data(), M);
    b.y->download(out.y.data(), M);
    b.norm2->download(out.norm2.data(), M);
    b.scale->download(scale.data(), M);
    b.mean_adv->download(mean_adv.data(), M);
    b.action_sums->download(out.action_sums.data(), n);
    // Summed on the host in batch order, as the CPU engine does.
    for (std::size_t i = 0; i < M; ++i) {
        out.scaled_mean_adv += scale[i] * mean_adv[i];
        out.scale_sum += scale[i];
    }
    b.last_m = in.M;
    return out;
}

std::vector<std::uint32_t> CloudDevice::histogram(int bins_x, int bins_y, double x_min,
                                                  double x_max, double y_min, double y_max) {
    Buffers& b = *m_buffers;
    const std::size_t cells = static_cast<std::size_t>(bins_x) * bins_y;
    unsigned* counts = ensure(b.counts, cells, m_faults);
    RL_CUDA_CHECK_THROW(cudaMemset(counts, 0, cells * sizeof(unsigned)));
    const int m = b.last_m;
    if (m > 0) {
        const double sx = bins_x / (x_max - x_min);
        const double sy = bins_y / (y_max - y_min);
        constexpr int kBlock = 256;
        cuda_cloud::histogram_kernel<<<(m + kBlock - 1) / kBlock, kBlock>>>(
            b.xf->data(), b.yf->data(), m, bins_x, bins_y, x_min, sx, y_min, sy, counts);
        RL_CUDA_CHECK_THROW(cudaGetLastError());
    }
    std::vector<std::uint32_t> out(cells);
    static_assert(sizeof(unsigned) == sizeof(std::uint32_t));
    b.counts->download(reinterpret_cast<unsigned*>(out.data()), cells);
    return out;
}

}  // namespace rl::engine
