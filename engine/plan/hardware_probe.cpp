// probe(): what this machine has. The CUDA driver (libcuda) and NVML are loaded with dlopen at run time, so
// Hearth starts and runs on machines without an NVIDIA driver, and one binary serves both kinds.
#include <dlfcn.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif
#include <sched.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "hearth/hardware.h"

namespace hearth {
namespace {

// The few CUDA driver API entry points the probe needs; the types match cuda.h (CUresult and CUdevice are
// ints, attributes are enums passed as int).
using CuInit = int (*)(unsigned);
using CuDriverGetVersion = int (*)(int*);
using CuDeviceGetCount = int (*)(int*);
using CuDeviceGet = int (*)(int*, int);
using CuDeviceGetName = int (*)(char*, int, int);
using CuDeviceGetAttribute = int (*)(int*, int, int);
using CuDeviceTotalMem = int (*)(std::size_t*, int);
using CuDeviceGetPciBusId = int (*)(char*, int, int);
using CuGetErrorString = int (*)(int, const char**);
constexpr int k_attr_cc_major = 75;  // CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR
constexpr int k_attr_cc_minor = 76;  // CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR

struct NvmlMemory {
    unsigned long long total, free, used;
};
using NvmlInit = int (*)();
using NvmlShutdown = int (*)();
using NvmlByPciBusId = int (*)(const char*, void**);
using NvmlGetMemoryInfo = int (*)(void*, NvmlMemory*);

template <class F>
F symbol(void* library, const char* name) {
    return reinterpret_cast<F>(dlsym(library, name));
}

// Free memory per device from NVML, matched by PCI bus id (NVML and CUDA may number devices differently).
void fill_free_memory(std::vector<GpuDevice>& gpus, const std::vector<std::string>& bus_ids) {
    void* nvml = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!nvml) return;
    auto init = symbol<NvmlInit>(nvml, "nvmlInit_v2");
    auto shutdown = symbol<NvmlShutdown>(nvml, "nvmlShutdown");
    auto by_bus = symbol<NvmlByPciBusId>(nvml, "nvmlDeviceGetHandleByPciBusId_v2");
    auto memory = symbol<NvmlGetMemoryInfo>(nvml, "nvmlDeviceGetMemoryInfo");
    if (init && shutdown && by_bus && memory && init() == 0) {
        for (std::size_t i = 0; i < gpus.size(); ++i) {
            void* handle = nullptr;
            NvmlMemory m{};
            if (by_bus(bus_ids[i].c_str(), &handle) == 0 && memory(handle, &m) == 0) gpus[i].memory_free = m.free;
        }
        shutdown();
    }
    dlclose(nvml);
}

void probe_gpus(HardwareInfo& hw) {
    void* cuda = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!cuda) {
        hw.gpu_status = "no NVIDIA driver (libcuda.so.1 not found)";
        return;
    }
    auto init = symbol<CuInit>(cuda, "cuInit");
    auto driver_version = symbol<CuDriverGetVersion>(cuda, "cuDriverGetVersion");
    auto count = symbol<CuDeviceGetCount>(cuda, "cuDeviceGetCount");
    auto get = symbol<CuDeviceGet>(cuda, "cuDeviceGet");
    auto get_name = symbol<CuDeviceGetName>(cuda, "cuDeviceGetName");
    auto attribute = symbol<CuDeviceGetAttribute>(cuda, "cuDeviceGetAttribute");
    auto total_mem = symbol<CuDeviceTotalMem>(cuda, "cuDeviceTotalMem_v2");
    auto bus_id = symbol<CuDeviceGetPciBusId>(cuda, "cuDeviceGetPCIBusId");
    auto error_string = symbol<CuGetErrorString>(cuda, "cuGetErrorString");
    if (!init || !driver_version || !count || !get || !get_name || !attribute || !total_mem || !bus_id) {
        hw.gpu_status = "the NVIDIA driver is too old (libcuda.so.1 lacks the functions Hearth needs)";
        return;  // NOTE: libcuda stays loaded; unloading the driver library is not safe
    }
    if (int rc = init(0); rc != 0) {
        const char* text = nullptr;
        if (error_string) error_string(rc, &text);
        hw.gpu_status = "the NVIDIA driver did not start: " + std::string(text ? text : "error " + std::to_string(rc));
        return;
    }
    int version = 0;
    driver_version(&version);
    int n = 0;
    if (count(&n) != 0 || n == 0) {
        hw.gpu_status = "no CUDA device found";
        return;
    }
    std::vector<std::string> bus_ids;
    for (int i = 0; i < n; ++i) {
        int device = 0;
        if (get(&device, i) != 0) continue;
        GpuDevice gpu;
        gpu.index = i;
        char name[256] = {};
        get_name(name, sizeof name, device);
        gpu.name = name;
        attribute(&gpu.cc_major, k_attr_cc_major, device);
        attribute(&gpu.cc_minor, k_attr_cc_minor, device);
        std::size_t bytes = 0;
        total_mem(&bytes, device);
        gpu.memory_total = bytes;
        char bus[64] = {};
        bus_id(bus, sizeof bus, device);
        bus_ids.emplace_back(bus);
        derive_gpu_features(gpu);
        hw.gpus.push_back(std::move(gpu));
    }
    fill_free_memory(hw.gpus, bus_ids);
    hw.gpu_status = "NVIDIA driver with CUDA " + std::to_string(version / 1000) + "." +
                    std::to_string(version % 1000 / 10);
}

