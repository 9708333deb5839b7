-- Writes random Lua programs for the differential bytecode test.
--
--   lua5.4 gen_programs.lua OUTDIR COUNT [SEED]
--
-- Each program OUTDIR/rNNN.lua mixes every statement and expression form
-- with random constants, locals, upvalues, globals, fields and calls, so
-- that the compiler's register allocation, constant handling, jumps and
-- scopes are exercised in combinations no hand-written corpus covers. The
-- programs are only compiled (by luac5.4 and by our compiler), never run,
-- so they need not make sense; most are valid, and the few that are not
-- check that both compilers report the same error.

local outdir, count, seed = arg[1], tonumber(arg[2]), tonumber(arg[3] or 1)
assert(outdir and count, "usage: gen_programs.lua OUTDIR COUNT [SEED]")
math.randomseed(seed)

local R = math.random
local function pick(t) return t[R(#t)] end
local function chance(p) return R() < p end

local out     -- lines of the program being written
local scopes  -- stack of scopes; each a list of {name=, const=}
local depth   -- statement nesting
local fdepth  -- function nesting
local loops   -- enclosing loops in the current function
local vararg  -- is the current function vararg?
local nameid

-- A statement that starts with '(' would continue the previous one as a
-- call, so it gets a ';' first.
local function emit(indent, s)
  if s:sub(1, 1) == "(" then s = ";" .. s end
  out[#out + 1] = string.rep("  ", indent) .. s
end
local function newname() nameid = nameid + 1; return "v" .. nameid end

local function visible(writable)
  local all = {}
  for i = #scopes, 1, -1 do
    for _, v in ipairs(scopes[i]) do
      if not writable or not v.const then all[#all + 1] = v.name end
    end
  end
  return all
end

local function declare(name, const)
  local s = scopes[#scopes]
  s[#s + 1] = {name = name, const = const}
end

local ints = {0, 1, -1, 2, 7, 100, 127, 128, -128, -129, 255, 256, 1000,
  65535, 65536, 131071, 131072, -131072, 2^31, math.maxinteger,
  math.mininteger, 0x7fff, 3}
local floats = {"0.0", "1.0", "-1.0", "0.5", "2.5", "1e10", "1e300", "-0.0",
  "3.0", "100.0", "1e-3", "65536.0", "0x10p2", "2^53"}
local strings = {'"a"', '"b"', '"x"', "'str'", '""', '"10"', '"3.5"',
  '"a fairly long string constant of more than forty bytes"',
  '"a fairly long string constant of more than forty bytes"', "[[long]]"}
local globals = {"g1", "g2", "print", "math", "string", "_ENV", "t"}
local binops = {"+", "-", "*", "/", "//", "%", "^", "&", "|", "~", "<<",
  ">>", "..", "==", "~=", "<", "<=", ">", ">=", "and", "or"}
local unops = {"- ", "not ", "# ", "~ "}

local expr

local function constant()
  local r = R(6)
  if r == 1 then return tostring(pick(ints)) end
  if r == 2 then return pick(floats) end
  if r == 3 then return pick(strings) end
  return pick({"nil", "true", "false", "1", "2", "0"})
end

local function varname()
  local vis = visible(false)
  if #vis > 0 and chance(0.75) then return pick(vis) end
  return pick(globals)
end

local function args(d)
  local n = R(0, 3)
  local a = {}
  for i = 1, n do a[i] = expr(d + 1) end
  if vararg and chance(0.2) then a[#a + 1] = "..." end
  return "(" .. table.concat(a, ", ") .. ")"
end

local function prefix(d)
  local r = R(10)
  local p
  if r <= 5 then p = varname()
  elseif r <= 6 then p = "(" .. expr(d + 1) .. ")"
  else p = varname() end
  for _ = 1, R(0, 2) do
    local s = R(6)
    if s == 1 then p = p .. "." .. pick({"x", "y", "f", "next"})
    elseif s == 2 then p = p .. "[ " .. expr(d + 1) .. " ]"
    elseif s == 3 then p = p .. ":" .. pick({"m", "n"}) .. args(d)
    elseif s == 4 then p = p .. args(d)
    elseif s == 5 then p = p .. pick({' "s"', " {}", " {1}"})
    else p = p .. "[ " .. constant() .. " ]" end
  end
  return p
end

local function funcbody(d, params)
  local saved = {loops = loops, vararg = vararg, depth = depth}
  fdepth = fdepth + 1
  loops = 0
  vararg = params:find("%.%.%.") ~= nil
  local lines = out
  out = {}
  scopes[#scopes + 1] = {}
  for p in params:gmatch("[%w_]+") do declare(p) end
  depth = 0
  local block = require_block(2)
  scopes[#scopes] = nil
  out = lines
  fdepth = fdepth - 1
  loops, vararg, depth = saved.loops, saved.vararg, saved.depth
  return block
end

local function table_constructor(d)
  local n = R(0, 5)
  if chance(0.05) then n = R(50, 120) end
  local f = {}
  for i = 1, n do
    local r = R(4)
    if r == 1 then f[i] = pick({"x", "y", "z"}) .. " = " .. expr(d + 1)
    elseif r == 2 then f[i] = "[ " .. expr(d + 1) .. " ] = " .. expr(d + 1)
    else f[i] = expr(d + 1) end
  end
  if vararg and chance(0.2) then f[#f + 1] = "..." end
  return "{" .. table.concat(f, pick({", ", "; "})) .. "}"
end

function expr(d)
  d = d or 0
  if d > 4 then
    if chance(0.5) then return constant() end
    return varname()
  end
  local r = R(20)
  if r <= 4 then return constant()
  elseif r <= 8 then return varname()
  elseif r <= 13 then
    return expr(d + 1) .. " " .. pick(binops) .. " " .. expr(d + 1)
  elseif r == 14 then return pick(unops) .. expr(d + 1)
  elseif r == 15 then return prefix(d)
  elseif r == 16 then return table_constructor(d)
  elseif r == 17 and vararg then return "..."
  elseif r == 18 and fdepth < 4 then
    local params = pick({"", "a", "a, b", "...", "a, ...", "self, x"})
    local body = funcbody(d, params)
    return "function(" .. params .. ")\n" .. body .. "\nend"
  elseif r == 19 then return "(" .. expr(d + 1) .. ")"
  end
  return constant() .. " " .. pick(binops) .. " " .. constant()
end

local function explist(n)
  local e = {}
  for i = 1, n do e[i] = expr(1) end
  return table.concat(e, ", ")
end

local statement

function require_block(indent)
  local saved = out
  out = {}
  scopes[#scopes + 1] = {}
  depth = depth + 1
  local n = R(0, depth > 3 and 2 or 5)
  for _ = 1, n do statement(indent) end
  if chance(0.15) then
    emit(indent, "return " .. explist(R(0, 3)))
  end
  depth = depth - 1
  scopes[#scopes] = nil
  local block = table.concat(out, "\n")
  out = saved
  return block
end

local function block_stat(indent, head, tail, isloop)
  emit(indent, head)
  if isloop then loops = loops + 1 end
  out[#out + 1] = require_block(indent + 1)
  if isloop then loops = loops - 1 end
  emit(indent, tail)
end

local function target()
  local w = visible(true)
  if chance(0.03) then return "_ENV" end
  if #w > 0 and chance(0.6) then return pick(w) end
  if chance(0.5) then return pick({"g1", "g2", "t"}) end
  return prefix(1) .. "." .. pick({"x", "y"})
end

function statement(indent)
  if depth > 5 then
    emit(indent, target() .. " = " .. expr(2))
    return
  end
  local r = R(24)
  if r <= 3 then
    local n = R(1, 3)
    local names, attrs = {}, {}
    for i = 1, n do
      names[i] = newname()
      local a = R(10)
      attrs[i] = a == 1 and " <const>" or (a == 2 and i == n and " <close>")
                 or ""
    end
    local decl = {}
    for i = 1, n do decl[i] = names[i] .. attrs[i] end
    local init = chance(0.8) and (" = " .. explist(R(1, 3))) or ""
    emit(indent, "local " .. table.concat(decl, ", ") .. init)
    for i = 1, n do declare(names[i], attrs[i] ~= "") end
  elseif r <= 7 then
    local n = R(1, 3)
    local ts = {}
    for i = 1, n do ts[i] = target() end
    emit(indent, table.concat(ts, ", ") .. " = " .. explist(R(1, 3)))
  elseif r <= 9 then
    emit(indent, prefix(1) .. args(1))
  elseif r == 10 then
    local s = "if " .. expr(1) .. " then"
    block_stat(indent, s, "", false)
    out[#out] = nil
    while chance(0.3) do
      block_stat(indent, "elseif " .. expr(1) .. " then", "", false)
      out[#out] = nil
    end
    if chance(0.4) then block_stat(indent, "else", "end", false)
    else emit(indent, "end") end
  elseif r == 11 then
    block_stat(indent, "while " .. expr(1) .. " do", "end", true)
  elseif r == 12 then
    block_stat(indent, "repeat", "until " .. expr(1), true)
  elseif r == 13 then
    local v = newname()
    local step = chance(0.5) and (", " .. expr(2)) or ""
    scopes[#scopes + 1] = {{name = v}}
    block_stat(indent, "for " .. v .. " = " .. expr(2) .. ", " .. expr(2)
      .. step .. " do", "end", true)
    scopes[#scopes] = nil
  elseif r == 14 then
    local a, b = newname(), newname()
    scopes[#scopes + 1] = {{name = a}, {name = b}}
    block_stat(indent, "for " .. a .. ", " .. b .. " in " .. explist(R(1, 3))
      .. " do", "end", true)
    scopes[#scopes] = nil
  elseif r == 15 then
    block_stat(indent, "do", "end", false)
  elseif r == 16 and loops > 0 then
    emit(indent, "if " .. expr(2) .. " then break end")
  elseif r == 17 and loops > 0 then
    emit(indent, "break")
    emit(indent, "do end")
  elseif r == 18 and fdepth < 4 then
    local name = newname()
    local params = pick({"", "a", "a, b", "...", "x, ..."})
    declare(name)
    emit(indent, "local function " .. name .. "(" .. params .. ")")
    out[#out + 1] = funcbody(1, params)
    emit(indent, "end")
  elseif r == 19 and fdepth < 4 then
    local params = pick({"", "a", "...", "a, ..."})
    emit(indent, "function " .. pick({"g1", "t.f", "t.a.b", "t:m", "g2.x:y"})
      .. "(" .. params .. ")")
    out[#out + 1] = funcbody(1, params)
    emit(indent, "end")
  elseif r == 20 then
    nameid = nameid + 1
    local l = "L" .. nameid
    emit(indent, "do goto " .. l .. " end")
    emit(indent, "::" .. l .. "::")
  elseif r == 21 then
    emit(indent, "local " .. newname() .. " <const> = " .. constant())
    declare("v" .. nameid, true)
  else
    emit(indent, target() .. " = " .. expr(1))
  end
end

for n = 1, count do
  out, scopes, depth, fdepth, loops, nameid = {}, {{}}, 0, 0, 0, 0
  vararg = true
  out[1] = "-- generated by gen_programs.lua, seed " .. seed .. ", program " .. n
  for _ = 1, R(3, 12) do statement(0) end
  if chance(0.3) then emit(0, "return " .. explist(R(1, 3))) end
  local f = assert(io.open(string.format("%s/r%03d.lua", outdir, n), "w"))
  f:write(table.concat(out, "\n"), "\n")
  f:close()
end
