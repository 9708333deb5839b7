// The shared Catch2 entry point of every unit-test binary.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