std::string cpu_name() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
        for (const char* key : {"model name", "Model", "Hardware"}) {
            if (line.rfind(key, 0) == 0) {
                if (auto colon = line.find(':'); colon != std::string::npos) {
                    auto value = line.substr(colon + 1);
                    value.erase(0, value.find_first_not_of(" \t"));
                    if (!value.empty()) return value;
                }
            }
        }
    }
    return "unknown CPU";
}

void probe_cpu(HardwareInfo& hw) {
    hw.cpu.name = cpu_name();
    cpu_set_t set;
    CPU_ZERO(&set);
    hw.cpu.logical_cores = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set)
                                                                       : static_cast<int>(std::thread::hardware_concurrency());
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    hw.cpu.avx2 = __builtin_cpu_supports("avx2");
    hw.cpu.avx512f = __builtin_cpu_supports("avx512f");
    hw.cpu.fma = __builtin_cpu_supports("fma");
    // F16C from CPUID leaf 1, ECX bit 29: some compilers' __builtin_cpu_supports does not know "f16c".
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    hw.cpu.f16c = __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & (1u << 29)) != 0;
#elif defined(__aarch64__)
    hw.cpu.neon = true;  // every AArch64 CPU has Advanced SIMD
#endif
}

void probe_memory(HardwareInfo& hw) {
    std::ifstream in("/proc/meminfo");
    std::string key;
    std::uint64_t kib = 0;
    std::string unit;
    while (in >> key >> kib) {
        std::getline(in, unit);
        if (key == "MemTotal:") hw.ram_total = kib * 1024;
        if (key == "MemAvailable:") hw.ram_available = kib * 1024;
    }
    if (hw.ram_total == 0) {
        hw.ram_total = static_cast<std::uint64_t>(sysconf(_SC_PHYS_PAGES)) * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
    }
}

std::string gib(std::uint64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f GiB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
    return text;
}

}  // namespace

void derive_gpu_features(GpuDevice& device) {
    const int cc = device.cc_major * 10 + device.cc_minor;
    device.bf16 = cc >= 80;
    device.fp8_tensor_cores = cc >= 89;
    device.int8_dp4a = cc >= 61;
}

HardwareInfo probe() {
    HardwareInfo hw;
    probe_cpu(hw);
    probe_memory(hw);
    probe_gpus(hw);
    return hw;
}

std::string describe(const HardwareInfo& hw) {
    std::ostringstream out;
    out << "CPU: " << hw.cpu.name << ", " << hw.cpu.logical_cores << " threads";
    std::string features;
    if (hw.cpu.avx512f) features += " AVX-512";
    if (hw.cpu.avx2) features += " AVX2";
    if (hw.cpu.fma) features += " FMA";
    if (hw.cpu.f16c) features += " F16C";
    if (hw.cpu.neon) features += " NEON";
    if (!features.empty()) out << ", features:" << features;
    out << "\nRAM: " << gib(hw.ram_total);
    if (hw.ram_available) out << " (" << gib(hw.ram_available) << " available)";
    if (hw.gpus.empty()) {
        out << "\nGPU: none (" << hw.gpu_status << ")";
    }
    for (const auto& gpu : hw.gpus) {
        out << "\nGPU " << gpu.index << ": " << gpu.name << ", compute capability " << gpu.cc_major << "."
            << gpu.cc_minor << ", " << gib(gpu.memory_total);
        if (gpu.memory_free) out << " (" << gib(gpu.memory_free) << " free)";
    }
    return out.str();
}

}  // namespace hearth
