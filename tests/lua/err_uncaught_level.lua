-- An uncaught error raised with level 2 blames the caller's line; the
-- traceback still starts at the function that called error. The value
-- is a string built at run time.

local function check_positive(n)
  if n <= 0 then
    error("expected a positive number, got " .. n, 2)
  end
  return n
end

local function compute(values)
  local total = 0
  for i = 1, #values do
    total = total + check_positive(values[i])
  end
  return total
end

print(compute({ 1, 2, 3 }))
print(compute({ 4, -5, 6 }))
