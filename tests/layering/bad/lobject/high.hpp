// Fixture: a chapter-2 header that includes chapter 1 (allowed).
#include "lmem/low.hpp"
