#include "riot/plugin.hpp"

#include "riot/host_context.hpp"

namespace riot {

std::string_view to_string(ComponentKind kind) {
  switch (kind) {
    case ComponentKind::source:
      return "source";
    case ComponentKind::reader:
      return "reader";
    case ComponentKind::sink:
      return "sink";
    case ComponentKind::datatype:
      return "datatype";
    case ComponentKind::comparator:
      return "comparator";
    case ComponentKind::transform:
      return "transform";
  }
  return "unknown";
}

std::string_view to_string(DifferenceClass difference) {
  switch (difference) {
    case DifferenceClass::missing:
      return "missing";
    case DifferenceClass::extra:
      return "extra";
    case DifferenceClass::type:
      return "type";
    case DifferenceClass::value:
      return "value";
    case DifferenceClass::ttl:
      return "ttl";
  }
  return "unknown";
}

}  // namespace riot
