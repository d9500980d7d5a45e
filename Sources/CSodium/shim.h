// Shim for CSodium: the one header Swift imports for this C library.
#pragma once
#include <sodium.h>
