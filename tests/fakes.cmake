cs_add_test(fakes_test
  SOURCES fakes/cluster_test.cpp fakes/cluster_env_test.cpp fakes/fleet_test.cpp fakes/invariants_test.cpp
          fakes/devices_test.cpp fakes/world_test.cpp fakes/hsm_test.cpp fakes/rack_pdus_test.cpp
          fakes/topology_file_test.cpp fakes/stats_test.cpp fakes/controller_faults_test.cpp
  LIBS cs_fakes)
