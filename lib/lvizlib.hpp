/// \file
/// The viz library's opening function (lib/lvizlib.cpp): diagrams of a
/// program's live structures as Graphviz DOT text. Not one of Lua's
/// standard libraries, so it is not in lualib.h and luaL_openlibs does not
/// open it; the `lua` program offers it to `require "viz"` through
/// package.preload.
///
/// Mirrors: no Lua file.
/// Book: chapter 10
#pragma once

#include "lmem/lua.h"

/// Opens the library: leaves the table of viz functions on the stack.
int luaopen_viz(lua_State* L);

/// Registers luaopen_viz in package.preload (the package library must be
/// open), so that `require "viz"` opens it on first use.
void viz_preload(lua_State* L);
