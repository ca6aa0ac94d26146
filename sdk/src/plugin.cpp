#include "riot/plugin.hpp"

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
  }
  return "unknown";
}

}  // namespace riot
