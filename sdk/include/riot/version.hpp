#pragma once
// SDK version and build tag. A plugin records both at compile time; the host
// refuses a plugin whose SDK major version or build tag differs from its own,
// because C++ types (std::string, std::vector, virtual tables) cross the
// plugin boundary and only a compatible toolchain lays them out the same way.

#define RIOT_SDK_VERSION_MAJOR 6
#define RIOT_SDK_VERSION_MINOR 0
#define RIOT_SDK_VERSION_PATCH 0

#define RIOT_STRINGIFY_IMPL(x) #x
#define RIOT_STRINGIFY(x) RIOT_STRINGIFY_IMPL(x)

#if defined(__clang__)
#define RIOT_COMPILER_TAG "clang-" RIOT_STRINGIFY(__clang_major__)
#elif defined(__GNUC__)
#define RIOT_COMPILER_TAG "gcc-" RIOT_STRINGIFY(__GNUC__)
#else
#define RIOT_COMPILER_TAG "unknown-compiler"
#endif

#if defined(_GLIBCXX_USE_CXX11_ABI) && _GLIBCXX_USE_CXX11_ABI
#define RIOT_STDLIB_TAG "libstdc++-cxx11"
#elif defined(__GLIBCXX__)
#define RIOT_STDLIB_TAG "libstdc++-cow"
#elif defined(_LIBCPP_VERSION)
#define RIOT_STDLIB_TAG "libc++-" RIOT_STRINGIFY(_LIBCPP_ABI_VERSION)
#else
#define RIOT_STDLIB_TAG "unknown-stdlib"
#endif

// Compiler family and major version plus the standard library ABI: what must
// match for C++ objects to be shared between the host and a plugin.
#define RIOT_BUILD_TAG RIOT_COMPILER_TAG "/" RIOT_STDLIB_TAG

namespace riot {

struct SdkVersion {
  int major;
  int minor;
  int patch;
};

inline constexpr SdkVersion kSdkVersion{RIOT_SDK_VERSION_MAJOR, RIOT_SDK_VERSION_MINOR,
                                        RIOT_SDK_VERSION_PATCH};
inline constexpr const char* kBuildTag = RIOT_BUILD_TAG;

}  // namespace riot
