-- needs: os
-- os.time with a date table (required fields, defaults, normalisation
-- written back into the table, range errors) and os.difftime. Local
-- times are compared with each other or converted back with os.date
-- "*t", so the output does not depend on the time zone.
print(type(os.time()), type(os.time(nil)))

local function fields(d)
  return d.year .. "-" .. d.month .. "-" .. d.day .. " " .. d.hour .. ":" ..
         d.min .. ":" .. d.sec .. " yday=" .. d.yday .. " wday=" .. d.wday
end

print("round trips through os.date('*t')")
local t = os.time{year = 2020, month = 6, day = 15, hour = 10, min = 30,
                  sec = 5}
print(fields(os.date("*t", t)))
t = os.time{year = 2001, month = 9, day = 9}  -- hour defaults to 12
print(fields(os.date("*t", t)))
print(os.time(os.date("*t", t)) == t)

print("differences do not depend on the zone")
local day1 = os.time{year = 2000, month = 1, day = 1, hour = 0}
local day2 = os.time{year = 2000, month = 1, day = 2, hour = 0}
print(day2 - day1, os.difftime(day2, day1), os.difftime(day1, day2))
print(os.time{year = 2000, month = 1, day = 1, hour = 12, min = 1, sec = 1}
      - os.time{year = 2000, month = 1, day = 1})
print(os.time{year = 2000, month = 1, day = 1, hour = 0, sec = -1} - day1)

print("normalisation writes the fields back")
local d = {year = 2000, month = 13, day = 32}
local a = os.time(d)
print(fields(d), a == os.time{year = 2001, month = 2, day = 1})
d = {year = 2021, month = 3, day = 0, hour = 25, min = 61, sec = 61}
os.time(d)
print(fields(d))
d = {year = 2020, month = 1, day = 1, hour = -1}
os.time(d)
print(fields(d))
d = {year = 2024, month = 2, day = 29, hour = 12, min = -30}
os.time(d)
print(fields(d))
d = {year = "2010", month = "7", day = 4.0, hour = "8", min = 0, sec = 0}
os.time(d)
print(fields(d))
d = {year = 2000, month = 1, day = 1, yday = 100, wday = 7, extra = "kept"}
os.time(d)
print(fields(d), d.extra)
print(type(os.time{year = 2000, month = 1, day = 1, isdst = false}))
print(type(os.time{year = 2000, month = 7, day = 1, isdst = true}))

print("missing and bad fields")
print(pcall(os.time, {}))
print(pcall(os.time, {year = 2000}))
print(pcall(os.time, {year = 2000, month = 1}))
print(pcall(os.time, {month = 1, day = 1}))
print(pcall(os.time, {year = 2000, month = 1, day = 1.5}))
print(pcall(os.time, {year = "x", month = 1, day = 1}))
print(pcall(os.time, {year = 2000, month = {}, day = 1}))
print(pcall(os.time, {year = 2000, month = 1, day = 1, hour = "noon"}))
print(pcall(os.time, {year = 2000, month = 1, day = 1, min = true}))
print(pcall(os.time, {year = 2000, month = 1, day = 1, sec = 0.5}))
print(pcall(os.time, "2000-01-01"))
print(pcall(os.time, 0))

print("fields out of an int's range")
print(pcall(os.time, {year = 2000, month = 1, day = 1, hour = 1 << 31}))
print(pcall(os.time, {year = 2000, month = 1, day = 1, sec = -(1 << 31) - 1}))
print("month 2^31 fits:", (pcall(os.time, {year = 2000, month = 1 << 31, day = 1})))
print(pcall(os.time, {year = 2000, month = (1 << 31) + 1, day = 1}))
print(pcall(os.time, {year = 2000, month = 1, day = -(1 << 31) - 1}))
print(pcall(os.time, {year = -(1 << 31), month = 1, day = 1}))
print(pcall(os.time, {year = (1 << 31) + 1900, month = 1, day = 1}))
print(pcall(os.time, {year = 1 << 62, month = 1, day = 1}))
print(pcall(os.time, {year = 2000, month = 1, day = 1, min = 1e100}))

print("results that do not fit a time_t")
print(pcall(os.time, {year = (1 << 31) - 1 + 1900, month = 12, day = 32}))

print("difftime")
print(os.difftime(10, 3), os.difftime(3, 10), os.difftime(0, 0))
print(os.difftime(1 << 40, 0))
print(pcall(os.difftime, 5))
print(pcall(os.difftime))
print(pcall(os.difftime, "a", 1))
print(pcall(os.difftime, 1.5, 1))
print(os.difftime("10", 2.0))
