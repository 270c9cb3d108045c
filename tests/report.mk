# Tests of memscope report --html: the page's file and exit codes (cli), and
# the page in headless Chromium (report_browser.sh drives report_browser.js).
TESTS += tests/cli/report.t tests/report_browser.sh
EXTRA_DIST += tests/cli/report.t tests/report_browser.sh tests/report_browser.js
