-- needs: os
-- os.date: every strftime conversion Lua 5.4 accepts (in UTC with "!",
-- at fixed times, so the output does not depend on the time zone), the
-- "*t" and "!*t" tables, literal text, invalid conversions, and bad
-- time arguments.
local t0 = 0                   -- Thu 1970-01-01 00:00:00 UTC
local t1 = 1000000000          -- Sun 2001-09-09 01:46:40 UTC
local t2 = 1700000000 + 13     -- Tue 2023-11-14 22:13:33 UTC
local t3 = -86400 * 365 - 1    -- 1968-12-31 23:59:59 UTC

local singles = {"a", "A", "b", "B", "c", "C", "d", "D", "e", "F", "g",
                 "G", "h", "H", "I", "j", "m", "M", "n", "p", "r", "R", "S",
                 "t", "T", "u", "U", "V", "w", "W", "x", "X", "y", "Y", "z",
                 "Z", "%"}
local pairs2 = {"Ec", "EC", "Ex", "EX", "Ey", "EY", "Od", "Oe", "OH", "OI",
                "Om", "OM", "OS", "Ou", "OU", "OV", "Ow", "OW", "Oy"}

for _, t in ipairs({t0, t1, t2, t3}) do
  print("time " .. t)
  for _, c in ipairs(singles) do
    print("  %" .. c .. " = [" .. os.date("!%" .. c, t) .. "]")
  end
  for _, c in ipairs(pairs2) do
    io.write("%", c, "=[", os.date("!%" .. c, t), "] ")
  end
  print()
end

print("literal text and several conversions")
print(os.date("!%Y-%m-%d %H:%M:%S", t1))
print(os.date("!today is %A, %d %B %Y; 100%% sure", t2))
print(os.date("!", t1) == "", os.date("", t1) == "")
print(os.date("!no conversions at all", t1))
print(#os.date("!a\0b%Y\0", t1))
local long = ""
for _ = 1, 300 do long = long .. "%Y%m%d-" end
print(#os.date("!" .. long, t1))
print(os.date("!%c", 0))
print(os.date("!%Y", 253402300799), os.date("!%Y", -62135596800))

print("the date as a table")
local function showdate(d)
  print(d.year, d.month, d.day, d.hour, d.min, d.sec, d.yday, d.wday,
        d.isdst)
end
showdate(os.date("!*t", t0))
showdate(os.date("!*t", t1))
showdate(os.date("!*t", t2))
showdate(os.date("!*t", t3))
print(type(os.date("!*t\0junk", t1)))  -- compared as a C string
print(os.date("!*tx", t1), os.date("*", t1), os.date("!*T", t1))
local loc = os.date("*t", t1)
print(type(loc), type(loc.isdst), type(loc.year), type(loc.yday))
print(type(os.date("*t")), type(os.date()), type(os.date("!%c")))

print("invalid conversions")
for _, f in ipairs({"%Ez", "%Ez and more", "%Oa", "%q", "%i", "%E", "%O",
                    "%", "abc%", "%5d", "%-d", "%#c", "%Y%", "%%%", "%\0",
                    "%E\0c", "!%k", "%+"}) do
  print(pcall(os.date, f, t1))
end

print("bad times")
print(pcall(os.date, "!%Y", "x"))
print(pcall(os.date, "!%Y", 1.5))
print(pcall(os.date, "!%Y", {}))
print(os.date("!%Y", "1000000000"), os.date("!%Y", 1e9))
print(pcall(os.date, "!%Y", 1 << 60))
print(pcall(os.date, "!*t", -(1 << 60)))
print(pcall(os.date, {}))
print(os.date(42, t1))
