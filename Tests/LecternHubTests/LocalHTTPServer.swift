// A tiny HTTP/1.1 server on 127.0.0.1 for the download tests, on POSIX sockets (Glibc on
// Linux, Darwin on macOS): one request per connection ("Connection: close"), each connection
// on its own thread, a handler that maps a request to a reply. A reply can be cut off after
// part of its body, to test resuming. Every socket has a receive timeout and the accept loop
// polls, so a bug in the client cannot hang the suite.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class LocalHTTPServer: @unchecked Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        /// Header names lower-cased.
        var headers: [String: String]
    }

    struct Reply: Sendable {
        var status: Int
        var headers: [(String, String)] = []
        var body = Data()
        /// Send only this many body bytes, then close the connection (Content-Length stays the full size).
        var cutAfter: Int?

        static func text(_ status: Int, _ text: String) -> Reply { Reply(status: status, body: Data(text.utf8)) }
    }

    typealias Handler = @Sendable (Request) -> Reply

    private let listener: Int32
    private let handler: Handler
    private let lock = NSLock()
    private var stopped = false
    private var log: [Request] = []
    let port: Int

    /// "http://127.0.0.1:PORT"
    var base: String { "http://127.0.0.1:\(port)" }

    /// Every request so far, in arrival order.
    var requests: [Request] { lock.withLock { log } }

    init(handler: @escaping Handler) throws {
        signal(SIGPIPE, SIG_IGN)   // a client that hangs up must not kill the test process
        self.handler = handler
        #if canImport(Glibc)
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let listener = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard listener >= 0 else { throw ServerError("socket: \(errno)") }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0   // the system picks a free port
        address.sin_addr = in_addr(s_addr: UInt32(0x7f00_0001).bigEndian)
        #if canImport(Darwin)
        address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
        #endif
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 16) == 0 else { close(listener); throw ServerError("bind/listen: \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Stops accepting and closes the listening socket (the port then refuses connections).
    func stop() {
        lock.withLock { stopped = true }
        _ = loopEnded.wait(timeout: .now() + 2)
    }

    private let loopEnded = DispatchSemaphore(value: 0)

    private func acceptLoop() {
        defer {
            close(listener)
            loopEnded.signal()
        }
        while !lock.withLock({ stopped }) {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 10) > 0 else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            Thread { [self] in serve(connection) }.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        #if canImport(Darwin)
        var yes: Int32 = 1
        setsockopt(connection, SOL_SOCKET, SO_NOSIGPIPE, &yes, socklen_t(MemoryLayout<Int32>.size))
        #endif
        guard let request = readRequest(connection) else { return }
        lock.withLock { log.append(request) }
        let reply = handler(request)

        var head = "HTTP/1.1 \(reply.status) \(Self.reason(reply.status))\r\n"
        for (name, value) in reply.headers { head += "\(name): \(value)\r\n" }
        if !reply.headers.contains(where: { $0.0.lowercased() == "content-length" }) {
            head += "Content-Length: \(reply.body.count)\r\n"
        }
        head += "Connection: close\r\n\r\n"
        var bytes = Data(head.utf8)
        if request.method != "HEAD" { bytes += reply.body.prefix(reply.cutAfter ?? reply.body.count) }
        sendAll(connection, bytes)
        if reply.cutAfter != nil { shutdown(connection, Int32(SHUT_RDWR)) }
    }

    /// The request line and headers (these clients send no body).
    private func readRequest(_ connection: Int32) -> Request? {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while data.range(of: Data("\r\n\r\n".utf8)) == nil, data.count < 65536 {
            let count = recv(connection, &buffer, buffer.count, 0)
            guard count > 0 else { return nil }
            data.append(buffer, count: count)
        }
        let lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Request(method: String(parts[0]), path: String(parts[1]), headers: headers)
    }

    private func sendAll(_ connection: Int32, _ data: Data) {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                #if canImport(Glibc)
                let sent = send(connection, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                #else
                let sent = send(connection, raw.baseAddress! + offset, raw.count - offset, 0)
                #endif
                guard sent > 0 else { return }
                offset += sent
            }
        }
    }

    private static func reason(_ status: Int) -> String {
        [200: "OK", 206: "Partial Content", 302: "Found", 307: "Temporary Redirect", 401: "Unauthorized", 403: "Forbidden",
         404: "Not Found", 416: "Range Not Satisfiable", 500: "Internal Server Error"][status] ?? "Status"
    }

    struct ServerError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
