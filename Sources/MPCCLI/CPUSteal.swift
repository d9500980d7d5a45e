import Foundation

/// The share of CPU time the hypervisor gave to other guests while this machine's vCPUs wanted to run ("steal",
/// the eighth counter of /proc/stat's `cpu` line), read around a benchmark run: on a shared virtual machine a
/// latency measured at 20 % steal is not comparable with one at 1 %. Nil where /proc/stat is not readable.
struct CPUSteal {
    /// Jiffies since boot: (steal, all of user … steal).
    let steal: UInt64
    let total: UInt64

    static func now() -> CPUSteal? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard fields.count >= 8 else { return nil }
        return CPUSteal(steal: fields[7], total: fields.prefix(8).reduce(0, +))
    }

    /// Percent of the CPU time between `self` and `later` that was stolen.
    func percent(until later: CPUSteal) -> Double? {
        guard later.total > total, later.steal >= steal else { return nil }
        return Double(later.steal - steal) / Double(later.total - total) * 100
    }
}
