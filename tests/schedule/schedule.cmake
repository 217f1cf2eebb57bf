# CTest's schedule of the suite, read by CTest (not by CMake) after every
# test is defined. scripts/test runs the suite at `--parallel` = the cores;
# the properties here make that short (the slowest start first, nothing
# RUN_SERIAL at the end) and keep a higher --parallel safe (docs/testing.md,
# "Scheduling", has the profile they come from and the runs at 4):
#
# - COST: the slowest tests' wall seconds in a profile (scripts/test-profile,
#   --parallel 2, load average about 15), so that CTest starts them first and
#   the run does not end with one long test alone. A test without one runs
#   after them, in declaration order. (CTest's own cost data, written to
#   build/Testing/Temporary/ after a run, fills in the others in a build
#   tree that has run before; a clean clone in CI has none.)
# - RESOURCE_GROUPS heavy:1: a pool of two "heavy" slots (resources.json,
#   the resource spec file set below). Every test that runs the daemons or
#   the binary (the integration binaries' tests, the Locust, package and
#   quickstart runs), every test that computes (crm_simulate and crushtool
#   runs, the fuzz targets in tests/fuzz.cmake) takes one,
#   so at most two of them run at once, as at --parallel 2, while any other
#   slots run the unit tests. (At --parallel 4 and no pool, end-to-end tests
#   missed their 60 s bounds at load 27-30: docs/testing.md.)
# - RESOURCE_LOCK fleet: the tests that run a whole fleet and the manager
#   as processes and check that nothing was missed (the 1,000-server scale
#   test, the Locust runs) never overlap one another.
#
# Unknown names are ignored by set_tests_properties here, so a renamed test
# only loses its place in the order; re-run scripts/test-profile and update
# the list when the profile changes.

set(cs_test_costs
  # name=seconds (WorkerLostTest: after its change to end at the loss; the
  # two PowerTests and RestartsOfManager...: after their cut waits, 2 December)
  fuzz.build=600
  scale_test.LiveFleetScaleTest.AThousandServersKeepEverySessionAndMissNoUpdate=161
  crush_test.CrushtoolCompare.FlatTenThousandHosts=157
  pacemaker_test.OraclePropertyTest.Shard0=144
  pacemaker_test.OraclePropertyTest.Shard2=137
  pacemaker_test.OraclePropertyTest.Shard3=137
  pacemaker_test.OraclePropertyTest.Shard5=137
  pacemaker_test.OraclePropertyTest.Shard4=134
  pacemaker_test.OraclePropertyTest.Shard1=126
  cli_integration_test.StateTest.SetupKilledAtAnyMomentLeavesConsistentState=115
  locust_e2e.DistributedTest=92
  daemon_integration_test.HsmEndToEndTest.TheCopytoolMeetsWhatItsWorkerMeets=56
  scenario_integration_test.ScenarioRun.CrashSimulatorTwentyTimesKeepsInvariantsAndNoLostActions=54
  crush_test.CrushtoolCompare.DeepTenThousandHosts=54
  daemon_integration_test.HsmEndToEndTest.CopytoolEventsArriveAtTheManagerOnceHsmIsEnabled=52
  benchmark_test.BenchModeTest.LogIngestRateFindsTheRateAtWhichTheJournalQueueBacksUp=49
  daemon_integration_test.PowerTest.PerRackPdusFeedOnlyTheirRackThroughFenceApcStatusTestconfigExportAndFencing=11
  locust_e2e.WorkerLostTest=30
  package_install_and_deb=27
  daemon_integration_test.EndToEndTest.FilesystemFailoverFailbackAndPowerLoss=25
  daemon_integration_test.EndToEndTest.RestartsOfManagerAndSimulatorKeepRegistrations=13
  quickstart_main_job=24
  benchmark_test.BenchModeTest.ServerCountLimitStopsWhenAQueueBacksUp=24
  benchmark_test.BenchModeTest.LiveLineShowsOnATerminalOnly=19
  scenario_integration_test.ScenarioRun.SoakDrawsRunsUntilTheTimeIsUp=18
  daemon_integration_test.EndToEndTest.AFilesystemPlacedByRackSurvivesLosingARack=18
  net_test.NetTest.FiveHundredClientsTwoRequestsEach=16
  daemon_integration_test.EndToEndTest.WaitOutlastsARestartOfTheManager=16
  daemon_integration_test.PowerTest.PdusThatSetupAddsListenWithoutARestart=12
  locust_e2e.WebUiTest=15
  manager_test.RestTest.ListsPageLikeTastypie=15
  benchmark_test.BenchModeTest.SigintMidModeWritesTheReportOfWhatWasMeasured=14
  benchmark_test.BenchManagerTest.SystemStatusHasIMLsQueueShapeAndItsNumbersMoveUnderLoad=14
  scenario_integration_test.ScenarioRun.RackLossUnderPlacementSurvivesAndUnderTheDefaultShowsWhatWentDown=13
  daemon_integration_test.RemoteOpsTest.KillServerFailsOverAndResetServerIsARebootTheManagerRecords=13
  crash_integration_test.SimulatorKilledTest.AKillDuringFsCreateLeavesTheManagerWorkingAfterRun=13
  daemon_integration_test.RemoteOpsTest.FailConnectionsMakesOneHostUnreachableAndBack=12
  daemon_integration_test.PowerTest.StatusListAndOffOnMatchTheState=12
  cluster_power_integration_test.ClusterPowerTest.PerRackPdusListAndSwitchOnlyTheirRacksOutlets=11
  state_test.GroupCommitTest.UnderSustainedLoadTheWalRestartsAfterEachCheckpoint=11
  daemon_integration_test.PowerTest.PowerLossThroughFenceApcFencesTheNodeAndPacemakerPicksWhereItsTargetRuns=10
  benchmark_test.BenchModeTest.ConcurrentRegistrationLimitFindsTheFleetWhoseSetupTimesOut=10
  daemon_integration_test.PowerTest.TwoPsusSurviveOnePduGoingDark=10
  benchmark_test.BenchModeTest.FilesystemSizeLimitUnthrottledReachesItsStepBound=9
  daemon_integration_test.PowerTest.APduThatDoesNotAnswerBlocksFencingUntilItAnswersAgain=9
  daemon_integration_test.RemoteOpsTest.ActionsOverTheWire=9
  cluster_power_integration_test.ClusterPowerTest.StatusAndSwitchingThroughTheConsoles=9
  scenario_integration_test.ScenarioRun.PowerLossPassesAndWritesTheThreeReports=9
  power_test.PduServerTest.FenceApcOffThenStatusThenOn=8
  scenario_integration_test.ScenarioRun.AWrongExpectationFailsWithAJunitFailureThatSaysWhy=8
  net_test.NetTest.AnIdleTlsConnectionKeepsNoLargeBuffers=8
)
foreach(entry IN LISTS cs_test_costs)
  string(REPLACE "=" ";" pair "${entry}")
  list(GET pair 0 name)
  list(GET pair 1 cost)
  set_tests_properties("${name}" PROPERTIES COST ${cost})
