// Shim for CNats: the one header Swift imports for this C library.
#pragma once
#include <nats/nats.h>
