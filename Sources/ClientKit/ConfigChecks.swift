import Discovery
import Foundation

/// Environment variables over a configuration file. Empty values count as unset (compose passes
/// `${VAR:-}` as an empty string); a value that cannot be parsed names its variable.
struct EnvironmentOverrides {
    let values: [String: String]
    init(_ values: [String: String]) { self.values = values }

    func string(_ name: String) -> String? {
        guard let v = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
        return v
    }

    func int(_ name: String) throws(ClusterError) -> Int? {
        guard let v = string(name) else { return nil }
        guard let n = Int(v) else { throw ClusterError("config_invalid", "\(name): not an integer") }
        return n
    }

    /// A comma-separated list.
    func list(_ name: String) -> [String]? {
        string(name).map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }

    /// The variables node and coordinator share: NATS_URL, EVENT_INITIATOR_PUBKEY, DISCOVERY_BACKEND,
    /// CONSUL_ADDRESS, CONSUL_HTTP_TOKEN.
    func applyShared(natsURL: inout String, eventInitiatorPubkeys: inout [String]?, discovery: inout String?,
                     consulAddress: inout String?, consulToken: inout String?) {
        if let v = string("NATS_URL") { natsURL = v }
        if let v = list("EVENT_INITIATOR_PUBKEY") { eventInitiatorPubkeys = v }
        if let v = string(DiscoveryConfiguration.backendField.environmentVariable) { discovery = v }
        if let v = string(DiscoveryConfiguration.consulAddressField.environmentVariable) { consulAddress = v }
        if let v = string(DiscoveryConfiguration.consulTokenField.environmentVariable) { consulToken = v }
    }
}

/// Field checks node and coordinator configurations share; every error names its field.
enum ConfigChecks {
    static func natsURL(_ url: String) throws(ClusterError) {
        guard url.hasPrefix("nats://") || url.hasPrefix("tls://") else {
            throw ClusterError("config_invalid", "natsURL: must start with nats:// or tls://")
        }
    }

    static func initiatorKeys(_ keys: [String]?) throws(ClusterError) {
        for k in keys ?? [] where k.count != 64 || k.contains(where: { !$0.isHexDigit }) {
            throw ClusterError("config_invalid", "eventInitiatorPubkeys: not a 32-byte hex key")
        }
    }

    /// The discovery settings from the file's values and the environment (which `applyShared` already
    /// applied; it is passed again so that an error names the variable a bad value came from).
    static func discovery(backend: String?, natsURL: String, consulAddress: String?, consulToken: String?,
                          environment: [String: String]) throws(ClusterError) -> DiscoveryConfiguration {
        var file = ["nats.url": natsURL]
        file["discovery.backend"] = backend
        file["consul.address"] = consulAddress
        file["consul.token"] = consulToken
        typealias D = DiscoveryConfiguration
        let fields = [D.backendField, D.natsURLField, D.consulAddressField, D.consulTokenField, D.bucketField, D.maxAgeField]
        let names = Set(fields.map { $0.environmentVariable })
        let env = environment.filter { names.contains($0.key) }
        do { return try DiscoveryConfiguration.resolve(file: file, environment: env) }
        catch {
            // Name the field as this file spells it.
            var why: String
            switch error {
            case let .invalidConfiguration(w): why = w
            default: why = "\(error)"
            }
            for (dotted, key) in [("discovery.backend", "discovery"), ("consul.address", "consulAddress"), ("nats.url", "natsURL")] {
                why = why.replacingOccurrences(of: dotted, with: key)
            }
            throw ClusterError("config_invalid", why)
        }
    }
}
