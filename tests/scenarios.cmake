# scenarios/: loader, plan, registered tests and checks against fakes,
# reports (unit tests: no world is brought up).
find_package(pugixml REQUIRED)
cs_add_test(scenarios_test
  SOURCES
    scenarios/loader_test.cpp
    scenarios/plan_test.cpp
    scenarios/judges_test.cpp
    scenarios/tests_test.cpp
    scenarios/reports_test.cpp
    scenarios/domains_test.cpp
  LIBS cs_scenarios pugixml::pugixml)
