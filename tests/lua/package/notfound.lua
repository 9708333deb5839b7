-- needs: package
-- The "module 'x' not found:" message: one line per searcher that
-- explains itself, the files tried along package.path and cpath (with
-- dots as directory separators), the Croot searcher's root file, and the
-- default paths and package.config.

print(package.config)
print(package.path)
print(package.cpath)

print(pcall(require, "nosuch"))
print(pcall(require, "no.such.module"))

package.path = "./_mods/?.lua;./_mods/?/init.lua;"
package.cpath = "./_mods/?.so;;./?/?.so"
print(pcall(require, "a.b"))

package.path = "?"
package.cpath = "?"
print(pcall(require, "x.y"))
package.path = ""
package.cpath = ""
print(pcall(require, "empty"))
