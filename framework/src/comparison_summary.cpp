#include "riot/host/comparison_summary.hpp"

namespace riot::host {

std::uint64_t& ComparisonCounts::of(DifferenceClass difference) {
  switch (difference) {
    case DifferenceClass::missing:
      return missing;
    case DifferenceClass::extra:
      return extra;
    case DifferenceClass::type:
      return type;
    case DifferenceClass::value:
      return value;
    case DifferenceClass::ttl:
      break;
  }
  return ttl;
}

std::uint64_t ComparisonCounts::of(DifferenceClass difference) const {
  return const_cast<ComparisonCounts&>(*this).of(difference);
}

std::string format_counts(const ComparisonCounts& counts) {
  return std::to_string(counts.ok) + " ok, " + std::to_string(counts.missing) + " missing, " +
         std::to_string(counts.type) + " type, " + std::to_string(counts.value) + " value, " +
         std::to_string(counts.ttl) + " ttl, " + std::to_string(counts.extra) + " extra";
}

}  // namespace riot::host
