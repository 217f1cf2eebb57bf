// StorageResources: IML's storage plugin resources, as much of them as the
// simulator's storage controllers need: the simulator_controller plugin's
// one class, Couplet (attrs.controller_id: the simulator's controller),
//   GET     storage_resource_class/[?plugin_name=]  the classes offered
//   GET     storage_resource/[?plugin_name=&class_name=]   (paged)
//   POST    storage_resource/  {plugin_name, class_name, attrs: {controller_id}}
//   GET/DELETE storage_resource/<id>/
// Resources are "storage_resource" records in the manager's store.
#pragma once

#include <string>
#include <vector>

#include "manager/manager_store.h"
#include "net/http_types.h"

namespace cs::manager {

net::Response StorageResourceClasses(const net::Request& request, const std::vector<std::string>& parts);
net::Response StorageResourcesApi(ManagerStore& store, const net::Request& request,
                                  const std::vector<std::string>& parts);

}  // namespace cs::manager
