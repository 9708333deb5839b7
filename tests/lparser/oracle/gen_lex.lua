-- Generates lex.txt: what lua5.4 makes of string literals, numerals and
-- lexically broken chunks. Run from the project root:
--   lua5.4 tests/lparser/oracle/gen_lex.lua > tests/lparser/oracle/lex.txt
-- Each case is compiled as "return <case>" with chunk name "=t", so the
-- parser asks the lexer for the case's first token right away.
--
-- Line format (fields separated by one space):
--   <hex of the case> ok <type> <value>   the case is one literal token:
--                                         type is string/integer/float,
--                                         value is hex bytes, %d or %a
--   <hex of the case> err <message>       compiling failed with <message>
-- The hex encodings keep every byte (newlines, NULs) intact.

local function hex(s)
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

local cases = {
  -- strings and escapes
  [["abc"]], [['abc']], [["a\nb"]], [["\a\b\f\n\r\t\v\\\"\'"]],
  [["\x41\x7a\xFF"]], [["\65\066\0067"]], [["\0\00\000"]], [["\255"]],
  [["\256"]], [["\u{41}\u{7FF}\u{800}\u{FFFF}\u{10FFFF}\u{7FFFFFFF}"]],
  [["\u{80000000}"]], [["\u41"]], [["\u{41"]], [["\u{}"]], [["\xG1"]],
  [["\x4"]], [["\q"]], [["a\z
       b"]], [["a\z   b"]], "\"a\\\nb\"", "\"a\\\r\nb\"", "\"a\\\n\rb\"",
  [["unfinished]], "\"line\nbreak\"", [["\]], [['mixed "quotes"']],
  [["tab	inside"]], [["\z"]], [["\x"]], [["\u{110000}"]],
  -- long strings
  "[[abc]]", "[==[a]]b]=]c]==]", "[[\nfirst newline skipped]]",
  "[[\r\nCRLF skipped]]", "[[a\r\nb\n\rc\rd]]", "[=[unfinished", "[==x",
  "[=", "[[]]", "[=[]]]=]",
  -- numerals
  "0", "42", "3.0", "3.", ".5", "1e10", "1E+10", "1e-2", "0x10", "0XfF",
  "0x1p4", "0x.8", "0x1P-1", "9223372036854775807", "9223372036854775808",
  "0xffffffffffffffff", "0x10000000000000000", "1e400", "3x", "0x", "1e",
  "1e+", "0x1pz", "3..2", "08", "1.2.3", "0xep1", ".0e0", "2^53",
  -- other lexical errors and edge tokens
  "@", "$", "`", "\1", "a ~= b", "a // b", "::l::", "...", "a.b..c",
  "x --[[ long\ncomment ]] y", "x --[==[ unfinished comment",
  "-- just a comment", "#t", "a<<b>>c", "a<=b>=c", "a==b",
}

local function describe(case)
  local f, err = load("return " .. case, "=t")
  if not f then return "err " .. err end
  local ok, v = pcall(f)
  if not ok then return "err runtime " .. tostring(v) end
  local t = math.type(v) or type(v)
  if t == "string" then return "ok string " .. hex(v) end
  if t == "integer" then return "ok integer " .. string.format("%d", v) end
  if t == "float" then return "ok float " .. string.format("%a", v) end
  return "ok other " .. tostring(v)
end

for _, case in ipairs(cases) do
  print(hex(case) .. " " .. describe(case))
end
