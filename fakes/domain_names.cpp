// The name of a scalable unit's controller as a failure domain, declared in
// fakes/topology.h. A file of its own so that code which names domains
// without a world (the scenario loader's fuzz target) can link it alone.
#include <cstdio>
#include <string>

#include "fakes/topology.h"

namespace cs {

std::string ControllerName(int controller_id) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "controller%03d", controller_id);
  return buf;
}

}  // namespace cs
