#include "pacemaker/oracle.h"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace cs::pacemaker {

namespace {

constexpr int kMaxTransitions = 12;

Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  return out.flush() ? Status::Ok() : Status::IoError("cannot write " + path);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Status Edit(const std::string& path, const CibEdit& edit) {
  if (!edit) return Status::Ok();
  pugi::xml_document doc;
  if (!doc.load_file(path.c_str())) return Status::Corruption("cannot parse " + path);
  edit(doc);
  return doc.save_file(path.c_str(), "  ") ? Status::Ok() : Status::IoError("cannot write " + path);
}

pugi::xml_node Configuration(pugi::xml_document& cib) { return cib.child("cib").child("configuration"); }

pugi::xml_node NodeById(pugi::xml_document& cib, const std::string& uname) {
  return Configuration(cib).child("nodes").find_child_by_attribute("node", "uname", uname.c_str());
}

void SetNvPair(pugi::xml_node set, const std::string& id, const std::string& name, const std::string& value) {
  pugi::xml_node nv = set.find_child_by_attribute("nvpair", "name", name.c_str());
  if (!nv) {
    nv = set.append_child("nvpair");
    nv.append_attribute("id") = id.c_str();
    nv.append_attribute("name") = name.c_str();
    nv.append_attribute("value") = value.c_str();
    return;
  }
  nv.attribute("value").set_value(value.c_str());
}

}  // namespace

Result<Oracle> Oracle::Create() {
  const char* base = getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/cs-oracle-XXXXXX";
  if (!mkdtemp(pattern.data())) return Status::IoError("mkdtemp " + pattern);
  return Oracle(pattern);
}

Oracle::Oracle(Oracle&& other) noexcept : dir_(std::move(other.dir_)) { other.dir_.clear(); }

Oracle::~Oracle() {
  if (dir_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

Status Oracle::Settle(const std::string& path, const OracleEvent& event, std::vector<std::string> first_args,
                      OracleResult& result) {
  const std::string next = dir_ + "/next.xml";
  std::vector<std::string> failures;
  for (const auto& [rsc, node] : event.start_failures) {
    failures.push_back("--op-fail");
    failures.push_back(rsc + "_start_0@" + node + "=1");
  }
  for (int i = 0; i < kMaxTransitions; ++i) {
    std::vector<std::string> args = i == 0 ? first_args : std::vector<std::string>{};
    args.insert(args.end(), failures.begin(), failures.end());
    auto r = CrmSimulate(path, next, args);
    if (!r.ok()) return r.status();
    std::filesystem::rename(next, path);
    ++result.transitions;
    result.view = std::move(r->after);
    if (!r->changed) return Status::Ok();
  }
  return Status::Internal("pacemaker did not settle in " + std::to_string(kMaxTransitions) + " transitions");
}

Result<OracleResult> Oracle::Run(const std::string& cib_before, const OracleEvent& event) {
  const std::string path = dir_ + "/cib.xml";
  CS_RETURN_IF_ERROR(WriteFile(path, cib_before));
  CS_RETURN_IF_ERROR(Edit(path, event.edit));
  std::vector<std::string> first = event.node_args;
  first.push_back(std::string("--quorum=") + (event.quorum ? "1" : "0"));
  OracleResult result;
  CS_RETURN_IF_ERROR(Settle(path, event, first, result));
  if (event.edit_after) {
    CS_RETURN_IF_ERROR(Edit(path, event.edit_after));
    CS_RETURN_IF_ERROR(Settle(path, event, {}, result));
  }
  result.final_cib = ReadFile(path);
  return result;
}

void SetTargetRole(pugi::xml_document& cib, const std::string& rsc, bool started) {
  pugi::xml_node p = Configuration(cib).child("resources").find_child_by_attribute("primitive", "id", rsc.c_str());
  pugi::xml_node meta = p.child("meta_attributes");
  if (!meta) {
    meta = p.prepend_child("meta_attributes");
    meta.append_attribute("id") = (rsc + "-meta_attributes").c_str();
  }
  SetNvPair(meta, rsc + "-meta_attributes-target-role", "target-role", started ? "Started" : "Stopped");
}

void SetStandby(pugi::xml_document& cib, const std::string& node, bool standby) {
  pugi::xml_node n = NodeById(cib, node);
  pugi::xml_node attrs = n.child("instance_attributes");
  const std::string set_id = std::string("nodes-") + n.attribute("id").value();
  if (!attrs) {
    attrs = n.append_child("instance_attributes");
    attrs.append_attribute("id") = set_id.c_str();
  }
  SetNvPair(attrs, set_id + "-standby", "standby", standby ? "on" : "off");
}

void AddLocation(pugi::xml_document& cib, const std::string& id, const std::string& rsc, const std::string& node,
                 const std::string& score) {
  pugi::xml_node c = Configuration(cib).child("constraints").append_child("rsc_location");
  c.append_attribute("id") = id.c_str();
  c.append_attribute("rsc") = rsc.c_str();
  c.append_attribute("role") = "Started";
  c.append_attribute("node") = node.c_str();
  c.append_attribute("score") = score.c_str();
}

void RemoveConstraint(pugi::xml_document& cib, const std::string& id) {
  pugi::xml_node constraints = Configuration(cib).child("constraints");
  constraints.remove_child(constraints.find_child_by_attribute("rsc_location", "id", id.c_str()));
}

void CleanupResource(pugi::xml_document& cib, const std::string& rsc) {
  const std::string fail_prefix = "fail-count-" + rsc + "#", last_prefix = "last-failure-" + rsc + "#";
  for (pugi::xml_node ns : cib.child("cib").child("status").children("node_state")) {
    bool failed_here = false;
    for (pugi::xml_node set : ns.child("transient_attributes").children("instance_attributes")) {
      std::vector<pugi::xml_node> doomed;
      for (pugi::xml_node nv : set.children("nvpair")) {
        const std::string name = nv.attribute("name").value();
        if (name.rfind(fail_prefix, 0) == 0 || name.rfind(last_prefix, 0) == 0) doomed.push_back(nv);
      }
      failed_here = failed_here || !doomed.empty();
      for (pugi::xml_node nv : doomed) set.remove_child(nv);
    }
    if (!failed_here) continue;
    pugi::xml_node lrm_resources = ns.child("lrm").child("lrm_resources");
    lrm_resources.remove_child(lrm_resources.find_child_by_attribute("lrm_resource", "id", rsc.c_str()));
  }
}

}  // namespace cs::pacemaker
