// Module Chains: pure transaction encodings, digests and addresses (no I/O, no clocks, no logging).
//
// Entry points
//   Chain(name:)                              chain table: ethereum 1, polygon 137, arbitrum 42161, optimism 10, base 8453,
//                                             avalanche 43114, bsc 56, any "evm:<id>"/"<id>", bitcoin(-testnet|-regtest), solana
//   TransactionJSON.decode(_:chain:)          `mpc sign-tx --tx FILE.json` input → TransactionRequest
//                                             (shapes: EthereumTransactionJSON, BitcoinTransactionJSON, SolanaTransactionJSON;
//                                             examples: examples/tx/*.json)
//   WalletKey                                 the wallet's key as its signer holds it: .ecdsa, .taprootOutput (already
//                                             tweaked, cluster FROST-TR), .taprootInternal (untweaked), .ed25519;
//                                             WalletKey.address(on:) gives the chain address
//   TransactionRequest.signingTasks(key:)     what the group signs (ECDSA digest, Taproot digest [+ tweak], Ed25519 message)
//   GroupSignature.decode(_:recoveryId:for:key:)  a cluster's signature bytes → GroupSignature
//   TransactionRequest.assemble(key:signatures:)  verifies each signature, returns raw bytes + tx id
//   EthereumMessage                           personal_sign / EIP-712 digest and the checked 65-byte signature
//   PersonalSign.digest / TypedData.digest    EIP-191 and EIP-712 message digests
//   EthereumAddress / SegwitAddress / BitcoinKeys / SolanaAddress   wallet addresses
//
// Errors: ChainError, with a stable `code` (CHAIN_FIELD_MISSING, CHAIN_FIELD_INVALID, CHAIN_VALUE_OUT_OF_RANGE,
// CHAIN_ID_MISMATCH, ...) and `field`, the JSON path of the offending input (e.g. "inputs[1].amount").
