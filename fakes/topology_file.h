// Topology files (`cluster-sim setup --topology FILE`): a YAML description
// of what the rack flags cannot say — named rows and racks, which servers
// are in which rack (by count or by index ranges), each rack's PDUs and which
// of them feed which servers' PSUs, the scalable units' size and the
// corosync clusters. docs/crush.md gives the schema; docs/topology-example.yaml
// is a worked example. Reading is in two steps: ParseTopologyFile checks the
// file on its own (syntax, keys, types, names, duplicates), LayoutFromFile
// fits it to the fleet (every server placed once, feeds inside their rack).
// Every error names the file, line and column.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fakes/topology.h"
#include "util/status.h"

namespace cs {

// Server indexes as written: "0-7,16", 5, or a list of those.
struct IndexSet {
  std::vector<std::pair<int, int>> ranges;  // inclusive
  std::string where;                        // file:line:column
};

struct TopologyFile {
  struct Feed {
    IndexSet servers;
    std::vector<std::string> pdus;
    std::string where;
  };
  struct Rack {
    std::string name;  // empty: rack000, rack001, ... by position in the file
    std::optional<int> count;
    std::optional<IndexSet> servers;
    std::optional<std::vector<std::string>> pdus;
    std::vector<Feed> feeds;
    std::string where;
  };
  struct Row {
    std::string name;  // empty: row00, row01, ...
    std::vector<Rack> racks;
    std::string where;
  };
  std::string path;
  std::string root = "default";
  std::vector<Row> rows;
  std::string rows_where;
  std::optional<std::string> cluster_spread;  // none | rack
  std::optional<std::vector<IndexSet>> clusters;
  std::string clusters_where;
  std::optional<int> su_size;
  std::string su_size_where;
};

// What LayoutFromFile fits the file to.
struct TopologyFleet {
  int server_count = 0;
  int psu_count = 1;     // PDUs of a rack that does not list its own
  int cluster_size = 4;  // racks per group under cluster_spread rack
  int first_server = 0;  // --name_offset
  std::string name_prefix;
  int max_pdus = 4096;
};

Result<TopologyFile> ParseTopologyFile(const std::string& text, const std::string& path);
Result<TopologyFile> ReadTopologyFile(const std::string& path);
// How many servers the file places (its ranges and counts): the fleet's
// size when setup gives no --server_count.
int ServersPlaced(const TopologyFile& file);
Result<std::shared_ptr<const TopologyLayout>> LayoutFromFile(const TopologyFile& file, const TopologyFleet& fleet);

}  // namespace cs
