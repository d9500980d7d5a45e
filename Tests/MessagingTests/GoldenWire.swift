/// Pinned wire bytes. Changing these means changing the wire format: bump Envelope.currentVersion.
/// Cross-checked once with an independent Ed25519 (Python `cryptography`): key derived as
/// SHA-256("threshold-custody/identity/ed25519/v1" || 0x00 || 0x11*32), signature over
/// "threshold-custody/envelope/v1" || 0x00 || canonical fields.
enum GoldenWire {
    static let signingKey = "bdbdd3d586a4b36ed8ad08b667da5ad973736aa122de89e389cda6215945cbc1"
    static let signedEnvelope =
        "0105000102030405060708090a0b0c0d0e0f00066e6f64652d310100066e6f64652d320000018bcfe56800"
        + "0000018bcfe65260abababababababababababababababab0000000568656c6c6f"
        + "d981d6c4972bd77ae478c45670a0dec7ad86ecd580c286e6e1b307275679b37b"
        + "2e25337e6e9cb9d40a4c889ab8727d6a1a974ed729cae18a340943636681b906"
}
