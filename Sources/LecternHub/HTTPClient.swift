// One HTTP exchange with URLSession, waited for: the caller's thread blocks until the reply
// is complete, which keeps the downloader a plain sequence of steps. A body can be streamed to
// a receiver (a file) as it arrives instead of being held in memory — model weights are
// gigabytes. This is the part of huggingface_hub's `http_get` and `get_hf_file_metadata` that
// talks HTTP (they use httpx); what the requests mean is in HubDownloader and BlobDownload.
//
// Three things URLSession does not do the way a hub client needs, handled here:
// - Redirects. The metadata of a file stored with Git LFS is on the hub's own 302 reply (the
//   redirect target is a CDN), so a HEAD request must not follow it: `followRedirects: false`.
// - The token. Authorization goes to the hub only: a redirect to another origin (scheme, host,
//   port) drops the header, as huggingface_hub does for CDN URLs.
// - Timeouts. swift-corelibs-foundation's request timeout bounds the whole transfer, which would
//   cut off a large download; here the timeout is for silence — no bytes for `idleTimeout`
//   seconds — and is the same on Linux and macOS.
//
// Departures from the reference: no automatic retries here (BlobDownload resumes instead), no
// proxies beyond what URLSession reads from the system, "Accept-Encoding: identity" on every
// request (the reference sends it on HEAD only) so that byte counts are file sizes.
import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The status, headers and (unless streamed) body of a reply.
struct HTTPReply: Sendable {
    var status: Int
    /// Header names lower-cased.
    var headers: [String: String]
    /// The URL that answered (after any redirects that were followed).
    var url: URL
    var body: Data

    /// The header `name` (any case).
    func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// A 3xx reply with a Location, resolved against the reply's URL.
    var redirectTarget: URL? {
        guard (300...399).contains(status), let location = header("location") else { return nil }
        return URL(string: location, relativeTo: url)?.absoluteURL
    }
}

/// Why an exchange produced no reply.
enum HTTPFailure: Error, Sendable {
    /// No connection, DNS, TLS, a timeout, or the connection broke off; `receivedReply` tells
    /// whether the status line had arrived (then the body was cut short).
    case transport(reason: String, receivedReply: Bool)
    /// The body's receiver failed (a file could not be written), which stopped the transfer.
    case receiver(HubError)
}

/// Where the body of a 2xx reply goes as it arrives.
struct BodyReceiver: Sendable {
    /// Called once with the status and headers, before any body bytes.
    var begin: @Sendable (HTTPReply) throws(HubError) -> Void
    /// Called with each piece of the body, in order.
    var write: @Sendable (Data) throws(HubError) -> Void
}

/// Scheme, host and port: what decides whether a redirect leaves the hub.
struct Origin: Equatable {
    let scheme: String, host: String, port: Int

    init?(_ url: URL?) {
        guard let url, let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased() else { return nil }
        self.scheme = scheme
        self.host = host
        self.port = url.port ?? (scheme == "https" ? 443 : 80)
    }
}

/// Blocking HTTP requests.
///
/// ```swift
/// let client = HTTPClient(idleTimeout: 30)
/// let reply = try client.send("HEAD", url, headers: [:], followRedirects: false)
/// reply.header("x-repo-commit")
/// ```
struct HTTPClient: Sendable {
    /// Seconds without any bytes after which a request is abandoned.
    var idleTimeout: TimeInterval
    var userAgent = "lectern (huggingface_hub-compatible cache)"

