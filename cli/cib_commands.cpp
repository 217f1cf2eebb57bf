#include "cli/cib_commands.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "pacemaker/cib_writer.h"
#include "state/store.h"
#include "util/clock.h"

namespace cs::cli {

namespace {

// A cluster by id ("0"), or the cluster of a server by fqdn or nodename.
Result<const Cluster*> FindCluster(const World& w, const std::string& which) {
  if (const Cluster* c = w.clusters.Find(which)) return c;
  const Server* s = w.servers.Find(which);
  if (!s) s = w.FindServerByNodename(which);
  if (!s) return Status::NotFound("no cluster, server or node named '" + which + "'");
  const Cluster* c = w.ClusterOf(*s);
  if (!c) return Status::NotFound(which + " belongs to no HA cluster");
  return c;
}

int Show(const World& w, const CibCli& cli) {
  auto cluster = FindCluster(w, cli.which);
  if (!cluster.ok()) return Fail("cib show: " + cluster.status().message());
  SystemClock clock;
  const std::string xml = pacemaker::WriteCib(**cluster, std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count());
  if (!cli.output) {
    std::cout << xml;
    return kExitOk;
  }
  const std::string tmp = *cli.output + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << xml;
    if (!out.flush()) return Fail("cib show: cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), cli.output->c_str()) != 0) return Fail("cib show: cannot write " + *cli.output);
  return kExitOk;
}

int List(const World& w, const CibCli& cli) {
  Json out = Json::array();
  for (const auto& [key, c] : w.clusters.all()) {
    Json nodes = Json::array();
    for (const auto& [name, n] : c.nodes) {
      nodes.push_back({{"name", name}, {"online", n.online}, {"standby", n.standby}, {"unclean", n.unclean}});
    }
    const ClusterNode* dc = c.DesignatedController();
    size_t running = 0;
    for (const auto& [label, r] : c.resources) running += r.started_on ? 1 : 0;
    out.push_back({{"id", c.id}, {"nodes", nodes}, {"dc", dc ? Json(dc->nodename) : Json(nullptr)},
                   {"quorum", c.HasQuorum()}, {"resources", c.resources.size()}, {"running", running}});
  }
  if (cli.json) {
    std::cout << out.dump(2) << std::endl;
    return kExitOk;
  }
  std::printf("%-8s %-6s %-7s %-10s %-7s %s\n", "CLUSTER", "NODES", "QUORUM", "DC", "RUNNING", "ONLINE");
  for (const Json& c : out) {
    std::string online;
    for (const Json& n : c["nodes"]) {
      if (n["online"].get<bool>()) online += (online.empty() ? "" : ",") + n["name"].get<std::string>();
    }
    const std::string running = std::to_string(c["running"].get<size_t>()) + "/" + std::to_string(c["resources"].get<size_t>());
    std::printf("%-8d %-6zu %-7s %-10s %-7s %s\n", c["id"].get<int>(), c["nodes"].size(),
                c["quorum"].get<bool>() ? "yes" : "no", c["dc"].is_null() ? "-" : c["dc"].get<std::string>().c_str(),
                running.c_str(), online.c_str());
  }
  return kExitOk;
}

}  // namespace

std::unique_ptr<CibCli> AddCibCommands(CLI::App& app) {
  auto cli = std::make_unique<CibCli>();
  CLI::App* cib = app.add_subcommand("cib", "The clusters as pacemaker sees them (CIB XML)");
  cib->require_subcommand(1);
  cli->show = cib->add_subcommand("show", "Write a cluster's CIB (crm_verify, crm_mon and crm_simulate read it)");
  cli->show->add_option("HOST_OR_CLUSTER", cli->which, "Cluster id, or a server's fqdn or nodename")->required();
  cli->show->add_option("--output", cli->output, "Write to FILE instead of standard output");
  cli->list = cib->add_subcommand("list", "Every cluster: nodes online, DC, quorum, resources running");
  cli->list->add_flag("--json", cli->json, "Machine-readable output");
  return cli;
}

int RunCibCli(const GlobalOptions& global, const CibCli& cli) {
  if (!cli.show->parsed() && !cli.list->parsed()) return -1;
  auto store = OpenSavedState(global);
  if (!store.ok()) return Fail(store.status().message());
  const World& w = (*store)->world();
  return cli.show->parsed() ? Show(w, cli) : List(w, cli);
}

}  // namespace cs::cli
