/// \file
/// The listing of compiled functions in the format of `luac -l`, so that a
/// reader can diff our prototypes against `luac5.4`'s.
///
/// Mirrors: Lua 5.4 luac.c (PrintFunction and the functions it calls;
/// Lua 5.1 named the entry point luaU_print)
/// Book: chapter 7
///
/// Design: a listing is a pure function of the prototype: a header per
/// function, one line per instruction with its line number, operands and
/// a comment decoding them (constants, upvalue names, metamethod events,
/// jump targets, argument counts), and with `full` the tables of
/// constants, locals and upvalues. Nested functions follow their parent,
/// depth first.
///
/// - **Invariant SAME.** For a prototype loaded from a chunk that luac5.4
///   wrote, the listing equals `luac5.4 -l` (or `-l -l` with `full`)
///   byte for byte, except for the addresses that `%p` prints.
///
/// Differences from Lua:
/// - luac prints with printf to stdout; the stream is a parameter here.
/// - luac trusts the bytecode it lists; a loaded chunk is not verified
///   (lundump.hpp), so here an out-of-range constant, upvalue, function or
///   event index, an unknown opcode, a missing name or short line
///   information prints as "?" instead of reading outside a vector.
/// - The line of an instruction comes from ldebug's luaG_getfuncline,
///   which lives in chapter 5's lfunc so that this listing can use it;
///   the event names of the MMBIN comments come from chapter 5's
///   `luaT_eventname` rather than from a state's `tmname`.
/// - luac's PrintCode is one switch over every opcode; here each family
///   of opcodes (loads, tables, arithmetic, jumps and tests, calls, loops)
///   has its own function, chosen by the opcode's range.
#pragma once

#include <cstdio>

#include "lobject/lobject.hpp"

namespace lua {

/// Prints the listing of `f` and of its nested functions to `out`: the
/// code only, or (`full`) the code and the constants, locals and upvalues,
/// as `luac -l` and `luac -l -l` do. `f` is only read.
void luaU_print(const Proto* f, bool full, std::FILE* out);

}  // namespace lua
