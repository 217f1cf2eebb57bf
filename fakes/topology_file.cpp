// Topology files: YAML (yaml-cpp) to a TopologyFile, then to a layout that
// fits the fleet (see topology_file.h).
#include "fakes/topology_file.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "fakes/server.h"

namespace cs {

namespace {

constexpr int kMaxIndex = 99999;  // setup's largest server_count, less one

std::string Where(const std::string& path, const YAML::Mark& mark) {
  if (mark.is_null()) return path;
  return path + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

Status Error(const std::string& where, const std::string& message) {
  return Status::InvalidArgument(where + ": " + message);
}

// Reads one YAML map, refusing keys it does not know and keys given twice.
class MapReader {
 public:
  MapReader(const YAML::Node& node, const std::string& path, const std::string& what) : path_(path) {
    if (!node.IsMap()) {
      status_ = Error(Where(path, node.Mark()), what + " must be a map of keys");
      return;
    }
    for (const auto& kv : node) {
      const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
      if (!kv.first.IsScalar()) {
        status_ = Error(Where(path, kv.first.Mark()), "a key of " + what + " must be a plain word");
        return;
      }
      if (entries_.count(key)) {
        status_ = Error(Where(path, kv.first.Mark()), "key '" + key + "' appears twice in " + what);
        return;
      }
      entries_.emplace(key, std::make_pair(kv.first, kv.second));
    }
  }
  const Status& status() const { return status_; }
  // Refuses any key not in `known`.
  Status OnlyKeys(const std::vector<std::string>& known, const std::string& what) const {
    for (const auto& [key, kv] : entries_) {
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      return Error(Where(path_, kv.first.Mark()), "unknown key '" + key + "' in " + what + " (known: " + list + ")");
    }
    return Status::Ok();
  }
  const YAML::Node* Find(const std::string& key) const {
    auto it = entries_.find(key);
    return it == entries_.end() ? nullptr : &it->second.second;
  }
  std::string KeyWhere(const std::string& key) const {
    auto it = entries_.find(key);
    return it == entries_.end() ? path_ : Where(path_, it->second.first.Mark());
  }

 private:
  std::string path_;
  Status status_;
  std::map<std::string, std::pair<YAML::Node, YAML::Node>> entries_;
};

bool ParseInt(const std::string& s, int* out) {
  if (s.empty() || s.size() > 9) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  *out = std::stoi(s);
  return true;
}

Status ReadInt(const YAML::Node& node, const std::string& path, const std::string& what, int min, int max, int* out) {
  if (!node.IsScalar() || !ParseInt(node.Scalar(), out) || *out < min || *out > max) {
    return Error(Where(path, node.Mark()), what + " must be a whole number from " + std::to_string(min) + " to " +
                                               std::to_string(max));
  }
  return Status::Ok();
}

// Names become CRUSH bucket names, PDU console names and state file names.
bool ValidName(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && !(i > 0 && (c == '-' || c == '_' || c == '.'))) return false;
  }
  return true;
}

Status ReadName(const YAML::Node& node, const std::string& path, const std::string& what, std::string* out) {
  if (!node.IsScalar() || !ValidName(node.Scalar())) {
    return Error(Where(path, node.Mark()), what + " must be 1 to 64 letters, digits, '-', '_' or '.' (not first)");
  }
  *out = node.Scalar();
  return Status::Ok();
}

Status ReadNames(const YAML::Node& node, const std::string& path, const std::string& what,
                 std::vector<std::string>* out) {
  if (!node.IsSequence() || node.size() == 0) {
    return Error(Where(path, node.Mark()), what + " must be a non-empty list of names");
  }
  for (const YAML::Node& item : node) {
    std::string name;
    CS_RETURN_IF_ERROR(ReadName(item, path, "a name in " + what, &name));
    if (std::find(out->begin(), out->end(), name) != out->end()) {
      return Error(Where(path, item.Mark()), "'" + name + "' appears twice in " + what);
    }
    out->push_back(name);
  }
  return Status::Ok();
}

// "3", "0-7" or "0-7,16,20-23".
Status ReadRanges(const std::string& text, const std::string& where, IndexSet* out) {
  std::stringstream in(text);
  std::string part;
  bool any = false;
  while (std::getline(in, part, ',')) {
    part.erase(std::remove(part.begin(), part.end(), ' '), part.end());
    const size_t dash = part.find('-');
    int first = 0, last = 0;
    const bool ok = dash == std::string::npos
                        ? ParseInt(part, &first) && (last = first, true)
                        : ParseInt(part.substr(0, dash), &first) && ParseInt(part.substr(dash + 1), &last);
    if (!ok || first > last || last > kMaxIndex) {
      return Error(where, "'" + part + "' is not a server index or range (like 5 or 0-7, indexes from 0 to " +
                              std::to_string(kMaxIndex) + ")");
    }
    out->ranges.emplace_back(first, last);
    any = true;
  }
  if (!any) return Error(where, "an empty set of servers");
  return Status::Ok();
}

Status ReadIndexSet(const YAML::Node& node, const std::string& path, IndexSet* out) {
  out->where = Where(path, node.Mark());
  if (node.IsScalar()) return ReadRanges(node.Scalar(), out->where, out);
  if (!node.IsSequence() || node.size() == 0) {
    return Error(out->where, "servers must be indexes and ranges: 5, \"0-7,16\" or a list of those");
  }
  for (const YAML::Node& item : node) {
    if (!item.IsScalar()) return Error(Where(path, item.Mark()), "a server index or range (like 5 or 0-7)");
    CS_RETURN_IF_ERROR(ReadRanges(item.Scalar(), Where(path, item.Mark()), out));
  }
  return Status::Ok();
}

Status ReadFeed(const YAML::Node& node, const std::string& path, TopologyFile::Feed* feed) {
  feed->where = Where(path, node.Mark());
  MapReader m(node, path, "a feed");
  CS_RETURN_IF_ERROR(m.status());
  CS_RETURN_IF_ERROR(m.OnlyKeys({"servers", "pdus"}, "a feed"));
  if (!m.Find("servers") || !m.Find("pdus")) return Error(feed->where, "a feed needs servers and pdus");
  CS_RETURN_IF_ERROR(ReadIndexSet(*m.Find("servers"), path, &feed->servers));
  return ReadNames(*m.Find("pdus"), path, "a feed's pdus", &feed->pdus);
}

Status ReadRack(const YAML::Node& node, const std::string& path, TopologyFile::Rack* rack) {
  rack->where = Where(path, node.Mark());
  MapReader m(node, path, "a rack");
  CS_RETURN_IF_ERROR(m.status());
  CS_RETURN_IF_ERROR(m.OnlyKeys({"name", "count", "servers", "pdus", "feeds"}, "a rack"));
  if (const YAML::Node* n = m.Find("name")) CS_RETURN_IF_ERROR(ReadName(*n, path, "a rack's name", &rack->name));
  if (m.Find("count") && m.Find("servers")) {
    return Error(m.KeyWhere("servers"), "a rack takes either count (the next N servers) or servers (indexes), not both");
  }
  if (!m.Find("count") && !m.Find("servers")) {
    return Error(rack->where, "a rack needs count (the next N servers) or servers (indexes like 0-7)");
  }
  if (const YAML::Node* n = m.Find("count")) {
    int count = 0;
    CS_RETURN_IF_ERROR(ReadInt(*n, path, "a rack's count", 1, kMaxIndex + 1, &count));
    rack->count = count;
  }
  if (const YAML::Node* n = m.Find("servers")) {
    rack->servers.emplace();
    CS_RETURN_IF_ERROR(ReadIndexSet(*n, path, &*rack->servers));
  }
  if (const YAML::Node* n = m.Find("pdus")) {
    rack->pdus.emplace();
    CS_RETURN_IF_ERROR(ReadNames(*n, path, "a rack's pdus", &*rack->pdus));
  }
  if (const YAML::Node* n = m.Find("feeds")) {
    if (!n->IsSequence() || n->size() == 0) return Error(Where(path, n->Mark()), "feeds must be a non-empty list");
    for (const YAML::Node& item : *n) {
      rack->feeds.emplace_back();
      CS_RETURN_IF_ERROR(ReadFeed(item, path, &rack->feeds.back()));
    }
  }
  return Status::Ok();
}

Status ReadRow(const YAML::Node& node, const std::string& path, TopologyFile::Row* row) {
  row->where = Where(path, node.Mark());
  MapReader m(node, path, "a row");
  CS_RETURN_IF_ERROR(m.status());
  CS_RETURN_IF_ERROR(m.OnlyKeys({"name", "racks"}, "a row"));
  if (const YAML::Node* n = m.Find("name")) CS_RETURN_IF_ERROR(ReadName(*n, path, "a row's name", &row->name));
  const YAML::Node* racks = m.Find("racks");
  if (!racks || !racks->IsSequence() || racks->size() == 0) {
    return Error(racks ? Where(path, racks->Mark()) : row->where, "a row needs racks: a non-empty list");
  }
  for (const YAML::Node& item : *racks) {
    row->racks.emplace_back();
    CS_RETURN_IF_ERROR(ReadRack(item, path, &row->racks.back()));
  }
  return Status::Ok();
}

Status ReadTop(const YAML::Node& root, TopologyFile* file) {
  const std::string& path = file->path;
  MapReader m(root, path, "the topology file");
  CS_RETURN_IF_ERROR(m.status());
  CS_RETURN_IF_ERROR(m.OnlyKeys({"root", "rows", "cluster_spread", "clusters", "su_size"}, "the topology file"));
  if (const YAML::Node* n = m.Find("root")) CS_RETURN_IF_ERROR(ReadName(*n, path, "root", &file->root));
  const YAML::Node* rows = m.Find("rows");
  file->rows_where = rows ? m.KeyWhere("rows") : Where(path, root.Mark());
  if (!rows || !rows->IsSequence() || rows->size() == 0) {
    return Error(rows ? Where(path, rows->Mark()) : file->rows_where, "the file needs rows: a non-empty list of rows");
  }
  for (const YAML::Node& item : *rows) {
    file->rows.emplace_back();
    CS_RETURN_IF_ERROR(ReadRow(item, path, &file->rows.back()));
  }
  if (const YAML::Node* n = m.Find("cluster_spread")) {
    if (!n->IsScalar() || (n->Scalar() != "none" && n->Scalar() != "rack")) {
      return Error(Where(path, n->Mark()), "cluster_spread must be none or rack");
    }
    file->cluster_spread = n->Scalar();
  }
  if (const YAML::Node* n = m.Find("clusters")) {
    file->clusters_where = m.KeyWhere("clusters");
    if (file->cluster_spread) return Error(file->clusters_where, "give clusters or cluster_spread, not both");
    if (!n->IsSequence() || n->size() == 0) {
      return Error(Where(path, n->Mark()), "clusters must be a non-empty list of server sets");
    }
    file->clusters.emplace();
    for (const YAML::Node& item : *n) {
      file->clusters->emplace_back();
      CS_RETURN_IF_ERROR(ReadIndexSet(item, path, &file->clusters->back()));
    }
  }
  if (const YAML::Node* n = m.Find("su_size")) {
    int su = 0;
    CS_RETURN_IF_ERROR(ReadInt(*n, path, "su_size", 1, kMaxIndex + 1, &su));
    file->su_size = su;
    file->su_size_where = m.KeyWhere("su_size");
  }
  return Status::Ok();
}

// Default names, then one namespace for root, rows and racks (they are all
// CRUSH buckets) and one for PDUs.
Status CheckNames(TopologyFile* file) {
  std::map<std::string, std::string> buckets = {{file->root, "the root"}};
  int rack_number = 0;
  for (size_t r = 0; r < file->rows.size(); ++r) {
    TopologyFile::Row& row = file->rows[r];
    if (row.name.empty()) row.name = RowName(static_cast<int>(r));
    if (!buckets.emplace(row.name, "row " + row.name).second) {
      return Error(row.where, "the name '" + row.name + "' is already used by " + buckets[row.name]);
    }
    for (TopologyFile::Rack& rack : row.racks) {
      if (rack.name.empty()) rack.name = RackName(rack_number);
      ++rack_number;
      if (!buckets.emplace(rack.name, "rack " + rack.name).second) {
        return Error(rack.where, "the name '" + rack.name + "' is already used by " + buckets[rack.name]);
      }
    }
  }
  return Status::Ok();
}

std::string RangeText(int first, int last) {
  return first == last ? std::to_string(first) : std::to_string(first) + "-" + std::to_string(last);
}

// The indexes in [0, n) for which `taken` is false, as ranges.
std::string Missing(const std::vector<int>& owner, size_t limit = 8) {
  std::string out;
  size_t shown = 0;
  for (size_t i = 0; i < owner.size(); ++i) {
    if (owner[i] >= 0) continue;
    size_t j = i;
    while (j + 1 < owner.size() && owner[j + 1] < 0) ++j;
    if (shown++ == limit) return out + ", ...";
    out += (out.empty() ? "" : ", ") + RangeText(static_cast<int>(i), static_cast<int>(j));
    i = j;
  }
  return out;
}

// Puts every index of `set` in rack `rack`, refusing indexes out of the
// fleet and indexes another rack already has.
Status Claim(const IndexSet& set, int rack, const std::vector<const TopologyFile::Rack*>& racks, int server_count,
             std::vector<int>* owner) {
  for (const auto& [first, last] : set.ranges) {
    if (last >= server_count) {
      return Error(set.where, "server index " + std::to_string(last) + " is beyond the fleet's " +
                                  std::to_string(server_count) + " servers (indexes 0-" +
                                  std::to_string(server_count - 1) + "; see --server_count)");
    }
    for (int i = first; i <= last; ++i) {
      int& o = (*owner)[static_cast<size_t>(i)];
      if (o >= 0) {
        return Error(set.where, "server " + std::to_string(i) + " is in rack " + racks[static_cast<size_t>(o)]->name +
                                    (o == rack ? " twice" : " already"));
      }
      o = rack;
    }
  }
  return Status::Ok();
}

Status PlaceServers(const std::vector<const TopologyFile::Rack*>& racks, const TopologyFile& file,
                    int server_count, std::vector<int>* owner) {
  owner->assign(static_cast<size_t>(server_count), -1);
  for (size_t k = 0; k < racks.size(); ++k) {
    if (racks[k]->servers) CS_RETURN_IF_ERROR(Claim(*racks[k]->servers, static_cast<int>(k), racks, server_count, owner));
  }
  // Counts take the lowest-numbered servers no range names, in file order.
  size_t next = 0;
  int placed = 0;
  for (int o : *owner) placed += o >= 0;
  for (size_t k = 0; k < racks.size(); ++k) {
    if (!racks[k]->count) continue;
    placed += *racks[k]->count;
    for (int n = 0; n < *racks[k]->count; ++n) {
      while (next < owner->size() && (*owner)[next] >= 0) ++next;
      if (next == owner->size()) {
        return Error(racks[k]->where, "rack " + racks[k]->name + " asks for " + std::to_string(*racks[k]->count) +
                                          " servers but the fleet has " + std::to_string(server_count) +
                                          " (--server_count) and the file places at least " + std::to_string(placed));
      }
      (*owner)[next] = static_cast<int>(k);
    }
  }
  const std::string missing = Missing(*owner);
  if (!missing.empty()) {
    return Error(file.rows_where, "the file places " + std::to_string(placed) + " of the fleet's " +
                                      std::to_string(server_count) + " servers (--server_count): " + missing +
                                      " are in no rack");
  }
  return Status::Ok();
}

// The rack's PDUs, and per position the indexes of the PDUs feeding it.
Status WireRack(const TopologyFile::Rack& fr, const std::vector<int>& owner,
                const std::vector<const TopologyFile::Rack*>& racks, const TopologyFleet& fleet,
                TopologyLayout::Rack* rack) {
  if (fr.pdus) {
    rack->pdus = *fr.pdus;
  } else {
    for (int p = 0; p < fleet.psu_count; ++p) rack->pdus.push_back(rack->name + "-pdu" + std::to_string(p));
  }
  std::vector<int> all(rack->pdus.size());
  for (size_t p = 0; p < all.size(); ++p) all[p] = static_cast<int>(p);
  rack->feeds.assign(rack->servers.size(), fr.feeds.empty() ? all : std::vector<int>{});
  if (fr.feeds.empty()) return Status::Ok();
  std::map<int, size_t> position;
  for (size_t p = 0; p < rack->servers.size(); ++p) position[rack->servers[p]] = p;
  std::string pdu_list;
  for (const auto& name : rack->pdus) pdu_list += (pdu_list.empty() ? "" : ", ") + name;
  for (const TopologyFile::Feed& feed : fr.feeds) {
    std::vector<int> pdus;
    for (const std::string& name : feed.pdus) {
      auto it = std::find(rack->pdus.begin(), rack->pdus.end(), name);
      if (it == rack->pdus.end()) {
        return Error(feed.where, "PDU '" + name + "' is not one of rack " + rack->name + "'s PDUs (" + pdu_list +
                                     "): a server's PSUs are fed by PDUs of its own rack");
      }
      pdus.push_back(static_cast<int>(it - rack->pdus.begin()));
    }
    for (const auto& [first, last] : feed.servers.ranges) {
      for (int i = first; i <= last; ++i) {
        auto p = position.find(i);
        if (p == position.end()) {
          const int o = i < static_cast<int>(owner.size()) ? owner[static_cast<size_t>(i)] : -1;
          return Error(feed.servers.where,
                       "server " + std::to_string(i) + " is " +
                           (o >= 0 ? "in rack " + racks[static_cast<size_t>(o)]->name : std::string("not in the fleet")) +
                           ", not in rack " + rack->name + ": a feed wires servers of its own rack");
        }
        if (!rack->feeds[p->second].empty()) {
          return Error(feed.servers.where, "server " + std::to_string(i) + " is in two feeds of rack " + rack->name);
        }
        rack->feeds[p->second] = pdus;
      }
    }
  }
  for (size_t p = 0; p < rack->feeds.size(); ++p) {
    if (rack->feeds[p].empty()) {
      return Error(fr.where, "rack " + rack->name + " has feeds, but none for server " +
                                 std::to_string(rack->servers[p]) + " (every server of the rack needs one)");
    }
  }
  return Status::Ok();
}

Status FormClusters(const TopologyFile& file, const TopologyFleet& fleet, TopologyLayout* layout) {
  if (file.cluster_spread == std::optional<std::string>("rack")) {
    // Racks in file order, cluster_size at a time; in each group, the
    // servers at one position form a cluster (as --cluster_spread rack).
    const size_t size = static_cast<size_t>(std::max(fleet.cluster_size, 1));
    for (size_t g = 0; g < layout->racks.size(); g += size) {
      size_t longest = 0;
      for (size_t k = g; k < std::min(g + size, layout->racks.size()); ++k) {
        longest = std::max(longest, layout->racks[k].servers.size());
      }
      for (size_t p = 0; p < longest; ++p) {
        std::vector<int> members;
        for (size_t k = g; k < std::min(g + size, layout->racks.size()); ++k) {
          if (p < layout->racks[k].servers.size()) members.push_back(layout->racks[k].servers[p]);
        }
        layout->clusters.push_back(std::move(members));
      }
    }
    return Status::Ok();
  }
  if (!file.clusters) return Status::Ok();
  std::vector<int> owner(static_cast<size_t>(fleet.server_count), -1);
  for (size_t c = 0; c < file.clusters->size(); ++c) {
    const IndexSet& set = (*file.clusters)[c];
    std::vector<int> members;
    for (const auto& [first, last] : set.ranges) {
      for (int i = first; i <= last; ++i) {
        if (i >= fleet.server_count) {
          return Error(set.where, "server index " + std::to_string(i) + " is beyond the fleet's " +
                                      std::to_string(fleet.server_count) + " servers");
        }
        if (owner[static_cast<size_t>(i)] >= 0) {
          return Error(set.where, "server " + std::to_string(i) + " is already in cluster " +
                                      std::to_string(owner[static_cast<size_t>(i)]));
        }
        owner[static_cast<size_t>(i)] = static_cast<int>(c);
        members.push_back(i);
      }
    }
    std::sort(members.begin(), members.end());
    layout->clusters.push_back(std::move(members));
  }
  const std::string missing = Missing(owner);
  if (!missing.empty()) return Error(file.clusters_where, "servers " + missing + " are in no cluster");
  return Status::Ok();
}

}  // namespace

