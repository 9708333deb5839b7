-- Generates errors.txt: what lua5.4 says when it compiles broken chunks.
-- Run from the project root:
--   lua5.4 tests/lparser/oracle/gen_errors.lua > tests/lparser/oracle/errors.txt
--
-- Every case is compiled with load(case, "=t"), so messages read
-- "t:<line>: ...". The cases are a hand-written list that provokes every
-- compile-time error of the parser and the code generator (and a few
-- valid chunks next to them), followed by systematic damage to valid
-- programs: every truncation at a token boundary, the deletion of each
-- token, and the replacement of each token by others (chosen by a seeded
-- generator, so the file is reproducible).
--
-- Line format (fields separated by one space):
--   <hex of the case> ok              the chunk compiles
--   <hex of the case> err <message>   compiling failed with <message>,
--                                     with '\' written '\\' and line
--                                     breaks written '\n'
--
-- Nesting limits depend on how deep in C calls the compiler starts (lua5.4
-- runs this script a few calls deep), so the nesting cases here stay well
-- below or well above the limit of 200 levels.

local function hex(s)
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

local function rep(s, n, sep) return string.rep(s, n, sep) end

local cases = {
  -- unexpected symbols and missing tokens
  "x", "1", "x = ", "= 1", "x = = 1", "local", "local 1", "local x =",
  "local function", "local function 1() end", "function", "function 1() end",
  "function f", "function f(", "function f(a", "function f(a,) end",
  "function f(1) end", "function f(..., a) end", "function f(a b) end",
  "function f() return 1 2 end", "function f.() end", "function f:() end",
  "function f:g.h() end", "function f.g:h:i() end", "return return",
  "return 1,", "return ,", "return 1 return", "do", "do end end", "end",
  "if", "if x", "if x then", "if x then else", "if x then elseif",
  "if x then else elseif y then end", "if x then end end", "while",
  "while x", "while x do", "repeat", "repeat until", "repeat x = 1",
  "for", "for i", "for i =", "for i = 1", "for i = 1 do end",
  "for i = 1, do end", "for i = 1, 2", "for i = 1, 2 do", "for i do end",
  "for i, do end", "for i, j do end", "for i, j in do end", "for 1 = 1, 2 do end",
  "for i in x", "for i in x do", "f(", "f(1", "f(1,", "f(1,)", "f(,)",
  "f{", "f{1", "f{1,,}", "f{[1] 2}", "f{[1] = }", "f{x = }", "f{x =", "f.",
  "f.1", "f:", "f:g", "f:g.h()", "f[", "f[1", "f[]", "a.b:c = 1",
  "x, y", "x, y =", "x, 1 = 2", "x, f() = 1", "(a) = 1", "a() = 1",
  "a.b() = 1", "1 = 2", "'s' = 1", "nil = 1", "... = 1", "{} = 1",
  "x = }", "x = )", "x = ]", "x = (", "x = (1", "x = (1,2)", "x = {",
  "x = {1", "x = {1,", "x = {1 2}", "x = [[a]] [[b]]", "x = 1 +", "x = + 1",
  "x = 1 + + 2", "x = not", "x = # ", "x = - ", "x = ~", "x = 1 ..",
  "x = 1 .. .. 2", "x = a == ", "x = a and", "x = a or or b", "x = a..b..",
  "x = function", "x = function(", "x = function() return",
  "x = function(a, ...) return ... end", "x = function() return ... end",
  "x = ...", "function f() local a = ... end", "function f(...) return ... end",
  "local function f() x = {...} end", "::", "::a", "::a:", "::1::",
  "goto", "goto 1", "goto end", "local x <", "local x <const",
  "local x <const> <close> = 1", "local x <close = 1", "local <const> x = 1",
  "x = 1 y = 2 z", "x = 1; ; ; y", "local t = {} t.x, t.y",
  "local a, b, = 1", "local a, 1 = 1", "x = a.b.c:d", "x = a:b",
  "x = a:b 1", "x = f 1", "f 'a' 'b' 1", "x = #", "print('a' 'b')",
  "return (1)(2)(3", "return f(1)(2)[3]", "return 1 == 2 == 3 ==",
  -- the same across lines: "(to close ... at line N)"
  "f(\n1", "f(1,\n2\n", "x = {\n1,\n2", "x = (\n1", "do\nx = 1",
  "while x do\n\nx = 1", "repeat\nx = 1\n", "for i = 1, 2 do\n",
  "for k in pairs(t) do\n  x = 1\n", "if x then\n\nelse\n", "function f()\n\n",
  "x = function()\nreturn 1\n", "local function f()\n  local function g()\n  end\n",
  "if x then\nelseif y then\n", "x = {\n[1] = 2,\n[3] = 4\n",
  "f(\n1,\n2\n]", "do\n  do\n  end\n", "t[\n1\n", "t[1\n=2",
  -- variables: constants, to-be-closed, attributes
  "local x <const> = 1; x = 2", "local x <const> = {}; x = 2",
  "local x <const> = f(); x = 2", "local x <close> = nil; x = 2",
  "local x <const> = 1; local function f() x = 2 end",
  "local x <const> = {}; local function f() x = 2 end",
  "local x <const> = {}; local function f() return function() x = 2 end end",
  "local x <const> = 1; function x() end", "local x <const> = 1; function x.y() end",
  "local x <const>, y = 1, 2; y = 3", "local x, y <const> = 1, 2; x, y = 3, 4",
  "local x <const> = 1; x, y = 2, 3", "local x <const> = 1; y, x = 2, 3",
  "local x <const> = 1; x.y = 2", "local x <close>, y <close> = 1, 2",
  "local x <close>, y, z <close> = 1, 2, 3", "local x <xyz> = 1",
  "local x <CONST> = 1", "local x <const> = 1; local x = 2; x = 3",
  "local x <const> = 1; do local x = 2; x = 3 end",
  "local a <const> = 1; for a = 1, 2 do a = 3 end",
  "for i = 1, 2 do i = 3 end", "for k, v in pairs(t) do k = 1 end",
  "for k, v in pairs(t) do v = 1 end",
  "local x <close> = 1; return x", "local x <close> = 1; return f()",
  -- gotos and labels
  "goto x", "do goto x end", "goto x; do ::x:: end",
  "goto x; local a; ::x:: print(a)", "goto x; local a <const> = 1; ::x:: print(a)",
  "goto x; local a; ::x::", "goto x; local a; ::x:: ;;",
  "do goto x; local a; ::x:: end", "do goto x; local a; ::x:: ; end",
  "do goto x; local a; ::x:: print(1) end", "::x:: ::x::", "::x:: do ::x:: end",
  "do ::x:: end ::x::", "::x:: function f() ::x:: end",
  "::x:: function f() goto x end", "function f() goto x end ::x::",
  "while x do goto continue; local a = 1; ::continue:: end",
  "while x do goto continue; local a = 1; ::continue:: a = 2 end",
  "repeat goto x; local a = 1; ::x:: until a",
  "repeat local a = 1; goto x; ::x:: until a",
  "break", "if x then break end", "do break end", "function f() break end",
  "while x do local function f() break end end",
  "for i = 1, 2 do end break", "goto break", "::break::",
  "while x do ::break:: end", "\n\ngoto x\n\n", "\nbreak\n",
  "\n::x::\n\n::x::", "local x\ngoto y\nlocal z\n::y::\nprint(z)",
  -- limits (well away from the nesting limit)
  rep("local a", 199, ";"), rep("local a", 200, ";"), rep("local a", 201, ";"),
  "local " .. rep("a", 200, ", "), "local " .. rep("a", 201, ", "),
  "function f()\n" .. rep("local a", 201, ";") .. "\nend",
  "local function f(" .. rep("a", 201, ", ") .. ") end",
  "return " .. rep("(", 100) .. "1" .. rep(")", 100),
  "return " .. rep("(", 250) .. "1" .. rep(")", 250),
  "return " .. rep("{", 100) .. rep("}", 100),
  "return " .. rep("{", 250) .. rep("}", 250),
  "return " .. rep("- ", 100) .. "1", "return " .. rep("- ", 250) .. "1",
  "return " .. rep("not ", 300) .. "x",
  rep("do ", 100) .. rep("end ", 100), rep("do ", 250) .. rep("end ", 250),
  rep("if x then ", 250) .. rep("end ", 250),
  rep("while x do ", 250) .. rep("end ", 250),
  "x = " .. rep("function() return ", 60) .. "1" .. rep(" end", 60),
  "x = " .. rep("function() return ", 250) .. "1" .. rep(" end", 250),
  rep("a", 100, ", ") .. " = 1", rep("a", 300, ", ") .. " = 1",
  "x = " .. rep("a", 300, " .. "), "x = " .. rep("2", 300, " ^ "),
  "x = " .. rep("f(", 250) .. rep(")", 250),
  "x = " .. rep("a", 250, "[") .. rep("]", 249),
}

