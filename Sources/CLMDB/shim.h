// Shim for CLMDB: the one header Swift imports for this C library.
#pragma once
#include <lmdb.h>