    /// Sends `method` to `url` and waits for the whole reply. With a `receiver`, the body of a
    /// 2xx reply goes to it and the reply's `body` is empty; other bodies (error messages)
    /// are collected.
    func send(_ method: String, _ url: URL, headers: [String: String], followRedirects: Bool,
              receiver: BodyReceiver? = nil) throws(HTTPFailure) -> HTTPReply {
        // The idle watchdog below is the timeout; URLSession's own is set out of the way.
        let never: TimeInterval = 7 * 24 * 3600
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: never)
        request.httpMethod = method
        request.setValue(userAgent, forHTTPHeaderField: "User-Agent")
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }

        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.timeoutIntervalForRequest = never
        configuration.timeoutIntervalForResource = never
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1   // the body's pieces must be written in order
        let transfer = Transfer(url: url, followRedirects: followRedirects, receiver: receiver)
        let session = URLSession(configuration: configuration, delegate: transfer, delegateQueue: queue)
        defer { session.finishTasksAndInvalidate() }
        let task = session.dataTask(with: request)
        task.resume()
        while transfer.finished.wait(timeout: .now() + 0.2) == .timedOut {
            if transfer.secondsSinceActivity() > idleTimeout {
                transfer.markTimedOut()
                task.cancel()
                _ = transfer.finished.wait(timeout: .now() + 5)
                break
            }
        }
        return try transfer.outcome(task: task, idleTimeout: idleTimeout)
    }

    /// A short reason for a URLSession error, for messages such as "cannot reach …: reason".
    static func describe(_ error: any Error) -> String {
        guard let error = error as? URLError else { return error.localizedDescription }
        switch error.code {
        case .cannotConnectToHost: return "connection refused"
        case .cannotFindHost, .dnsLookupFailed: return "host not found"
        case .notConnectedToInternet: return "not connected to the internet"
        case .timedOut: return "timed out"
        case .networkConnectionLost: return "the connection was lost"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected:
            return "the secure connection (TLS) failed"
        default: return "\(error.localizedDescription) (URL error \(error.code.rawValue))"
        }
    }
}

/// The delegate of one request: records the reply, streams or collects the body, and signals
/// when the task completes. URLSession calls it on one serial queue; the waiting thread reads
/// it under the lock.
private final class Transfer: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private let url: URL
    private let followRedirects: Bool
    private let receiver: BodyReceiver?
    private var reply: HTTPReply?
    private var body = Data()
    private var streaming = false
    private var receiverError: HubError?
    private var transportError: (any Error)?
    private var timedOut = false
    private var lastActivity = DispatchTime.now()
    /// Error bodies and JSON are collected up to this size.
    private let bodyLimit = 64 << 20

    init(url: URL, followRedirects: Bool, receiver: BodyReceiver?) {
        self.url = url
        self.followRedirects = followRedirects
        self.receiver = receiver
    }

    func secondsSinceActivity() -> TimeInterval {
        lock.withLock { Double(DispatchTime.now().uptimeNanoseconds - lastActivity.uptimeNanoseconds) / 1e9 }
    }

    func markTimedOut() { lock.withLock { timedOut = true } }

    private func touch() { lock.withLock { lastActivity = .now() } }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        touch()
        guard followRedirects else { return completionHandler(nil) }   // the 3xx reply is the answer
        var next = request
        if Origin(request.url) != Origin(response.url ?? url) { next.setValue(nil, forHTTPHeaderField: "Authorization") }
        completionHandler(next)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        touch()
        guard let http = response as? HTTPURLResponse else { return completionHandler(.allow) }
        let received = Transfer.reply(http, fallbackURL: url)
        var disposition = URLSession.ResponseDisposition.allow
        lock.withLock {
            reply = received
            guard let receiver, (200...299).contains(http.statusCode) else { return }
            do throws(HubError) {
                try receiver.begin(received)
                streaming = true
            } catch {
                receiverError = error
                disposition = .cancel
            }
        }
        completionHandler(disposition)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        touch()
        let failed: Bool = lock.withLock {
            guard receiverError == nil else { return false }
            guard streaming, let receiver else {
                if body.count < bodyLimit { body.append(data) }
                return false
            }
            do throws(HubError) {
                try receiver.write(data)
                return false
            } catch {
                receiverError = error
                return true
            }
        }
        if failed { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        lock.withLock { transportError = error }
        finished.signal()
    }

    /// The reply, or why there is none.
    func outcome(task: URLSessionTask, idleTimeout: TimeInterval) throws(HTTPFailure) -> HTTPReply {
        lock.lock()
        defer { lock.unlock() }
        // Should URLSession not have called didReceive for a reply it did not follow, the task has it.
        if reply == nil, let http = task.response as? HTTPURLResponse { reply = Transfer.reply(http, fallbackURL: url) }
        if let receiverError { throw .receiver(receiverError) }
        if timedOut { throw .transport(reason: "no data for \(Int(idleTimeout)) s (timed out)", receivedReply: reply != nil) }
        if let transportError { throw .transport(reason: HTTPClient.describe(transportError), receivedReply: reply != nil) }
        guard var reply else { throw .transport(reason: "no reply", receivedReply: false) }
        reply.body = body
        return reply
    }

    private static func reply(_ http: HTTPURLResponse, fallbackURL: URL) -> HTTPReply {
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return HTTPReply(status: http.statusCode, headers: headers, url: http.url ?? fallbackURL, body: Data())
    }
}