-- A chunk with more upvalues (or registers) than allowed needs many
-- locals in more than one function.
do
  local decl = {}
  for i = 1, 180 do decl[#decl + 1] = "local a" .. i end
  local function upvals(n)
    local d = {}
    for i = 1, 180 do d[#d + 1] = "local b" .. i end
    local uses = {}
    for i = 1, n do
      uses[#uses + 1] = "x = " .. (i <= 180 and "a" or "b") ..
                        (i <= 180 and i or i - 180)
    end
    return table.concat(decl, "; ") .. "\nfunction f()\n" ..
           table.concat(d, "; ") .. "\nreturn function() local x\n" ..
           table.concat(uses, "; ") .. " end end"
  end
  cases[#cases + 1] = upvals(255)
  cases[#cases + 1] = upvals(256)
  -- registers: a call with too many arguments, a constructor item list
  cases[#cases + 1] = "f(" .. rep("1", 253, ", ") .. ")"
  cases[#cases + 1] = "f(" .. rep("1", 254, ", ") .. ")"
  cases[#cases + 1] = "f(" .. rep("1", 300, ", ") .. ")"
  cases[#cases + 1] = "local a, b; f(" .. rep("a .. b", 130, ", ") .. ")"
  cases[#cases + 1] = "return " .. rep("1", 254, ", ")
  cases[#cases + 1] = "return " .. rep("x", 300, ", ")
  cases[#cases + 1] = rep("local a", 190, "; ") .. "; f(" .. rep("1", 70, ", ") .. ")"
  cases[#cases + 1] = "x = {" .. rep("1", 300, ", ") .. "}"
  cases[#cases + 1] = "x = " .. rep("1", 300, " .. ")
  cases[#cases + 1] = "x = " .. rep("a", 300, " .. ")
end

-- Valid programs that the systematic damage starts from.
local seeds = {
  "local a, b = 1, 2\nif a < b then\n  print(a)\nelse\n  print(b)\nend",
  "for i = 1, 10, 2 do\n  local t = {i, i * 2, x = i}\n  t[i] = nil\nend",
  "local function f(x, ...)\n  return x + select('#', ...)\nend\nreturn f(1, 2, 3)",
  "while true do\n  local line = io.read()\n  if not line then break end\n  print(#line)\nend",
  "repeat\n  local x <const> = 10\n  y = y + x\nuntil y > 100",
  "do\n  goto skip\n  print('never')\n  ::skip::\nend",
  "local t = setmetatable({}, {__index = function(t, k) return k end})\nreturn t.x, t[1], t:m(2)",
  "for k, v in pairs({a = 1, b = 2}) do\n  print(k, v)\nend",
  "local x <close> = nil\nlocal s = 'a' .. 'b' .. 1 .. 2\nreturn s:upper()",
  "function obj.method(self, a, b)\n  self.sum = (a or 0) + (b or 0)\n  return self\nend",
  "local v = a and b or not c\nv = -x ^ 2 // 3 % 4 << 1 >> 2 & 3 | 4 ~ 5",
  "x, y.z, w[1] = f(), {}, ...",
  "if a then elseif b then c() elseif d then else e() end",
  "local function fact(n)\n  if n <= 1 then return 1 end\n  return n * fact(n - 1)\nend",
  "t = {[1] = 'a'; 'b', c = {d = {e = 'f'}}, 10, 20.5,}",
}

local replacements = {
  "end", "=", "(", ")", "local", "x", "1", ",", "..", "::", "goto", "<",
  "...", "return", "break", "function", "{", "}", "[", "]", "not", "nil",
  "then", "do", ";", ".", ":", "'s'", "until", "in", "==", "+",
}

-- A small tokenizer for the seeds: names, numbers, short strings,
-- operators (longest first) and line breaks (kept as tokens, so that the
-- damaged programs keep their lines).
local ops = {"...", "..", "::", "==", "~=", "<=", ">=", "<<", ">>", "//"}
local function tokens(src)
  local t, i = {}, 1
  while i <= #src do
    local c = src:sub(i, i)
    local s, e
    if c == "\n" then s, e = i, i
    elseif c:match("%s") then i = i + 1; goto continue
    elseif c:match("[%a_]") then s, e = src:find("^[%w_]+", i)
    elseif c:match("%d") then s, e = src:find("^[%d%.]+", i)
    elseif c == "'" then s, e = src:find("^'[^']*'", i)
    else
      for _, op in ipairs(ops) do
        if src:sub(i, i + #op - 1) == op then s, e = i, i + #op - 1; break end
      end
      if not s then s, e = i, i end
    end
    t[#t + 1] = src:sub(s, e)
    i = e + 1
    ::continue::
  end
  return t
end

local function join(t, from, to)
  local out = {}
  for i = from or 1, to or #t do out[#out + 1] = t[i] end
  return (table.concat(out, " "):gsub(" \n ", "\n"))
end

math.randomseed(7)
for _, src in ipairs(seeds) do
  cases[#cases + 1] = src
  local t = tokens(src)
  for k = 1, #t do
    if t[k] ~= "\n" then
      cases[#cases + 1] = join(t, 1, k)  -- truncated after token k
      local d = table.move(t, 1, #t, 1, {})
      table.remove(d, k)
      cases[#cases + 1] = join(d)  -- token k deleted
      for _ = 1, 3 do
        local r = table.move(t, 1, #t, 1, {})
        r[k] = replacements[math.random(#replacements)]
        cases[#cases + 1] = join(r)  -- token k replaced
      end
    end
  end
end

local seen = {}
for _, case in ipairs(cases) do
  if not seen[case] then
    seen[case] = true
    local f, err = load(case, "=t")
    if f then
      print(hex(case) .. " ok")
    else
      -- lua5.4 runs this script under a message handler, which also
      -- handles "C stack overflow" raised inside load: drop its traceback
      err = err:gsub("\nstack traceback:.*", "")
      err = err:gsub("\\", "\\\\"):gsub("\n", "\\n")
      print(hex(case) .. " err " .. err)
    end
  end
end
