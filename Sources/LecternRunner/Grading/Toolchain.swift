// How student code gets compiled: which `swiftc`, which prebuilt library, which flags.
//
// Grading compiles a handful of files straight with `swiftc` (no SwiftPM package per exercise)
// against the reference library that the course's own build already produced. The runner does
// not know the library's name: the composition root (`lectern`) hands it a ``ReferenceLibrary``,
// which keeps the module graph one-way (runner ↛ models).
import Foundation

/// The prebuilt library that lessons and exercises compile against.
public struct ReferenceLibrary: Sendable, Equatable {
    /// The folder holding the library's `.swiftmodule` files (`-I`).
    public var modulesDirectory: URL
    /// The folder holding the shared library file (`-L`, and the run-time search path).
    public var libraryDirectory: URL
    /// The modules every generated file imports (`["LecternCore"]`).
    public var modules: [String]
    /// The libraries to link (`["Lectern"]` for `libLectern.so`).
    public var linkedLibraries: [String]
    /// C modules the library's Swift modules were built against: their module maps must be
    /// visible to every program that imports the library, as SwiftPM makes them visible to
    /// its own clients (`-Xcc -fmodule-map-file=…`).
    public var clangModuleMaps: [URL]

    /// A library whose modules live in `modulesDirectory` and binary in `libraryDirectory`.
    public init(modulesDirectory: URL, libraryDirectory: URL, modules: [String], linkedLibraries: [String],
                clangModuleMaps: [URL] = []) {
        self.modulesDirectory = modulesDirectory
        self.libraryDirectory = libraryDirectory
        self.modules = modules
        self.linkedLibraries = linkedLibraries
        self.clangModuleMaps = clangModuleMaps
    }

    /// `import` lines for the library's modules.
    public var imports: String { modules.map { "import \($0)\n" }.joined() }

    /// Checks the library is really there, so a missing build is a clear message, not a wall
    /// of compiler errors.
    public func verify() throws(CourseError) {
        for module in modules {
            let path = modulesDirectory.appendingPathComponent("\(module).swiftmodule").path
            if !FileManager.default.fileExists(atPath: path) {
                throw CourseError("the reference library is not built (no \(path)): run `swift build` in the course folder, or use Scripts/lectern which builds it for you")
            }
        }
    }
}

/// The Swift compiler and the flags used for every compilation of student code.
public struct Toolchain: Sendable {
    /// The `swiftc` executable.
    public var swiftc: URL
    /// The library that student code imports.
    public var library: ReferenceLibrary
    /// The module cache shared by every compilation; keeping it warm is what makes a check
    /// take a fraction of a second instead of several.
    public var moduleCache: URL

    /// A toolchain using `swiftc` to compile against `library`.
    public init(swiftc: URL, library: ReferenceLibrary, moduleCache: URL) {
        self.swiftc = swiftc
        self.library = library
        self.moduleCache = moduleCache
    }

    /// Finds `swiftc`: `$SWIFTC`, then next to the running toolchain, then on `$PATH`.
    public static func findSwiftc(environment: [String: String] = ProcessInfo.processInfo.environment) throws(CourseError) -> URL {
        let fileManager = FileManager.default
        if let explicit = environment["SWIFTC"], !explicit.isEmpty {
            guard fileManager.isExecutableFile(atPath: explicit) else {
                throw CourseError("SWIFTC is set to \(explicit), which is not an executable file")
            }
            return URL(fileURLWithPath: explicit)
        }
        for directory in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/swiftc"
            if fileManager.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
        }
        #if os(macOS)
        if fileManager.isExecutableFile(atPath: "/usr/bin/swiftc") { return URL(fileURLWithPath: "/usr/bin/swiftc") }
        #endif
        throw CourseError("cannot find swiftc: install Swift (https://swift.org/install) and put it on PATH, or set SWIFTC to its path")
    }

    /// Whether LLVM's `lld` linker is available; it links a test binary several times faster
    /// than the system linker.
    static let hasLLD: Bool = {
        #if os(Linux)
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/ld.lld") }
        #else
        return false
        #endif
    }()

    /// The `swiftc` arguments that compile `sources` into the executable `output`.
    ///
    /// `-Onone -wmo` is the fastest way to compile a few small files once; line tables are
    /// enough for crash locations; the LLVM diagnostic style is one line per problem, easy to
    /// read back. Student code is Swift 5 mode: the course teaches sequence models, not strict
    /// concurrency checking, and top-level variables in cells behave as in a script.
    public func compileArguments(sources: [URL], output: URL, moduleName: String) -> [String] {
        var arguments = [
            "-swift-version", "5", "-Onone", "-wmo", "-gline-tables-only",
            // Whole-module mode can still emit code on several threads; with two cores this
            // trims a tenth off a typical check.
            "-num-threads", String(min(4, max(1, ProcessInfo.processInfo.activeProcessorCount))),
            "-diagnostic-style=llvm", "-suppress-warnings",
            "-module-cache-path", moduleCache.path,
            "-module-name", moduleName,
            "-I", library.modulesDirectory.path,
            "-L", library.libraryDirectory.path,
        ]
        arguments += library.linkedLibraries.map { "-l\($0)" }
        arguments += library.clangModuleMaps.flatMap { ["-Xcc", "-fmodule-map-file=\($0.path)"] }
        arguments += ["-Xlinker", "-rpath", "-Xlinker", library.libraryDirectory.path]
        if Toolchain.hasLLD { arguments.append("-use-ld=lld") }
        #if os(macOS)
        // XCTest lives in the developer platform folder on macOS, not in the SDK.
        if let platform = Toolchain.macOSPlatformPath {
            let frameworks = platform + "/Developer/Library/Frameworks"
            let libraries = platform + "/Developer/usr/lib"
            arguments += ["-F", frameworks, "-I", libraries, "-L", libraries,
                          "-Xlinker", "-rpath", "-Xlinker", frameworks,
                          "-Xlinker", "-rpath", "-Xlinker", libraries]
        }
        #endif
        arguments += ["-o", output.path]
        arguments += sources.map(\.path)
        return arguments
    }

    #if os(macOS)
    static let macOSPlatformPath: String? = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/xcrun")
        process.arguments = ["--show-sdk-platform-path"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let path = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return path.isEmpty ? nil : path
    }()
    #endif

    /// Compiles `sources` into `output`, with diagnostics in `log`. Returns whether it worked.
    public func compile(sources: [URL], output: URL, moduleName: String, log: URL, timeout: Double = 120) throws(CourseError) -> (succeeded: Bool, diagnostics: String) {
        try? FileManager.default.createDirectory(at: moduleCache, withIntermediateDirectories: true)
        let child = ChildProcess(executable: swiftc,
                                 arguments: compileArguments(sources: sources, output: output, moduleName: moduleName),
                                 outputFile: log, timeout: timeout)
        var (exit, _) = try child.run()
        var text = readCapped(log, limit: 256 * 1024).text
        if exit != .exited(0), text.contains("is defined in both") || text.contains("module file") && text.contains("out of date") {
            // A module cache left by another path to the same toolchain (a symlinked build
            // folder, a moved checkout) confuses clang: start it afresh, once.
            try? FileManager.default.removeItem(at: moduleCache)
            (exit, _) = try child.run()
            text = readCapped(log, limit: 256 * 1024).text
        }
        switch exit {
        case .exited(0): return (true, text)
        case .timedOut: return (false, text + "\nerror: the compiler ran for more than \(Int(timeout)) s and was stopped")
        default: return (false, text)
        }
    }
}
