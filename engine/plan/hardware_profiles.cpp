// Named hardware descriptions for tests and `--simulate`: the GPUs of the field reports behind S1–S5, each
// as the probe would describe it, beside the same ordinary CPU.
#include <array>

#include "hearth/hardware.h"

namespace hearth {
namespace {

constexpr std::uint64_t k_gib = 1024ull * 1024 * 1024;
constexpr std::uint64_t k_gb = 1000ull * 1000 * 1000;

struct GpuProfile {
    std::string_view key;
    std::string_view name;
    int cc_major, cc_minor;
    std::uint64_t memory;
};

// Memory as the driver reports it: the marketing "GB" of GDDR cards, GiB of HBM ones (close enough for
// planning; the planner keeps a reserve besides).
constexpr std::array<GpuProfile, 6> k_gpus{{
    {"gtx1080", "NVIDIA GeForce GTX 1080", 6, 1, 8 * k_gb},
    {"v100", "Tesla V100-SXM2-16GB", 7, 0, 16 * k_gb},
    {"t4", "Tesla T4", 7, 5, 15 * k_gib},
    {"rtx3090", "NVIDIA GeForce RTX 3090", 8, 6, 24 * k_gib},
    {"rtx4090", "NVIDIA GeForce RTX 4090", 8, 9, 24 * k_gib},
    {"h100", "NVIDIA H100 80GB HBM3", 9, 0, 80 * k_gib},
}};

HardwareInfo simulated_host() {
    HardwareInfo hw;
    hw.cpu.name = "simulated 16-thread x86-64 CPU";
    hw.cpu.logical_cores = 16;
    hw.cpu.avx2 = hw.cpu.fma = hw.cpu.f16c = true;
    hw.ram_total = 64 * k_gib;
    hw.ram_available = 56 * k_gib;
    hw.gpu_status = "simulated";
    return hw;
}

}  // namespace

std::optional<HardwareInfo> hardware_profile(std::string_view name) {
    HardwareInfo hw = simulated_host();
    if (name == "cpu") {
        hw.gpu_status = "simulated machine without an NVIDIA GPU";
        return hw;
    }
    for (const GpuProfile& p : k_gpus) {
        if (p.key != name) continue;
        GpuDevice gpu;
        gpu.name = std::string(p.name);
        gpu.cc_major = p.cc_major;
        gpu.cc_minor = p.cc_minor;
        gpu.memory_total = p.memory;
        gpu.memory_free = p.memory;
        derive_gpu_features(gpu);
        hw.gpus.push_back(gpu);
        hw.gpu_status = "simulated " + std::string(p.key);
        return hw;
    }
    return std::nullopt;
}

std::string_view hardware_profile_names() { return "gtx1080, v100, t4, rtx3090, rtx4090, h100, cpu"; }

}  // namespace hearth
