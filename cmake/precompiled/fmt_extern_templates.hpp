// Included first into every C++ translation unit of riot's own tree (through
// the precompiled header, or -include where a target has none; see
// cmake/RiotPrecompiledHeaders.cmake). Never installed, never seen by
// plugins built out of tree.
//
// fmt 9 (Debian 12's libfmt 9.1) defines its formatting engine,
// fmt::detail::vformat_to<char>, in a header and compiles it into libfmt, but
// its header does not declare that instantiation extern. So every
// translation unit that formats or logs (spdlog formats with fmt) compiled
// the whole engine again, integer and floating-point writers included: about
// half of the compile time of such a file. Declaring the instantiation extern
// here, as newer fmt releases do in their own header, links those calls to
// libfmt instead.
#pragma once

#include <fmt/format.h>

#if !defined(FMT_HEADER_ONLY) && FMT_VERSION >= 90000 && FMT_VERSION < 100000
FMT_BEGIN_NAMESPACE
namespace detail {
extern template FMT_API void vformat_to<char>(buffer<char>&, string_view,
                                              basic_format_args<FMT_BUFFER_CONTEXT(char)>,
                                              locale_ref);
}  // namespace detail
FMT_END_NAMESPACE
#endif
