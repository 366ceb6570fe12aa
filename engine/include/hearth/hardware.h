#pragma once
// What this machine can run on. probe() never fails: a machine with no NVIDIA driver or no CUDA runtime
// simply has no devices. A HardwareInfo can also be made by hand, so tests and `--simulate` can describe a
// GPU the machine does not have.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hearth {

struct GpuDevice {
    int index = 0;
    std::string name;                 // "NVIDIA H100 80GB HBM3"
    int cc_major = 0;                 // compute capability
    int cc_minor = 0;
    std::uint64_t memory_total = 0;   // bytes
    std::uint64_t memory_free = 0;    // bytes; 0 if unknown
    bool bf16 = false;                // BF16 arithmetic: compute capability >= 8.0
    bool fp8_tensor_cores = false;    // FP8 tensor cores: compute capability >= 8.9
    bool int8_dp4a = false;           // __dp4a: compute capability >= 6.1
};

struct CpuInfo {
    std::string name;                 // "AMD EPYC 7B13", from the OS
    int logical_cores = 0;
    bool avx2 = false;
    bool avx512f = false;
    bool fma = false;
    bool f16c = false;
    bool neon = false;
};

struct HardwareInfo {
    CpuInfo cpu;
    std::uint64_t ram_total = 0;      // bytes
    std::uint64_t ram_available = 0;  // bytes; 0 if unknown
    std::vector<GpuDevice> gpus;      // empty: no usable NVIDIA GPU
    std::string gpu_status;           // why there are no GPUs ("no NVIDIA driver (libcuda.so.1 not found)"),
                                      // or the driver version when there are
};

// Fills the capability flags of `device` from its compute capability.
void derive_gpu_features(GpuDevice& device);

HardwareInfo probe();

// The hardware profiles tests and `hearth-cli doctor --simulate` use: gtx1080 (6.1, 8 GB), v100 (7.0, 16 GB),
// t4 (7.5, 16 GB), rtx3090 (8.6, 24 GB), rtx4090 (8.9, 24 GB), h100 (9.0, 80 GB), and cpu (no GPU). Each has
// a 16-thread AVX2 CPU and 64 GiB of RAM; a GPU's free memory is its total. nullopt for an unknown name.
std::optional<HardwareInfo> hardware_profile(std::string_view name);
std::string_view hardware_profile_names();  // "gtx1080, v100, t4, rtx3090, rtx4090, h100, cpu"

// One line per device for people: "CPU: AMD EPYC 7B13, 2 threads, AVX2 FMA F16C · RAM 23.4 GiB".
std::string describe(const HardwareInfo& hardware);

}  // namespace hearth
