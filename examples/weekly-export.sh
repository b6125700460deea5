#!/bin/sh
# The Friday file: write this week's status export (周报) for the leaders, with no one at the keyboard.
#
#   examples/weekly-export.sh [OUT_DIR]          # default: $TASKCTL_REPORT_DIR, else ~/周报
#   WEEK=2023-W05 examples/weekly-export.sh      # a given ISO week instead of the current one
#
# Writes OUT_DIR/周报-2023-W05.xlsx (one sheet per part, with the chart) and OUT_DIR/周报-2023-W05.md
# (to paste into a message).  Each file is written to a temporary file and renamed, so a reader never
# sees half a file.  Exit status is taskctl's: 0 done, 1 a user error (message on stderr).
#
# crontab (Fridays at 17:00; % must be written \% in a crontab line):
#   0 17 * * 5  TASKCTL_DB=postgresql://duchashi@db.example/ledger /opt/taskctl/examples/weekly-export.sh /srv/督查室/周报
set -eu

TASKCTL=${TASKCTL:-taskctl}
OUT_DIR=${1:-${TASKCTL_REPORT_DIR:-$HOME/周报}}
# ISO year and week (2023-W05) of today, or of TASKCTL_TODAY when a demo or test pins it (GNU date)
WEEK=${WEEK:-$(date ${TASKCTL_TODAY:+-d $TASKCTL_TODAY} +%G-W%V)}
export TASKCTL_LANG=${TASKCTL_LANG:-zh} # cron runs with LANG=C; the leaders read Chinese

mkdir -p "$OUT_DIR"
"$TASKCTL" export weekly --week "$WEEK" --format xlsx -o "$OUT_DIR/周报-$WEEK.xlsx" --quiet
"$TASKCTL" export weekly --week "$WEEK" --format md -o "$OUT_DIR/周报-$WEEK.md" --quiet