Result<TopologyFile> ParseTopologyFile(const std::string& text, const std::string& path) {
  TopologyFile file;
  file.path = path;
  try {
    const YAML::Node root = YAML::Load(text);
    CS_RETURN_IF_ERROR(ReadTop(root, &file));
  } catch (const YAML::Exception& e) {
    return Error(Where(path, e.mark), "not valid YAML: " + e.msg);
  }
  CS_RETURN_IF_ERROR(CheckNames(&file));
  return file;
}

Result<TopologyFile> ReadTopologyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot read the topology file");
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().size() > (8 << 20)) return Status::InvalidArgument(path + ": larger than 8 MiB");
  return ParseTopologyFile(text.str(), path);
}

int ServersPlaced(const TopologyFile& file) {
  std::set<int> named;
  int64_t counted = 0;
  for (const auto& row : file.rows) {
    for (const auto& rack : row.racks) {
      if (rack.count) counted += *rack.count;
      if (!rack.servers) continue;
      for (const auto& [first, last] : rack.servers->ranges) {
        for (int i = first; i <= last; ++i) named.insert(i);
      }
    }
  }
  return static_cast<int>(std::min<int64_t>(counted + static_cast<int64_t>(named.size()), kMaxIndex + 2));
}

Result<std::shared_ptr<const TopologyLayout>> LayoutFromFile(const TopologyFile& file, const TopologyFleet& fleet) {
  auto layout = std::make_shared<TopologyLayout>();
  layout->root = file.root;
  layout->first_server = fleet.first_server;
  layout->default_psu_count = fleet.psu_count;
  std::vector<const TopologyFile::Rack*> racks;
  for (size_t r = 0; r < file.rows.size(); ++r) {
    layout->rows.push_back(file.rows[r].name);
    for (const TopologyFile::Rack& rack : file.rows[r].racks) {
      racks.push_back(&rack);
      layout->racks.push_back(TopologyLayout::Rack{rack.name, static_cast<int>(r), {}, {}, {}});
    }
  }
  std::vector<int> owner;
  CS_RETURN_IF_ERROR(PlaceServers(racks, file, fleet.server_count, &owner));
  for (size_t i = 0; i < owner.size(); ++i) layout->racks[static_cast<size_t>(owner[i])].servers.push_back(static_cast<int>(i));

  // Bucket names must not be a host's, or the CRUSH map would name two things alike.
  std::set<std::string> buckets = {layout->root};
  buckets.insert(layout->rows.begin(), layout->rows.end());
  for (const auto& r : layout->racks) buckets.insert(r.name);
  for (int i = 0; i < fleet.server_count; ++i) {
    const std::string host = fleet.name_prefix + ServerNodename(fleet.first_server + i);
    if (buckets.count(host)) {
      return Error(file.rows_where, "'" + host + "' names a row, rack or the root but is also server " +
                                        std::to_string(i) + "'s nodename");
    }
  }
  std::map<std::string, std::string> pdu_rack;
  size_t pdu_count = 0;
  bool some_without = false, some_with = false;
  for (size_t k = 0; k < racks.size(); ++k) {
    TopologyLayout::Rack& rack = layout->racks[k];
    CS_RETURN_IF_ERROR(WireRack(*racks[k], owner, racks, fleet, &rack));
    (rack.pdus.empty() ? some_without : some_with) = true;
    pdu_count += rack.pdus.size();
    for (const std::string& pdu : rack.pdus) {
      auto [it, fresh] = pdu_rack.emplace(pdu, rack.name);
      if (!fresh) {
        return Error(racks[k]->where, "PDU '" + pdu + "' is in rack " + it->second + " and in rack " + rack.name +
                                          " (PDU names are unique; each PDU belongs to one rack)");
      }
    }
  }
  if (some_without && some_with) {
    return Error(file.rows_where, "with --psu_count 0, racks that do not list their pdus have none, but others do: "
                                  "list pdus for every rack, or for none");
  }
  if (pdu_count > static_cast<size_t>(fleet.max_pdus)) {
    return Error(file.rows_where, "the file makes " + std::to_string(pdu_count) + " PDUs, more than the " +
                                      std::to_string(fleet.max_pdus) + " a fleet can serve");
  }
  CS_RETURN_IF_ERROR(FormClusters(file, fleet, layout.get()));
  layout->Index();
  return std::shared_ptr<const TopologyLayout>(std::move(layout));
}

}  // namespace cs
