-- A submodule found through a directory: sub.leaf is sub/leaf.lua.
return {leaf = ..., from = select(2, ...)}
