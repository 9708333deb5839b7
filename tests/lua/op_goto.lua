-- goto and labels: forward and backward jumps (JMP), continue-style
-- labels at the end of loop bodies, leaving nested loops, jumping out of
-- blocks that hold captured variables (their upvalues are closed) and
-- labels at the end of blocks; plus the compile errors, through load.

-- continue
local s = ""
for i = 1, 10 do
  if i % 3 == 0 then goto continue end
  s = s .. i
  ::continue::
end
print("continue", s)
-- a loop written with goto
local n, acc = 0, ""
::again::
n = n + 1
acc = acc .. n
if n < 5 then goto again end
print("backward", acc)
-- leave nested loops at once
local found
for i = 1, 5 do
  for j = 1, 5 do
    if i * j == 12 then found = i .. "x" .. j goto done end
  end
end
::done::
print("found", found)
-- out of a block with captured locals: every iteration gets its own
local fs = {}
do
  local i = 1
  ::top::
  do
    local v = i * 100
    fs[i] = function() return v end
    i = i + 1
    if i <= 3 then goto top end
  end
end
print("closed", fs[1](), fs[2](), fs[3]())
-- a goto jumping forward over a nested block, into an enclosing one
local trace = ""
do
  goto skip
  trace = trace .. "never"
  ::skip::
  trace = trace .. "after-skip"
end
print("forward", trace)
-- in a while loop and a repeat loop
local w, r = 0, 0
while true do
  w = w + 1
  if w < 4 then goto next_w end
  break
  ::next_w::
end
repeat
  r = r + 1
  if r == 2 then goto next_r end
  ::next_r::
until r >= 5
print("while/repeat", w, r)
-- nested functions have their own labels
local function inner()
  goto out
  do return "not here" end
  ::out::
  return "inner label"
end
print(inner())

-- compile-time errors
local function compile(src)
  local f, err = load(src, "=src")
  print(f and "compiled" or err)
end
compile("goto nowhere")
compile("do ::a:: end goto a")
compile("::a:: ::a::")
compile("goto f; local x; ::f:: print(x)")
compile("do goto f; local x; ::f:: end")   -- label at block end: fine
compile("for i = 1, 2 do ::l:: end ::l::")  -- different blocks: fine
compile("::l:: do ::l:: end")
compile("break")
compile("if true then break end")
