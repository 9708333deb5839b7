-- needs: io os
-- file:read("n"): how much text it consumes and what it makes of it:
-- signs, hexadecimal, fractions, exponents, leading spaces, malformed
-- numerals (which fail, leaving the rest of the text), and the 200
-- character limit.
local name = os.tmpname()

-- Reads `content` with read("n") `count` times, then shows what is left.
local function try(content, count)
  local f = assert(io.open(name, "w"))
  f:write(content)
  f:close()
  f = assert(io.open(name, "r"))
  local out = ""
  for _ = 1, count or 1 do
    out = out .. tostring(f:read("n")) .. " | "
  end
  print(out .. "rest <" .. f:read("a") .. ">")
  f:close()
end

try("42")
try("-42")
try("+42")
try("3.25")
try(".5")
try("5.")
try("-.5e3")
try("1e10")
try("1E+2")
try("1e-2")
try("1e")
try("1e+")
try("e5")
try("0x10")
try("0X1F")
try("-0x10")
try("0xA.8")
try("0x1p4")
try("0x1P-1")
try("0x.8")
try("0x")
try("0xg")
try("0x1e")
try("0")
try("007")
try("00x1")
try("  \t\n 12 ")
try(" 12 ", 2)
try("12abc")
try("12.5.3")
try("1..2")
try("--1")
try("- 1")
try("+-1")
try("inf")
try("nan")
try("")
try("   ")
try("9223372036854775807")
try("9223372036854775808")
try("-9223372036854775808")
try("0xffffffffffffffff")
try("1e400")
try("1 2 3", 4)
try("1,2")
try("\n3\n4\n", 3)

-- numerals of 200 characters are read; one more and the read fails,
-- leaving the character that did not fit
local digits = ""
for _ = 1, 199 do digits = digits .. "1" end
try("0" .. digits .. " tail")
try("1" .. digits .. "2 tail", 2)
try("0x" .. digits .. " tail", 2)
local zeros = "0."
for _ = 1, 197 do zeros = zeros .. "0" end
try(zeros .. "1 tail")
try(zeros .. "12 tail", 2)

print(os.remove(name))
