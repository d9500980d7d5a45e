// Shim for CSecp256k1: the one header Swift imports for this C library.
#pragma once
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>
#include <secp256k1_recovery.h>
#include <secp256k1_ecdh.h>
