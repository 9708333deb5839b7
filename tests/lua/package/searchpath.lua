-- needs: package
-- package.searchpath: found files, the separator and its replacement,
-- the "no file" listing (empty templates included), and argument errors.

print(package.searchpath("plain", "./_mods/?.lua"))
print(package.searchpath("sub.leaf", "./_mods/?.lua"))
print(package.searchpath("pkg", "./x/?.lua;./_mods/?/init.lua"))
print(package.searchpath("absent", "./_mods/?.lua;./_mods/?/init.lua"))

-- sep and rep
print(package.searchpath("sub.leaf", "./_mods/?.lua", "."))
print(package.searchpath("sub_leaf", "./_mods/?.lua", "_"))
print(package.searchpath("sub:leaf", "./_mods/?.lua", ":", "/"))
print(package.searchpath("a.b.c", "?.x", ".", "::"))
print(package.searchpath("a.b.c", "?.x", ""))
print(package.searchpath("a.b", "?-?;p/?", ".", ""))

-- several marks, no mark, empty templates
print(package.searchpath("m", "?/?.lua;fixed;;"))
print(package.searchpath("m", ""))
print(package.searchpath("m", ";"))
print(package.searchpath("_mods", "./?"))

-- a file without the mark is found for any name
print(package.searchpath("anything", "./_mods/plain.lua"))

print(pcall(package.searchpath))
print(pcall(package.searchpath, "m"))
print(pcall(package.searchpath, "m", "?", {}))
print(pcall(package.searchpath, "m", "?", ".", {}))
print(package.searchpath(12, 3.5))
print(pcall(package.searchpath, nil, "?", {}))
