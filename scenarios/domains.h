// Failure domains of a fleet as the simulator's status shows them (each
// storage server's `location`: row, rack, the PDUs that feed it, its
// scalable unit's controller, named controller001 for id 1): the
// domains of a type, the ones a server lies in, the seeded choice of the
// domains a fail-domain step cuts, and which servers lose power with them.
// Pure functions of a status, so the choice and the verdicts built on them
// are unit-tested on made-up fleets.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "fakes/json_helpers.h"
#include "util/random.h"
#include "util/status.h"

namespace cs::scenarios {

// The domain types fail-domain and domain-survives take.
const std::vector<std::string>& DomainTypes();

struct Domain {
  std::string name;                  // rack000, row00, rack000-pdu0
  std::vector<std::string> servers;  // fqdns of the storage servers in it (fed by it, for a PDU)
};

// Every domain of `type` (rack, row, pdu, controller) in name order; InvalidArgument
// for another type, or a status whose servers carry no location.
Result<std::vector<Domain>> DomainsOf(const Json& status, const std::string& type);

// The domains of `type` a server (a status server object) lies in: one
// rack, one row, every PDU that feeds it, its SU's controller.
std::vector<std::string> DomainsOfServer(const Json& server, const std::string& type);

// `count` distinct domains of `type`, drawn with `rng` from the sorted list
// (so the same seed and fleet always give the same ones); InvalidArgument
// when the fleet has fewer.
Result<std::vector<Domain>> ChooseDomains(const Json& status, const std::string& type, int count, Random& rng);

// The servers that lose power when `lost` domains of `type` go dark: every
// server of a lost rack or row; for PDUs, every server all of whose feeding
// PDUs are lost (a second PSU on a live PDU keeps a server up); none for
// controllers (their servers keep power and lose only the LUNs).
std::vector<std::string> ServersDownWith(const Json& status, const std::string& type, const std::set<std::string>& lost);

}  // namespace cs::scenarios
