#!/usr/bin/env lua
-- A byte-order mark and then a "#" line: both are skipped.
print("after the mark and the # line")
