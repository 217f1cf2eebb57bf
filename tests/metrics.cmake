# metrics/: histograms, the thread-sharded registry, the Prometheus text,
# Locust's CSV files and the HTML report (tests/metrics/).
cs_add_test(metrics_test
  SOURCES metrics/histogram_test.cpp metrics/report_test.cpp metrics/report_checks.cpp
  LIBS cs_metrics)
