// What this implementation adds to lua5.4's API: lua_closethread (from Lua
// 5.4.6) and, when built with -Dapi_check=true (LUA_USE_APICHECK), the
// checks that stop a misusing program with a message. Only built against
// our library.
#include <string>

#include "support.hpp"

#ifdef LUA_USE_APICHECK
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#endif

using lapitest::State;
using lapitest::str;

TEST_CASE("lua_ident names the version and the authors", "[lapi]") {
  std::string ident = lua_ident;
  REQUIRE(ident.find("$LuaVersion: " LUA_COPYRIGHT " $") == 0);
  REQUIRE(ident.find("$LuaAuthors: " LUA_AUTHORS " $") != std::string::npos);
}

TEST_CASE(
    "lua_closethread closes a suspended coroutine's pending "
    "variables",
    "[lapi]") {
  State s;
  lapitest::openhelpers(s.L);
  lua_State* co = lua_newthread(s.L);
  REQUIRE(lapitest::load(co,
                         "local x <close> = setmetatable({}, {__close = "
                         "function() closed = true end}) yield()") == LUA_OK);
  int nres = 0;
  REQUIRE(lua_resume(co, s.L, 0, &nres) == LUA_YIELD);
  REQUIRE(lua_closethread(co, s.L) == LUA_OK);
  REQUIRE(lua_getglobal(s.L, "closed") == LUA_TBOOLEAN);
  REQUIRE(lua_status(co) == LUA_OK);
  // The thread can run again, like a new one.
  REQUIRE(lapitest::load(co, "return 7") == LUA_OK);
  REQUIRE(lua_resume(co, s.L, 0, &nres) == LUA_OK);
  REQUIRE(lua_tointeger(co, -1) == 7);
}

#ifdef LUA_USE_APICHECK

namespace {

struct Outcome {
  bool aborted = false;  // killed by SIGABRT
  int exitcode = -1;     // the exit status otherwise
  std::string stderrtext;
};

// Runs `misuse` on a fresh state in a child process and reports how the
// child ended and what it wrote on stderr.
Outcome runchild(void (*misuse)(lua_State*)) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    std::signal(SIGABRT, SIG_DFL);  // not Catch's handler: just die
    dup2(fds[1], 2);
    close(fds[0]);
    static lapitest::Heap heap;
    lua_State* L = lua_newstate(lapitest::heapalloc, &heap);
    misuse(L);
    _exit(0);  // the misuse went unnoticed
  }
  close(fds[1]);
  Outcome out;
  char buf[256];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    out.stderrtext.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  out.aborted = WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
  if (WIFEXITED(status)) out.exitcode = WEXITSTATUS(status);
  return out;
}

}  // namespace

TEST_CASE(
    "with API checks, an invalid index stops the program with a "
    "message",
    "[lapi]") {
  Outcome o = runchild([](lua_State* L) {
    lua_pushinteger(L, 1);
    lua_pushinteger(L, 2);
    lua_rotate(L, 7, 1);
  });
  REQUIRE(o.aborted);
  REQUIRE(o.stderrtext == "lua: API check failed: invalid index 7\n");
}

TEST_CASE("with API checks, popping more values than there are stops",
          "[lapi]") {
  Outcome o = runchild([](lua_State* L) {
    lua_pushinteger(L, 1);
    lua_settop(L, -5);
  });
  REQUIRE(o.aborted);
  REQUIRE(o.stderrtext == "lua: API check failed: invalid new top (-5)\n");
}

TEST_CASE(
    "with API checks, pushing past the frame without lua_checkstack "
    "stops",
    "[lapi]") {
  Outcome o = runchild([](lua_State* L) {
    for (int i = 0; i <= LUA_MINSTACK; i++) lua_pushinteger(L, i);
  });
  REQUIRE(o.aborted);
  REQUIRE(o.stderrtext ==
          "lua: API check failed: stack overflow (push beyond the frame; "
          "see lua_checkstack)\n");
  // The same pushes are fine once the room was asked for.
  Outcome ok = runchild([](lua_State* L) {
    if (!lua_checkstack(L, 2 * LUA_MINSTACK)) _exit(3);
    for (int i = 0; i <= LUA_MINSTACK; i++) lua_pushinteger(L, i);
  });
  REQUIRE(ok.exitcode == 0);
  REQUIRE(ok.stderrtext.empty());
}

TEST_CASE("with API checks, operators need their operands", "[lapi]") {
  Outcome o = runchild([](lua_State* L) {
    lua_pushinteger(L, 1);
    lua_arith(L, LUA_OPADD);
  });
  REQUIRE(o.aborted);
  REQUIRE(o.stderrtext ==
          "lua: API check failed: not enough elements in the "
          "stack (2 needed, 1 present)\n");
}

TEST_CASE("with API checks, a raw access to a non-table stops", "[lapi]") {
  Outcome o = runchild([](lua_State* L) {
    lua_pushinteger(L, 1);
    lua_rawgeti(L, 1, 1);
  });
  REQUIRE(o.aborted);
  REQUIRE(o.stderrtext == "lua: API check failed: table expected at index 1\n");
}

#endif
