-- goto and labels: forward, backward, continue, nested blocks, closes.
do
  local i = 1
  ::top::
  i = i + 1
  if i < 10 then goto top end
end
for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then goto next_i end
  end
  ::next_i::
end
do
  goto done
  local x = 1
  print(x)
  ::done::
end
do
  local a = {}
  ::again::
  local v = 1
  a[#a + 1] = function() return v end
  if #a < 3 then goto again end
end
do
  ::l1:: ::l2:: ;
  goto l3
  ;;
  ::l3::
end
while true do
  local y = 1
  local function c() return y end
  if y then goto out end
end
::out::
do
  local z
  goto e
  do
    local w = 1
    local function c2() return w end
  end
  ::e::
end
repeat
  local q = 1
  if q then goto cont end
  ::cont::
  local function cq() return q end
until cq
do
  local q = 1
  if q then goto cont end
  local function cq() return q end
  ::cont::
end
if x then goto finish end
print("middle")
::finish::
