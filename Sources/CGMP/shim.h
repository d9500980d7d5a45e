// Shim for CGMP: the one header Swift imports for this C library.
#pragma once
#include <gmp.h>
