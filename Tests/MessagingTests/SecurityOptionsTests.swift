import Foundation
import Testing
@testable import Messaging

@Suite("Credentials, TLS and background connect against real servers", .serialized)
struct SecurityOptionsTests {
    @Test func userPasswordAndToken() async throws {
        try await withNatsServer(arguments: ["--user", "node", "--pass", "s3cret"]) { server in
            let ok = try await NatsConnection.connect(NatsOptions(servers: [server.url],
                                                                  credentials: .userPassword(user: "node", password: "s3cret")))
            try await ok.flush(timeout: .seconds(2))
            do {
                _ = try await NatsConnection.connect(NatsOptions(servers: [server.url], maxReconnect: 0,
                                                                 credentials: .userPassword(user: "node", password: "wrong")))
                Issue.record("wrong password accepted")
            } catch {
                let text = "\(error)"
                print("wrong password -> \(text)")
                #expect((error as? MessagingError)?.code == "auth_failed")
                #expect(text.contains("Authorization Violation"))
            }
            // Secrets never appear in descriptions.
            let text = "\(NatsOptions(servers: [server.url], credentials: .userPassword(user: "node", password: "s3cret")))"
            #expect(!text.contains("s3cret") && text.contains("<redacted>"))
        }
        try await withNatsServer(arguments: ["--auth", "tok-123"]) { server in
            let ok = try await NatsConnection.connect(NatsOptions(servers: [server.url], credentials: .token("tok-123")))
            try await ok.flush(timeout: .seconds(2))
            await #expect(throws: MessagingError.self) {
                _ = try await NatsConnection.connect(NatsOptions(servers: [server.url], maxReconnect: 0, credentials: .token("nope")))
            }
        }
    }

    @Test func tlsWithPrivateCA() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try makeCertificates(in: dir)
        let ca = dir.appendingPathComponent("ca.pem").path
        try await withNatsServer(arguments: ["--tls", "--tlscert", dir.appendingPathComponent("server.pem").path,
                                             "--tlskey", dir.appendingPathComponent("server.key").path]) { server in
            let nc = try await NatsConnection.connect(NatsOptions(
                servers: ["tls://127.0.0.1:\(server.port)"],
                tls: .init(caFile: ca, expectedHostname: "localhost")))
            let sub = try nc.subscribe(subject: "secure")
            try await nc.flush(timeout: .seconds(2))
            try nc.publish(subject: "secure", payload: [1])
            var it = sub.makeAsyncIterator()
            #expect(await it.next()?.data == [1])

            // Without our CA the server is not trusted: verification is on by default.
            await #expect(throws: MessagingError.self) {
                _ = try await NatsConnection.connect(NatsOptions(servers: ["tls://127.0.0.1:\(server.port)"], maxReconnect: 0,
                                                                 tls: .init()))
            }
            // Wrong expected hostname is refused too.
            await #expect(throws: MessagingError.self) {
                _ = try await NatsConnection.connect(NatsOptions(servers: ["tls://127.0.0.1:\(server.port)"], maxReconnect: 0,
                                                                 tls: .init(caFile: ca, expectedHostname: "evil.example")))
            }
            // Only an explicit opt-out skips verification.
            let insecure = try await NatsConnection.connect(NatsOptions(servers: ["tls://127.0.0.1:\(server.port)"],
                                                                        tls: .init(skipServerVerification: true)))
            try await insecure.flush(timeout: .seconds(2))
        }
    }

    @Test func retryOnFailedConnectComesUpWhenTheBrokerDoes() async throws {
        let server = try NatsServerProcess()
        defer { server.stop() }
        server.kill()
        let nc = try await NatsConnection.connect(NatsOptions(servers: [server.url], reconnectWait: .milliseconds(100),
                                                              retryOnFailedConnect: true))
        let events = nc.events()
        #expect(nc.status != .connected)
        try server.start()
        let up = try await withTimeout(15, "background connect") {
            for await e in events where e == .connected || e == .reconnected { return true }
            return false
        }
        #expect(up)
        try await nc.flush(timeout: .seconds(2))
        #expect(nc.status == .connected)
    }

    func makeCertificates(in dir: URL) throws {
        func run(_ args: [String]) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            p.arguments = args
            p.currentDirectoryURL = dir
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run(); p.waitUntilExit()
            guard p.terminationStatus == 0 else { throw TestTimeout(what: "openssl \(args.first ?? "")") }
        }
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\n".write(to: dir.appendingPathComponent("san.ext"), atomically: true, encoding: .utf8)
        try run(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                 "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=test-ca"])
        try run(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                 "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"])
        try run(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                 "-out", "server.pem", "-days", "1", "-extfile", "san.ext"])
    }
}
