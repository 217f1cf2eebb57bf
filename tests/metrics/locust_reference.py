#!/usr/bin/python3
"""Writes Locust's own CSV files (Debian's python3-locust, 2.12) for an
empty run with one request type, through locust.stats.StatsCSVFileWriter,
so a test can compare our headers and layout with the real thing.
Usage: locust_reference.py PREFIX"""
import sys

from locust.env import Environment
from locust.stats import PERCENTILES_TO_REPORT, StatsCSVFileWriter


def main():
    prefix = sys.argv[1]
    env = Environment()
    env.stats.log_request("POST", "DATA", 12, 100)
    env.stats.log_error("POST", "DATA", "HTTP 500")
    writer = StatsCSVFileWriter(env, PERCENTILES_TO_REPORT, prefix, full_history=True)
    writer.requests_csv(writer.requests_csv_writer)
    writer.failures_csv(writer.failures_csv_writer)
    writer.stats_history_csv_writer.writerow(writer.stats_history_csv_columns)
    writer._stats_history_data_rows(writer.stats_history_csv_writer, 1700000000)
    writer.close_files()


main()
