// api_misuse: an api_check build stops C API misuse with a clear message.
//
// Book: chapter 9 (the C API), its LUA_USE_APICHECK switch.
//
// Expected behaviour (meaningful only when lapi is built with
// -Dapi_check=true, which defines LUA_USE_APICHECK): every misuse below is
// caught by the API call itself, which writes a message containing
// "API check failed" to stderr and aborts (SIGABRT). Each misuse runs in a
// child process of its own (fork), with the child's stderr captured
// through a pipe; the parent passes a misuse only if the child died of
// SIGABRT and its message contains "API check failed". A child that
// returns normally, crashes with another signal (SIGSEGV) or hangs (an
// alarm kills it after 10 s) is a failure. Builds without API checks,
// Debian's liblua5.4 among them, do not detect these misuses: there the
// program is expected to fail, and Meson registers it only under
// api_check. `api_misuse NAME` runs the one misuse called NAME.
//
// The misuses mirror the conditions Lua's own api_check tests: the name of
// each says what the program does wrong.
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capi_check.h"

// ---- the misuses (each runs on a fresh state) ----

static void settop_beyond_stack(lua_State* L) {
  lua_settop(L, LUA_MINSTACK + 1000);  // never reserved with checkstack
}

static void pop_more_than_exists(lua_State* L) {
  lua_pushinteger(L, 1);
  lua_pushinteger(L, 2);
  lua_pop(L, 3);
}

static void negative_index_below_bottom(lua_State* L) {
  lua_pushinteger(L, 1);
  lua_pushvalue(L, -5);
}

static void index_beyond_stack_space(lua_State* L) {
  lua_pushinteger(L, 1);
  (void)lua_type(L, LUA_MINSTACK + 1000);  // not even an acceptable index
}

static void remove_invalid_index(lua_State* L) {
  lua_pushinteger(L, 1);
  lua_pushinteger(L, 2);
  lua_remove(L, 5);
}

static void copy_to_invalid_index(lua_State* L) {
  lua_pushinteger(L, 1);
  lua_copy(L, 1, 10);
}

static void call_with_missing_values(lua_State* L) {
  lua_pushinteger(L, 1);
  lua_call(L, 2, 0);  // a function and two arguments were promised
}

static void push_past_reserved_space(lua_State* L) {
  for (int i = 0; i < 10 * LUA_MINSTACK; i++) lua_pushinteger(L, i);
}

static void rawgeti_on_non_table(lua_State* L) {
  lua_pushinteger(L, 1);
  (void)lua_rawgeti(L, -1, 1);
}

static void setmetatable_to_number(lua_State* L) {
  lua_newtable(L);
  lua_pushinteger(L, 2);
  (void)lua_setmetatable(L, 1);
}

static void arith_with_one_operand(lua_State* L) {
  lua_pushinteger(L, 1);
  lua_arith(L, LUA_OPADD);
}

static void concat_more_than_exists(lua_State* L) {
  lua_pushliteral(L, "a");
  lua_concat(L, 3);
}

static int returns_nothing(lua_State* L) {
  (void)L;
  return 0;
}

static void pcall_with_non_function_handler(lua_State* L) {
  lua_pushinteger(L, 42);  // not a function, yet named as the handler
  lua_pushcfunction(L, returns_nothing);
  (void)lua_pcall(L, 0, 0, 1);
}

static void upvalue_outside_c_function(lua_State* L) {
  lua_pushvalue(L, lua_upvalueindex(1));
}

static void xmove_between_states(lua_State* L) {
  lua_State* other = luaL_newstate();
  lua_pushinteger(L, 1);
  lua_xmove(L, other, 1);
  lua_close(other);
}

// Each misuse, named after its function.
static const CapiStep cases[] = {
    CAPI_STEP(settop_beyond_stack),
    CAPI_STEP(pop_more_than_exists),
    CAPI_STEP(negative_index_below_bottom),
    CAPI_STEP(index_beyond_stack_space),
    CAPI_STEP(remove_invalid_index),
    CAPI_STEP(copy_to_invalid_index),
    CAPI_STEP(call_with_missing_values),
    CAPI_STEP(push_past_reserved_space),
    CAPI_STEP(rawgeti_on_non_table),
    CAPI_STEP(setmetatable_to_number),
    CAPI_STEP(arith_with_one_operand),
    CAPI_STEP(concat_more_than_exists),
    CAPI_STEP(pcall_with_non_function_handler),
    CAPI_STEP(upvalue_outside_c_function),
    CAPI_STEP(xmove_between_states),
};
enum { NCASES = CAPI_COUNT(cases) };

// ---- the child ----

// Runs the misuse with stderr sent to `out`; returns only if it was not
// caught, and then exits with status 0.
static void run_child(const CapiStep* c, int out) {
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);  // an abort should leave no core file
  alarm(10);
  dup2(out, STDERR_FILENO);
  close(out);
  lua_State* L = luaL_newstate();
  if (L == NULL) _exit(3);
  c->run(L);
  fprintf(stderr, "misuse went undetected\n");
  lua_close(L);
  _exit(0);
}

// ---- the parent ----

enum { CAPTURE = 4096 };

// Reads the child's stderr to its end, keeping the first CAPTURE-1 bytes.
static void drain(int in, char* text) {
  size_t kept = 0;
  char chunk[512];
  ssize_t n;
  while ((n = read(in, chunk, sizeof chunk)) > 0) {
    size_t take = (size_t)n;
    if (take > CAPTURE - 1 - kept) take = CAPTURE - 1 - kept;
    memcpy(text + kept, chunk, take);
    kept += take;
  }
  text[kept] = '\0';
}

static void describe_end(int status, char* out, size_t size) {
  if (WIFSIGNALED(status))
    snprintf(out, size, "killed by signal %d", WTERMSIG(status));
  else if (WIFEXITED(status))
    snprintf(out, size, "exited with status %d", WEXITSTATUS(status));
  else
    snprintf(out, size, "ended oddly (wait status %d)", status);
}

// Returns 1 when the misuse was caught as an api_check build must.
static int misuse_is_caught(const CapiStep* c) {
  int fds[2];
  if (pipe(fds) != 0) {
    perror("pipe");
    return 0;
  }
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    return 0;
  }
  if (pid == 0) {
    close(fds[0]);
    run_child(c, fds[1]);
  }
  close(fds[1]);
  char text[CAPTURE];
  drain(fds[0], text);
  close(fds[0]);
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) {
    perror("waitpid");
    return 0;
  }
  int aborted = WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
  int explained = strstr(text, "API check failed") != NULL;
  if (aborted && explained) {
    printf("caught %s: %.*s\n", c->name, (int)strcspn(text, "\n"), text);
    return 1;
  }
  char end[64];
  describe_end(status, end, sizeof end);
  fprintf(stderr, "api_misuse: %s: child %s; %s; its stderr:\n%s\n", c->name,
          end, explained ? "message ok" : "no \"API check failed\" message",
          text);
  return 0;
}

int main(int argc, char** argv) {
  for (int i = 0; i < NCASES; i++) {
    if (argc > 1 && strcmp(argv[1], cases[i].name) != 0) continue;
    capi_check_at(misuse_is_caught(&cases[i]), cases[i].name, __FILE__,
                  __LINE__);
  }
  if (capi_checks == 0) {
    fprintf(stderr, "api_misuse: no misuse named %s\n", argv[1]);
    return 2;
  }
  char detail[64];
  snprintf(detail, sizeof detail, "%d misuse(s) caught", capi_checks);
  return capi_finish("api_misuse", detail);
}
