internal import CNats

/// How this build returns cnats messages: `mpc_nats_msg_release` (CNats/shim.h) frees a message on the
/// calling thread instead of queueing it for cnats' collector thread, which natsMsg_Destroy wakes once per
/// message. `freesDirectly` says whether this libnats has the layout that shortcut relies on (otherwise
/// every release falls back to natsMsg_Destroy, correct but with the wake-up).
public enum NatsMessageMemory {
    public static let freesDirectly: Bool = {
        var msg: OpaquePointer?
        guard natsMsg_Create(&msg, "mpc.probe", nil, nil, 0) == NATS_OK, let msg else { return false }
        defer { mpc_nats_msg_release(msg) }
        return mpc_nats_msg_frees_directly(msg) != 0
    }()
}
