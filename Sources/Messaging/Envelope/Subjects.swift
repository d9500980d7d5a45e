/// NATS subject names (from the specification documents; see ARCHITECTURE.md "Message flow").
public enum Subjects {
    public static let keygenRequest = "mpc.keygen.request"
    public static let signRequest = "mpc.sign.request"
    public static let reshareRequest = "mpc.reshare.request"

    public static func signResponse(_ session: SessionID) -> String { "mpc.sign.response.\(session.hex)" }
    public static func sessionBroadcast(_ session: SessionID) -> String { "mpc.session.\(session.hex).bcast" }
    /// Point-to-point messages for `party` (a PartyID, hence a valid subject token).
    public static func sessionDirect(_ session: SessionID, to party: String) -> String {
        "mpc.session.\(session.hex).p2p.\(party)"
    }
    /// Everything of one session (for a coordinator or an auditor).
    public static func sessionAll(_ session: SessionID) -> String { "mpc.session.\(session.hex).>" }
}
