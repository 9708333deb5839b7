-- A client of LuaFileSystem (Debian's lua-filesystem), a C module loaded
-- through require: it builds a scratch tree in the current directory,
-- lists and inspects it, changes into it and back, then removes it.
--
-- Deterministic by construction: directory listings are sorted; of the
-- attributes only the type, size, link count, permissions and the times
-- set with lfs.touch are printed (never inode, device, owner or the
-- current directory's path). Permissions follow the umask, which is the
-- same for every interpreter a runner compares.

local lfs = require 'lfs'

local root = 'lfs_scratch'

local function show(label, ...)
  local parts = table.pack(...)
  for i = 1, parts.n do parts[i] = tostring(parts[i]) end
  print(label .. ': ' .. table.concat(parts, ' | ', 1, parts.n))
end

local function write(path, text)
  local f = assert(io.open(path, 'wb'))
  f:write(text)
  f:close()
end

local function listing(path)
  local names = {}
  for name in lfs.dir(path) do names[#names + 1] = name end
  table.sort(names)
  return table.concat(names, ' ')
end

local function describe(path)
  local a = lfs.attributes(path)
  if not a then return 'missing' end
  return string.format('%s size=%s nlink=%d', a.mode,
    a.mode == 'directory' and '-' or tostring(a.size), a.nlink)
end

-- Leftovers of an interrupted run would change every listing.
local function remove_tree(path)
  if lfs.attributes(path, 'mode') ~= 'directory' then return end
  for name in lfs.dir(path) do
    if name ~= '.' and name ~= '..' then
      local full = path .. '/' .. name
      if lfs.symlinkattributes(full, 'mode') == 'directory' then
        remove_tree(full)
      else
        assert(os.remove(full))
      end
    end
  end
  assert(lfs.rmdir(path))
end
remove_tree(root)

print('== module')
show('version', lfs._VERSION)
show('currentdir type', type(lfs.currentdir()))
local start = lfs.currentdir()

print('== mkdir and files')
show('mkdir root', lfs.mkdir(root))
show('mkdir again', lfs.mkdir(root))
show('mkdir sub', lfs.mkdir(root .. '/sub'))
show('mkdir nested missing', lfs.mkdir(root .. '/no/such'))
write(root .. '/a.txt', 'hello')
write(root .. '/b.bin', string.rep('\0', 1000))
write(root .. '/sub/c.txt', '')
show('listing', listing(root))
show('listing sub', listing(root .. '/sub'))

print('== attributes')
for _, name in ipairs({ 'a.txt', 'b.bin', 'sub', 'sub/c.txt', 'none' }) do
  show(name, describe(root .. '/' .. name))
end
show('single attribute', lfs.attributes(root .. '/a.txt', 'size'))
show('mode of dir', lfs.attributes(root, 'mode'))
show('permissions string', #lfs.attributes(root .. '/a.txt', 'permissions'))
local table_arg = {}
show('into a given table', lfs.attributes(root .. '/a.txt', table_arg) ==
  table_arg, table_arg.size)
show('missing file', lfs.attributes(root .. '/none'))
show('bad attribute name', pcall(lfs.attributes, root, 'colour'))
local a = lfs.attributes(root .. '/a.txt')
show('field types', type(a.modification), type(a.access), type(a.ino),
  type(a.blocks), type(a.blksize))

print('== touch')
show('touch', lfs.touch(root .. '/a.txt', 1000000, 2000000))
show('times', lfs.attributes(root .. '/a.txt', 'access'),
  lfs.attributes(root .. '/a.txt', 'modification'))
show('touch one time', lfs.touch(root .. '/b.bin', 1234567))
show('times', lfs.attributes(root .. '/b.bin', 'access'),
  lfs.attributes(root .. '/b.bin', 'modification'))
show('touch missing', lfs.touch(root .. '/none', 1, 1))

print('== links')
show('symlink', lfs.link('a.txt', root .. '/link', true))
show('symlink mode', lfs.symlinkattributes(root .. '/link', 'mode'),
  lfs.attributes(root .. '/link', 'mode'))
show('symlink target', lfs.symlinkattributes(root .. '/link', 'target'))
show('hard link', lfs.link(root .. '/a.txt', root .. '/hard'))
show('nlink after', lfs.attributes(root .. '/a.txt', 'nlink'))
show('listing', listing(root))

print('== chdir')
show('chdir in', lfs.chdir(root))
show('relative view', listing('.'))
show('in sub', lfs.chdir('sub'), listing('.'))
show('chdir missing', lfs.chdir('nowhere'))
show('back', lfs.chdir(start))
show('back where we began', lfs.currentdir() == start)

print('== dir objects')
local iter, dirobj = lfs.dir(root .. '/sub')
show('iterator types', type(iter), type(dirobj))
local seen = {}
for _ = 1, 3 do
  local name = dirobj:next()
  if name then seen[#seen + 1] = name end
end
table.sort(seen)
show('entries', table.concat(seen, ' '))
show('after end', dirobj:next())
dirobj:close()
show('closed next', pcall(dirobj.next, dirobj))
show('dir of missing', pcall(lfs.dir, root .. '/none'))

print('== lock')
local f = assert(io.open(root .. '/a.txt', 'r+'))
show('lock', lfs.lock(f, 'w'))
show('unlock', lfs.unlock(f))
show('bad lock mode', pcall(lfs.lock, f, 'x'))
f:close()
show('setmode', lfs.setmode(io.stdout, 'binary'))

print('== rmdir')
show('rmdir non-empty', lfs.rmdir(root))
show('rmdir missing', lfs.rmdir(root .. '/none'))
os.remove(root .. '/sub/c.txt')
show('rmdir sub', lfs.rmdir(root .. '/sub'))
for _, name in ipairs({ 'a.txt', 'b.bin', 'link', 'hard' }) do
  assert(os.remove(root .. '/' .. name))
end
show('listing before rmdir', listing(root))
show('rmdir root', lfs.rmdir(root))
show('gone', lfs.attributes(root, 'mode'))
