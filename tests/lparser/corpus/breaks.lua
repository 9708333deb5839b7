-- 'if ... then break' in all its shapes: alone, followed by statements,
-- with else and elseif, and inside blocks with captured locals.
while x do
  if a then break; x = 1 end
  if b then break ; ; end
  if c then break elseif d then y = 2 else break end
  if e then break else z() end
  local u = 1
  local function f() return u end
  if g then break; end
  if a < b then break end
  if a == 1 then break; local q = 2; h(q) end
end
for i = 1, 2 do if i then break end end
repeat if x then break end local v = 1 local function f() return v end until v