endforeach()

set(CTEST_RESOURCE_SPEC_FILE "${CMAKE_CURRENT_LIST_DIR}/resources.json")

# Heavy tests that cs_add_test does not mark: unit tests that compute, and
# the tests that run the binary without gtest.
set(cs_heavy_tests
  crush_test.CrushtoolCompare.FlatTenThousandHosts
  crush_test.CrushtoolCompare.DeepTenThousandHosts
  pacemaker_test.OraclePropertyTest.Shard0
  pacemaker_test.OraclePropertyTest.Shard1
  pacemaker_test.OraclePropertyTest.Shard2
  pacemaker_test.OraclePropertyTest.Shard3
  pacemaker_test.OraclePropertyTest.Shard4
  pacemaker_test.OraclePropertyTest.Shard5
  control_python_client
  package_install_and_deb
  quickstart_main_job
  locust_e2e.DistributedTest
  locust_e2e.WorkerLostTest
  locust_e2e.WebUiTest
)
# And every test of the binaries that run the daemons or the binary (the
# gtest_discover_tests lists, <binary>_TESTS, are defined by now).
foreach(binary benchmark_test scale_test cli_integration_test daemon_integration_test
        cluster_power_integration_test scenario_integration_test metrics_integration_test
        crash_integration_test)
  list(APPEND cs_heavy_tests ${${binary}_TESTS})
endforeach()
foreach(name IN LISTS cs_heavy_tests)
  set_tests_properties("${name}" PROPERTIES RESOURCE_GROUPS heavy:1)
endforeach()

set(cs_fleet_tests
  scale_test.LiveFleetScaleTest.AThousandServersKeepEverySessionAndMissNoUpdate
  locust_e2e.DistributedTest
  locust_e2e.WorkerLostTest
  locust_e2e.WebUiTest
)
foreach(name IN LISTS cs_fleet_tests)
  set_tests_properties("${name}" PROPERTIES RESOURCE_LOCK fleet)
endforeach()

# crushtool's 10,000-host comparisons are fixed work (36 and 12 CPU-s):
# their wall time is their share of the machine, 157 s at --parallel 2
# under load 18, and over the 300 s timeout at --parallel 4 under load
# 22-27 (docs/testing.md). CTest's timeout is only a backstop for them.
set_tests_properties(crush_test.CrushtoolCompare.FlatTenThousandHosts
                     crush_test.CrushtoolCompare.DeepTenThousandHosts
                     PROPERTIES TIMEOUT 900)
