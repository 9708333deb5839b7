// Fixture: a chapter-1 test that includes chapter 2 (forbidden).
#include "lobject/high.hpp"
